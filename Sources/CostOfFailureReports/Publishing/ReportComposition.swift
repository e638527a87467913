import CostOfFailure

/// A report of one person or the cohort from some ``ReportAnalyses``: its tables (protected
/// when they leave the engine), its HTML document and its text, composed one way whether the
/// analyses come from a study, a streaming pass or merged partials. Where it goes — a file, a
/// pipe, an interactive terminal — is the caller's to decide; what it contains is decided here.
public struct ReportComposition {
    /// The person reported on (`nil`: the cohort).
    public let person: String?
    /// The appraisal's assumptions and bootstrap.
    public let appraisal: AppraisalSettings
    /// The disclosure rule the protected tables are published under.
    public let rule: DisclosureRule
    /// What a withheld cell shows.
    public let suppressedMarker: String
    /// Makes a set of linked tables ready to leave the engine: pseudonyms, then the rule applied
    /// to the tables as one system (``DisclosureControl``), and any audit of that decision.
    public let protect: (LinkedTables) throws -> LinkedTables
    /// Says a warning of the analyses (the comparison group's) to the user.
    public let warn: (String) -> Void

    /// A composition of `person`'s report (`nil`: the cohort's) under `appraisal`, its tables
    /// protected by `protect` under `rule` (withheld cells showing `suppressedMarker`).
    public init(person: String?, appraisal: AppraisalSettings, rule: DisclosureRule, suppressedMarker: String,
                protect: @escaping (LinkedTables) throws -> LinkedTables, warn: @escaping (String) -> Void = { _ in }) {
        self.person = person
        self.appraisal = appraisal
        self.rule = rule
        self.suppressedMarker = suppressedMarker
        self.protect = protect
        self.warn = warn
    }

    /// Starts making the whole cohort's folds the report reads, in one pass beside the caller
    /// (see ``CohortAnalyses/startMaking(_:)``): with `tables` (the HTML report, the protected
    /// text) those of every table, otherwise those of the exact text; none for a person's
    /// report. Not the consumption report's and the baseline check it reads: the caller, which
    /// reads it first, makes them itself and goes on to the cohort summary while the pass runs.
    public func startMaking(_ analyses: any ReportAnalyses, tables: Bool) {
        guard person == nil else { return }
        analyses.startMaking(tables ? [.trajectory, .financialYears, .timeline, .appraisal] : [.trajectory, .appraisal])
    }

    /// The consumption report of the subject (the person, or the cohort).
    public func consumptionReport(_ analyses: any ReportAnalyses) throws(PublicationFailure) -> ConsumptionReport {
        do throws(ConsumptionReport.Failure) {
            return try analyses.consumptionReport(subject: person.map(ConsumptionReport.Subject.person) ?? .cohort)
        } catch {
            throw .badData(error.description)
        }
    }

    /// The report as it leaves the engine in text: the protected tables alone, in the order the
    /// screen shows them, `width` columns wide.
    public func protectedText(_ analyses: any ReportAnalyses, report: ConsumptionReport, width: Int?) throws -> String {
        let (tables, notes) = try reportTables(analyses, report: report, protected: true)
        return ReportText.protected(tables, notes: notes, pricesDescription: analyses.prices, disclosure: rule,
                                    suppressedMarker: suppressedMarker, width: width)
    }

    /// The report with exact figures (the analyst's own screen, or a person's case file):
    /// lifetime use, before/after by service, the appraisal, the trajectory and the inference.
    public func exactText(_ analyses: any ReportAnalyses, report: ConsumptionReport, colour: Bool, width: Int?) throws -> String {
        // The before/after table: made once, for the cohort's tables and the appraisal.
        let comparison = try PublicationFailure.checkingOverflow { () throws(CostResolver.Overflow) in try analyses.beforeAfterTable() }
        let summary = try person == nil ? cohortSummary(analyses, beforeAfter: comparison) : nil
        // One comparison-group analysis (one bootstrap) for the appraisal's deadweight and the inference sections.
        let analysis = try analyses.comparisonGroupAnalysis(settings: appraisal, treated: comparison, rounding: .exact)
        let appraisal = try analyses.appraisal(settings: self.appraisal, beforeAfter: comparison, did: analysis?.did, person: person, rounding: .exact)
        let trajectory = analyses.trajectory(person: person)
        let inference = try person == nil ? self.inference(analyses, beforeAfter: comparison, analysis: analysis, rounding: .exact) : nil
        return ReportText.exact(report: report, summary: summary, appraisal: appraisal, trajectory: trajectory, inference: inference,
                                colour: colour, width: width)
    }

