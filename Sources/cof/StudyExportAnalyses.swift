import CostOfFailure
import CostOfFailureReports

/// The analyses of a loaded study for `cof export`'s tables, each made once on first request
/// under the appraisal flags: the person × service before/after table (a pass over every event)
/// that the cohort summary, the appraisal, the use change and the difference in differences all
/// start from is made once for all of them. Overflow is bad data (exit 65); the comparison
/// group's warnings are said once, when it is analysed.
struct StudyExportAnalyses: ExportAnalyses {
    let study: Study
    let comparisonGroup: ComparisonGroup?
    let appraisalOptions: AppraisalOptions
    /// How counts are published: the use change and the comparison group's analysis count with it.
    let rounding: CountRounding
    let topUsersPeriod: ClosedRange<CivilDate>?
    let top: Int

    private var beforeAfter: BeforeAfterTable?
    private var summary: CohortSummary?
    private var groupAnalysis: ComparisonGroupAnalysis??

    init(study: Study, comparisonGroup: ComparisonGroup?, appraisal: AppraisalOptions, rounding: CountRounding,
         topUsersPeriod: ClosedRange<CivilDate>?, top: Int) {
        self.study = study
        self.comparisonGroup = comparisonGroup
        self.appraisalOptions = appraisal
        self.rounding = rounding
        self.topUsersPeriod = topUsersPeriod
        self.top = top
    }

    /// The study's before/after table.
    private mutating func beforeAfterTable() throws -> BeforeAfterTable {
        if let made = beforeAfter { return made }
        let made: BeforeAfterTable
        do throws(CostResolver.Overflow) {
            made = try BeforeAfterTable(study: study)
        } catch {
            throw CommandFailure(badData: error.description)
        }
        beforeAfter = made
        return made
    }

    mutating func cohortSummary() throws -> CohortSummary {
        if let made = summary { return made }
        let comparison = try beforeAfterTable()
        let study = self.study
        let made = try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try CohortSummary(comparison: comparison, members: study.cohortMembers, services: study.services, prices: study.pricesDescription)
        }
        summary = made
        return made
    }

    mutating func comparisonGroupAnalysis() throws -> ComparisonGroupAnalysis? {
        if let made = groupAnalysis { return made }
        let made = try appraisalOptions.comparisonGroupAnalysis(study: study, treated: try beforeAfterTable(), comparisonGroup: comparisonGroup,
                                                                rounding: rounding)
        // Once made, said once; no comparison group is remembered too.
        for warning in made?.warnings ?? [] { Diagnostics.warn(warning) }
        groupAnalysis = .some(made)
        return made
    }

    mutating func appraisal() throws -> Appraisal {
        let comparison = try beforeAfterTable()
        return try appraisalOptions.appraisal(study: study, comparison: comparison, did: try comparisonGroupAnalysis()?.did, rounding: rounding)
    }

    mutating func financialYears() throws -> FinancialYearConsumption {
        FinancialYearConsumption(study: study)
    }

    mutating func useChange() throws -> UseChange {
        let comparison = try beforeAfterTable()
        let (study, rounding) = (self.study, self.rounding)
        return try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try UseChange(comparison: comparison, members: study.cohortMembers, services: study.services, rounding: rounding)
        }
    }

    mutating func trajectory() throws -> Trajectory {
        Trajectory(study: study)
    }

    mutating func topUsers() throws -> TopUsers {
        TopUsers(study: study, period: topUsersPeriod, top: top)
    }
}
