import ArgumentParser
import Foundation
import CostOfFailure
import CostOfFailureReports

/// `cof export`: the cohort's summary tables, for finance and for charts: one table, or the
/// finance pack (a workbook of the tables a business case needs).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "The cohort's summary tables: before/after overall or by service, category or agency; consumption and the intervention's cost by financial year; the trajectory; the appraisal; the difference in differences; or all of them for finance, as an Excel workbook.",
        discussion: """
            Every figure is in the prices the run states on standard error (give --price-base to state them in one \
            financial year's prices). Tables: cohort, by-service, by-category, by-agency (before and after the index \
            date); financial-years (consumption by financial year, agency and value type, every date); \
            intervention-by-year (the intervention's own cost by financial year); trajectory (mean cost and events per \
            person-month, months -24 to +12 around the index date); did (the treated change in cost per person-year \
            minus the comparison group's, with a 95% bootstrap interval: needs --comparison or --match-comparison; a \
            matched group is matched again in every bootstrap replicate); placebo (the same with every index date \
            moved back by the after window: near zero unless the groups were on different paths); balance \
            (standardised mean differences of the variables matched on, before and after matching); use-change \
            (treated people whose cost per person-year went up, stayed within 10% or went down); appraisal (the \
            Green Book appraisal: present values of costs and benefits, NPV, benefit–cost ratio, return on investment, \
            switching value and, with a comparison group, the probability that NPV > 0; see the appraisal options); \
            top-users (each service's heaviest users over --from/--to, with cohort ranks before and after: lists IDs); \
            finance (the finance pack: cohort, by-service, by-category, by-agency, financial-years, \
            intervention-by-year, appraisal, use-change, and did, placebo and balance when there is a comparison group). \
            --format xlsx writes an Excel workbook (the finance pack unless --table says otherwise) with a cover \
            sheet stating the parameters, prices, sources and the disclosure rule, then a sheet per table; it goes \
            to --output FILE or a redirected standard output, never to a terminal.
            """
    )

    /// What `--table` names: one table of the registry (``ExportTable``), or the finance pack.
    enum Table: RawRepresentable, ExpressibleByArgument, CaseIterable, Equatable {
        case one(ExportTable)
        case finance

        init?(rawValue: String) {
            if rawValue == "finance" {
                self = .finance
            } else if let table = ExportTable(rawValue: rawValue) {
                self = .one(table)
            } else {
                return nil
            }
        }

        var rawValue: String {
            switch self {
            case .one(let table): return table.rawValue
            case .finance: return "finance"
            }
        }

        static var allCases: [Table] { ExportTable.allCases.map(Table.one) + [.finance] }
    }

    @OptionGroup var study: StudyOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Which table, or finance for the finance pack (default: finance with --format xlsx, cohort otherwise).", valueName: "table"))
    var table: Table?

    @OptionGroup var disclosure: DisclosureOptions

    @Flag(name: .customLong("csv-plain"), help: "CSV for pipelines: no byte-order mark, LF line ends, text as it is (the default is CSV for Excel: BOM, CRLF, formula-like text neutralised).")
    var csvPlain = false

    @OptionGroup var appraisal: AppraisalOptions

    @OptionGroup var topUsersPeriod: TopUsersPeriodOptions

    @Option(help: "Top users: how many per service.")
    var top = 10

    func validate() throws {
        if top < 1 { throw ValidationError("give --top of 1 or more") }
        if output.format == .csv && requestedTable == .finance {
            throw ValidationError("a CSV holds one table: give --table NAME or --format xlsx")
        }
        // A workbook is binary: on a terminal it is noise. A pipe or a redirect to a file is
        // someone asking for the bytes (`> pack.xlsx`, an upload), so it is written there.
        if output.format == .xlsx && output.toTerminal {
            throw ValidationError("an XLSX workbook is not for the terminal: give --output FILE.xlsx")
        }
    }

    /// The table asked for: `--table`, else the finance pack for a workbook and the cohort otherwise.
    var requestedTable: Table { table ?? (output.format == .xlsx ? .finance : .one(.cohort)) }

    func run() throws {
        try reportingFailures {
            let outputs = [output.output, disclosure.auditFile], keyFile = disclosure.pseudonymKeyFile.map { [$0] } ?? []
            // Small numbers are withheld in anything not shown on an interactive terminal,
            // whatever the format.
            let rounding = disclosure.rounding(toTerminal: output.toTerminal)
            let grouped = try self.study.asksForComparisonGroup()
            if try self.study.canStream(), Self.folded(assembly(comparisonGroup: grouped).tables, comparisonGroup: grouped) {
                // One streaming pass: every table asked for is a fold over the cohort's events,
                // or (a comparison group's) a declaration over everyone's events the pass keeps.
                let inputs = try self.study.inputs(try self.study.source.projectFile())
                // The cover's hashes of the inputs, on a thread of their own while they are read
                // and the tables made.
                let hashes = output.format == .xlsx ? InputHashes(inputs) : nil
                let pass: StreamingPass, comparisonGroup: ComparisonGroupPeople?
                if grouped {
                    (pass, comparisonGroup) = try self.study.compareInOnePassWithComparisonGroup(outputs: outputs, alsoReading: keyFile,
                                                                                                 digests: hashes?.digests ?? [:])
                } else {
                    // The top users rank everyone in the extract: only then does the pass code every person.
                    let ranking = assembly(comparisonGroup: false).tables.contains(.topUsers) ? topUsersPeriod.ranking : nil
                    pass = try self.study.compareInOnePass(outputs: outputs, alsoReading: keyFile, keepingCohortEvents: true,
                                                           rankingTopUsers: ranking, digests: hashes?.digests ?? [:])
                    comparisonGroup = nil
                }
                var analyses = FoldedExportAnalyses(pass: pass, comparisonGroup: comparisonGroup, appraisal: appraisal.settings, warn: Diagnostics.warn, rounding: rounding, top: top)
                try export(assembly(comparisonGroup: comparisonGroup != nil), from: &analyses, rounding: rounding, baselineCheck: { pass.regressionToTheMean },
                           provenance: { Provenance.of(Provenance.StudyFacts(pass), inputs: inputs, hashes: hashes) },
                           comparisonGroup: comparisonGroup != nil)
                return
            }
            let (study, comparisonGroup) = try self.study.loadStudyAndComparisonGroup(outputs: outputs, alsoReading: keyFile)
            var analyses = StudyExportAnalyses(study: study, comparisonGroup: comparisonGroup, appraisal: appraisal.settings, warn: Diagnostics.warn, rounding: rounding,
                                               topUsersPeriod: topUsersPeriod.ranking.period, top: top)
            let inputs = try self.study.inputs(try self.study.source.projectFile())
            try export(assembly(comparisonGroup: comparisonGroup != nil), from: &analyses, rounding: rounding,
                       baselineCheck: { RegressionToTheMean(study: study) }, provenance: { Provenance.of(study, inputs: inputs) },
                       comparisonGroup: comparisonGroup != nil)
        }
    }

    /// The tables a streaming pass folds (see ``FoldedExportAnalyses``; the top users from a
    /// pass that codes everyone in the extract, or from partials that carry their state): with
    /// `comparisonGroup`, the comparison group's too (from everyone's events the pass keeps), but
    /// not the top users beside them. Without, the tables a merge of partials makes.
    static func folded(_ tables: [ExportTable], comparisonGroup: Bool = false) -> Bool {
        tables.allSatisfy {
            [.cohort, .byService, .byCategory, .byAgency, .financialYears, .interventionByYear, .appraisal, .useChange, .trajectory].contains($0)
                || (comparisonGroup ? [.did, .placebo, .balance] : [.topUsers]).contains($0)
        }
    }

    /// The tables asked for, the finance pack's as the comparison group makes it.
    private func assembly(comparisonGroup: Bool) -> TableAssembly {
        switch requestedTable {
        case .finance: return TableAssembly(financePackWithComparisonGroup: comparisonGroup)
        case .one(let table): return TableAssembly(tables: [table])
        }
    }

    /// Makes `assembly`'s tables from `analyses`, protects them and writes them (see ``TableExport``).
    private func export(_ assembly: TableAssembly, from analyses: inout some ExportAnalyses, rounding: CountRounding,
                        baselineCheck: () -> RegressionToTheMean, provenance: () -> Provenance, comparisonGroup: Bool) throws {
        let writer = TableExport(requested: requestedTable, output: output, disclosure: disclosure, csvPlain: csvPlain, quiet: study.quiet)
        try writer.export(assembly, from: &analyses, rounding: rounding, baselineCheck: baselineCheck, cover: { tables in
            let inputs = try self.study.inputs(try self.study.source.projectFile())
            let origin: WorkbookCover.ComparisonGroupOrigin? = comparisonGroup ? inputs.comparisonGroup.map { .file($0) } ?? .matched : nil
            return writer.cover(tables: tables, provenance: provenance(), comparisonGroup: origin, project: self.study.source.project)
        }, comparisonGroup: comparisonGroup)
    }
}