    /// The report's tables (see ``ReportTables``) of the cohort or the person. When `protected` (a
    /// cohort's report leaving the screen), every table is protected with every table its
    /// figures are tied to — those of the finance pack too — so that the report withholds what
    /// the pack withholds. With `sourceCoverage` (the HTML report's checks) each event source's
    /// coverage of the cohort is among them, protected in the same pass (and so in the same audit).
    public func reportTables(_ analyses: any ReportAnalyses, report: ConsumptionReport, protected: Bool,
                             sourceCoverage: Bool = false) throws -> (tables: LinkedTables, notes: [String]) {
        let cohort = person == nil
        let rounding = protected ? rule.rounding : .exact
        if cohort && !analyses.hasComparisonGroup {
            return try cohortTables(analyses, report: report, protected: protected, rounding: rounding, sourceCoverage: sourceCoverage)
        }
        let comparison = try PublicationFailure.checkingOverflow { () throws(CostResolver.Overflow) in try analyses.beforeAfterTable() }
        let analysis = cohort ? try analyses.comparisonGroupAnalysis(settings: appraisal, treated: comparison, rounding: rounding) : nil
        let appraisal = try analyses.appraisal(settings: self.appraisal, beforeAfter: comparison, did: analysis?.did, person: person, rounding: rounding)
        let person = self.person
        let summary = try PublicationFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try CohortSummary(beforeAfter: person.map { id in comparison.filtered { $0.personID == id } } ?? comparison,
                              members: analyses.members.filter { person == nil || $0.personID == person },
                              services: analyses.services, prices: analyses.prices)
        }
        let tables = ReportTables(
            person: person, summary: summary, financialYears: cohort ? analyses.financialYears() : nil, appraisal: appraisal,
            trajectory: analyses.trajectory(person: person), baselineCheck: analyses.baselineCheck(), unpriced: report.unpriced,
            timeline: analyses.timeline(person: person),
            inference: cohort ? try inference(analyses, beforeAfter: comparison, analysis: analysis, rounding: rounding) : nil,
            sourceCoverage: sourceCoverage ? analyses.sourceCoverage : nil)
        let set = tables.linkedTables(rounding: rounding)
        return (protected ? try protect(set) : set, tables.notes)
    }

    /// ``reportTables(_:report:protected:sourceCoverage:)`` of a cohort without a comparison
    /// group: from its summary alone (the appraisal and the use change read it too), with no
    /// before/after table of ID strings.
    private func cohortTables(_ analyses: any ReportAnalyses, report: ConsumptionReport, protected: Bool, rounding: CountRounding,
                              sourceCoverage: Bool) throws -> (tables: LinkedTables, notes: [String]) {
        let summary = try PublicationFailure.checkingOverflow { () throws(CostResolver.Overflow) in try analyses.cohortSummary() }
        let appraisal = try analyses.appraisal(settings: self.appraisal, summary: summary, rounding: rounding)
        let useChange = try PublicationFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try UseChange(summary: summary, members: analyses.members, rounding: rounding)
        }
        let tables = ReportTables(
            person: nil, summary: summary, financialYears: analyses.financialYears(), appraisal: appraisal,
            trajectory: analyses.trajectory(person: nil), baselineCheck: analyses.baselineCheck(), unpriced: report.unpriced,
            timeline: analyses.timeline(person: nil), inference: ReportTables.Inference(useChange: useChange, comparisonGroup: nil),
            sourceCoverage: sourceCoverage ? analyses.sourceCoverage : nil)
        let set = tables.linkedTables(rounding: rounding)
        return (protected ? try protect(set) : set, tables.notes)
    }

    /// The cohort summary from its before/after table `comparison`.
    private func cohortSummary(_ analyses: any ReportAnalyses, beforeAfter comparison: BeforeAfterTable) throws(PublicationFailure) -> CohortSummary {
        try PublicationFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try CohortSummary(beforeAfter: comparison, members: analyses.members, services: analyses.services, prices: analyses.prices)
        }
    }

    /// The cohort's inference: the up/same/down shares from `comparison` counted with
    /// `rounding`, and the comparison group's `analysis` (the one the appraisal took its
    /// deadweight from) when there is one, whose warnings are said here.
    private func inference(_ analyses: any ReportAnalyses, beforeAfter comparison: BeforeAfterTable, analysis: ComparisonGroupAnalysis?,
                           rounding: CountRounding) throws(PublicationFailure) -> ReportTables.Inference {
        let useChange = try PublicationFailure.checkingOverflow { () throws(CostResolver.Overflow) in
            try UseChange(beforeAfter: comparison, members: analyses.members, services: analyses.services, rounding: rounding)
        }
        for warning in analysis?.warnings ?? [] { warn(warning) }
        return ReportTables.Inference(useChange: useChange, comparisonGroup: analysis)
    }

    /// The HTML report of `report`'s subject (see ``HTMLReportContent``): a cohort's tables
    /// protected (with each source's coverage of the cohort), a person's exact; `provenance` in its footer.
    public func htmlReport(_ analyses: any ReportAnalyses, report: ConsumptionReport, provenance: Provenance) throws -> HTMLReport {
        let cohort = person == nil
        let (tables, notes) = try reportTables(analyses, report: report, protected: cohort, sourceCoverage: cohort)
        return HTMLReportContent(person: person, tables: tables, notes: notes, comparisonGroup: analyses.hasComparisonGroup, report: report,
                                 study: analyses.setting, assumptions: appraisal.assumptions,
                                 disclosure: .init(rule: rule, suppressedMarker: suppressedMarker),
                                 provenance: provenance).document()
    }
}
