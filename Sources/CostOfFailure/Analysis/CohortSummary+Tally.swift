extension CohortSummary {
    /// A cohort summary's sums as its rows arrive, person by person: the groups' figures, the
    /// people behind each, and each person's cost.
    ///
    /// People and services come keyed by small integers (a streaming pass's codes, or the
    /// order a table's IDs and names first appear in), so that a row costs array lookups, not
    /// hashes of its ID and service name. A person's rows must be contiguous and each person's
    /// key above the one before (what rows in output order give).
    struct Tally {
        let services: ServiceCatalog
        /// The cohort's figures (all services but the intervention's own).
        var total = Group(name: "All services", people: 0)
        /// Groups by dimension (service, category, agency), each by its index.
        var groups: [[Group]] = [[], [], []]
        /// Whether a group holds events the total counts, and whether the intervention's own.
        var counted: [[Bool]] = [[], [], []], own: [[Bool]] = [[], [], []]
        /// Each group's index by name, per dimension.
        private var indexOfName: [[String: Int]] = [[:], [:], [:]]
        /// Each service key's groups (service, category, agency) and whether it is the
        /// intervention's own (`nil`: not met yet).
        private var groupsOfService: [(groups: (Int, Int, Int), isIntervention: Bool)?] = []
        /// The current person's figures in each group (by dimension and index), and which
        /// groups they have figures in.
        private var personFigures: [[PersonCells?]] = [[], [], []], touched: [[Int]] = [[], [], []]
        /// The current person's figures in the total (`nil`: no row counted in it).
        private var personTotal: PersonCells?
        /// The current person's key (-1: none yet).
        private var person = -1
        /// Each person's cost in the total, by key (`nil`: no row counted in it).
        private(set) var personCosts: [(before: Pence, after: Pence)?] = []
        /// The first person whose cost is beyond the ceiling, reported after the groups'.
        private(set) var personOverflow: CostResolver.Overflow?

        init(services: ServiceCatalog) {
            self.services = services
        }

        func category(_ service: String) -> String { services.category(of: service) ?? "Uncategorised" }
        func agency(_ service: String) -> String { services.entries[service]?.agency ?? "Unknown" }

        /// Whether the service keyed `service` has been met (``meet(service:named:)``).
        @inline(__always)
        func knows(service: Int) -> Bool {
            service < groupsOfService.count && groupsOfService[service] != nil
        }

        /// Adds the row of person `person`, service `service` (met already).
        mutating func add(person: Int, service: Int, before: PeriodFigures, after: PeriodFigures) throws(CostResolver.Overflow) {
            if person != self.person {
                endPerson()
                self.person = person
            }
            guard let known = groupsOfService[service] else { preconditionFailure("a row of a service not met") }
            let (keys, isIntervention) = known
            let cell = PersonCells(before: before, after: after, rule: !isIntervention)
            for (dimension, key) in [keys.0, keys.1, keys.2].enumerated() {
                if isIntervention { own[dimension][key] = true } else { counted[dimension][key] = true }
                try groups[dimension][key].add(cell)
                if let figures = personFigures[dimension][key] {
                    personFigures[dimension][key] = try figures.adding(cell)
                } else {
                    personFigures[dimension][key] = try PersonCells().adding(cell)
                    touched[dimension].append(key)
                }
            }
            guard !isIntervention else { return }
            total.before = try total.before.adding(cell.before, figure: "the cohort's cost in the before window")
            total.after = try total.after.adding(cell.after, figure: "the cohort's cost in the after window")
            total.leftOutEvents = try CostResolver.Overflow.sum(total.leftOutEvents, cell.leftOutEvents, "the cohort's events left out of its cost")
            personTotal = try (personTotal ?? PersonCells()).adding(cell)
        }

        /// Adds the current person's figures to the people behind each group's (called again,
        /// it adds nothing).
        mutating func endPerson() {
            for dimension in 0..<3 {
                for key in touched[dimension] {
                    if let figures = personFigures[dimension][key] { groups[dimension][key].count(figures) }
                    personFigures[dimension][key] = nil
                }
                touched[dimension].removeAll(keepingCapacity: true)
            }
            if let figures = personTotal {
                total.count(figures)
                if personOverflow == nil {
                    do throws(CostResolver.Overflow) {
                        _ = try CostResolver.Overflow.withinTotal(figures.before.cost, "a person's cost in the before window")
                        _ = try CostResolver.Overflow.withinTotal(figures.after.cost, "a person's cost in the after window")
                    } catch {
                        personOverflow = error
                    }
                }
                while personCosts.count <= person { personCosts.append(nil) }
                personCosts[person] = (figures.before.cost, figures.after.cost)
            }
            personTotal = nil
        }

        /// Notes the groups of the service keyed `service`, named `name`, the first time it is met.
        @inline(never)
        mutating func meet(service: Int, named name: String) {
            var indices: [Int] = []
            for (dimension, key) in [name, category(name), agency(name)].enumerated() {
                if let index = indexOfName[dimension][key] {
                    indices.append(index)
                    continue
                }
                groups[dimension].append(Group(name: key, people: 0))
                counted[dimension].append(false)
                own[dimension].append(false)
                personFigures[dimension].append(nil)
                indexOfName[dimension][key] = groups[dimension].count - 1
                indices.append(groups[dimension].count - 1)
            }
            while groupsOfService.count <= service { groupsOfService.append(nil) }
            groupsOfService[service] = ((indices[0], indices[1], indices[2]), services.isIntervention(name))
        }
    }
}

