extension QuarterlyTimeline {
    /// The timeline as a ``CohortFold``: each member's events up to the observation end, by
    /// calendar quarter and category, and the people behind each count.
    public struct Fold: CohortFold {
        /// The categories, by index (the services file's, `Uncategorised` for others).
        let names: [String]
        /// Each service code's category index.
        private let categoryOfService: [Int]
        private let observationEnd: Int32
        /// The one member folded (`nil`: every member; -1: no one).
        private let only: Int32?
        /// Events by quarter ordinal, then category index.
        private(set) var counts: [Int: [Int64]] = [:]
        /// People by quarter ordinal, then category index, then (last) behind the quarter's total.
        private(set) var people: [Int: [Int]] = [:]
        /// One member's (quarter, category) cells and quarters met (reused).
        private var memberCells: Set<Int> = [], memberQuarters: Set<Int> = []

        /// The fold for events whose services `services` codes, categorised by `catalog`, up
        /// to `observationEnd` (a day number), of every member or only of the member coded `only`.
        public init(catalog: ServiceCatalog, services: StringDictionary, observationEnd: Int32, only: Int32? = nil) {
            self.only = only
            var names: [String] = []
            var nameIndex: [String: Int] = [:]
            categoryOfService = services.values.map { service -> Int in
                let name = catalog.category(of: service) ?? ConsumptionReport.uncategorised
                if let index = nameIndex[name] { return index }
                names.append(name)
                nameIndex[name] = names.count - 1
                return names.count - 1
            }
            self.names = names
            self.observationEnd = observationEnd
        }

        public func empty() -> Fold {
            var fold = self
            (fold.counts, fold.people) = ([:], [:])
            return fold
        }

        public mutating func add(_ member: MemberEvents) {
            if let only, member.person != only { return }
            guard !member.events.isEmpty else { return }
            memberCells.removeAll(keepingCapacity: true)
            memberQuarters.removeAll(keepingCapacity: true)
            let width = names.count
            for event in member.events where event.day <= observationEnd {
                let ordinal = Quarter(containing: CivilDate(daysSinceEpoch: event.day)).ordinal
                let category = categoryOfService[Int(event.service)]
                counts[ordinal, default: [Int64](repeating: 0, count: width)][category] += 1
                memberCells.insert(ordinal * (width + 1) + category)
                memberQuarters.insert(ordinal)
            }
            for cell in memberCells {
                let (ordinal, category) = cell.quotientAndRemainder(dividingBy: width + 1)
                people[ordinal, default: [Int](repeating: 0, count: width + 1)][category] += 1
            }
            for ordinal in memberQuarters { people[ordinal]![width] += 1 }
        }

        public mutating func merge(_ other: Fold) {
            for (ordinal, row) in other.counts {
                counts[ordinal] = zip(counts[ordinal] ?? Array(repeating: 0, count: row.count), row).map { $0 + $1 }
            }
            for (ordinal, row) in other.people {
                people[ordinal] = zip(people[ordinal] ?? Array(repeating: 0, count: row.count), row).map { $0 + $1 }
            }
        }
    }
}
