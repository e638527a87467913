import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// The inputs every analysing subcommand reads: a project file, flags, or both (flags win).
struct StudyOptions: ParsableArguments {
    @OptionGroup var source: SourceOptions

    @Option(help: ArgumentHelp("The interventions CSV (person_id, start_date[, end_date, programme, cost]).", valueName: "file"))
    var interventions: String?

    @Option(name: .customLong("unit-costs"), help: ArgumentHelp("The unit-cost CSV (service, event, unit_cost[, price_year, code, value_type, agency, source, confidence, licence, cashable]); event '*' prices a whole service. Default: the shipped table of published UK unit costs.", valueName: "file"))
    var unitCosts: String?

    @Option(name: .customLong("price-base"), help: ArgumentHelp("State every cost in this financial year's prices (e.g. 2024-25): unit costs are restated from their price_year, explicit costs from their event's year, with the GDP deflator.", valueName: "year"))
    var priceBase: FinancialYear?

    @Option(help: ArgumentHelp("A comparison group CSV (person_id, start_date): people without the intervention, each with a pseudo index date; gives the difference in differences.", valueName: "file"))
    var comparison: String?

    @Flag(name: .customLong("match-comparison"), help: "Without --comparison: draw a comparison group from the people without an intervention, matched on age of record and before-window use (seeded).")
    var matchComparison = false

    @Option(help: ArgumentHelp("The price index CSV (financial_year, index[, is_forecast]) for --price-base. Default: the shipped HM Treasury GDP deflator.", valueName: "file"))
    var deflator: String?

    @Option(help: ArgumentHelp("The services CSV (service, category[, agency]); category 'Intervention' marks the intervention's own services.", valueName: "file"))
    var services: String?

    @Option(help: ArgumentHelp("Length of the before window: Nd, Nm or Ny (e.g. 6m, 10y).", valueName: "span"))
    var before: WindowSpan?

    @Option(help: ArgumentHelp("Length of the after window: Nd, Nm or Ny (e.g. 12m).", valueName: "span"))
    var after: WindowSpan?

    @Option(name: .customLong("observation-end"), help: ArgumentHelp("Last day the data covers (YYYY-MM-DD, inclusive): cuts the after window and its exposure.", valueName: "date"))
    var observationEnd: CivilDate?

    @OptionGroup var loading: LoadingOptions

    @Flag(help: "Print nothing on standard error but errors and warnings.")
    var quiet = false

    func validate() throws {
        let stdinUses = (source.eventFiles + [interventions, unitCosts, services, deflator, comparison].compactMap { $0 }).filter { $0 == "-" }.count
        if stdinUses > 1 { throw ValidationError("only one input can be read from standard input ('-')") }
        if source.project == nil {
            if source.eventFiles.isEmpty { throw ValidationError("give --project, or at least one --events file") }
            if interventions == nil { throw ValidationError("give --project, or --interventions") }
            if before == nil || after == nil { throw ValidationError("give --project, or both --before and --after") }
        }
    }

    /// The inputs, the project's values overridden by flags.
    func inputs(_ project: ProjectFile?) throws -> StudyInputs {
        func required<T>(_ flag: T?, _ fromProject: T?, _ name: String) throws -> T {
            guard let value = flag ?? fromProject else {
                throw CommandFailure(usage: "no \(name): give it with a flag or in the project file")
            }
            return value
        }
        let sources = try source.sources(project)
        let policy = try loading.policy(project)
        return StudyInputs(
            events: sources,
            interventions: try required(interventions.map(InputSource.file), project?.interventions, "interventions file (--interventions)"),
            unitCosts: unitCosts.map(InputSource.file) ?? project?.unitCosts,
            services: services.map(InputSource.file) ?? project?.services,
            windows: StudyWindows(before: try required(before, project?.before, "before window (--before)"),
                                  after: try required(after, project?.after, "after window (--after)"),
                                  observationEnd: observationEnd ?? project?.observationEnd),
            priceBase: priceBase ?? project?.priceBase, deflator: deflator.map(InputSource.file) ?? project?.deflator,
            comparisonGroup: comparison.map(InputSource.file) ?? project?.comparison,
            policy: policy, maxFieldBytes: loading.fields.maxFieldBytes)
    }

    /// Loads and prices everything, reports what was loaded and rejected, or ends the command
    /// with the right exit code.
    func loadStudy() throws -> Study {
        let project = try source.projectFile()
        let inputs = try inputs(project)
        let study: Study
        do throws(StudyInputs.Failure) {
            study = try inputs.load()
        } catch {
            throw CommandFailure(error)
        }
        try loading.report(study.events, quiet: quiet, rejectsFile: loading.rejects ?? project?.rejects)
        Self.warnUnpriced(study.costs.unpriced)
        notePrices(study.pricesDescription, inputs: inputs)
        return study
    }

    /// Loads the study and, when a comparison group is given, the comparison group's study.
    func loadStudyAndComparison() throws -> (study: Study, comparison: Study?) {
        let study = try loadStudy()
        var inputs = try inputs(try source.projectFile())
        inputs.matchComparison = matchComparison
        do throws(StudyInputs.Failure) {
            let comparison = try inputs.loadComparison(like: study)
            if let comparison, inputs.comparisonGroup == nil, !quiet {
                let matched = comparison.cohortMembers.count, treated = study.cohortMembers.count
                Diagnostics.note("comparison group: \(matched) people without an intervention matched to \(treated) treated people on age of record and before-window use")
            }
            return (study, comparison)
        } catch {
            throw CommandFailure(error)
        }
    }

    /// Computes the comparison in one streaming pass (see ``ComparisonPass``), reporting what
    /// was loaded, rejected and left unpriced exactly as ``loadStudy()`` does.
    func compareInOnePass() throws -> ComparisonPass {
        let project = try source.projectFile()
        let inputs = try inputs(project)
        let pass: ComparisonPass
        do throws(StudyInputs.Failure) {
            pass = try ComparisonPass(inputs)
        } catch {
            throw CommandFailure(error)
        }
        try loading.report(pass.events, quiet: quiet, rejectsFile: loading.rejects ?? project?.rejects)
        Self.warnUnpriced(pass.unpriced)
        notePrices(pass.prices, inputs: inputs)
        return pass
    }

    /// Says on standard error which unit costs and prices the figures use.
    private func notePrices(_ prices: String, inputs: StudyInputs) {
        guard !quiet else { return }
        if inputs.unitCosts == nil {
            Diagnostics.note("unit costs: the shipped table of published UK unit costs (NHS National Cost Collection, OGL; GMCA Unit Cost Database, CC BY 4.0); give --unit-costs for your own")
        }
        Diagnostics.note("money in \(prices)")
    }

    private static func warnUnpriced(_ unpriced: [EventCosts.UnpricedPair]) {
        guard !unpriced.isEmpty else { return }
        let total = unpriced.reduce(0) { $0 + $1.events }
        Diagnostics.warn("\(total) events (all people, all dates) have no explicit cost and no unit cost; they are counted but not priced:")
        for pair in unpriced {
            Diagnostics.warn("  \(pair.service) / \(pair.event): \(pair.events)")
        }
    }
}

extension WindowSpan: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension CivilDate: ExpressibleByArgument {
    public init?(argument: String) { self.init(iso: argument) }
}

extension FinancialYear: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
