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
    /// Each source's coverage of the cohort (the interventions' people), in source order; empty
    /// without interventions.
    public let coverage: [SourceCoverage]
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
            var late = 0
            for i in rows {
                people.insert(events.person[i])
                first = min(first, events.day[i])
                last = max(last, events.day[i])
                let pair = Int64(events.service[i]) << 32 | Int64(events.event[i])
                pairs[pair, default: 0] += 1
                if let costs, !costs.priced[i] { unpricedPairs[pair, default: 0] += 1 }
                if events.day[i] > lastDay { late += 1 }
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
                rowsByServiceEvent: named(pairs), unpriced: named(unpricedPairs), duplicateRows: Self.duplicates(in: events, rows: rows),
                rowsAfterObservationEnd: late,
                errors: byKind.map { (kind: $0.key, count: $0.value.0, first: $0.value.1) }.sorted { $0.kind.rawValue < $1.kind.rawValue }))
        }
        self.sources = sources
        let treated = Set(interventions?.entries.map(\.personID) ?? [])
        self.peopleWithoutIntervention = interventions == nil ? 0 : events.persons.values.filter { !treated.contains($0) }.count
        self.interventionsWithoutEvents = treated.filter { events.persons.code(of: $0) == nil }.count
        self.coverage = interventions.map { SourceCoverage.measure(events: events, cohort: $0.cohort().people) } ?? []
        self.hasInterventions = interventions != nil
        self.hasUnitCosts = unitCosts != nil
        self.observationEnd = observationEnd
    }

    /// Rows in `rows` that repeat an earlier row exactly (person, service, event, date, quantity,
    /// explicit cost).
    ///
    /// Sorts (hash, row) pairs — 16 bytes a row — and compares the rows of equal hash field by
    /// field, so the count is exact; a set of whole row keys took 1.3 GB for 10M rows.
    static func duplicates(in events: EventTable, rows: Range<Int>) -> Int {
        func same(_ a: Int, _ b: Int) -> Bool {
            events.person[a] == events.person[b] && events.service[a] == events.service[b] && events.event[a] == events.event[b]
                && events.day[a] == events.day[b] && events.quantity[a] == events.quantity[b]
                && events.explicitCostValidity[a] == events.explicitCostValidity[b]
                && (!events.explicitCostValidity[a] || events.explicitCost[a] == events.explicitCost[b])
        }
        var keyed: [(hash: UInt64, row: Int32)] = []
        keyed.reserveCapacity(rows.count)
        for i in rows {
            var h = UInt64(UInt32(bitPattern: events.person[i])) &* 0x9E37_79B9_7F4A_7C15
            h = (h ^ UInt64(UInt32(bitPattern: events.service[i])) << 32 ^ UInt64(UInt32(bitPattern: events.event[i]))) &* 0xBF58_476D_1CE4_E5B9
            h = (h ^ UInt64(UInt32(bitPattern: events.day[i])) << 32 ^ UInt64(UInt32(bitPattern: events.quantity[i]))) &* 0x94D0_49BB_1331_11EB
            if events.explicitCostValidity[i] { h = (h ^ UInt64(bitPattern: events.explicitCost[i])) &* 0x9E37_79B9_7F4A_7C15 }
            keyed.append((h ^ (h >> 31), Int32(i)))
        }
        keyed.sort { $0.hash != $1.hash ? $0.hash < $1.hash : $0.row < $1.row }
        var duplicates = 0
        var start = 0
        while start < keyed.count {
            var end = start + 1
            while end < keyed.count, keyed[end].hash == keyed[start].hash { end += 1 }
            // Within a run of equal hashes, a row is a duplicate if an earlier row equals it.
            for k in (start + 1)..<max(start + 1, end) where (start..<k).contains(where: { same(Int(keyed[$0].row), Int(keyed[k].row)) }) {
                duplicates += 1
            }
            start = end
        }
        return duplicates
    }
}
