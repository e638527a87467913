extension ConsumptionReport {
    /// The report's figures as a ``CohortFold`` (of every member, or of one): by service, each
    /// member's windows (``PricedCells``' rule per (person, service) cell, and the people with a
    /// cell left out) and their lifetime use up to the observation end, with the unpriced pairs
    /// and the first and last event day.
    ///
    /// Its sums are not checked one by one, except as ``PricedCells`` checks them: each is a sum
    /// of some of the cohort's costs or quantities, which the study and the streaming pass check
    /// fit together; the kernel's own flag stays as a second check (``overflow``).
    public struct Fold: CohortFold {
        private let serviceCount: Int
        private let isIntervention: [Bool]
        private let observationEnd: Int32
        /// The one member folded (`nil`: every member; -1: no one).
        private let only: Int32?

        /// Each service's figures in the windows, summed over people.
        private(set) var windowed: [(before: PeriodFigures, after: PeriodFigures)]
        /// Each service's cells under ``PricedCells``' rule.
        private(set) var priced: [PricedCells]
        /// Each service's people with a cell left out.
        private(set) var leftOutPeoplePerService: [Int]
        /// People with a failure-demand cell left out.
        private(set) var leftOutPeople = 0
        /// Each service's events up to the observation end, any date.
        private(set) var lifetime: [PeriodFigures]
        /// Unpriced events up to the observation end.
        private(set) var unpriced = UnpricedTally()
        /// The first and last event day up to the observation end (`Int32.max`, `Int32.min`: none).
        private(set) var firstDay = Int32.max, lastDay = Int32.min
        /// Members with an event (any date).
        private(set) var membersWithEvents = 0
        /// The first sum that went past what the engine holds, in member order.
        private(set) var overflow: CostResolver.Overflow?
        private var cells: MemberCells

        /// The fold for events coded by `services` and `events` (categorised by `catalog`), up
        /// to `observationEnd` (a day number), of every member or only of the member coded `only`.
        public init(services: StringDictionary, events: StringDictionary, catalog: ServiceCatalog, observationEnd: Int32, only: Int32?) {
            serviceCount = services.count
            isIntervention = services.values.map(catalog.isIntervention)
            self.observationEnd = observationEnd
            self.only = only
            windowed = Array(repeating: (PeriodFigures(), PeriodFigures()), count: services.count)
            priced = Array(repeating: PricedCells(), count: services.count)
            leftOutPeoplePerService = Array(repeating: 0, count: services.count)
            lifetime = Array(repeating: PeriodFigures(), count: services.count)
            cells = MemberCells(services: services.count)
        }

        public func empty() -> Fold {
            var fold = self
            fold.windowed = Array(repeating: (PeriodFigures(), PeriodFigures()), count: serviceCount)
            fold.priced = Array(repeating: PricedCells(), count: serviceCount)
            fold.leftOutPeoplePerService = Array(repeating: 0, count: serviceCount)
            fold.lifetime = Array(repeating: PeriodFigures(), count: serviceCount)
            (fold.leftOutPeople, fold.unpriced, fold.firstDay, fold.lastDay) = (0, UnpricedTally(), Int32.max, Int32.min)
            (fold.membersWithEvents, fold.overflow) = (0, nil)
            return fold
        }

        public mutating func add(_ member: MemberEvents) {
            if let only, member.person != only { return }
            guard !member.events.isEmpty, overflow == nil else { return }
            membersWithEvents += 1
            cells.take(member)
            if cells.overflowed {
                overflow = CostResolver.Overflow(figure: "a service's cost in a window")
                return
            }
            var leftOut = false
            do throws(CostResolver.Overflow) {
                for s in 0..<serviceCount {
                    let (before, after) = cells.figures(service: s)
                    guard before.events + after.events > 0 else { continue }
                    windowed[s] = (windowed[s].before + before, windowed[s].after + after)
                    if !(try priced[s].add(before: before, after: after, figure: "a service's cost in a window")) {
                        leftOutPeoplePerService[s] += 1
                        if !isIntervention[s] { leftOut = true }
                    }
                }
            } catch {
                overflow = error
                return
            }
            if leftOut { leftOutPeople += 1 }
            for event in member.events where event.day <= observationEnd {
                let s = Int(event.service)
                lifetime[s].events += 1
                lifetime[s].quantity += Int64(event.quantity)
                if event.priced {
                    lifetime[s].cost += event.cost
                } else {
                    lifetime[s].unpriced += 1
                    unpriced.note(service: event.service, event: event.event)
                }
                firstDay = min(firstDay, event.day)
                lastDay = max(lastDay, event.day)
            }
        }

        public mutating func merge(_ other: Fold) {
            guard overflow == nil else { return }
            if let theirs = other.overflow {
                overflow = theirs
                return
            }
            do throws(CostResolver.Overflow) {
                for s in 0..<serviceCount {
                    windowed[s] = (windowed[s].before + other.windowed[s].before, windowed[s].after + other.windowed[s].after)
                    try priced[s].merge(other.priced[s], figure: "a service's cost in a window")
                    leftOutPeoplePerService[s] += other.leftOutPeoplePerService[s]
                    lifetime[s] = lifetime[s] + other.lifetime[s]
                }
            } catch {
                overflow = error
                return
            }
            leftOutPeople += other.leftOutPeople
            unpriced.merge(other.unpriced)
            (firstDay, lastDay) = (min(firstDay, other.firstDay), max(lastDay, other.lastDay))
            membersWithEvents += other.membersWithEvents
        }
    }
}
