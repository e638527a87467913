/// The counterfactual an evaluator asks for: the treated cohort's change in cost per
/// person-year minus a comparison group's (people without the intervention, each with a pseudo
/// index date), with a 95% bootstrap confidence interval — overall and by service.
///
/// A group's cost per person-year in a window is `Σ cost × 365 / Σ exposure days` over its
/// people (as in ``CohortSummary``); its change is after minus before; the estimate is the
/// treated change minus the comparison change. The interval resamples people with replacement
/// within each group (`resamples` times, from `seed`: the same inputs give the same interval)
/// and takes the 2.5th and 97.5th percentiles (nearest rank) of the resampled estimates. The
/// intervention's own services are left out of the overall figure.
///
/// With a matched comparison group (``ComparisonGroupMatching``) the interval includes the matching's
/// own variability: each replicate resamples the treated people with replacement and re-matches
/// them (``ComparisonGroupMatching/rematch(_:random:used:)``: each redraws its candidates with
/// replacement from those it drew, and takes the nearest not already taken, in the replicate's
/// order), then recomputes both groups' changes. The comparison group is then whatever the
/// replicate's match gives, so its sampling, the random draw of candidates and the competition
/// between treated people for them all move the replicates. Candidates are measured once, at
/// their treated person's index date, not once per replicate. Redrawing from a drawn sample
/// holds about 63% of its distinct candidates, so a replicate's match is a little looser than
/// the real one: the interval errs wide, not narrow. (Checked on 30 generated spike-recruited
/// cohorts of 200 treated people, ``SpikeRecruitedCohort``: the re-matched interval's implied
/// standard error, £329, matched the spread of the estimates across cohorts, £335, and 28 of
/// the 30 intervals covered the true zero; resampling the matched group as if it were
/// independent of the treated gave £408, since it ignores that a match pairs like with like.)
///
/// Fewer than ``fewTreatedPeople`` treated people is warned of (``warnings``): the interval of
/// so few is not to be relied on.
public struct DifferenceInDifferences: Sendable {
    /// One person's exposure and costs by column (column 0: all services but the
    /// intervention's; then one per service).
    public struct Person: Sendable {
        /// Exposure in days.
        public var beforeDays: Int, afterDays: Int
        /// Cost in pence by column, before and after.
        public var before: [Pence], after: [Pence]
    }

    /// One line of the result.
    public struct Line: Sendable, Equatable {
        /// `All services` or a service.
        public var name: String
        /// Change in cost per person-year (after − before) of the treated and the comparison group.
        public var treatedChange: Pence?, comparisonChange: Pence?
        /// The treated change minus the comparison change.
        public var estimate: Pence?
        /// The 95% bootstrap interval of the estimate.
        public var lower: Pence?, upper: Pence?
    }

    /// People in each group.
    public let treatedPeople: Int, comparisonPeople: Int
    /// For each line, the people of each group with a cost in it (what its figures rest on).
    public let linePeople: [(treated: Int, comparison: Int)]
    /// Resamples drawn, and the seed.
    public let resamples: Int, seed: UInt64
    /// All services first, then each service in byte order.
    public let lines: [Line]
    /// The bootstrap's resampled estimates of the overall line (all services but the
    /// intervention's: treated change minus comparison change per person-year), in the order
    /// drawn; a resample that gave no estimate is left out. Exact (not over published counts):
    /// what the appraisal's probability that the net present value is positive is taken from.
    public let replicates: [Pence]
    /// What prices the money is in.
    public let prices: String
    /// How published counts are rounded.
    let rounding: CountRounding
    /// Whether the interval re-matched the comparison group in each replicate.
    public let rematched: Bool
    /// Caveats for stderr and the table's title (too few treated people).
    public let warnings: [String]

    /// The fewest treated people whose interval is not warned of.
    public static let fewTreatedPeople = 60

    /// The warning for `treatedPeople` treated people, when they are fewer than ``fewTreatedPeople``.
    public static func smallCohortWarning(treatedPeople: Int) -> String? {
        guard treatedPeople < fewTreatedPeople else { return nil }
        // No exact count: this sentence goes into titles, which disclosure control does not touch.
        return "fewer than \(fewTreatedPeople) treated people: the difference in differences and its interval rest on too few people to rely on"
    }

