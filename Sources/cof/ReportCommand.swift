import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// `cof report`: the analyst's view of one person or the whole cohort.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Lifetime use, before/after by service and the intervention's spend, for a person or the cohort."
    )

    @OptionGroup var study: StudyOptions

    @Option(help: ArgumentHelp("Report on this person only (default: every person with an intervention).", valueName: "id"))
    var person: String?

    @Option(help: ArgumentHelp("Write to this file (completely or not at all) instead of standard output.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Write the report as one self-contained HTML file (charts, the tables behind them, caveats, provenance; no scripts) instead of text. A cohort's small numbers are suppressed; a person's report is the analyst's own case file.", valueName: "file"))
    var html: String?

    @OptionGroup var appraisal: AppraisalOptions

    @OptionGroup var disclosure: DisclosureOptions

    func validate() throws {
        if html != nil && output != nil { throw ValidationError("give --html FILE or --output FILE, not both") }
        // A file that names a person and shows their exact figures is written only when asked
        // for as plainly as any other export of raw IDs.
        if html != nil, person != nil, !disclosure.rawIDs {
            throw ValidationError("a person's HTML report names them and shows exact figures (the analyst's own case file, not for release): give --raw-ids to write it")
        }
    }

    func run() throws {
        try reportingFailures {
            let outputs = [html ?? output, disclosure.auditFile], keyFile = disclosure.pseudonymKeyFile.map { [$0] } ?? []
            // One streaming pass; a cohort's comparison group (its appraisal takes its saving
            // from the group) from everyone's events the pass keeps.
            let analyses: any ReportAnalyses
            if try self.study.canStream() {
                // The HTML footer's hashes of the inputs, on a thread of their own while they are read.
                let hashes = html != nil ? InputHashes(try self.study.inputs(try self.study.source.projectFile())) : nil
                if person == nil {
                    let (pass, comparisonGroup) = try self.study.compareInOnePassWithComparisonGroup(outputs: outputs, alsoReading: keyFile,
                                                                                                     digests: hashes?.digests ?? [:])
                    analyses = FoldedReportAnalyses(pass: pass, comparisonGroup: comparisonGroup, hashes: hashes)
                } else {
                    analyses = FoldedReportAnalyses(pass: try self.study.compareInOnePass(outputs: outputs, alsoReading: keyFile, keepingCohortEvents: true,
                                                                                          digests: hashes?.digests ?? [:]),
                                                    hashes: hashes)
                }
            } else if person == nil {
                let (study, comparisonGroup) = try self.study.loadStudyAndComparisonGroup(outputs: outputs, alsoReading: keyFile)
                analyses = StudyReportAnalyses(study: study, comparisonGroup: comparisonGroup)
            } else {
                analyses = StudyReportAnalyses(study: try self.study.loadStudy(outputs: outputs, alsoReading: keyFile), comparisonGroup: nil)
            }
            let inputs = try self.study.inputs(try self.study.source.projectFile())
            try ReportOutput(person: person, appraisal: appraisal, disclosure: disclosure).write(analyses, html: html, output: output, provenance: { analyses.provenance(inputs: inputs) }, quiet: self.study.quiet)
        }
    }
}
