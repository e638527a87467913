extension FinancialYearConsumption {
    /// The financial years as a ``CohortFold``: each member's events, and the costs recorded for
    /// their interventions, summed by (financial year, agency, value type) and, for the
    /// intervention's own services, by year; the people behind each cell and the largest one
    /// person's cost in it, member by member.
    ///
    /// Its sums are not checked one by one, and need not be: each is a sum of some of the
    /// cohort's event costs and recorded costs, which the study (``Study``) and the streaming
    /// pass (``StreamingPass``) check fit together within ``CostResolver/maximumTotal``;
    /// counts are at most the events.
    public struct Fold: CohortFold {
        /// One (year, agency, value type) cell, or one year's intervention cost.
        struct Cell: Sendable {
            var events: Int64 = 0
            var cost: Pence = 0
            var unpriced: Int64 = 0
            var recorded: Pence = 0
            var people = 0
            var pricedPeople = 0
            /// The largest one person's cost (`nil`: no one's yet).
            var largest: Pence?

            /// Adds one member's figures in the cell, and counts them among its people.
            fileprivate mutating func add(member figures: MemberCell) {
                events += figures.events
                cost += figures.cost
                unpriced += figures.unpriced
                people += 1
                guard figures.priced else { return }
                pricedPeople += 1
                largest = max(largest ?? figures.cost, figures.cost)
            }

            mutating func merge(_ other: Cell) {
                events += other.events
                cost += other.cost
                unpriced += other.unpriced
                recorded += other.recorded
                people += other.people
                pricedPeople += other.pricedPeople
                largest = [largest, other.largest].compactMap { $0 }.max()
            }
        }

        /// (agency, value type) by label code.
        let labels: [(agency: String, valueType: String)]
        /// The code of each label, by `agency + "\0" + valueType`.
        private let codeOfLabel: [String: Int32]
        /// The unit cost of each pair, by name.
        private let unitCosts: UnitCostLookup
        private let catalog: ServiceCatalog
        private let serviceNames: [String], eventNames: [String]
        /// The intervention's own services, by code.
        private let isIntervention: [Bool]
        /// Each member's recorded intervention costs: `recordedStarts[m]..<recordedStarts[m + 1]`.
        private let recorded: [(year: Int, cost: Pence)]
        private let recordedStarts: [Int]
        /// What prices the money is in.
        let prices: String

        /// Consumption cells by `startYear << 32 | label`.
        var cells: [Int64: Cell] {
            var cells = otherCells
            for (index, cell) in denseCells.enumerated() where cell.people > 0 {
                let (year, label) = index.quotientAndRemainder(dividingBy: labels.count)
                cells[Int64(Self.firstTabledYear + year) << 32 | Int64(label)] = cell
            }
            return cells
        }
        /// The cells of the tabled years, by `(startYear − firstTabledYear) × labels + label`
        /// (made on first use; a cell no member has has no people), when there are at most
        /// ``denseCellLimit`` of them; those of other years, or all, by `startYear << 32 | label`
        /// in ``otherCells``. A member's few cells are added to an array, not hashed.
        private var denseCells: [Cell] = []
        private var otherCells: [Int64: Cell] = [:]
        /// The most cells held densely (3.7 MB).
        private static let denseCellLimit = 1 << 16
        /// The intervention's cost by start year.
        private(set) var spend: [Int: Cell] = [:]
        /// The members' windows, while they are all the same (what ties the years to them).
        private(set) var windows = CommonWindows()
        /// The members' window days by financial year (what makes a year close to a window).
        private(set) var overlap = FinancialYearOverlap()
        /// The label of each (service, event) pair met, by `service × events + event` (-1: not
        /// met yet), when there are at most ``densePairs`` pairs; else by `service << 32 | event`.
        private var denseLabelOfPair: [Int32]
        private var labelOfPair: [Int: Int32] = [:]
        /// The most (service, event) pairs labelled through a dense array (4 MiB).
        private static let densePairs = 1 << 20
        /// The first day of each financial year from ``firstTabledYear`` on, and the first day
        /// after the last: most events' years are found here without calendar arithmetic.
        private let yearStarts: [Int32] = (Self.firstTabledYear...Self.lastTabledYear + 1).map {
            CivilDate(year: $0, month: 4, day: 1)!.daysSinceEpoch
        }
        private static let firstTabledYear = 1900, lastTabledYear = 2199
        /// One member's figures by cell, each cell once, in the order met, and their spend by
        /// year (a member has few years: a list, not a table); reused. `memberCell` finds a cell
        /// of the dense table through `memberSlot` (its place in `memberCells`, -1: none, reset
        /// after each member), any other through `memberCellIndex`.
        private var memberCells: [MemberCell] = []
        private var memberSlot: [Int32] = []
        private var memberCellIndex: [Int64: Int] = [:]
        private var memberSpend: [(year: Int, cost: Pence)] = []

        /// One member's figures in one (year, agency, value type) cell.
        fileprivate struct MemberCell {
            let key: Int64
            var events: Int64 = 0
            var cost: Pence = 0
            var unpriced: Int64 = 0
            /// Whether the member has a priced event in the cell.
            var priced = false
        }

        /// The fold for the events coded by `services` and `events`, labelled by the unit costs
        /// that price each pair (exact, else the service's `*`) or else the services file, with
        /// the interventions' recorded costs of the members of `cohort`.
        public init(services serviceNames: StringDictionary, events eventNames: StringDictionary, catalog: ServiceCatalog,
                    unitCosts: UnitCostTable, interventions: InterventionTable, cohort: StringDictionary, prices: String) {
            self.init(services: serviceNames, events: eventNames, catalog: catalog, unitCosts: unitCosts,
                      recordedCosts: InterventionCosts(interventions, cohort: cohort), cohortSize: cohort.count, prices: prices)
        }

        /// The same fold with the recorded costs `recordedCosts` of a cohort of `cohortSize` members.
        public init(services serviceNames: StringDictionary, events eventNames: StringDictionary, catalog: ServiceCatalog,
                    unitCosts: UnitCostTable, recordedCosts: InterventionCosts, cohortSize: Int, prices: String) {
            // Every label a pair can have, coded up front so that every thread's states agree.
            var labels: [(agency: String, valueType: String)] = []
            var codeOfLabel: [String: Int32] = [:]
            func note(_ agency: String, _ valueType: String) {
                let key = agency + "\u{0}" + valueType
                guard codeOfLabel[key] == nil else { return }
                codeOfLabel[key] = Int32(labels.count)
                labels.append((agency, valueType))
            }
            for name in serviceNames.values { note(catalog.entries[name]?.agency ?? "Unknown", "unstated") }
            for entry in unitCosts.entries {
                note(entry.agency ?? catalog.entries[entry.service]?.agency ?? "Unknown", entry.valueType ?? "unstated")
            }
            self.labels = labels
            self.codeOfLabel = codeOfLabel
            self.unitCosts = UnitCostLookup(unitCosts)
            self.catalog = catalog
            self.serviceNames = serviceNames.values
            self.eventNames = eventNames.values
            isIntervention = serviceNames.values.map(catalog.isIntervention)
            let pairs = serviceNames.count.multipliedReportingOverflow(by: eventNames.count)
            denseLabelOfPair = !pairs.overflow && pairs.partialValue <= Self.densePairs ? Array(repeating: -1, count: pairs.partialValue) : []
            var byMember = [[(year: Int, cost: Pence)]](repeating: [], count: cohortSize)
            for cost in recordedCosts.costs {
                byMember[Int(cost.member)].append((FinancialYear(containing: cost.start).startYear, cost.pence))
            }
            recorded = byMember.flatMap { $0 }
            var starts = [0]
            for list in byMember { starts.append(starts[starts.count - 1] + list.count) }
            recordedStarts = starts
            self.prices = prices
        }

        /// The label code of a (service, event) pair: its unit cost's agency and value type,
        /// else the services file's agency and `unstated`.
        @inline(__always)
        private mutating func label(service: Int32, event: Int32) -> Int32 {
            let dense = Int(service) * eventNames.count + Int(event)
            if dense < denseLabelOfPair.count {
                let known = denseLabelOfPair[dense]
                if known >= 0 { return known }
                let code = newLabel(service: service, event: event)
                denseLabelOfPair[dense] = code
                return code
            }
            let pair = Int(service) << 32 | Int(event)
            if let known = labelOfPair[pair] { return known }
            let code = newLabel(service: service, event: event)
            labelOfPair[pair] = code
            return code
        }

        /// The label code of a pair not met before.
        @inline(never)
        private func newLabel(service: Int32, event: Int32) -> Int32 {
            let name = serviceNames[Int(service)]
            let entry = unitCosts.entry(service: name, event: eventNames[Int(event)])
            let key = (entry?.agency ?? catalog.entries[name]?.agency ?? "Unknown") + "\u{0}" + (entry?.valueType ?? "unstated")
            // Every label was coded up front.
            return codeOfLabel[key]!
        }

        /// The start year of the financial year containing `day`.
        @inline(__always)
        private func financialYear(_ day: Int32) -> Int {
            let starts = yearStarts
            guard day >= starts[0], day < starts[starts.count - 1] else {
                return FinancialYear(containing: CivilDate(daysSinceEpoch: day)).startYear
            }
            // A guess from the mean year (146,097 days in 400 years), at most one off either way.
            var year = min((Int(day - starts[0]) * 400) / 146_097, starts.count - 2)
            while year > 0, starts[year] > day { year -= 1 }
            while starts[year + 1] <= day { year += 1 }
            return Self.firstTabledYear + year
        }

        /// The place in ``denseCells`` of the cell `key` (`startYear << 32 | label`), the array
        /// made on first use; `nil` for a year outside the table, or with too many labels.
        @inline(__always)
        private mutating func denseIndex(_ key: Int64) -> Int? {
            let year = Int(key >> 32) - Self.firstTabledYear
            let years = Self.lastTabledYear - Self.firstTabledYear + 1
            guard year >= 0, year < years, labels.count * years <= Self.denseCellLimit else { return nil }
            if denseCells.isEmpty {
                denseCells = Array(repeating: Cell(), count: labels.count * years)
                memberSlot = Array(repeating: -1, count: denseCells.count)
            }
            return year * labels.count + Int(key & 0xFFFF_FFFF)
        }

        /// The index in `memberCells` of the member's cell `key`, made when new.
        @inline(__always)
        private mutating func memberCell(_ key: Int64) -> Int {
            if let dense = denseIndex(key) {
                let known = memberSlot[dense]
                if known >= 0 { return Int(known) }
                memberCells.append(MemberCell(key: key))
                memberSlot[dense] = Int32(memberCells.count - 1)
                return memberCells.count - 1
            }
            // A year outside the table, or too many labels for it: rare, so hashed.
            if let index = memberCellIndex[key] { return index }
            memberCells.append(MemberCell(key: key))
            memberCellIndex[key] = memberCells.count - 1
            return memberCells.count - 1
        }

        public func empty() -> Fold {
            var fold = self
            fold.denseCells = []
            fold.memberSlot = []
            fold.otherCells = [:]
            fold.spend = [:]
            fold.windows = CommonWindows()
            fold.overlap = FinancialYearOverlap()
            return fold
        }

        public mutating func add(_ member: MemberEvents) {
            windows.note(member.bounds)
            overlap.note(member.bounds)
            memberCells.removeAll(keepingCapacity: true)
            if !memberCellIndex.isEmpty { memberCellIndex.removeAll(keepingCapacity: true) }
            memberSpend.removeAll(keepingCapacity: true)
            defer {
                // The dense slots of this member's cells, free again for the next member.
                for cell in memberCells { if let dense = denseIndex(cell.key) { memberSlot[dense] = -1 } }
            }
            for event in member.events {
                let year = financialYear(event.day)
                if isIntervention[Int(event.service)] {
                    spend[year, default: Cell()].events += 1
                    if event.priced { spend[year]!.cost += event.cost } else { spend[year]!.unpriced += 1 }
                    addMemberSpend(year: year, cost: event.priced ? event.cost : 0)
                    continue
                }
                let key = Int64(year) << 32 | Int64(label(service: event.service, event: event.event))
                let index = memberCell(key)
                memberCells[index].events += 1
                if event.priced {
                    memberCells[index].cost += event.cost
                    memberCells[index].priced = true
                } else {
                    memberCells[index].unpriced += 1
                }
            }
            let person = Int(member.person)
            for (year, cost) in recorded[recordedStarts[person]..<recordedStarts[person + 1]] {
                spend[year, default: Cell()].recorded += cost
                addMemberSpend(year: year, cost: cost)
            }
            // Each of the member's cells once: their figures, and them among its people.
            for figures in memberCells {
                if let index = denseIndex(figures.key) {
                    denseCells[index].add(member: figures)
                } else {
                    otherCells[figures.key, default: Cell()].add(member: figures)
                }
            }
            for (year, cost) in memberSpend {
                spend[year]!.people += 1
                spend[year]!.largest = max(spend[year]!.largest ?? cost, cost)
            }
        }

        /// Adds `cost` to the member's spend in the year starting `year`.
        @inline(__always)
        private mutating func addMemberSpend(year: Int, cost: Pence) {
            for index in memberSpend.indices where memberSpend[index].year == year {
                memberSpend[index].cost += cost
                return
            }
            memberSpend.append((year, cost))
        }

        public mutating func merge(_ other: Fold) {
            for (key, cell) in other.cells {
                if let index = denseIndex(key) {
                    denseCells[index].merge(cell)
                } else {
                    otherCells[key, default: Cell()].merge(cell)
                }
            }
            for (year, cell) in other.spend { spend[year, default: Cell()].merge(cell) }
            windows.merge(other.windows)
            overlap.merge(other.overlap)
        }
    }
}
