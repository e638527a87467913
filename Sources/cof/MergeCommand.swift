import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// `cof merge`: partial results combined into `cof compare`'s and `cof export`'s tables.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine partial results (cof partial) into the tables cof compare and cof export make from all the events at once.",
        discussion: """
            The merge is exact, and its order does not matter: the person table (--by person, the default) and the \
            cohort tables (--by cohort, service, category, agency) are byte for byte what cof compare writes for the \
            same events in one run; --table writes cof export's tables and --format xlsx the finance pack, byte for byte \
            what cof export writes from the same events (the workbook's cover names the partials, not the event files), \
            with small-number suppression applied to the merged figures. --table top-users needs partials made with \
            cof partial --from/--to (the period ranked) or --top-users (every date). Every table but the four cohort \
            tables and the top users needs the interventions, unit costs and services the partials were made with (--project or the same flags as \
            cof partial); the merge checks them against the partials' SHA-256 and every person's exposure. With \
            --comparison FILE (or the project's comparison file) or --match-comparison, partials made with cof partial \
            --comparison-candidates give the comparison group's tables (did, placebo, balance), the finance pack with them \
            and the report's, as cof export and cof report make them from the events: the group is made, and matched, \
            after the merge, from every person at once. --partial writes the merged partial instead, to merge in stages. Partials made \
            under other parameters (windows, prices, inputs, engine), or sharing a person, are refused, as is a \
            partial whose checksum (the SHA-256 of its content, in its last line) does not match: it was edited or \
            damaged. Exit codes: 0 ok, 64 usage, 65 a partial that is damaged or edited, of another format version, \
            or does not merge with the others (or whose figures together do not fit in 64 bits), 66 missing input, \
            74 I/O error.
            """
    )

    @Argument(help: ArgumentHelp("Partial files, in any order; '-' reads one from standard input.", valueName: "partial"))
    var partials: [String] = []

    @Flag(name: .customLong("partial"), help: "Write the merged partial (for merging in stages) instead of a table.")
    var writesPartial = false

    @Option(help: ArgumentHelp("As cof compare: one row per person and service (person, the default), one for the whole cohort (cohort), or the cohort by service, category or agency.", valueName: "breakdown"))
    var by: CompareCommand.Breakdown = .person

    @Option(help: ArgumentHelp("As cof export: a table (cohort, by-service, by-category, by-agency, financial-years, intervention-by-year, appraisal, use-change, trajectory, top-users) or finance (the finance pack; the default with --format xlsx), protected in a file or pipe. Every table but the four cohort tables and the top users needs the project file or the tables the partials were made with; the top users need partials made with --from/--to or --top-users.", valueName: "table"))
    var table: ExportCommand.Table?

    @OptionGroup var topUsersPeriod: TopUsersPeriodOptions

    @Option(help: "Top users: how many per service (the period is the one the partials were made with; --from/--to, when given, must be it).")
    var top = 10

    @Option(help: ArgumentHelp("The project file the partials were made with (its interventions, unit costs, services, windows and price base; its sources are not read): for the tables that need them.", valueName: "file"))
    var project: String?

    @OptionGroup var tables: StudyTableOptions

    @OptionGroup var fields: FieldOptions

    @OptionGroup var appraisal: AppraisalOptions

    @OptionGroup var group: ComparisonGroupOptions

    @Flag(help: "Write the cohort's report (as cof report: protected in a file or a pipe) instead of a table; needs the tables the partials were made with.")
    var report = false

    @Option(help: ArgumentHelp("Write the cohort's report as one self-contained HTML file (as cof report --html) instead of a table; needs the tables the partials were made with.", valueName: "file"))
    var html: String?

    @OptionGroup var output: OutputOptions

    @OptionGroup var disclosure: DisclosureOptions

    @Flag(name: .customLong("csv-plain"), help: "With --table: CSV for pipelines (no byte-order mark, LF line ends, text as it is) instead of CSV for Excel.")
    var csvPlain = false

    @Flag(help: "Print nothing on standard error but errors and warnings.")
    var quiet = false

    func validate() throws {
        if partials.isEmpty { throw ValidationError("give the partial files to merge") }
        if top < 1 { throw ValidationError("give --top of 1 or more") }
        if partials.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input can be read once") }
        if tables.files.contains("-") { throw ValidationError("give the interventions, unit costs, services and deflator as files") }
        if table != nil && by != .person { throw ValidationError("give --by (cof compare's tables) or --table (cof export's), not both") }
        if writesPartial && (table != nil || by != .person || output.givenFormat != nil) {
            throw ValidationError("--partial writes the merged partial, not a table: leave out --by, --table and --format")
        }
        if report || html != nil {
            if writesPartial || table != nil || by != .person { throw ValidationError("--report and --html write the cohort's report, not a table: leave out --by, --table and --partial") }
            if report && html != nil { throw ValidationError("give --report (text) or --html FILE, not both") }
            if html != nil && output.output != nil { throw ValidationError("give --html FILE or --output FILE, not both") }
            if output.givenFormat.map({ $0 != .table }) ?? false { throw ValidationError("the report is text (--report) or HTML (--html FILE): leave out --format") }
        }
        let asksForGroup = group.comparison != nil || group.matchComparison
        if asksForGroup {
            if group.comparison == "-" { throw ValidationError("give the comparison group as a file") }
            if !givesTables { throw ValidationError("a comparison group needs the interventions, unit costs and services the partials were made with: give --project (or --interventions and the other tables' flags) as given to cof partial") }
            if writesPartial || (requestedTable == nil && !report && html == nil) {
                throw ValidationError("--comparison and --match-comparison are for the finance pack, --table did, placebo, balance or appraisal, and the report")
            }
        }
        if let requested = requestedTable {
            // The comparison group's tables need one (the project may give its file).
            if case .one(let one) = requested, !ExportCommand.folded([one]), !ExportCommand.folded([one], comparisonGroup: asksForGroup || project != nil) {
                throw ValidationError("--table \(one.rawValue) needs \(ExportCommand.folded([one], comparisonGroup: true) ? "a comparison group: --comparison FILE or --match-comparison, with partials made with cof partial --comparison-candidates" : "every person's events at once: cof export makes it from the events")")
            }
            if output.format == .csv && requested == .finance { throw ValidationError("a CSV holds one table: give --table NAME or --format xlsx") }
            if output.format == .xlsx && output.toTerminal { throw ValidationError("an XLSX workbook is not for the terminal: give --output FILE.xlsx") }
        } else if output.format == .xlsx && !writesPartial {
            throw ValidationError("\(output.givenFormat == nil ? "an .xlsx output (a workbook)" : "--format xlsx") is for cof export's tables: give --table finance (the finance pack) or another table")
        }
    }

    /// The export table asked for: `--table`, else the finance pack for a workbook; `nil` for
    /// cof compare's tables.
    var requestedTable: ExportCommand.Table? { table ?? (output.format == .xlsx && !writesPartial && !report && html == nil ? .finance : nil) }

    /// Whether the tables the partials were made with are given (a project file or flags).
    private var givesTables: Bool { project != nil || tables.interventions != nil }

    func run() throws {
        try reportingFailures {
            try CommandOutput.checkBeforeReading(inputs: partials + (project.map { [$0] } ?? []) + tables.files + [group.comparison].compactMap { $0 }
                                                    + (disclosure.pseudonymKeyFile.map { [$0] } ?? []),
                                                outputs: [html ?? output.output, disclosure.auditFile])
            let merged: BeforeAfterPartial
            do throws(BeforeAfterPartial.Failure) {
                let loaded = try partials.map { (path) throws(BeforeAfterPartial.Failure) in try BeforeAfterPartial.load(.file(path)) }
                merged = try BeforeAfterPartial.merging(loaded, names: partials.map { InputSource.file($0).displayName })
            } catch {
                switch error {
                case .input(let ingest): throw CommandFailure(missingOrUnreadable: ingest)
                case .malformed, .incompatible: throw CommandFailure(badData: error.description)
                }
            }
            noteWhatWasMerged(merged)
            if writesPartial {
                try CommandOutput.write(bytes: merged.encoded(), to: output.output, content: .personLevel, quiet: quiet)
            } else if report || html != nil {
                let (merge, analyses) = try cohortAnalyses(of: merged)
                let comparisonGroup = try self.comparisonGroup(of: merged, merge)
                // No per-source coverage: each partial read one stream, not the agencies' sources.
                let cohort = FoldedReportAnalyses(analyses: analyses, beforeAfterTable: { merged.beforeAfter },
                                                  summary: { () throws(CostResolver.Overflow) in try merged.cohortSummary }, sourceCoverage: [],
                                                  observationEnd: merge.observationEnd,
                                                  provenance: { Provenance.of(merged: merged, merge.facts(merged, analyses), inputs: $0) },
                                                  comparisonGroup: comparisonGroup)
                try ReportOutput(person: nil, appraisal: appraisal, disclosure: disclosure)
                    .write(cohort, html: html, output: output.output, provenance: { cohort.provenance(inputs: merge.inputs) }, quiet: quiet)
            } else if let requested = requestedTable {
                try export(requested, of: merged)
            } else {
                try BeforeAfterOutput(by: by, output: output, disclosure: disclosure, quiet: quiet).write(merged)
            }
        }
    }

    /// Says on standard error what cof compare would have said of the same events: rows read,
    /// loaded and rejected (summed over the partials), unpriced events, and the prices.
    private func noteWhatWasMerged(_ merged: BeforeAfterPartial) {
        let over = merged.partials == 1 ? "1 partial" : "\(merged.partials) partials"
        for source in merged.sources where !quiet || source.rejected > 0 {
            Diagnostics.note("\(source.description) (summed over \(over))")
        }
        if merged.rejectedRows > 0 {
            Diagnostics.warn("\(merged.rejectedRows) rows rejected (each partial's positions are in its own --rejects file or standard error):")
            for count in merged.rejected { Diagnostics.warn("  \(count.kind): \(count.rows)") }
        }
        StudyOptions.warnUnpriced(merged.unpriced)
        let shipped = merged.parameters.contains { $0.name == "unit_costs" && $0.value == "shipped" }
        StudyOptions.notePrices(merged.prices, shippedUnitCosts: shipped, quiet: quiet)
    }

    /// Writes cof export's `requested` table (or the finance pack) of the merged figures, as
    /// cof export writes it from the events: protected in a file or a pipe, exact on the screen.
    /// Protection applies to the merged tables: the small numbers are the cohort's, not a partition's.
    private func export(_ requested: ExportCommand.Table, of merged: BeforeAfterPartial) throws {
        func assembly(comparisonGroup: Bool) -> TableAssembly {
            switch requested {
            case .finance: return TableAssembly(financePackWithComparisonGroup: comparisonGroup)
            case .one(let one): return TableAssembly(tables: [one])
            }
        }
        let writer = TableExport(requested: requested, output: output, disclosure: disclosure, csvPlain: csvPlain, quiet: quiet)
        let rounding = disclosure.rounding(toTerminal: output.toTerminal)
        if !givesTables {
            let assembly = assembly(comparisonGroup: false)
            guard assembly.tables.allSatisfy({ [.cohort, .byService, .byCategory, .byAgency, .topUsers].contains($0) }), output.format != .xlsx else {
                throw CommandFailure(usage: "the \(requested == .finance ? "finance pack" : "table \(requested.rawValue)") needs the interventions, unit costs and services the partials were made with: give --project (or --interventions and the other tables' flags) as given to cof partial")
            }
            // The top users need no tables: their state is ranked as the partials carry it.
            var analyses = MergedCohortTables(merged: merged, ranked: try assembly.tables.contains(.topUsers) ? topUsers(of: merged) : nil)
            try writer.export(assembly, from: &analyses, rounding: rounding, baselineCheck: { nil }, cover: { _ in
                preconditionFailure("a workbook needs the tables the partials were made with")
            }, comparisonGroup: false)
            return
        }
        let (merge, analyses) = try cohortAnalyses(of: merged)
        let comparisonGroup = try self.comparisonGroup(of: merged, merge)
        let assembly = assembly(comparisonGroup: comparisonGroup != nil)
        let topUsers = try assembly.tables.contains(.topUsers) ? self.topUsers(of: merged) : nil
        var folded = FoldedExportAnalyses(analyses: analyses, summary: { () throws(CostResolver.Overflow) in try merged.cohortSummary },
                                          appraisal: appraisal.settings, warn: Diagnostics.warn, rounding: rounding, topUsers: topUsers.map { ranked in { ranked } },
                                          comparisonGroup: comparisonGroup, beforeAfterTable: comparisonGroup == nil ? nil : { merged.beforeAfter })
        let origin: WorkbookCover.ComparisonGroupOrigin? = comparisonGroup == nil ? nil : merge.inputs.comparisonGroup.map { .file($0) } ?? .matched
        try writer.export(assembly, from: &folded, rounding: rounding, baselineCheck: { analyses.regressionToTheMean }, cover: { tables in
            writer.cover(tables: tables, provenance: Provenance.of(merged: merged, merge.facts(merged, analyses), inputs: merge.inputs),
                         comparisonGroup: origin, project: project)
        }, comparisonGroup: comparisonGroup != nil)
    }

    /// The comparison group the flags or the project ask for (`nil`: none), made after the
    /// merge from the members' events and the candidates the partials carry, as cof export
    /// makes it from the events.
    ///
    /// - Throws: a usage failure when the partials carry no candidates (saying how to make
    ///   partials that do); bad data when a candidate is treated or the costs do not fit;
    ///   the comparison file's failures.
    private func comparisonGroup(of merged: BeforeAfterPartial, _ merge: MergeInputs) throws -> ComparisonGroupPeople? {
        let inputs = group.matching(merge.inputs)
        guard group.asksForGroup(inputs) else { return nil }
        guard merged.carriesComparisonCandidates else {
            throw CommandFailure(usage: "a comparison group needs the candidates (everyone without an intervention), which these partials do not carry: make every partial with cof partial --comparison-candidates")
        }
        let features: MatchingFeatures
        do throws(BeforeAfterPartial.Failure) {
            features = try merged.comparisonGroupFeatures(services: merge.tables.services, windows: inputs.windows)
        } catch {
            throw CommandFailure(badData: error.description)
        }
        do throws(StudyInputs.Failure) {
            let made = try merged.comparisonGroup(inputs, features: features, tables: merge.tables)
            if let matching = made?.matching { ComparisonGroupOptions.noteMatch(matching, treated: merged.cohortMembers.count, quiet: quiet) }
            return made
        } catch {
            throw CommandFailure(error)
        }
    }

    /// The `--top` heaviest users of each service, ranked from the top users' state the partials carry.
    ///
    /// - Throws: a usage failure when the partials carry no such state (saying how to make
    ///   partials that do); bad data when the merged sums do not fit.
    private func topUsers(of merged: BeforeAfterPartial) throws -> TopUsers {
        let ranked = try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in try merged.topUsers(top: top) }
        guard let ranked else {
            throw CommandFailure(usage: "table top-users needs the top users' state, which these partials do not carry: make every partial with cof partial --from DATE --to DATE (the period cof export --table top-users ranks; --top-users for every date)")
        }
        let carried = merged.parameters.first { $0.name == BeforeAfterPartial.topUsersParameterName }?.value ?? ""
        let given = BeforeAfterPartial.topUsersParameter(period: topUsersPeriod.ranking.period).value
        if topUsersPeriod.isGiven && carried != given {
            throw CommandFailure(usage: "the partials carry the top users over \(carried), not \(given) as --from/--to give here: give the period cof partial was given, or leave out --from and --to")
        }
        return ranked
    }

    /// What a merge reads besides the partials: the inputs the flags give and the tables they name.
    private struct MergeInputs {
        let inputs: StudyInputs
        let tables: StudyInputs.CohortTables

        /// The observation end every partial was made with (given: a partial needs one).
        var observationEnd: ObservationEnd? { inputs.windows.observationEnd.map { ObservationEnd(date: $0, basis: .given) } }

        /// What the provenance states of the merged study.
        func facts(_ merged: BeforeAfterPartial, _ analyses: CohortAnalyses) -> Provenance.StudyFacts {
            Provenance.StudyFacts(sources: merged.sources, interventionRows: tables.interventions.entries.count, unitCosts: tables.unitCosts,
                                  serviceRows: tables.services.entries.count, priceBase: tables.priceBase, pricesDescription: merged.prices,
                                  windows: inputs.windows, observationEnd: observationEnd, peopleWithAfterWindowCut: analyses.peopleWithAfterWindowCut)
        }
    }

    /// The per-person analyses of `merged` under the tables the flags give, which must be the
    /// ones every partial was made with (by their SHA-256, under the same windows and prices;
    /// the error policy is each partial's own), each member's exposure checked again.
    private func cohortAnalyses(of merged: BeforeAfterPartial) throws -> (MergeInputs, CohortAnalyses) {
        guard givesTables else {
            throw CommandFailure(usage: "\(report || html != nil ? "the report" : requestedTable == .finance ? "the finance pack" : "table \(requestedTable?.rawValue ?? "")") needs the interventions, unit costs and services the partials were made with: give --project (or --interventions and the other tables' flags) as given to cof partial")
        }
        let projectFile: ProjectFile?
        do throws(ProjectFile.Failure) {
            projectFile = try project.map { (path) throws(ProjectFile.Failure) in try ProjectFile.load(path: path, showValues: fields.showValues) }
        } catch {
            throw CommandFailure(error)
        }
        var inputs = try tables.inputs(events: [], project: projectFile, policy: ErrorPolicy(mode: .fail, showValues: fields.showValues),
                                       maxFieldBytes: fields.maxFieldBytes)
        group.applyFile(to: &inputs, project: projectFile)
        // The error policy is each partial's own; the top users' period is not the tables'.
        let given = PartialParameters.of(inputs).filter { $0.name != "on_error" }
        let made = merged.parameters.filter {
            !["on_error", BeforeAfterPartial.topUsersParameterName, BeforeAfterPartial.comparisonCandidatesParameterName].contains($0.name)
        }
        if let difference = zip(given, made).first(where: { $0.0 != $0.1 }) {
            throw CommandFailure(usage: "the partials were made with \(difference.1.name) \(difference.1.value), not \(difference.0.value) as given here: give the project file or tables cof partial was given")
        }
        if given.count != made.count {
            throw CommandFailure(usage: "the partials were made with other parameters than the ones given here: give the project file or tables cof partial was given")
        }
        let cohortTables: StudyInputs.CohortTables
        do throws(StudyInputs.Failure) {
            cohortTables = try inputs.cohortTables()
        } catch {
            throw CommandFailure(error)
        }
        StudyOptions.noteShippedUnitCosts(cohortTables.unitCosts, quiet: quiet)
        do throws(BeforeAfterPartial.Failure) {
            return (MergeInputs(inputs: inputs, tables: cohortTables),
                    try merged.cohortAnalyses(cohortTables, windows: inputs.windows, workers: inputs.workers))
        } catch {
            throw CommandFailure(badData: error.description)
        }
    }
}

/// The cohort tables of merged partials without the tables they were made with: the cohort
/// summary, and the top users when the partials carry their state (every other analysis needs
/// the interventions, unit costs and services).
private struct MergedCohortTables: ExportAnalyses {
    let merged: BeforeAfterPartial
    /// The top users, ranked from the merged state (`nil`: not asked for).
    let ranked: TopUsers?

    func cohortSummary() throws -> CohortSummary {
        try CommandFailure.checkingOverflow { () throws(CostResolver.Overflow) in try merged.cohortSummary }
    }

    private func unavailable() -> Never { preconditionFailure("only the cohort tables are made without the partials' tables") }
    func financialYears() throws -> FinancialYearConsumption { unavailable() }
    func appraisal() throws -> Appraisal { unavailable() }
    func comparisonGroupAnalysis() throws -> ComparisonGroupAnalysis? { nil }
    func useChange() throws -> UseChange { unavailable() }
    func trajectory() throws -> Trajectory { unavailable() }
    func topUsers() throws -> TopUsers {
        guard let ranked else { unavailable() }
        return ranked
    }
}