    /// The estimate from `treated` and `comparison` (each a person × service comparison with its
    /// members), grouping services with `services`; with `matching` (the match that made
    /// `comparison`), the interval re-matches in every replicate.
    ///
    /// - Throws: ``CostResolver/Overflow`` when a person's cost, a group's change or the
    ///   estimate does not fit in 64-bit pence (never for comparisons of one ``Study``, whose
    ///   costs fit together).
    public init(treated: (beforeAfter: BeforeAfterTable, members: [CohortSummary.Member]),
                comparisonGroup comparison: (beforeAfter: BeforeAfterTable, members: [CohortSummary.Member]),
                services: ServiceCatalog, prices: String, resamples: Int = 1_000, seed: UInt64 = 1,
                rounding: CountRounding = .exact, matching: ComparisonGroupMatching? = nil) throws(CostResolver.Overflow) {
        // Column 0 is every service but the intervention's; a service's column is its place + 1
        // (so a service that happens to be called "All services" is still a column of its own).
        let serviceNames = Set(treated.beforeAfter.rows.map(\.service)).union(comparison.beforeAfter.rows.map(\.service))
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let names = ["All services"] + serviceNames
        let column = Dictionary(uniqueKeysWithValues: serviceNames.enumerated().map { ($0.element, $0.offset + 1) })
        func people(_ group: (beforeAfter: BeforeAfterTable, members: [CohortSummary.Member])) throws(CostResolver.Overflow) -> [Person] {
            try Self.people(group, column: column, columns: names.count, services: services)
        }
        try self.init(names: names, column: column, treated: try people(treated), treatedIDs: treated.members.map(\.personID),
                      comparison: try people(comparison), services: services, prices: prices, resamples: resamples, seed: seed,
                      rounding: rounding, matching: matching)
    }

    /// The estimate from everyone's grouped events (``MatchingFeatures``): `treated` and
    /// `comparison` are each group's people with their (pseudo) index dates, one entry per
    /// person in byte order of their IDs (a person with no events counts with zero use over
    /// their exposure), grouping services with `services`; with `matching` (the match that made
    /// `comparison`, measured with `features`), the interval re-matches in every replicate.
    ///
    /// The same figures as ``init(treated:comparisonGroup:services:prices:resamples:seed:rounding:matching:)``
    /// from the two groups' before/after tables: each person's windows, exposure (time at
    /// risk, the observation end) and priced cells are the table's (``MatchingFeatures/bounds(person:index:)``,
    /// ``MatchingFeatures/windowCosts(person:index:columns:column:isIntervention:)``).
    ///
    /// - Throws: ``CostResolver/Overflow`` when a person's cost, a group's change or the
    ///   estimate does not fit in 64-bit pence.
    public init(features: MatchingFeatures, treated: [InterventionTable.Entry], comparison: [InterventionTable.Entry],
                services: ServiceCatalog, prices: String, resamples: Int = 1_000, seed: UInt64 = 1,
                rounding: CountRounding = .exact, matching: ComparisonGroupMatching? = nil) throws(CostResolver.Overflow) {
        typealias LaidOut = (bounds: StudyWindows.Bounds, cells: [MatchingFeatures.WindowCell])
        func laidOut(_ entries: [InterventionTable.Entry]) throws(CostResolver.Overflow) -> [LaidOut] {
            var result: [LaidOut] = []
            result.reserveCapacity(entries.count)
            for entry in entries {
                let code = features.persons.code(of: entry.personID)
                let bounds = features.bounds(person: code, index: entry.start)
                result.append((bounds, try code.map { (code) throws(CostResolver.Overflow) in try features.windowCells(person: code, bounds: bounds) } ?? []))
            }
            return result
        }
        let treatedCells = try laidOut(treated), comparisonCells = try laidOut(comparison)
        // The lines: every service with an event in a window of either group (the two tables' rows).
        var seen = [Bool](repeating: false, count: features.serviceNames.count)
        for person in treatedCells + comparisonCells { for cell in person.cells { seen[Int(cell.service)] = true } }
        let serviceNames = features.serviceNames.indices.filter { seen[$0] }.map { features.serviceNames[$0] }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let names = ["All services"] + serviceNames
        let column = Dictionary(uniqueKeysWithValues: serviceNames.enumerated().map { ($0.element, $0.offset + 1) })
        let codeColumn = features.serviceNames.map { column[$0] }
        let isIntervention = features.serviceNames.map(services.isIntervention)
        func people(_ laidOut: [LaidOut]) throws(CostResolver.Overflow) -> [Person] {
            var result: [Person] = []
            result.reserveCapacity(laidOut.count)
            for person in laidOut {
                result.append(try MatchingFeatures.record(bounds: person.bounds, cells: person.cells, columns: names.count, column: codeColumn,
                                                          isIntervention: isIntervention))
            }
            return result
        }
        try self.init(names: names, column: column, treated: try people(treatedCells), treatedIDs: treated.map(\.personID),
                      comparison: try people(comparisonCells), services: services, prices: prices, resamples: resamples, seed: seed,
                      rounding: rounding, matching: matching)
    }

