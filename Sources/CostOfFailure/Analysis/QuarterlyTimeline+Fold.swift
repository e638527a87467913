extension QuarterlyTimeline {
    /// The timeline as a ``CohortFold``: each member's events up to the observation end, by
    /// calendar quarter and category, and the people behind each count.
    ///
    /// The figures are held in a grid of quarters by category (a row per quarter from
    /// ``gridStart``, grown as events fall outside it), not in tables keyed by quarter: an event
    /// costs two array adds and, for its member's first event in a cell, two more, with no
    /// hashing. A member is counted once in a cell by stamping the cell with the member's visit
    /// number (``countedIn``), so nothing is cleared between members.
    public struct Fold: CohortFold {
        /// The categories, by index (the services file's, `Uncategorised` for others).
        let names: [String]
        /// Each service code's category index.
        private let categoryOfService: [Int]
        private let observationEnd: Int32
        /// The one member folded (`nil`: every member; -1: no one).
        private let only: Int32?
        /// The quarter ordinal of the grids' first row, and their rows.
        private var gridStart = 0, gridRows = 0
        /// Events by row, then category index (`names.count` a row).
        private var counts: [Int64] = []
        /// People by row, then category index, then (last) behind the quarter's total
        /// (`names.count + 1` a row).
        private var people: [Int] = []
        /// The visit number of the last member counted in each cell of ``people``.
        private var countedIn: [Int] = []
        /// Members added so far (each add's stamp).
        private var visits = 0
        /// The members' windows, while they are all the same (what ties the quarters to them).
        private(set) var windows = CommonWindows()
        /// The first day of each quarter from 1900 Q1 to 2199 Q4, and of 2200 Q1: most events'
        /// quarters are found here without calendar arithmetic.
        private let quarterStarts: [Int32] = (Self.firstTabledYear * 4...(Self.lastTabledYear + 1) * 4).map { Quarter(ordinal: $0).firstDay }
        private static let firstTabledYear = 1900, lastTabledYear = 2199

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
            (fold.gridStart, fold.gridRows, fold.visits) = (0, 0, 0)
            (fold.counts, fold.people, fold.countedIn) = ([], [], [])
            fold.windows = CommonWindows()
            return fold
        }

        public mutating func add(_ member: MemberEvents) {
            if let only, member.person != only { return }
            windows.note(member.bounds)
            guard !member.events.isEmpty else { return }
            visits += 1
            let events = member.events
            var next = 0
            while next < events.count {
                // The grids taken out of `self` while they are borrowed, and put back after.
                var (counts, people, countedIn): ([Int64], [Int], [Int]) = ([], [], [])
                swap(&counts, &self.counts)
                swap(&people, &self.people)
                swap(&countedIn, &self.countedIn)
                // Sound: the grids are not resized while borrowed (growing waits for the walk to
                // stop), and every index is of a row inside them: `addEvents` checks each row
                // against `gridRows`; categories are below `names.count`.
                next = counts.withUnsafeMutableBufferPointer { counts in
                    people.withUnsafeMutableBufferPointer { people in
                        countedIn.withUnsafeMutableBufferPointer { countedIn in
                            addEvents(of: events, from: next, counts: counts, people: people, countedIn: countedIn)
                        }
                    }
                }
                swap(&counts, &self.counts)
                swap(&people, &self.people)
                swap(&countedIn, &self.countedIn)
                // An event outside the grids stopped the walk: grown to hold it, the walk goes on from it.
                if next < events.count { grow(toHold: quarterOrdinal(events[next].day)) }
            }
        }

        /// Adds the events of `events` from `start` on to the borrowed grids, up to the first
        /// whose quarter lies outside them; returns where it stopped (`events.count`: at the end).
        /// Borrowed, a write checks no uniqueness (it did for each of an event's three).
        @inline(__always)
        private func addEvents(of events: MemberEvents.Events, from start: Int, counts: UnsafeMutableBufferPointer<Int64>,
                               people: UnsafeMutableBufferPointer<Int>, countedIn: UnsafeMutableBufferPointer<Int>) -> Int {
            let width = names.count, stride = width + 1, visit = visits
            /// Counts the member among the people of `cell`, unless already counted.
            func countMember(in cell: Int) {
                guard countedIn[cell] != visit else { return }
                countedIn[cell] = visit
                people[cell] += 1
            }
            for index in start..<events.count {
                let event = events[index]
                guard event.day <= observationEnd else { continue }
                let row = quarterOrdinal(event.day) - gridStart
                guard row >= 0, row < gridRows else { return index }
                let category = categoryOfService[Int(event.service)]
                counts[row * width + category] += 1
                countMember(in: row * stride + category)
                countMember(in: row * stride + width)
            }
            return events.count
        }

        public mutating func merge(_ other: Fold) {
            windows.merge(other.windows)
            let width = names.count, stride = width + 1
            for theirs in 0..<other.gridRows where other.people[theirs * stride + width] > 0 {
                let row = row(of: other.gridStart + theirs)
                for category in 0..<width { counts[row * width + category] += other.counts[theirs * width + category] }
                for cell in 0..<stride { people[row * stride + cell] += other.people[theirs * stride + cell] }
            }
        }

        /// The ordinal (``Quarter/ordinal``) of the quarter holding `day`.
        @inline(__always)
        private func quarterOrdinal(_ day: Int32) -> Int {
            let starts = quarterStarts
            guard day >= starts[0], day < starts[starts.count - 1] else {
                return Quarter(containing: CivilDate(daysSinceEpoch: day)).ordinal
            }
            // A guess from the mean quarter (146,097 days in 1,600 quarters), at most one off either way.
            var quarter = min(Int(day - starts[0]) * 1_600 / 146_097, starts.count - 2)
            while quarter > 0, starts[quarter] > day { quarter -= 1 }
            while starts[quarter + 1] <= day { quarter += 1 }
            return Self.firstTabledYear * 4 + quarter
        }

        /// The grids' row of quarter `ordinal`, the grids grown to hold it when they do not.
        @inline(__always)
        private mutating func row(of ordinal: Int) -> Int {
            let row = ordinal - gridStart
            if row >= 0 && row < gridRows { return row }
            grow(toHold: ordinal)
            return ordinal - gridStart
        }

        /// Grows the grids to hold quarter `ordinal` and four years either side of it.
        @inline(never)
        private mutating func grow(toHold ordinal: Int) {
            let margin = 16
            let start = gridRows == 0 ? ordinal - margin : min(gridStart, ordinal - margin)
            let end = gridRows == 0 ? ordinal + margin + 1 : max(gridStart + gridRows, ordinal + margin + 1)
            let width = names.count, stride = width + 1, shift = gridStart - start
            var counts = [Int64](repeating: 0, count: (end - start) * width)
            var people = [Int](repeating: 0, count: (end - start) * stride), countedIn = people
            for row in 0..<gridRows {
                let to = row + shift
                counts[to * width..<(to + 1) * width] = self.counts[row * width..<(row + 1) * width]
                people[to * stride..<(to + 1) * stride] = self.people[row * stride..<(row + 1) * stride]
                countedIn[to * stride..<(to + 1) * stride] = self.countedIn[row * stride..<(row + 1) * stride]
            }
            (self.counts, self.people, self.countedIn) = (counts, people, countedIn)
            (gridStart, gridRows) = (start, end - start)
        }

        /// The first and last quarters (ordinals) with an event (`nil`: none).
        var quarterSpan: ClosedRange<Int>? {
            let stride = names.count + 1
            let rows = (0..<gridRows).filter { people[$0 * stride + names.count] > 0 }
            guard let first = rows.first, let last = rows.last else { return nil }
            return (gridStart + first)...(gridStart + last)
        }

        /// Events in quarter `ordinal` of category index `category` (0 outside the grids).
        func count(quarter ordinal: Int, category: Int) -> Int64 {
            let row = ordinal - gridStart
            return row >= 0 && row < gridRows ? counts[row * names.count + category] : 0
        }

        /// People behind quarter `ordinal`'s count of category index `category`, or behind its
        /// total for `names.count` (0 outside the grids).
        func people(quarter ordinal: Int, category: Int) -> Int {
            let row = ordinal - gridStart
            return row >= 0 && row < gridRows ? people[row * (names.count + 1) + category] : 0
        }
    }
}
