extension CohortAnalyses {
    /// Several of the whole cohort's folds run as one (a ``CohortFold`` of ``CohortFold``s): one
    /// pass over the members for all of them, each member's events read once while they are in
    /// cache, the members split over the workers as any fold's are. Each fold takes every member
    /// and merges exactly as it does alone, so each comes out the value it has made alone.
    ///
    /// A command reading several of the cohort's analyses has them made this way (see
    /// ``startMaking(_:)``). Two other ways were measured and replaced: one after another, each
    /// split over the cores, idled a core at each one's end; side by side, one fold a core, they
    /// ended unevenly, and each streamed the whole cohort's events through the cache again.
    struct FoldSet: CohortFold {
        var consumption: ConsumptionReport.Fold?
        var baselineCheck: RegressionToTheMean.Fold?
        var appraisal: Appraisal.Split?
        var financialYears: FinancialYearConsumption.Fold?
        var trajectory: Trajectory.Fold?
        var timeline: QuarterlyTimeline.Fold?

        /// The folds of `analyses`, of every member of `cohort`, none folded yet.
        init(_ analyses: [Analysis], of cohort: CohortAnalyses) {
            for analysis in analyses {
                switch analysis {
                case .consumptionReport: consumption = cohort.consumptionFold(only: nil)
                case .baselineCheck: baselineCheck = cohort.baselineCheckFold
                case .appraisal: appraisal = cohort.appraisalFold(only: nil)
                case .financialYears: financialYears = cohort.financialYearsFold
                case .trajectory: trajectory = cohort.trajectoryFold(months: Trajectory.defaultMonths, only: nil)
                case .timeline: timeline = cohort.timelineFold(only: nil)
                }
            }
        }

        private init(consumption: ConsumptionReport.Fold?, baselineCheck: RegressionToTheMean.Fold?, appraisal: Appraisal.Split?,
                     financialYears: FinancialYearConsumption.Fold?, trajectory: Trajectory.Fold?, timeline: QuarterlyTimeline.Fold?) {
            (self.consumption, self.baselineCheck, self.appraisal) = (consumption, baselineCheck, appraisal)
            (self.financialYears, self.trajectory, self.timeline) = (financialYears, trajectory, timeline)
        }

        func empty() -> FoldSet {
            FoldSet(consumption: consumption?.empty(), baselineCheck: baselineCheck?.empty(), appraisal: appraisal?.empty(),
                    financialYears: financialYears?.empty(), trajectory: trajectory?.empty(), timeline: timeline?.empty())
        }

        mutating func add(_ member: MemberEvents) {
            consumption?.add(member)
            baselineCheck?.add(member)
            appraisal?.add(member)
            financialYears?.add(member)
            trajectory?.add(member)
            timeline?.add(member)
        }

        mutating func merge(_ other: FoldSet) {
            Self.merge(&consumption, other.consumption)
            Self.merge(&baselineCheck, other.baselineCheck)
            Self.merge(&appraisal, other.appraisal)
            Self.merge(&financialYears, other.financialYears)
            Self.merge(&trajectory, other.trajectory)
            Self.merge(&timeline, other.timeline)
        }

        /// Adds `other` to `fold` (both present or both absent: states of one set's folds).
        private static func merge<F: CohortFold>(_ fold: inout F?, _ other: F?) {
            precondition((fold == nil) == (other == nil), "states of the same folds")
            if let other { fold?.merge(other) }
        }
    }
}
