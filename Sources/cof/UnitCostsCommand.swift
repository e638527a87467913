import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// `cof unit-costs`: lists and searches the unit-cost catalogue (the shipped table, or a study's
/// own file laid over it), on the terminal or as CSV.
struct UnitCostsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unit-costs",
        abstract: "List and search the unit costs: the shipped table, or with --unit-costs/--project the table a study prices with.",
        discussion: """
            A study's own unit costs are laid over the shipped ones by (service, event): a row with the service and \
            event of a shipped row replaces it, others are added (--replace-shipped-unit-costs: the own file alone). \
            SEARCH matches service, event, code or source, ignoring case.
            """
    )

    @Argument(help: ArgumentHelp("Show only unit costs whose service, event, code or source holds this text (any case).", valueName: "search"))
    var searchArgument: String?

    @Option(name: .customLong("search"), help: ArgumentHelp("The same as the SEARCH argument.", valueName: "text"))
    var searchOption: String?

    @Option(name: .customLong("unit-costs"), help: ArgumentHelp("A study's unit-cost CSV, laid over the shipped table.", valueName: "file"))
    var unitCosts: String?

    @Option(help: ArgumentHelp("A project file: its unit_costs (and replace_shipped_unit_costs).", valueName: "file"))
    var project: String?

    @Flag(name: .customLong("replace-shipped-unit-costs"), help: "Show the --unit-costs file alone, as a study with this flag prices.")
    var replaceShippedUnitCosts = false

    @Option(help: "Output format: text or csv.")
    var format: Format = .text

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(name: .shortAndLong, help: "No notes on standard error.")
    var quiet = false

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, csv }

    func validate() throws {
        if searchArgument != nil && searchOption != nil { throw ValidationError("give the search once: as SEARCH or --search") }
    }

    func run() throws {
        try reportingFailures {
            let projectFile: ProjectFile?
            do throws(ProjectFile.Failure) {
                projectFile = try project.map { (path) throws(ProjectFile.Failure) in try ProjectFile.load(path: path) }
            } catch {
                throw CommandFailure(error)
            }
            let source = unitCosts.map(InputSource.file) ?? projectFile?.unitCosts
            let replace = replaceShippedUnitCosts || projectFile?.replaceShippedUnitCosts == true
            if replace && source == nil {
                throw CommandFailure(usage: "replacing the shipped unit costs needs a unit-cost file: give --unit-costs (or a project file with unit_costs)")
            }
            // Every file the project names, not only its unit costs: none is this command's to replace.
            var reading = (project.map { [$0] } ?? []) + (projectFile?.listedFiles.map(\.path) ?? [])
            if case .file(let path)? = source { reading.append(path) }
            try CommandOutput.checkBeforeReading(inputs: reading, outputs: [output])
            let table: UnitCostTable
            do throws(IngestError) {
                // The project's file as the project maps it (header names, delimiter, encoding).
                let mapping = projectFile?.mapping(of: .unitCosts, flag: unitCosts) ?? .standard
                table = try UnitCostCatalogue.effective(source, mapping: mapping, replaceShipped: replace)
            } catch {
                throw CommandFailure(StudyInputs.Failure.ingest(error))
            }
            if !quiet { for note in UnitCostCatalogue.notes(table) { Diagnostics.note(note) } }
            let entries = UnitCostCatalogue.matching(table, search: searchArgument ?? searchOption)
            let result = UnitCostCatalogue.resultTable(entries)
            // Published figures about no person: nothing to protect (see UnitCostCatalogue.resultTable).
            switch format {
            case .csv:
                try CommandOutput.write(CSVRenderer().render(result), to: output, content: .summary, quiet: quiet)
            case .text:
                let summary = UnitCostCatalogue.summary(of: table, shown: entries.count)
                // Fitted to the screen as every table is (see Terminal.tableWidth).
                let width = Terminal.tableWidth(output: output)
                try CommandOutput.write(summary + "\n\n" + TerminalTableRenderer(width: width).render(result), to: output, content: .summary, quiet: quiet)
            }
        }
    }
}
