extension ProjectFile {
    /// Each input file the project lists, with the key path that lists it, in the file's order:
    /// the event sources, then the other tables. A command that writes a file refuses every one
    /// of them as its output, whatever it reads itself.
    public var listedFiles: [(keyPath: String, path: String)] {
        var files: [(String, String)] = []
        for (index, source) in sources.enumerated() {
            if case .file(let path) = source.input { files.append(("sources[\(index)].file", path)) }
        }
        let tables: [(StudyInputs.Table, InputSource?)] = [(.interventions, interventions), (.unitCosts, unitCosts), (.services, services),
                                                           (.deflator, deflator), (.comparison, comparison)]
        for (table, source) in tables {
            if case .file(let path)? = source { files.append((table.rawValue, path)) }
        }
        return files
    }

    /// Throws when one file is listed as two inputs, whatever the paths say (a symbolic link,
    /// `./a.csv` and `a.csv`, a hard link): the same device and inode. Read twice, it would
    /// double every figure (standard input, `-`, listed twice would be read once and found
    /// empty the second time). Files that cannot be found are left to the loaders' messages.
    func checkDistinctFiles(path: String) throws(Failure) {
        guard let (first, second) = FileIdentity.firstRepeat(in: listedFiles.map { (label: $0.keyPath, path: $0.path) }) else { return }
        throw Failure(file: path, keyPath: second, detail: "the same file as \(first) (one file, whatever the paths say: a link or another spelling of the path); expected each input once, as reading it twice would double every figure")
    }
}

extension ProjectFile {
    /// How `table`'s file is written: the project's mapping when the file is the project's, the
    /// engine's own layout when a command-line flag (`flag`, when given) names another file.
    public func mapping(of table: StudyInputs.Table, flag: String?) -> InputMapping {
        flag == nil ? mappings[table] ?? .standard : .standard
    }
}
