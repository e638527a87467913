import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// `cof validate`: a data-quality report of every source, with no analysis.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check every source without analysing: rows, people, dates, what is recorded, unpriced pairs, duplicates, errors.",
        discussion: """
            Every row is read (bad rows are collected, not fatal), so one run lists every problem with its first \
            positions. Exit 0 when every row loads, 65 otherwise. Duplicates, unpriced pairs and people without an \
            intervention are reported but do not fail the check.
            """
    )

    @OptionGroup var source: SourceOptions

    @Option(help: ArgumentHelp("The interventions CSV (to count people with no intervention).", valueName: "file"))
    var interventions: String?

    @Option(name: .customLong("unit-costs"), help: ArgumentHelp("The unit-cost CSV (to list unpriced pairs).", valueName: "file"))
    var unitCosts: String?

    @Flag(name: .customLong("replace-shipped-unit-costs"), help: "Price with the --unit-costs file alone, instead of laying it over the shipped table by (service, event).")
    var replaceShippedUnitCosts = false

    @Option(name: .customLong("observation-end"), help: ArgumentHelp("Count rows after this day (YYYY-MM-DD or DD/MM/YYYY). Default: the last date the data covers (stated on standard error: the end to give cof partial).", valueName: "date"))
    var observationEnd: CivilDate?

    @OptionGroup var fields: FieldOptions

    @Option(name: .customLong("format"), help: "Output format: text or json. Without it, a file ending .json gets JSON, else text.")
    var givenFormat: ReportFormat?

    /// The format the report is written in: ``givenFormat``, else JSON for an output file
    /// named `.json` (as ``TableFormat/init(fileName:)`` reads names), else text.
    var format: ReportFormat { givenFormat ?? (output.flatMap(TableFormat.init(fileName:)) == .json ? .json : .text) }

    @OptionGroup var disclosure: DisclosureOptions

    @Option(help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var progress: ProgressOptions

    enum ReportFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        if source.project == nil && source.eventFiles.isEmpty { throw ValidationError("give --project, or at least one --events file") }
        // The report's only protected table is the coverage, published by the rule as it stands;
        // it is written in the report itself, and no audit file is made.
        if disclosure.auditFile != nil { throw ValidationError("cof validate writes no disclosure audit: leave out --disclosure-audit") }
    }

    func run() throws {
        try reportingFailures {
            let project = try source.projectFile(showValues: fields.showValues)
            let sources = try source.sources(project)
            let tables = [unitCosts.map(InputSource.file) ?? project?.unitCosts, interventions.map(InputSource.file) ?? project?.interventions]
            // Every file read, and every file the project names, whether or not it is read here.
            let reading = (source.project.map { [$0] } ?? []) + (sources.map(\.input) + tables.compactMap { $0 }).compactMap { input -> String? in
                guard case .file(let path) = input else { return nil }
                return path
            } + (project?.listedFiles.map(\.path) ?? []) + (disclosure.pseudonymKeyFile.map { [$0] } ?? [])
            try CommandOutput.checkBeforeReading(inputs: reading, outputs: [output])
            let maxFieldBytes = fields.maxFieldBytes
            var loader = EventLoader(policy: ErrorPolicy(mode: .reject, showValues: fields.showValues), maxFieldBytes: maxFieldBytes,
                                     workers: Processors.online)
            let reader = CSVReader(maxFieldBytes: maxFieldBytes, showValues: fields.showValues)
            let report: DataQualityReport
            do throws(IngestError) {
                // The unit costs price the rows as they stream past, and the interventions' people
                // are followed, so both are read first; an error in them is reported after the
                // events', in the order the table path read them.
                var unitCostsFailure: IngestError?, interventionsFailure: IngestError?
                var unitCostTable: UnitCostTable?, interventionTable: InterventionTable?
                do throws(IngestError) {
                    unitCostTable = try (unitCosts.map(InputSource.file) ?? project?.unitCosts).map { (source) throws(IngestError) in
                        try UnitCostCatalogue.effective(source, reader: reader,
                                                        mapping: project?.mapping(of: .unitCosts, flag: unitCosts) ?? .standard,
                                                        replaceShipped: replaceShippedUnitCosts || project?.replaceShippedUnitCosts == true)
                    }
                } catch {
                    unitCostsFailure = error
                }
                do throws(IngestError) {
                    let interventionsPersonID = interventions == nil ? project?.interventionsPersonID ?? .none : .none
                    interventionTable = try (interventions.map(InputSource.file) ?? project?.interventions).map { (source) throws(IngestError) in try InterventionLoader(reader: reader, personID: interventionsPersonID, mapping: project?.mapping(of: .interventions, flag: interventions) ?? .standard).load(source) }
                } catch {
                    interventionsFailure = error
                }
                let examined = try progress.whileReading(sources) { (counter) throws(IngestError) in
                    loader.progress = counter
                    return try DataQualityReport.examine(sources, loader: loader, unitCosts: unitCostTable, interventions: interventionTable)
                }
                if let unitCostsFailure { throw unitCostsFailure }
                if let unitCostTable { StudyOptions.noteShippedUnitCosts(unitCostTable, quiet: progress.quiet) }
                if let interventionsFailure { throw interventionsFailure }
                var end = (observationEnd ?? project?.observationEnd).map { ObservationEnd(date: $0, basis: .given) }
                if end == nil, let covered = ObservationEnd.covered(latestEventDays: examined.latestEventDays, extractDates: sources.map(\.extractDate)) {
                    end = covered
                    if !progress.quiet { Diagnostics.note(covered.statement) }
                }
                report = DataQualityReport(examined, unitCosts: unitCostTable != nil, interventions: interventionTable, observationEnd: end?.date)
            } catch {
                throw CommandFailure(StudyInputs.Failure.ingest(error))
            }
            let renderer = DataQualityRenderer(suppressedMarker: disclosure.suppressionMarker)
            // Every count of people: exact on a terminal, through the disclosure rule elsewhere,
            // all together with the sums that tie them (a source's people are its covered
            // people and those outside the cohort).
            let people = disclosure.control(toTerminal: Terminal.isInteractive(output: output))
                .map { $0.protect(DataQualityRenderer.peopleTables(report)) }
            for warning in report.coverage.compactMap(\.warning) { Diagnostics.warn(warning) }
            // Counts and positions, no person's ID or value (see DataQualityRenderer).
            try CommandOutput.write(format == .json ? renderer.json(report, people: people) : renderer.text(report, people: people, width: Terminal.tableWidth(output: output)),
                                    to: output, content: .summary, quiet: progress.quiet)
            if !report.isClean { throw ExitCode(65) }
        }
    }
}
