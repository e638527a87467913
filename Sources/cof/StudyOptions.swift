import ArgumentParser
import CostOfFailure

/// The inputs every analysing subcommand reads.
struct StudyOptions: ParsableArguments {
    @Option(name: .customLong("events"), help: ArgumentHelp("An events CSV (person_id, service, event, date[, quantity, cost]); repeat for several files; '-' reads standard input.", valueName: "file"))
    var eventFiles: [String] = []

    @Option(help: ArgumentHelp("The interventions CSV (person_id, start_date[, end_date, programme, cost]).", valueName: "file"))
    var interventions: String

    @Option(name: .customLong("unit-costs"), help: ArgumentHelp("The unit-cost CSV (service, event, unit_cost[, provenance]); event '*' prices a whole service.", valueName: "file"))
    var unitCosts: String

    @Option(help: ArgumentHelp("The services CSV (service, category[, agency]); category 'Intervention' marks the intervention's own services.", valueName: "file"))
    var services: String?

    @Option(help: ArgumentHelp("Length of the before window: Nd, Nm or Ny (e.g. 6m, 10y).", valueName: "span"))
    var before: WindowSpan

    @Option(help: ArgumentHelp("Length of the after window: Nd, Nm or Ny (e.g. 12m).", valueName: "span"))
    var after: WindowSpan

    @Option(name: .customLong("observation-end"), help: ArgumentHelp("Last day the data covers (YYYY-MM-DD, inclusive): cuts the after window and its exposure.", valueName: "date"))
    var observationEnd: CivilDate?

    @Flag(help: "Print nothing on standard error but errors and warnings.")
    var quiet = false

    func validate() throws {
        if eventFiles.isEmpty { throw ValidationError("give at least one --events file") }
        let stdinUses = (eventFiles + [interventions, unitCosts] + (services.map { [$0] } ?? [])).filter { $0 == "-" }.count
        if stdinUses > 1 { throw ValidationError("only one input can be read from standard input ('-')") }
    }

    /// Loads and prices everything, or ends the command with the right exit code.
    func loadStudy() throws -> Study {
        let inputs = StudyInputs(
            events: eventFiles.map(InputSource.file), interventions: .file(interventions),
            unitCosts: .file(unitCosts), services: services.map(InputSource.file),
            windows: StudyWindows(before: before, after: after, observationEnd: observationEnd))
        let study: Study
        do throws(StudyInputs.Failure) {
            study = try inputs.load()
        } catch {
            throw CommandFailure(error)
        }
        if !quiet {
            for source in study.events.sources {
                Diagnostics.note("read \(source.file): \(source.rows) events" + (source.blankLines > 0 ? " (\(source.blankLines) blank lines skipped)" : ""))
            }
        }
        if !study.costs.unpriced.isEmpty {
            Diagnostics.warn("\(study.costs.unpricedEvents) events have no explicit cost and no unit cost; they are counted but not priced:")
            for pair in study.costs.unpriced {
                Diagnostics.warn("  \(pair.service) / \(pair.event): \(pair.events)")
            }
        }
        return study
    }
}

extension WindowSpan: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension CivilDate: ExpressibleByArgument {
    public init?(argument: String) { self.init(iso: argument) }
}
