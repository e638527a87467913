/// What `cof validate` finds in the inputs, without analysing them: per source, its rows,
/// people, dates, what it records, what cannot be priced, duplicates, rows past the observation
/// end and every kind of error with the first few positions; across sources, people with events
/// but no intervention and interventions with no events.
///
/// Counts only: no person ID or cell value appears in it.
public struct DataQualityReport: Sendable {
    /// How many positions are kept per error kind.
    public static let positionsPerKind = 5

    /// One source's findings.
    public struct Source: Sendable {
        /// The file.
        public var file: String
        /// read = loaded + rejected + blank.
        public var reconciliation: SourceReconciliation
        /// Distinct people among the loaded rows.
        public var people: Int
        /// First and last event day among the loaded rows.
        public var firstDay: CivilDate?
        /// Last event day.
        public var lastDay: CivilDate?
        /// Loaded rows per (service, event), byte-wise by service then event.
        public var rowsByServiceEvent: [(service: String, event: String, rows: Int)]
        /// (service, event) pairs with no explicit cost and no unit cost, with their rows.
        public var unpriced: [(service: String, event: String, rows: Int)]
        /// Rows that repeat an earlier row of the same source exactly (person, service, event,
        /// date, quantity, cost).
        public var duplicateRows: Int
        /// Rows dated after the observation end.
        public var rowsAfterObservationEnd: Int
        /// Each error kind with its count and first few rejects, by kind name.
        public var errors: [(kind: IngestError.Kind, count: Int, first: [IngestError])]
    }

    /// Per-source findings, in source order.
    public let sources: [Source]
    /// People with events but no intervention row (they take no part in comparisons).
    public let peopleWithoutIntervention: Int
    /// Intervention rows' people with no events at all.
    public let interventionsWithoutEvents: Int
    /// Whether interventions were given (so the two counts above mean something).
    public let hasInterventions: Bool
    /// Whether unit costs were given (so the unpriced lists mean something).
    public let hasUnitCosts: Bool
    /// The observation end used, when given.
    public let observationEnd: CivilDate?

    /// Whether nothing was rejected.
    public var isClean: Bool { sources.allSatisfy { $0.reconciliation.rejected == 0 } }

    /// Examines `events` (loaded under a reject policy so every error is seen).
    public init(events: EventTable, unitCosts: UnitCostTable?, interventions: InterventionTable?, observationEnd: CivilDate?) {
        let costs = unitCosts.flatMap { try? CostResolver(unitCosts: $0).resolve(events) }
        let lastDay = observationEnd?.daysSinceEpoch ?? Int32.max
        var sources: [Source] = []
        for (index, reconciliation) in events.sources.enumerated() {
            let rows = events.rows(ofSource: index)
            var people = Set<Int32>()
            var first = Int32.max, last = Int32.min
            var pairs: [Int64: Int] = [:], unpricedPairs: [Int64: Int] = [:]
            var seen = Set<EventKey>()
            var duplicates = 0, late = 0
            for i in rows {
                people.insert(events.person[i])
                first = min(first, events.day[i])
                last = max(last, events.day[i])
                let pair = Int64(events.service[i]) << 32 | Int64(events.event[i])
                pairs[pair, default: 0] += 1
                if let costs, !costs.priced[i] { unpricedPairs[pair, default: 0] += 1 }
                if events.day[i] > lastDay { late += 1 }
                let key = EventKey(person: events.person[i], service: events.service[i], event: events.event[i], day: events.day[i],
                                   quantity: events.quantity[i], cost: events.explicitCostValidity[i] ? events.explicitCost[i] : nil)
                if !seen.insert(key).inserted { duplicates += 1 }
            }
            func named(_ counts: [Int64: Int]) -> [(service: String, event: String, rows: Int)] {
                counts.map { (events.services[Int32($0.key >> 32)], events.events[Int32(truncatingIfNeeded: $0.key)], $0.value) }
                    .sorted { a, b in
                        a.0 != b.0 ? Array(a.0.utf8).lexicographicallyPrecedes(Array(b.0.utf8)) : Array(a.1.utf8).lexicographicallyPrecedes(Array(b.1.utf8))
                    }
                    .map { (service: $0.0, event: $0.1, rows: $0.2) }
            }
            var byKind: [IngestError.Kind: (Int, [IngestError])] = [:]
            for reject in events.rejects where reject.file == reconciliation.file {
                var entry = byKind[reject.kind] ?? (0, [])
                entry.0 += 1
                if entry.1.count < Self.positionsPerKind { entry.1.append(reject) }
                byKind[reject.kind] = entry
            }
            sources.append(Source(
                file: reconciliation.file, reconciliation: reconciliation, people: people.count,
                firstDay: first <= last ? CivilDate(daysSinceEpoch: first) : nil,
                lastDay: first <= last ? CivilDate(daysSinceEpoch: last) : nil,
                rowsByServiceEvent: named(pairs), unpriced: named(unpricedPairs), duplicateRows: duplicates,
                rowsAfterObservationEnd: late,
                errors: byKind.map { (kind: $0.key, count: $0.value.0, first: $0.value.1) }.sorted { $0.kind.rawValue < $1.kind.rawValue }))
        }
        self.sources = sources
        let treated = Set(interventions?.entries.map(\.personID) ?? [])
        self.peopleWithoutIntervention = interventions == nil ? 0 : events.persons.values.filter { !treated.contains($0) }.count
        self.interventionsWithoutEvents = treated.filter { events.persons.code(of: $0) == nil }.count
        self.hasInterventions = interventions != nil
        self.hasUnitCosts = unitCosts != nil
        self.observationEnd = observationEnd
    }

    /// One event's identity for finding exact duplicates.
    private struct EventKey: Hashable {
        var person: Int32, service: Int32, event: Int32, day: Int32, quantity: Int32
        var cost: Pence?
    }
}
