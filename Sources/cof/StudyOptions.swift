import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// The inputs every analysing subcommand reads: a project file, flags, or both (flags win).
struct StudyOptions: ParsableArguments {
    @OptionGroup var source: SourceOptions

    @Option(help: ArgumentHelp("The interventions CSV (person_id, start_date[, end_date, programme, cost]).", valueName: "file"))
    var interventions: String?

    @Option(name: .customLong("unit-costs"), help: ArgumentHelp("The unit-cost CSV (service, event, unit_cost[, provenance]); event '*' prices a whole service.", valueName: "file"))
    var unitCosts: String?

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
        let stdinUses = (source.eventFiles + [interventions, unitCosts, services].compactMap { $0 }).filter { $0 == "-" }.count
        if stdinUses > 1 { throw ValidationError("only one input can be read from standard input ('-')") }
        if source.project == nil {
            if source.eventFiles.isEmpty { throw ValidationError("give --project, or at least one --events file") }
            for (value, flag) in [(interventions, "--interventions"), (unitCosts, "--unit-costs")] where value == nil {
                throw ValidationError("give --project, or \(flag)")
            }
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
            unitCosts: try required(unitCosts.map(InputSource.file), project?.unitCosts, "unit-cost file (--unit-costs)"),
            services: services.map(InputSource.file) ?? project?.services,
            windows: StudyWindows(before: try required(before, project?.before, "before window (--before)"),
                                  after: try required(after, project?.after, "after window (--after)"),
                                  observationEnd: observationEnd ?? project?.observationEnd),
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
        return study
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
        return pass
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
