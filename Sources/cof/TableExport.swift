import CostOfFailure
import CostOfFailureReports

/// Makes, protects and writes `cof export`'s tables from some ``ExportAnalyses``: the one way
/// `cof export` (from a study or a streaming pass) and `cof merge` (from partials) publish them.
struct TableExport {
    /// The table asked for, or the finance pack.
    let requested: ExportCommand.Table
    let output: OutputOptions
    let disclosure: DisclosureOptions
    /// CSV for pipelines rather than for Excel.
    let csvPlain: Bool
    /// Only errors and warnings on standard error.
    let quiet: Bool

    /// Makes `assembly`'s tables from `analyses`, protects them and writes them; a before/after
    /// change without a comparison group is noted with its caveat and the `baselineCheck` (when
    /// there is one: a merge without the partials' tables has none). A
    /// workbook's cover is `cover` of its tables.
    func export(_ assembly: TableAssembly, from analyses: inout some ExportAnalyses, rounding: CountRounding,
                baselineCheck: () -> RegressionToTheMean?, cover: ([ResultTable]) throws -> XLSXRenderer.Cover,
                comparisonGroup: Bool) throws {
        if !comparisonGroup, !quiet, assembly.showsBeforeAfterChange {
            Diagnostics.note(Caveats.beforeAfter)
            if let check = baselineCheck() { Diagnostics.note(check.summary(count: Diagnostics.people)) }
        }
        let toTerminal = output.toTerminal
        let unprotected: TableAssembly.Unprotected
        do {
            unprotected = try assembly.unprotected(from: &analyses, rounding: rounding)
        } catch let failure as TableAssembly.Failure {
            throw CommandFailure(usage: failure.description)
        }
        // A person list (the top users) is working data: pseudonymised, exact, not for release.
        let results = assembly.inOrder([try disclosure.protect(unprotected.cohortLevel, toTerminal: toTerminal),
                                        try disclosure.pseudonymised(unprotected.personList)])
        try write(results, cover: cover)
    }

    /// Writes `tables` in the format asked for: a workbook with its cover, one CSV table, a
    /// JSON array (of rows for one table, of table objects for the pack), or one Markdown or
    /// terminal section per table.
    private func write(_ tables: [ResultTable], cover: ([ResultTable]) throws -> XLSXRenderer.Cover) throws {
        let marker = disclosure.suppressionMarker
        // A table that lists people (the top users) is person-level, under raw IDs or keyed
        // pseudonyms alike: pseudonymised rows are still personal data.
        let content: OutputFile.Content = tables.contains { $0.column("person_id") != nil } ? .personLevel : .summary
        switch output.format {
        case .xlsx:
            try output.write(try TableFormat.workbook(cover: try cover(tables), tables: tables, marker: marker), content: content, quiet: quiet)
        case .csv:
            // Only one table reaches CSV (the commands' validation).
            if csvPlain {
                try output.write(try output.format.render(tables[0], marker: marker), content: content, quiet: quiet)
            } else {
                var csv = CSVRenderer.spreadsheet
                csv.suppressedMarker = marker
                try output.write(csv.renderBytes(tables[0]), content: content, quiet: quiet)
            }
        case .json where requested == .finance:
            try output.write(Array(JSONRenderer(suppressedMarker: marker).render(pack: tables).utf8), content: content, quiet: quiet)
        case .table:
            // On a terminal each table says what it is and what prices its money is in.
            let sections = try tables.map { Array(TerminalTableRenderer(width: output.width).title($0).utf8) + (try output.format.render($0, marker: marker, colour: output.colour, width: output.width)) }
            try output.write(Array(sections.joined(separator: Array("\n".utf8))), content: content, quiet: quiet)
        case .json, .md:
            let sections = try tables.map { try output.format.render($0, marker: marker) }
            try output.write(Array(sections.joined(separator: Array("\n".utf8))), content: content, quiet: quiet)
        }
    }

    /// The workbook's cover (see ``WorkbookCover``) of `tables`.
    func cover(tables: [ResultTable], provenance: Provenance, comparisonGroup: WorkbookCover.ComparisonGroupOrigin?,
               project: String?) -> XLSXRenderer.Cover {
        WorkbookCover(rule: disclosure.rule, suppressedMarker: disclosure.suppressionMarker, rawIDs: disclosure.rawIDs,
                      comparisonGroup: comparisonGroup, project: project, provenance: provenance, isFinancePack: requested == .finance)
            .cover(tables: tables)
    }
}
