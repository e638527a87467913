extension DataQualityReport {
    /// What one streaming read of the event sources found (see
    /// ``examine(_:loader:unitCosts:interventions:)``): each source's findings, without the event
    /// table.
    public struct Examined: Sendable {
        /// One source's findings, as the load and its ``DataQualityScan`` left them.
        struct Findings: Sendable {
            var reconciliation: SourceReconciliation
            /// Its coverage of the cohort: its people in and outside the cohort.
            var coverage: SourceCoverage
            var span: ClosedRange<Int32>?
            var rowsByServiceEvent: [(service: String, event: String, rows: Int)]
            var unpriced: [(service: String, event: String, rows: Int)]
            var duplicateRows: Int
            /// Loaded rows by day, the days with any in order (for the rows past an end decided
            /// after the read).
            var rowsByDay: [(day: Int32, rows: Int)]
        }

        var findings: [Findings]
        /// Every source's rejected rows, in source then file order.
        var rejects: [IngestError]
        /// Whether some row's cost was implausible (then, as on the table path, nothing was
        /// priced and no pair is reported unpriced).
        var metImplausibleCost: Bool
        /// People outside the cohort with a row in any source, and cohort members with none.
        var peopleOutsideCohort: Int
        var cohortWithoutEvents: Int

        /// Each source's latest loaded event day (`nil`: none), in source order, for
        /// ``ObservationEnd/covered(latestEventDays:extractDates:)``.
        public var latestEventDays: [Int32?] { findings.map { $0.span?.upperBound } }
    }

    /// Reads `sources` once each, in order, with `loader` (under a reject policy every error is
    /// seen), following the cohort of `interventions` (when given) and tallying each source with
    /// a ``DataQualityScan`` priced by `unitCosts`; the rows are never held. Errors are the table
    /// load's, at the same rows.
    ///
    /// Each source is read with a load of its own, so only one source's fingerprints are held at
    /// a time. With several sources, the IDs' hashes of the people outside the cohort are kept to
    /// join them (16 bytes a person). A source's row fingerprints past 256 MB go to an encrypted,
    /// unlinked temporary file in `$TMPDIR` (else `/tmp`; see ``FingerprintSpill``); a failure
    /// to write or read it back is an ``IngestError/Kind/unreadable`` error naming that directory.
    public static func examine(_ sources: [EventSource], loader: EventLoader, unitCosts: UnitCostTable?,
                               interventions: InterventionTable?) throws(IngestError) -> Examined {
        try examine(sources, loader: loader, unitCosts: unitCosts, interventions: interventions) { FingerprintSpill() }
    }

    /// ``examine(_:loader:unitCosts:interventions:)`` with each source's fingerprints going to the
    /// spill `makeSpill` makes (tests give a small budget, another directory or a failing disk).
    static func examine(_ sources: [EventSource], loader: EventLoader, unitCosts: UnitCostTable?, interventions: InterventionTable?,
                        makeSpill: () -> FingerprintSpill) throws(IngestError) -> Examined {
        let cohort = interventions?.cohort().people ?? StringDictionary()
        let followed = FollowedPeople(cohort)
        var examined = Examined(findings: [], rejects: [], metImplausibleCost: false, peopleOutsideCohort: 0, cohortWithoutEvents: 0)
        var cohortSeen = [UInt64](repeating: 0, count: (cohort.count + 63) / 64)
        var outside = Set<UInt64>()
        for source in sources {
            var scan = DataQualityScan(unitCosts: unitCosts, cohortSize: cohort.count, collectsOutsidePeople: sources.count > 1,
                                       spill: makeSpill())
            let builder = try loader.scan([source], following: followed, into: &scan)
            examined.metImplausibleCost = examined.metImplausibleCost || scan.metImplausibleCost
            examined.rejects += builder.rejects
            for (i, word) in scan.cohortMembersSeen.enumerated() { cohortSeen[i] |= word }
            outside.formUnion(scan.outsidePeople)
            // The load tallied each source's people, in the cohort and outside it.
            let coverage = builder.streamedCoverage?.first
                ?? SourceCoverage(file: builder.sources[0].file, rows: 0, cohortPeople: 0, cohortSize: cohort.count, peopleOutsideCohort: 0)
            if sources.count == 1 { examined.peopleOutsideCohort = coverage.peopleOutsideCohort }
            examined.findings.append(Examined.Findings(
                reconciliation: builder.sources[0], coverage: coverage, span: scan.span,
                rowsByServiceEvent: scan.rowsByServiceEvent(services: builder.services, events: builder.events),
                unpriced: scan.unpriced(services: builder.services, events: builder.events),
                duplicateRows: try scan.duplicateRows(workers: loader.workers), rowsByDay: scan.rowsByDay))
        }
        if sources.count > 1 { examined.peopleOutsideCohort = outside.count }
        examined.cohortWithoutEvents = cohort.count - cohortSeen.reduce(0) { $0 + $1.nonzeroBitCount }
        return examined
    }

    /// The report of what `examined` found, with `unitCosts` (whether given), `interventions`
    /// (when given: those it was examined with) and the observation end used (`nil`: none, so no
    /// row is past it).
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
                file: file, reconciliation: findings.reconciliation,
                people: findings.coverage.cohortPeople + findings.coverage.peopleOutsideCohort,
                firstDay: findings.span.map { CivilDate(daysSinceEpoch: $0.lowerBound) },
                lastDay: findings.span.map { CivilDate(daysSinceEpoch: $0.upperBound) },
                rowsByServiceEvent: findings.rowsByServiceEvent,
                unpriced: unitCosts && !examined.metImplausibleCost ? findings.unpriced : [],
                duplicateRows: findings.duplicateRows,
                rowsAfterObservationEnd: findings.rowsByDay.reduce(0) { $1.day > lastDay ? $0 + $1.rows : $0 },
                errors: byKind.map { (kind: $0.key, count: $0.value.0, first: $0.value.1) }.sorted { $0.kind.rawValue < $1.kind.rawValue })
        }
        // People are told apart by cohort code, or by their ID's hash outside the cohort (see
        // DataQualityScan); the interventions must be the ones the sources were examined with.
        let coverage = interventions == nil ? [] : examined.findings.map(\.coverage)
        let withoutIntervention = interventions == nil ? 0 : examined.peopleOutsideCohort
        let withoutEvents = interventions == nil ? 0 : examined.cohortWithoutEvents
        self.init(sources: sources, peopleWithoutIntervention: withoutIntervention, interventionsWithoutEvents: withoutEvents,
                  coverage: coverage, hasInterventions: interventions != nil, hasUnitCosts: unitCosts, observationEnd: observationEnd)
    }
}