extension CohortSummary.Group {
    /// Adds one (person, service) cell's figures.
    fileprivate mutating func add(_ cell: CohortSummary.PersonCells) throws(CostResolver.Overflow) {
        before = try before.adding(cell.before, figure: "a group's cost in the before window")
        after = try after.adding(cell.after, figure: "a group's cost in the after window")
        leftOutEvents = try CostResolver.Overflow.sum(leftOutEvents, cell.leftOutEvents, "a group's events left out of its cost")
    }

    /// Counts one person's figures in the group among the people behind it.
    fileprivate mutating func count(_ figures: CohortSummary.PersonCells) {
        people += 1
        beforeBasis.add(figures.before, priced: figures.pricedBefore)
        afterBasis.add(figures.after, priced: figures.pricedAfter)
        if figures.leftOutEvents > 0 { leftOutPeople += 1 }
    }
}

extension CohortSummary {
    /// Summarises coded before/after rows over `members`, who must be the people the rows are
    /// coded in, by code (a streaming pass's cohort: code `i` is `members[i]`). `blocks` hands
    /// each block of rows, in output order, to its argument. The summary is the one
    /// ``init(beforeAfter:members:services:prices:)`` makes from the same rows as text, without
    /// a `String` made or hashed per row.
    init(members: [Member], services: ServiceCatalog, prices: String,
         codedBlocks blocks: ((CodedBeforeAfterTable) throws(CostResolver.Overflow) -> Void) throws(CostResolver.Overflow) -> Void)
        throws(CostResolver.Overflow) {
        try self.init(members: members, services: services, prices: prices) { (tally) throws(CostResolver.Overflow) in
            var previous: Int32 = -1
            try blocks { (block) throws(CostResolver.Overflow) in
                precondition(block.persons.count == members.count, "coded rows of people other than the members")
                for row in block.rows {
                    precondition(row.person >= previous, "a before/after table's rows are sorted by person")
                    previous = row.person
                    let service = Int(row.service)
                    if !tally.knows(service: service) { tally.meet(service: service, named: block.services[row.service]) }
                    try tally.add(person: Int(row.person), service: service, before: row.before, after: row.after)
                }
            }
            return { $0 }
        }
    }
}