    /// The estimate from each group's people laid out by column (`names`: the lines; `column`:
    /// a service's line), the treated people's IDs in the same order.
    private init(names: [String], column: [String: Int], treated treatedPeople: [Person], treatedIDs: [String], comparison comparisonPeople: [Person],
                 services: ServiceCatalog, prices: String, resamples: Int, seed: UInt64, rounding: CountRounding,
                 matching: ComparisonGroupMatching?) throws(CostResolver.Overflow) {
        self.treatedPeople = treatedPeople.count
        self.comparisonPeople = comparisonPeople.count
        self.resamples = resamples
        self.seed = seed
        self.prices = prices

        let treatedAll = Array(treatedPeople.indices), comparisonAll = Array(comparisonPeople.indices)
        // The point estimates over person-years of the published people counts (see CountRounding),
        // as the cohort's own tables publish them; the resamples are not published.
        let treatedSums = PersonYearSums(treatedPeople, columns: names.count)
        let comparisonSums = PersonYearSums(comparisonPeople, columns: names.count)
        let treatedChanges = try treatedSums.changes(treatedAll, rounding: rounding)
        let comparisonChanges = try comparisonSums.changes(comparisonAll, rounding: rounding)
        func users(_ people: [Person], _ k: Int) -> Int { people.count { $0.before[k] != 0 || $0.after[k] != 0 } }
        linePeople = names.indices.map { (users(treatedPeople, $0), users(comparisonPeople, $0)) }
        self.rounding = rounding
        var estimates = [[Pence]](repeating: [], count: names.count)
        var random = SyntheticRandom(seed: seed)
        func estimate(_ a: [Pence?], _ b: [Pence?]) throws(CostResolver.Overflow) {
            for k in names.indices {
                if let x = a[k], let y = b[k] { estimates[k].append(try CostResolver.Overflow.pence(Int128(x) - Int128(y), "a bootstrap resample's difference in differences")) }
            }
        }
        if let matching, !treatedPeople.isEmpty && !comparisonPeople.isEmpty {
            // A candidate's figures at its treated person's index date, worked out the first time
            // a replicate matches it.
            let codeColumn = matching.features.serviceNames.map { column[$0] }
            let isIntervention = matching.features.serviceNames.map(services.isIntervention)
            var records = PersonYearSums(columns: names.count)
            var recordOf = matching.draws.map { [Int](repeating: -1, count: $0.candidates.count) }
            var drawOfTreated = [Int?](repeating: nil, count: treatedPeople.count)
            let treatedPlace = Dictionary(uniqueKeysWithValues: treatedIDs.enumerated().map { ($0.element, $0.offset) })
            for (d, draw) in matching.draws.enumerated() {
                if let place = treatedPlace[matching.features.persons[draw.treated]] { drawOfTreated[place] = d }
            }
            func record(_ d: Int, _ place: Int) throws(CostResolver.Overflow) -> Int {
                if recordOf[d][place] < 0 {
                    let draw = matching.draws[d]
                    records.append(try matching.features.windowCosts(person: draw.candidates[place], index: draw.index, columns: names.count,
                                                                 column: codeColumn, isIntervention: isIntervention))
                    recordOf[d][place] = records.count - 1
                }
                return recordOf[d][place]
            }
            var used = [Bool](repeating: false, count: matching.features.persons.count)
            for _ in 0..<resamples {
                let t = (0..<treatedPeople.count).map { _ in Self.draw(&random, below: treatedPeople.count) }
                var c: [Int] = [], taken: [Int32] = []
                c.reserveCapacity(t.count)
                for i in t {
                    guard let d = drawOfTreated[i], let place = matching.rematch(draw: d, random: &random, used: &used) else { continue }
                    c.append(try record(d, place))
                    taken.append(matching.draws[d].candidates[place])
                }
                for person in taken { used[Int(person)] = false }
                try estimate(try treatedSums.changes(t), try records.changes(c))
            }
        } else if !treatedPeople.isEmpty && !comparisonPeople.isEmpty {
            // Replicates in batches: each batch's draws made in turn from the one seeded stream
            // (so the same seed gives the same replicates), their sums on every core, then taken
            // in replicate order (so the first error is the first replicate's, as one by one).
            let batch = 16
            var done = 0
            while done < resamples {
                let count = min(batch, resamples - done)
                let draws = (0..<count).map { _ in
                    ((0..<treatedPeople.count).map { _ in Self.draw(&random, below: treatedPeople.count) },
                     (0..<comparisonPeople.count).map { _ in Self.draw(&random, below: comparisonPeople.count) })
                }
                let changes = Processors.inParallel(count) { j -> Result<([Pence?], [Pence?]), CostResolver.Overflow> in
                    do throws(CostResolver.Overflow) {
                        return .success((try treatedSums.changes(draws[j].0), try comparisonSums.changes(draws[j].1)))
                    } catch {
                        return .failure(error)
                    }
                }
                for result in changes {
                    let (t, c) = try result.get()
                    try estimate(t, c)
                }
                done += count
            }
        }
        replicates = estimates[0]
        rematched = matching != nil
        // Judged on the published count under a rounding: the warning beside a rounded count
        // would otherwise narrow it (a published 60 with the warning is 58 or 59).
        warnings = [Self.smallCohortWarning(treatedPeople: Int(rounding.rounded(Int64(treatedPeople.count))))].compactMap { $0 }
        var lines: [Line] = []
        for k in names.indices {
            var sorted = estimates[k]
            sorted.sort()
            var estimate: Pence?
            if let t = treatedChanges[k], let c = comparisonChanges[k] {
                estimate = try CostResolver.Overflow.pence(Int128(t) - Int128(c), "the difference in differences")
            }
            // The interval only when (nearly) every resample gave an estimate.
            let usable = sorted.count * 100 >= resamples * 99 && !sorted.isEmpty
            lines.append(Line(name: names[k], treatedChange: treatedChanges[k], comparisonChange: comparisonChanges[k], estimate: estimate,
                              lower: usable ? sorted[max(0, (sorted.count * 25 + 999) / 1000 - 1)] : nil,
                              upper: usable ? sorted[max(0, (sorted.count * 975 + 999) / 1000 - 1)] : nil))
        }
        self.lines = lines
    }

