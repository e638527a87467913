import ArgumentParser
import CostOfFailure

/// What a study reads besides the events: interventions, unit costs, prices, services and the
/// windows. Shared by the commands that analyse events (through ``StudyOptions``) and by
/// `cof partial`, which reads its events on standard input.
struct StudyTableOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The interventions CSV (person_id, start_date[, end_date, programme, cost]).", valueName: "file"))
    var interventions: String?

    @Option(name: .customLong("unit-costs"), help: ArgumentHelp("The unit-cost CSV (service, event, unit_cost[, price_year, code, value_type, agency, source, confidence, licence, cashable]); event '*' prices a whole service; quantity_unit, trim_point, excess_per_unit. Laid over the shipped table of published UK unit costs by (service, event): see cof unit-costs.", valueName: "file"))
    var unitCosts: String?

    @Flag(name: .customLong("replace-shipped-unit-costs"), help: "Price with the --unit-costs file alone, instead of laying it over the shipped table by (service, event).")
    var replaceShippedUnitCosts = false

    @Option(name: .customLong("price-base"), help: ArgumentHelp("State every cost in this financial year's prices (e.g. 2024-25): unit costs are restated from their price_year, explicit costs from their event's year, with the GDP deflator.", valueName: "year"))
    var priceBase: FinancialYear?

    @Option(help: ArgumentHelp("The price index CSV (financial_year, index[, is_forecast]) for --price-base. Default: the shipped HM Treasury GDP deflator.", valueName: "file"))
    var deflator: String?

    @Option(help: ArgumentHelp("The services CSV (service, category[, agency]); category 'Intervention' marks the intervention's own services.", valueName: "file"))
    var services: String?

    @Option(help: ArgumentHelp("Length of the before window: Nd, Nm or Ny (e.g. 6m, 10y).", valueName: "span"))
    var before: WindowSpan?

    @Option(help: ArgumentHelp("Length of the after window: Nd, Nm or Ny (e.g. 12m).", valueName: "span"))
    var after: WindowSpan?

    @Option(name: .customLong("observation-end"), help: ArgumentHelp("Last day the data covers (inclusive; YYYY-MM-DD or DD/MM/YYYY, as the data's dates): cuts the after window and its exposure. Default: the last date the data covers (the latest event; with extract dates in the project file, the earliest source's coverage).", valueName: "date"))
    var observationEnd: CivilDate?

    /// The files named by these options.
    var files: [String] { [interventions, unitCosts, services, deflator].compactMap { $0 } }

    /// Without a project file, the interventions and both windows must be flags.
    func validateWithoutProject() throws {
        if interventions == nil { throw ValidationError("give --project, or --interventions") }
        if before == nil || after == nil { throw ValidationError("give --project, or both --before and --after") }
    }

    /// The inputs for `events`: these options over the project's values.
    func inputs(events: [EventSource], project: ProjectFile?, loading: LoadingOptions) throws -> StudyInputs {
        try inputs(events: events, project: project, policy: try loading.policy(project), maxFieldBytes: loading.fields.maxFieldBytes)
    }

    /// The inputs for `events`, read under `policy` with fields of at most `maxFieldBytes`.
    func inputs(events: [EventSource], project: ProjectFile?, policy: ErrorPolicy, maxFieldBytes: Int) throws -> StudyInputs {
        func required<T>(_ flag: T?, _ fromProject: T?, _ name: String) throws -> T {
            guard let value = flag ?? fromProject else {
                throw CommandFailure(usage: "no \(name): give it with a flag or in the project file")
            }
            return value
        }
        var inputs = StudyInputs(
            events: events,
            interventions: try required(interventions.map(InputSource.file), project?.interventions, "interventions file (--interventions)"),
            unitCosts: unitCosts.map(InputSource.file) ?? project?.unitCosts,
            services: services.map(InputSource.file) ?? project?.services,
            windows: StudyWindows(before: try required(before, project?.before, "before window (--before)"),
                                  after: try required(after, project?.after, "after window (--after)"),
                                  observationEnd: observationEnd ?? project?.observationEnd),
            priceBase: priceBase ?? project?.priceBase, deflator: deflator.map(InputSource.file) ?? project?.deflator,
            policy: policy, maxFieldBytes: maxFieldBytes)
        inputs.replaceShippedUnitCosts = replaceShippedUnitCosts || project?.replaceShippedUnitCosts == true
        if inputs.replaceShippedUnitCosts && inputs.unitCosts == nil {
            throw CommandFailure(usage: "replacing the shipped unit costs needs a unit-cost file: give --unit-costs (or unit_costs in the project file)")
        }
        // A project's ID settings go with its files, not with files given by flags.
        if interventions == nil, let project { inputs.interventionsPersonID = project.interventionsPersonID }
        let flags: [StudyInputs.Table: String?] = [.interventions: interventions, .unitCosts: unitCosts, .services: services, .deflator: deflator]
        for (table, flag) in flags where flag == nil { inputs.mappings[table] = project?.mappings[table] }
        return inputs
    }
}
