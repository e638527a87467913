extension StudyInputs {
    /// The path of every file these inputs read (`-` for standard input), in the order of the
    /// fields: the event sources, interventions, unit costs, services, price index, comparison
    /// group. Bytes held in memory are not files and are left out. For checking, before anything
    /// is read, that no output is one of them.
    public var files: [String] {
        let sources = events.map(\.input) + [interventions] + [unitCosts, services, deflator, comparisonGroup].compactMap { $0 }
        return sources.compactMap { source in
            guard case .file(let path) = source else { return nil }
            return path
        }
    }
}
