import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// `cof partial`: one partition's exact figures, for `cof merge`.
struct PartialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partial",
        abstract: "Compute the exact per-person figures of some people's events (CSV on standard input) as a partial result for cof merge.",
        discussion: """
            Reads events in the engine's columns (person_id, service, event, date[, quantity, cost]; the header row is \
            optional: without one the fields are those columns in that order) for some set of people, with the \
            interventions, unit costs, services and windows from flags or a project file (the observation end must be \
            given: the one cof validate states for all the events), and writes a versioned \
            partial result: each treated person's rows of the cof compare table, exposure and events (every row of \
            theirs, priced, for the financial years, the appraisal and the trajectory), the rows read, loaded \
            and rejected, and the unpriced events, with a fingerprint of every parameter and a checksum of its \
            content (cof merge refuses a partial edited or damaged since). With --top-users (every date) or \
            --from/--to (a period, as cof export --table top-users takes it) it also carries the top users' figures \
            of everyone in the events, treated or not, for cof merge --table top-users. With --comparison-candidates it \
            also carries everyone without an intervention who has events, with their priced rows, so that cof merge \
            --comparison or --match-comparison makes the comparison group (its difference in differences, placebo and \
            balance, and the finance pack and report with them) as cof export does. Split the events by \
            person_id: cof merge refuses a person found in two partials. A bad row stops with exit 65 and its position (or, with \
            --on-error reject, is counted by kind in the partial). Exit codes: 0 ok, 64 usage, 65 bad data, 66 \
            missing input, 74 I/O error.
            """
    )

    @Option(help: ArgumentHelp("A project file (cof.json, or cof.toml: TOML when the name ends in .toml) for the interventions, unit costs, services, windows, price base and error policy; its sources are not read (the events come on standard input). The flags override it.", valueName: "file"))
    var project: String?

    @Option(name: .customLong("events"), help: ArgumentHelp("Read the events from this file instead of standard input; repeat for several.", valueName: "file"))
    var eventFiles: [String] = []

    @OptionGroup var tables: StudyTableOptions

    @OptionGroup var loading: LoadingOptions

    @Flag(name: .customLong("top-users"), help: "Also carry the top users' figures over every date (with --from/--to: over that period), for cof merge --table top-users.")
    var topUsers = false

    @OptionGroup var topUsersPeriod: TopUsersPeriodOptions

    @Flag(name: .customLong("comparison-candidates"), help: "Also carry everyone without an intervention who has events, with their priced rows, for cof merge --comparison or --match-comparison.")
    var comparisonCandidates = false

    @Option(help: ArgumentHelp("Write the partial to this file (completely or not at all) instead of standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var progress: ProgressOptions

    /// Whether standard error gets only errors and warnings (`--quiet`).
    var quiet: Bool { progress.quiet }

    func validate() throws {
        if tables.files.contains("-") {
            throw ValidationError("the events come on standard input: give the interventions, unit costs, services and deflator as files (they are hashed into the partial's fingerprint)")
        }
        if eventFiles.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input can be read once") }
        if project == nil { try tables.validateWithoutProject() }
        // As cof export: a comparison group's pack has no top users beside it.
        if comparisonCandidates && (topUsers || topUsersPeriod.isGiven) {
            throw ValidationError("give --comparison-candidates (for a comparison group) or --top-users/--from/--to (for the top users), not both: make a set of partials for each")
        }
    }

    func run() throws {
        try reportingFailures {
            var projectFile: ProjectFile?
            if let project {
                do throws(ProjectFile.Failure) {
                    projectFile = try ProjectFile.load(path: project, showValues: loading.fields.showValues)
                } catch {
                    throw CommandFailure(error)
                }
            }
            let events = (eventFiles.isEmpty ? ["-"] : eventFiles).map { EventSource(.file($0), header: .optional) }
            let inputs = try tables.inputs(events: events, project: projectFile, loading: loading)
            // One partition cannot know the last date the whole data covers: the default end is
            // decided from the whole inputs before partitioning (cof validate states it) and
            // carried in every partial's parameters, so that the merge is the one-process answer.
            if inputs.windows.observationEnd == nil {
                throw CommandFailure(usage: "no observation end: a partition cannot know the last date the whole data covers; give --observation-end (or observation_end in the project file) with the date cof compare or cof validate states for all the events")
            }
            let rejectsFile = loading.rejects ?? projectFile?.rejects
            try CommandOutput.checkBeforeReading(inputs: (project.map { [$0] } ?? []) + inputs.files,
                                                outputs: [output] + (rejectsFile.map { [$0] } ?? []))
            let pass: StreamingPass
            do throws(StudyInputs.Failure) {
                // The top users rank everyone in the events: only then does the pass code every person.
                let ranking = topUsers || topUsersPeriod.isGiven ? topUsersPeriod.ranking : nil
                pass = try progress.whileReading(inputs) { (inputs) throws(StudyInputs.Failure) in
                    try StreamingPass(inputs, keepingCohortEvents: true, rankingTopUsers: ranking, keepingEveryonesEvents: comparisonCandidates)
                }
            } catch {
                throw CommandFailure(error)
            }
            try loading.report(pass.events, quiet: quiet, rejectsFile: rejectsFile)
            StudyOptions.warnUnpriced(pass.unpriced)
            StudyOptions.notePrices(pass.prices, shippedUnitCosts: inputs.unitCosts == nil, quiet: quiet)
            StudyOptions.noteShippedUnitCosts(pass.pricingUnitCosts, quiet: quiet)
            // The top users' period is a parameter, as is carrying the candidates: partials made
            // otherwise refuse to merge.
            let parameters = PartialParameters.of(inputs)
                + (pass.ranksTopUsers ? [BeforeAfterPartial.topUsersParameter(period: topUsersPeriod.ranking.period)] : [])
                + (comparisonCandidates ? [BeforeAfterPartial.comparisonCandidatesParameter] : [])
            let partial = BeforeAfterPartial(pass: pass, parameters: parameters,
                                            fingerprint: PartialParameters.fingerprint(engineVersion: EngineVersion.current, parameters))
            // Never write a partial cof merge would refuse (only absurd costs come near).
            do throws(BeforeAfterPartial.FigureTotals.Overflow) {
                _ = try BeforeAfterPartial.FigureTotals(partial)
            } catch {
                throw CommandFailure(badData: "\(error): expected the figures of a real cohort (cof merge refuses such a partial)")
            }
            try CommandOutput.write(bytes: partial.encoded(), to: output, content: .personLevel, quiet: quiet)
        }
    }
}
