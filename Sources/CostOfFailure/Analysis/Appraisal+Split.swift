extension Appraisal {
    /// The windows' costs by cashability, and the intervention's own services' after-window
    /// cost, as a ``CohortFold`` (of every member, or of one).
    ///
    /// A priced event in a window counts for its (service, event)'s unit cost's cashability
    /// (exact, else the service's `*`; unstated when no unit cost says), unless its (person,
    /// service) cell is left out of the money by ``PricedCells``' rule; the intervention's own
    /// services count only as its cost. Sums are not checked one by one: each is a sum of some
    /// of the cohort's costs, which the study and the streaming pass check fit together.
    public struct Split: CohortFold {
        /// Cost in the before and after windows: cashable, not cashable, unstated.
        public private(set) var before: [Pence] = [0, 0, 0], after: [Pence] = [0, 0, 0]
        /// The intervention's own services' cost in the after windows.
        public private(set) var serviceCost: Pence = 0

        /// The unit cost of each pair, by name.
        private let unitCosts: UnitCostLookup
        private let serviceNames: [String], eventNames: [String]
        private let isIntervention: [Bool]
        /// The one member folded (`nil`: every member; -1: no one).
        private let only: Int32?
        /// Cashability (0, 1, 2) of each (service, event) pair met, by `service << 32 | event`.
        private var kindOfPair: [Int: Int] = [:]
        /// One member's cells, for the rule (reused).
        private var cells: MemberCells

        /// The split for events coded by `services` and `events`, priced by `unitCosts`, of
        /// every member or only of the member coded `only`.
        public init(catalog: ServiceCatalog, unitCosts: UnitCostTable, services: StringDictionary, events: StringDictionary, only: Int32?) {
            self.unitCosts = UnitCostLookup(unitCosts)
            serviceNames = services.values
            eventNames = events.values
            isIntervention = services.values.map(catalog.isIntervention)
            self.only = only
            cells = MemberCells(services: services.count)
        }

        public func empty() -> Split {
            var split = self
            (split.before, split.after, split.serviceCost) = ([0, 0, 0], [0, 0, 0], 0)
            return split
        }

        public mutating func add(_ member: MemberEvents) {
            if let only, member.person != only { return }
            guard !member.events.isEmpty else { return }
            cells.take(member)
            for event in member.events where event.priced {
                let period = member.period(of: event.day)
                guard period != .outside else { continue }
                let service = Int(event.service)
                if isIntervention[service] {
                    if period == .after { serviceCost += event.cost }
                    continue
                }
                // PricedCells' rule: a cell with an unpriced event in either window is left out.
                guard cells.counts(service: event.service) else { continue }
                let kind = self.kind(service: event.service, event: event.event)
                if period == .before { before[kind] += event.cost } else { after[kind] += event.cost }
            }
        }

        /// 0 cashable, 1 not cashable, 2 unstated, by the pair's unit cost.
        private mutating func kind(service: Int32, event: Int32) -> Int {
            let pair = Int(service) << 32 | Int(event)
            if let known = kindOfPair[pair] { return known }
            let name = serviceNames[Int(service)]
            let flag = unitCosts.entry(service: name, event: eventNames[Int(event)])?.cashable
            let kind = flag == true ? 0 : flag == false ? 1 : 2
            kindOfPair[pair] = kind
            return kind
        }

        public mutating func merge(_ other: Split) {
            for kind in 0..<3 {
                before[kind] += other.before[kind]
                after[kind] += other.after[kind]
            }
            serviceCost += other.serviceCost
        }
    }
}
