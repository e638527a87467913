extension Trajectory {
    /// The trajectory as a ``CohortFold``: each member's months around their index date, the
    /// person-months at risk of those wholly observed (from `earliestDay`, the extract's first
    /// event day, to `dataEnd`), and their events, cost and the people behind each month.
    ///
    /// Its sums are not checked one by one: each is a sum of some of the cohort's costs, which
    /// the study and the streaming pass check fit together; counts are at most the events.
    public struct Fold: CohortFold {
        /// The months, relative to each index date.
        let months: ClosedRange<Int>
        private let earliestDay: Int32, dataEnd: Int32
        private let isIntervention: [Bool]
        /// The one member folded (`nil`: every member; -1: no one).
        private let only: Int32?
        /// The months' figures (``Point/largestCost`` apart, in ``largest``).
        private(set) var points: [Point]
        /// The largest one person's counted cost in each month (`nil`: no one's).
        private(set) var largest: [Pence?]
        /// Members by index date (day number): where the months fall in the calendar.
        private(set) var indexDays: [Int32: Int] = [:]
        /// One member's cells (reused).
        private var cells: MemberCells
        /// One member's figures by month (reused).
        private var memberMonths: [MemberMonth]
        /// One member's figures in one month.
        private struct MemberMonth {
            /// Their counted cost (meaningful when ``hasCost``).
            var cost: Pence = 0
            /// Whether they have a counted cost, an event, a left-out event in the month.
            var hasCost = false, hasEvent = false, hasLeftOut = false
        }
        /// The month starts around each index date met (see ``monthStarts(index:)``).
        private var monthStartsOfIndex: [Int32: [Int32]] = [:]

        /// The fold over `months` of data from `earliestDay` to `dataEnd`, the events' services
        /// coded by `services`, of every member or only of the member coded `only`.
        public init(months: ClosedRange<Int>, earliestDay: Int32, dataEnd: Int32, catalog: ServiceCatalog, services: StringDictionary,
                    only: Int32?) {
            self.months = months
            self.earliestDay = earliestDay
            self.dataEnd = dataEnd
            isIntervention = services.values.map(catalog.isIntervention)
            self.only = only
            points = months.map { Point(month: $0, people: 0, events: 0, cost: 0, unpriced: 0) }
            largest = Array(repeating: nil, count: months.count)
            cells = MemberCells(services: services.count)
            memberMonths = Array(repeating: MemberMonth(), count: months.count)
        }

        public func empty() -> Fold {
            var fold = self
            fold.points = months.map { Point(month: $0, people: 0, events: 0, cost: 0, unpriced: 0) }
            fold.largest = Array(repeating: nil, count: months.count)
            fold.indexDays = [:]
            return fold
        }

        public mutating func add(_ member: MemberEvents) {
            if let only, member.person != only { return }
            let index = member.bounds.index
            indexDays[index.daysSinceEpoch, default: 0] += 1
            let starts = monthStarts(index: index)
            let hasEvents = !member.events.isEmpty
            if hasEvents { cells.take(member) }
            // The months taken out of `self` while they are borrowed, and put back after.
            var (points, memberMonths): ([Point], [MemberMonth]) = ([], [])
            swap(&points, &self.points)
            swap(&memberMonths, &self.memberMonths)
            defer {
                swap(&points, &self.points)
                swap(&memberMonths, &self.memberMonths)
            }
            // Sound: neither array is resized or otherwise touched while borrowed, and every index
            // is a month of `months`: `k` ranges over them, `low` is checked against `starts`
            // first. Borrowed, a write checks no uniqueness (it did for every month of every member).
            points.withUnsafeMutableBufferPointer { points in
                memberMonths.withUnsafeMutableBufferPointer { memberMonths in
                    addMember(member, starts: starts, hasEvents: hasEvents, points: points, memberMonths: memberMonths)
                }
            }
        }

        /// ``add(_:)``'s work on the borrowed months.
        @inline(__always)
        private mutating func addMember(_ member: MemberEvents, starts: [Int32], hasEvents: Bool, points: UnsafeMutableBufferPointer<Point>,
                                        memberMonths: UnsafeMutableBufferPointer<MemberMonth>) {
            let (earliestDay, dataEnd) = (earliestDay, dataEnd)
            /// Whether month `k` lies wholly inside the data.
            func observed(_ k: Int) -> Bool { starts[k] >= earliestDay && starts[k + 1] - 1 <= dataEnd }
            // Every member counts in the months they were observed, events or none. Most members
            // lose no day in any month: one look at the whole span settles that for them.
            let removedInSpan = member.daysRemoved(from: starts[0], to: starts[months.count])
            for k in 0..<months.count where observed(k) {
                if removedInSpan == 0 {
                    points[k].people += 1
                    points[k].personMonthUnits += Trajectory.monthUnit
                    continue
                }
                let days = Int64(starts[k + 1] - starts[k])
                let atRisk = days - Int64(member.daysRemoved(from: starts[k], to: starts[k + 1]))
                guard atRisk > 0 else { continue }
                points[k].people += 1
                // Exact: a month's length (28 to 31 days) divides the unit.
                points[k].personMonthUnits += atRisk * Trajectory.monthUnit / days
            }
            guard hasEvents else { return }
            // The member's figures are gathered month by month, then added to the months' below.
            memberMonths.update(repeating: MemberMonth())
            for event in member.events where !isIntervention[Int(event.service)] {
                let day = event.day
                guard day >= starts[0], day < starts[starts.count - 1] else { continue }
                // The month holding `day`, the last start not after it: a guess from the mean
                // month (4,800 months in 146,097 days), then a step or two either way.
                var low = min(Int(day - starts[0]) * 4_800 / 146_097, starts.count - 2)
                while low > 0, starts[low] > day { low -= 1 }
                while starts[low + 1] <= day { low += 1 }
                guard observed(low) else { continue }
                points[low].events += 1
                if !event.priced { points[low].unpriced += 1 }
                let isLeftOut = !cells.counts(service: event.service)
                if event.priced && !isLeftOut {
                    points[low].cost += event.cost
                    memberMonths[low].cost += event.cost
                    memberMonths[low].hasCost = true
                }
                if isLeftOut {
                    points[low].leftOutEvents += 1
                    memberMonths[low].hasLeftOut = true
                }
                memberMonths[low].hasEvent = true
            }
            for k in memberMonths.indices {
                let month = memberMonths[k]
                if month.hasEvent { points[k].peopleWithEvents += 1 }
                if month.hasLeftOut { points[k].leftOutPeople += 1 }
                if month.hasCost {
                    points[k].peopleWithCost += 1
                    largest[k] = max(largest[k] ?? month.cost, month.cost)
                }
            }
        }

        /// The first day of each month around `index` and the day after the last (clamped as
        /// ``CivilDate/addingMonths(_:)`` clamps), worked out once for each index date: members
        /// share a few hundred index dates.
        private mutating func monthStarts(index: CivilDate) -> [Int32] {
            if let known = monthStartsOfIndex[index.daysSinceEpoch] { return known }
            let (year, month, day) = index.components
            let starts = (0...months.count).map { CivilDate.days(year: year, month: month, day: day, addingMonths: months.lowerBound + $0) }
            monthStartsOfIndex[index.daysSinceEpoch] = starts
            return starts
        }

        public mutating func merge(_ other: Fold) {
            indexDays.merge(other.indexDays, uniquingKeysWith: +)
            for k in points.indices {
                let theirs = other.points[k]
                points[k].people += theirs.people
                points[k].personMonthUnits += theirs.personMonthUnits
                points[k].events += theirs.events
                points[k].cost += theirs.cost
                points[k].unpriced += theirs.unpriced
                points[k].peopleWithEvents += theirs.peopleWithEvents
                points[k].peopleWithCost += theirs.peopleWithCost
                points[k].leftOutEvents += theirs.leftOutEvents
                points[k].leftOutPeople += theirs.leftOutPeople
                largest[k] = [largest[k], other.largest[k]].compactMap { $0 }.max()
            }
        }
    }
}