    /// Each member's exposure and costs by column: column 0 every service but the
    /// intervention's, then `column[service]` where it names one.
    static func people(_ group: (beforeAfter: BeforeAfterTable, members: [CohortSummary.Member]), column: [String: Int], columns: Int,
                       services: ServiceCatalog) throws(CostResolver.Overflow) -> [Person] {
        var byID: [String: Int] = [:]
        var result = group.members.enumerated().map { offset, member -> Person in
            byID[member.personID] = offset
            return Person(beforeDays: member.beforeDays, afterDays: member.afterDays,
                          before: Array(repeating: 0, count: columns), after: Array(repeating: 0, count: columns))
        }
        for row in group.beforeAfter.rows {
            guard let p = byID[row.personID] else { continue }
            let before = "a person's cost in the before window", after = "a person's cost in the after window"
            // PricedCells' rule: a failure-demand cell with an unpriced event has no cost.
            let isIntervention = services.isIntervention(row.service)
            let cell = isIntervention ? (before: row.before, after: row.after) : PricedCells.pricedPart(before: row.before, after: row.after)
            if let c = column[row.service] {
                result[p].before[c] = try CostResolver.Overflow.sum(result[p].before[c], cell.before.cost, before)
                result[p].after[c] = try CostResolver.Overflow.sum(result[p].after[c], cell.after.cost, after)
            }
            if !isIntervention {
                result[p].before[0] = try CostResolver.Overflow.sum(result[p].before[0], cell.before.cost, before)
                result[p].after[0] = try CostResolver.Overflow.sum(result[p].after[0], cell.after.cost, after)
            }
        }
        return result
    }

