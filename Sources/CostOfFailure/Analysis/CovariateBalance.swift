/// The balance table: how alike the treated people and the comparison group are on each
/// variable matched on (``MatchingFeatures``), before and after matching.
///
/// Each variable's standardised mean difference (SMD) is `(mean_t − mean_c) / √((s²_t + s²_c) / 2)`,
/// with sample variances (`n − 1`); it is 0 when both groups are constant at the same value and
/// missing when they are constant at different values or a group has fewer than two people.
/// `|SMD| > ` ``threshold`` is flagged as imbalanced (the usual rule of thumb). Before matching
/// compares the treated people with every candidate drawn for them (each measured at its
/// treated person's index date, as often as it was drawn); after matching, with the people
/// matched. With a comparison file there is no "before": the comparison group is compared as given.
public struct CovariateBalance: Sendable {
    /// One variable's line.
    public struct Line: Sendable, Equatable {
        /// The variable.
        public var name: String
        /// Its mean among the treated people, the candidates (before matching) and the comparison group.
        public var treatedMean: Double?, candidatesMean: Double?, comparisonMean: Double?
        /// The SMD before and after matching.
        public var before: Double?, after: Double?
        /// People of each group whose value is not zero: what a mean rests on (a mean over many
        /// people of whom one has a cost gives that one person's cost back).
        public var treatedUsers = 0, candidateUsers = 0, comparisonUsers = 0
    }

    /// The |SMD| above which a variable is flagged.
    public static let threshold = 0.1

    /// A group's count, mean and sample variance of one variable, summed in the values' order
    /// (a candidate column's can be made from the values where they lie, without a copy of them).
    public struct Moments: Sendable, Equatable {
        /// Values.
        public let count: Int
        /// Their mean (`nil`: none).
        public let mean: Double?
        /// Their sample variance (`n − 1`; 0 for fewer than two).
        public let variance: Double

        /// The moments of `x`.
        public init(_ x: [Double]) {
            self.init(count: x.count) { body in for value in x { body(value) } }
        }

        /// The moments of the `count` values `values` hands its body, in order, each time it is called.
        init(count: Int, values: ((Double) -> Void) -> Void) {
            self.count = count
            var sum: Double = 0
            values { sum += $0 }
            let mean = count == 0 ? nil : sum / Double(count)
            self.mean = mean
            if count >= 2, let mean {
                var squares: Double = 0
                values { squares += ($0 - mean) * ($0 - mean) }
                variance = squares / Double(count - 1)
            } else {
                variance = 0
            }
        }
    }

    /// The standardised mean difference of `a` against `b` (see the type's summary).
    public static func standardisedMeanDifference(_ a: [Double], _ b: [Double]) -> Double? {
        standardisedMeanDifference(Moments(a), Moments(b))
    }

    /// The standardised mean difference of a group with moments `a` against one with `b`.
    public static func standardisedMeanDifference(_ a: Moments, _ b: Moments) -> Double? {
        guard a.count >= 2, b.count >= 2, let ma = a.mean, let mb = b.mean else { return nil }
        let pooled = ((a.variance + b.variance) / 2).squareRoot()
        guard pooled > 0 else { return ma == mb ? 0 : nil }
        return (ma - mb) / pooled
    }

    /// Whether `smd` is flagged (missing counts as flagged: nothing shows the groups alike).
    public static func isImbalanced(_ smd: Double?) -> Bool { smd.map { abs($0) > threshold } ?? true }

    /// The lines, one per variable.
    public let lines: [Line]
    /// People behind each group's means: treated, candidates (distinct people; `nil` with a
    /// comparison file) and the comparison group.
    public let treatedPeople: Int, candidatePeople: Int?, comparisonPeople: Int

    /// The balance of a match.
    public init(matching: ComparisonGroupMatching) {
        self.init(names: matching.features.names, treated: matching.draws.map(\.treatedFeatures),
                  candidateMoments: matching.candidateMoments, candidatePeople: matching.candidatePeople,
                  candidateUsers: matching.candidateUsers, comparisonGroup: matching.draws.compactMap(\.matchedFeatures))
    }

    /// The balance of `treated` against a given comparison group (`comparison`: the same
    /// events with the comparison group's pseudo index dates), measured with `features`.
    public init(features: MatchingFeatures, treated: Study, comparisonGroup comparison: Study) {
        func measured(_ study: Study) -> [[Double]] {
            study.treatedPersonCodesInOrder().map { features.measure(person: $0, index: study.bounds(person: $0).index) }
        }
        self.init(names: features.names, treated: measured(treated), candidates: nil, candidatePeople: nil, comparisonGroup: measured(comparison))
    }

    /// The balance of the treated people against a given comparison group, each a list of
    /// people with their (pseudo) index dates in byte order of their IDs, measured with
    /// `features`; people without events (no record to measure) are left out, as the studies'
    /// balance leaves them out.
    public init(features: MatchingFeatures, treated: [InterventionTable.Entry], comparisonGroup comparison: [InterventionTable.Entry]) {
        func measured(_ entries: [InterventionTable.Entry]) -> [[Double]] {
            entries.compactMap { entry in features.persons.code(of: entry.personID).map { features.measure(person: $0, index: entry.start) } }
        }
        self.init(names: features.names, treated: measured(treated), candidates: nil, candidatePeople: nil, comparisonGroup: measured(comparison))
    }

