import CostOfFailure
import CostOfFailureReports

/// The analyses of ``ReportFixture``'s study (P1 treated on 2023-05-01) for the publishing
/// types, made as `cof` makes them, exact; each request counted, so tests can tell which
/// analyses an assembly asked for.
struct FixtureAnalyses: ExportAnalyses {
    let study: Study
    let beforeAfter: BeforeAfterTable
    /// A comparison group of one untreated person (P2, pseudo index date 2023-01-01), when asked for.
    let group: ComparisonGroup?
    private(set) var requests: [String] = []

    init(comparisonGroup: Bool = false) throws {
        study = try ReportFixture.study()
        beforeAfter = try BeforeAfterTable(study: study)
        if comparisonGroup {
            var builder = EventTableBuilder()
            builder.append(person: "P2", service: "A&E", event: "attend", date: ReportFixture.date("2023-01-01"))
            builder.append(person: "P2", service: "A&E", event: "attend", date: ReportFixture.date("2022-12-01"))
            let groupStudy = try Study(events: builder.finish(), unitCosts: study.unitCostTable,
                                       interventions: InterventionTable(entries: [.init(personID: "P2", start: ReportFixture.date("2023-01-01"))]),
                                       services: study.services, windows: study.windows, workers: 1)
            group = ComparisonGroup(study: groupStudy)
        } else {
            group = nil
        }
    }

    mutating func cohortSummary() throws -> CohortSummary {
        requests.append("cohortSummary")
        return try CohortSummary(beforeAfter: beforeAfter, members: study.cohortMembers, services: study.services, prices: study.pricesDescription)
    }

    mutating func financialYears() throws -> FinancialYearConsumption {
        requests.append("financialYears")
        return FinancialYearConsumption(study: study)
    }

    mutating func appraisal() throws -> Appraisal {
        requests.append("appraisal")
        return try Appraisal(study: study, beforeAfter: beforeAfter, differenceInDifferences: try comparisonGroupAnalysis()?.did)
    }

    mutating func comparisonGroupAnalysis() throws -> ComparisonGroupAnalysis? {
        requests.append("comparisonGroupAnalysis")
        guard let group else { return nil }
        return try ComparisonGroupAnalysis(study: study, treated: beforeAfter, group: group, resamples: 100)
    }

    mutating func useChange() throws -> UseChange {
        requests.append("useChange")
        return try UseChange(beforeAfter: beforeAfter, members: study.cohortMembers, services: study.services, rounding: .exact)
    }

    mutating func trajectory() throws -> Trajectory {
        requests.append("trajectory")
        return Trajectory(study: study)
    }

    mutating func topUsers() throws -> TopUsers {
        requests.append("topUsers")
        return TopUsers(study: study)
    }
}
