import CostOfFailure
import CostOfFailureReports

/// Where `cof report` and `cof merge --report`/`--html` send a report under their flags: HTML
/// to a file, or text to a file, a pipe or the screen. What the report contains is the
/// library's ``ReportComposition``; this decides only where it goes and, from that, whether
/// the cohort's figures are the protected tables or the exact screen.
struct ReportOutput {
    /// The person reported on (`nil`: the cohort).
    let person: String?
    let appraisal: AppraisalOptions
    let disclosure: DisclosureOptions

    /// The composition under the flags: tables leaving the engine protected by the disclosure
    /// flags (the audit written when asked for), warnings on standard error.
    var composition: ReportComposition {
        let disclosure = self.disclosure
        return ReportComposition(person: person, appraisal: appraisal.settings, rule: disclosure.rule,
                                 suppressedMarker: disclosure.suppressionMarker,
                                 protect: { try disclosure.protect($0, toTerminal: false) }, warn: Diagnostics.warn)
    }

    /// Writes the report of `analyses`: HTML to `html`, else text to `output` (`nil`: standard
    /// output). A cohort's figures leave an interactive terminal only protected; `provenance`
    /// is the HTML footer's.
    func write(_ analyses: any ReportAnalyses, html: String?, output: String?, provenance: () -> Provenance, quiet: Bool) throws {
        let composition = self.composition
        // A person's report names them and shows their exact figures; a cohort's is tables.
        let content: OutputFile.Content = person == nil ? .summary : .personLevel
        let width = Terminal.tableWidth(output: output)
        let exact = html == nil && (person != nil || Terminal.isInteractive(output: output))
        composition.startMaking(analyses, tables: !exact)
        let report = try composition.consumptionReport(analyses)
        if let html {
            let document = try composition.htmlReport(analyses, report: report, provenance: provenance())
            try CommandOutput.write(document.render(), to: html, content: content, quiet: quiet)
            return
        }
        if !exact {
            try CommandOutput.write(try composition.protectedText(analyses, report: report, width: width), to: output, content: .summary, quiet: quiet)
            return
        }
        if person == nil { DisclosureOptions.noteExactOnTerminal() }
        let text = try composition.exactText(analyses, report: report, colour: output == nil && Terminal.allowsColour(onStandardOutput: true), width: width)
        try CommandOutput.write(text, to: output, content: content, quiet: quiet)
    }
}