    /// The balance of groups already measured (each a list of people's variables; the
    /// candidates as measured, `candidatePeople` of them distinct, and of those
    /// `candidateUsers[k]` with variable `k` not zero — by default, the measurements not zero).
    public init(names: [String], treated: [[Double]], candidates: [[Double]]?, candidatePeople: Int?,
                candidateUsers: [Int]? = nil, comparisonGroup comparison: [[Double]]) {
        let columns = candidates.map { rows in names.indices.map { k in rows.map { $0[k] } } }
        self.init(names: names, treated: treated, candidateMoments: columns?.map(Moments.init), candidatePeople: candidatePeople,
                  candidateUsers: candidateUsers ?? columns?.map { column in column.count { $0 != 0 } }, comparisonGroup: comparison)
    }

    /// The same with the candidates summed by variable (`candidateMoments[k]`: variable `k` over
    /// every candidate measured; `candidateUsers[k]`: those of them not zero).
    init(names: [String], treated: [[Double]], candidateMoments: [Moments]?, candidatePeople: Int?,
         candidateUsers: [Int]?, comparisonGroup comparison: [[Double]]) {
        func column(_ rows: [[Double]], _ k: Int) -> [Double] { rows.map { $0[k] } }
        func users(_ x: [Double]) -> Int { x.count { $0 != 0 } }
        lines = names.indices.map { k in
            let t = column(treated, k), c = column(comparison, k), all = candidateMoments?[k]
            let treatedMoments = Moments(t), comparisonMoments = Moments(c)
            var line = Line(name: names[k], treatedMean: treatedMoments.mean, candidatesMean: all?.mean, comparisonMean: comparisonMoments.mean,
                            before: all.flatMap { Self.standardisedMeanDifference(treatedMoments, $0) },
                            after: Self.standardisedMeanDifference(treatedMoments, comparisonMoments))
            line.treatedUsers = users(t)
            line.candidateUsers = candidateUsers?[k] ?? 0
            line.comparisonUsers = users(c)
            return line
        }
        treatedPeople = treated.count
        self.candidatePeople = candidateMoments == nil ? nil : candidatePeople
        comparisonPeople = comparison.count
    }

    /// The table's name.
    public static let tableName = "balance"

    /// The result as a table. A mean rests on its group's people whose value is not zero (the
    /// others add nothing to it, so one user among many is that user's figure over the group's
    /// count); an SMD on the fewer of its two groups' users, a group without any left aside (its
    /// mean and spread are 0): so that a small group's, or a few people's, are withheld.
    public func resultTable() -> ResultTable {
        let rows = lines.count
        func people(_ n: Int?) -> [Int64] { Array(repeating: Int64(n ?? 0), count: rows) }
        let treated = people(treatedPeople), candidates = people(candidatePeople), comparison = people(comparisonPeople)
        let treatedUsers = lines.map { Int64($0.treatedUsers) }, candidateUsers = lines.map { Int64($0.candidateUsers) }
        let comparisonUsers = lines.map { Int64($0.comparisonUsers) }
        func fewer(_ a: Int64, _ b: Int64) -> Int64 { a == 0 ? b : b == 0 ? a : min(a, b) }
        let before = zip(treatedUsers, candidateUsers).map(fewer), after = zip(treatedUsers, comparisonUsers).map(fewer)
        func basis(_ people: [Int64], _ family: String? = nil) -> DisclosureBasis { DisclosureBasis(role: .magnitude, people: people, family: family) }
        func flags(_ smd: [Double?], present: Bool) -> [Double?] { smd.map { present ? (Self.isImbalanced($0) ? 1 : 0) : nil } }
        return ResultTable(name: Self.tableName, title: "Balance of the variables matched on: standardised mean differences (SMD) of the treated people against every candidate drawn (before matching) and the comparison group (after); |SMD| > \(Self.threshold) flagged 1", columns: [
            ResultColumn("variable", .text(lines.map(\.name))),
            ResultColumn("treated_people", .integer(treated)).resting(on: DisclosureBasis(role: .count, people: treated)),
            ResultColumn("treated_mean", rates: lines.map(\.treatedMean), decimals: 3).resting(on: basis(treatedUsers)),
            ResultColumn("candidate_people", integers: candidatePeople == nil ? Array(repeating: nil, count: rows) : candidates.map { $0 })
                .resting(on: DisclosureBasis(role: .count, people: candidates)),
            ResultColumn("candidates_mean", rates: lines.map(\.candidatesMean), decimals: 3).resting(on: basis(candidateUsers)),
            ResultColumn("comparison_people", .integer(comparison)).resting(on: DisclosureBasis(role: .count, people: comparison)),
            ResultColumn("comparison_mean", rates: lines.map(\.comparisonMean), decimals: 3).resting(on: basis(comparisonUsers)),
            ResultColumn("smd_before_matching", rates: lines.map(\.before), decimals: 3).resting(on: basis(before, "before")),
            ResultColumn("imbalanced_before", rates: flags(lines.map(\.before), present: candidatePeople != nil), decimals: 0).resting(on: basis(before, "before")),
            ResultColumn("smd_after_matching", rates: lines.map(\.after), decimals: 3).resting(on: basis(after, "after")),
            ResultColumn("imbalanced_after", rates: flags(lines.map(\.after), present: true), decimals: 0).resting(on: basis(after, "after")),
        ])
    }

    /// Variables flagged after matching.
    public var imbalancedAfter: [String] { lines.filter { Self.isImbalanced($0.after) }.map(\.name) }
}
