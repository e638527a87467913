extension DataQualityReport {
    /// What one streaming read of the event sources found (see ``examine(_:loader:unitCosts:)``):
    /// each source's findings, and everyone with a loaded row, without the event table.
    public struct Examined: Sendable {
        /// One source's findings, as its ``DataQualityScan`` left them.
        struct Findings: Sendable {
            var reconciliation: SourceReconciliation
            var people: Int
            var span: ClosedRange<Int32>?
            var rowsByServiceEvent: [(service: String, event: String, rows: Int)]
            var unpriced: [(service: String, event: String, rows: Int)]
            var duplicateRows: Int
            /// Loaded rows by day, the days with any in order (for the rows past an end decided
            /// after the read).
            var rowsByDay: [(day: Int32, rows: Int)]
            /// The people with a loaded row, by their codes in ``Examined/persons``.
            var personCodes: [Int32]
        }

        var findings: [Findings]
        /// Every person ID of the loaded rows, any source (the table load's person dictionary).
        var persons: StringDictionary
        /// Every source's rejected rows, in source then file order.
        var rejects: [IngestError]
        /// Whether some row's cost was implausible (then, as on the table path, nothing was
        /// priced and no pair is reported unpriced).
        var metImplausibleCost: Bool

        /// Each source's latest loaded event day (`nil`: none), in source order, for
        /// ``ObservationEnd/covered(latestEventDays:extractDates:)``.
        public var latestEventDays: [Int32?] { findings.map { $0.span?.upperBound } }
    }

    /// Reads `sources` once each, in order, with `loader` (under a reject policy every error is
    /// seen), tallying each with a ``DataQualityScan`` priced by `unitCosts`; the rows are never
    /// held. Errors are the table load's, at the same rows.
    ///
    /// Each source is read with a load of its own, so only one source's fingerprints are held at
    /// a time; its people are then added to one dictionary of everyone.
    public static func examine(_ sources: [EventSource], loader: EventLoader,
                               unitCosts: UnitCostTable?) throws(IngestError) -> Examined {
        var examined = Examined(findings: [], persons: StringDictionary(), rejects: [], metImplausibleCost: false)
        for source in sources {
            var scan = DataQualityScan(unitCosts: unitCosts)
            let builder = try loader.scan([source], into: &scan)
            examined.metImplausibleCost = examined.metImplausibleCost || scan.metImplausibleCost
            examined.rejects += builder.rejects
            let localCodes = scan.personCodes
            let personCodes: [Int32]
            if sources.count == 1 {
                examined.persons = builder.persons
                personCodes = localCodes
            } else {
                // Every person of the source's dictionary, as one table load's dictionary holds them.
                let recoded = (0..<Int32(builder.persons.count)).map { code in
                    builder.persons.withBytes(of: code) { examined.persons.intern($0) }
                }
                personCodes = localCodes.map { recoded[Int($0)] }
            }
            let span = scan.span
            examined.findings.append(Examined.Findings(
                reconciliation: builder.sources[0], people: localCodes.count, span: span,
                rowsByServiceEvent: scan.rowsByServiceEvent(services: builder.services, events: builder.events),
                unpriced: scan.unpriced(services: builder.services, events: builder.events),
                duplicateRows: scan.duplicateRows(workers: loader.workers), rowsByDay: scan.rowsByDay, personCodes: personCodes))
        }
        return examined
    }

    /// The report of what `examined` found, with `unitCosts` (whether given), `interventions`
    /// (when given) and the observation end used (`nil`: none, so no row is past it).
    ///
    /// The same report, figure for figure, as examining a table of the same rows.
    public init(_ examined: Examined, unitCosts: Bool, interventions: InterventionTable?, observationEnd: CivilDate?) {
        let lastDay = observationEnd?.daysSinceEpoch ?? Int32.max
        let sources = examined.findings.map { findings in
            let file = findings.reconciliation.file
            var byKind: [IngestError.Kind: (Int, [IngestError])] = [:]
            for reject in examined.rejects where reject.file == file {
                var entry = byKind[reject.kind] ?? (0, [])
                entry.0 += 1
                if entry.1.count < Self.positionsPerKind { entry.1.append(reject) }
                byKind[reject.kind] = entry
            }
            return Source(
                file: file, reconciliation: findings.reconciliation, people: findings.people,
                firstDay: findings.span.map { CivilDate(daysSinceEpoch: $0.lowerBound) },
                lastDay: findings.span.map { CivilDate(daysSinceEpoch: $0.upperBound) },
                rowsByServiceEvent: findings.rowsByServiceEvent,
                unpriced: unitCosts && !examined.metImplausibleCost ? findings.unpriced : [],
                duplicateRows: findings.duplicateRows,
                rowsAfterObservationEnd: findings.rowsByDay.reduce(0) { $1.day > lastDay ? $0 + $1.rows : $0 },
                errors: byKind.map { (kind: $0.key, count: $0.value.0, first: $0.value.1) }.sorted { $0.kind.rawValue < $1.kind.rawValue })
        }
        var coverage: [SourceCoverage] = []
        var withoutIntervention = 0, withoutEvents = 0
        if let interventions {
            let treated = Set(interventions.entries.map(\.personID))
            withoutIntervention = examined.persons.values.filter { !treated.contains($0) }.count
            withoutEvents = treated.filter { examined.persons.code(of: $0) == nil }.count
            let cohort = interventions.cohort().people
            let inCohort = (0..<Int32(examined.persons.count)).map { person in
                examined.persons.withBytes(of: person) { cohort.lookup($0) >= 0 }
            }
            coverage = examined.findings.map { findings in
                let covered = findings.personCodes.count { inCohort[Int($0)] }
                return SourceCoverage(file: findings.reconciliation.file, rows: findings.reconciliation.loaded, cohortPeople: covered,
                                      cohortSize: cohort.count, peopleOutsideCohort: findings.personCodes.count - covered)
            }
        }
        self.init(sources: sources, peopleWithoutIntervention: withoutIntervention, interventionsWithoutEvents: withoutEvents,
                  coverage: coverage, hasInterventions: interventions != nil, hasUnitCosts: unitCosts, observationEnd: observationEnd)
    }
}