    /// A uniform draw below `n` (multiply-high: no modulo bias worth the name).
    private static func draw(_ random: inout SyntheticRandom, below n: Int) -> Int {
        Int((UInt128(random.next()) * UInt128(n)) >> 64)
    }

    /// The table's name.
    public static let tableName = "difference_in_differences"

    /// The table with what ties it to the treated cohort's tables (`cohort`): each line's treated
    /// change is the cohort's change per person-year (overall, or the service's), so where that
    /// is withheld, so are the treated change and the estimate (which with the comparison
    /// group's change would give it back).
    public func linkedTables(cohort: CohortSummary) -> LinkedTables {
        var mirrors: [(source: CellReference, mirror: CellReference)] = []
        for (row, line) in lines.enumerated() {
            guard let change = cohort.changeCell(service: row == 0 ? nil : line.name) else { continue }
            for column in ["treated_change_per_person_year", "difference_in_differences"] {
                mirrors.append((change, CellReference(table: Self.tableName, column: column, row: row)))
            }
        }
        return LinkedTables(tables: [resultTable()], mirrors: mirrors)
    }

    /// The result as a table.
    public func resultTable() -> ResultTable {
        let treatedUsers = linePeople.map { Int64($0.treated) }, comparisonUsers = linePeople.map { Int64($0.comparison) }
        // The estimate and its interval rest on the smaller group's people with a cost in the line.
        // A line's two changes and its estimate are one family: any two give the third back
        // (estimate = treated − comparison), so one withheld takes the others along — a service
        // no treated person used (treated change 0) would otherwise give a withheld comparison
        // change back from the published estimate.
        let people = linePeople.map { Int64(min($0.treated, $0.comparison)) }
        let estimate = DisclosureBasis(role: .magnitude, people: people, family: "line")
        let treated = rounding.rounded(Int64(treatedPeople)), comparison = rounding.rounded(Int64(comparisonPeople))
        return ResultTable(name: Self.tableName, title: "Difference in differences of cost per person-year: treated (\(treated) people) against the comparison group (\(comparison)), 95% bootstrap interval from \(resamples) resamples\(rematched ? " re-matching the comparison group in each" : ""), seed \(seed) (\(prices))\(warnings.map { "; warning: \($0)" }.joined())", columns: [
            ResultColumn("service", .text(lines.map(\.name))),
            ResultColumn("treated_change_per_person_year", money: lines.map(\.treatedChange)).resting(on: DisclosureBasis(role: .magnitude, people: treatedUsers, family: "line")),
            ResultColumn("comparison_change_per_person_year", money: lines.map(\.comparisonChange)).resting(on: DisclosureBasis(role: .magnitude, people: comparisonUsers, family: "line")),
            ResultColumn("difference_in_differences", money: lines.map(\.estimate)).resting(on: estimate),
            ResultColumn("ci95_lower", money: lines.map(\.lower)).resting(on: estimate),
            ResultColumn("ci95_upper", money: lines.map(\.upper)).resting(on: estimate),
            ResultColumn("people", .integer(people)).resting(on: DisclosureBasis(role: .count, people: people)),
        ], peopleColumn: "people")
    }
}
