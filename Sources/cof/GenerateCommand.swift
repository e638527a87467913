import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// `cof generate`: a deterministic synthetic dataset in the engine's input format.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a seeded synthetic dataset: events.csv, interventions.csv, unit-costs.csv, services.csv (and comparison.csv).",
        discussion: "The same options and seed always give the same bytes. Contains no real person's data."
    )

    @Option(help: "Number of event rows (not with --spike-cohort).")
    var events: Int?

    @Flag(name: .customLong("spike-cohort"), help: "Write the spike-recruited cohort instead: a stationary population whose treated people were recruited at a crisis (regression to the mean's known answer; --people, default 1000; --treated; --seed; --effect). Windows: 12m before and after, observation end 6 years from 2016-04-01.")
    var spikeCohort = false

    @Option(help: "With --spike-cohort: treated people wanted.")
    var treated = 200

    @Option(help: "Seed of the random stream.")
    var seed: UInt64 = 1

    @Option(help: "Number of people (default: one per 40 events).")
    var people: Int?

    @Option(name: .customLong("intervention-share"), help: "Share of people with an intervention (0 to 1).")
    var interventionShare: Double = 0.3

    @Option(name: .customLong("comparison-share"), help: "Share of people in a comparison group (no intervention, a pseudo index date), written to comparison.csv.")
    var comparisonShare: Double = 0

    @Option(help: "A planted effect: the share of treated people's events on or after their index date that do not happen (0 to 1).")
    var effect: Double = 0

    @Option(name: .customLong("output-dir"), help: ArgumentHelp("Folder to write the four files into (created if missing).", valueName: "dir"))
    var outputDirectory: String

    func validate() throws {
        if spikeCohort {
            if events != nil { throw ValidationError("--spike-cohort makes its own events: leave out --events") }
            if treated < 0 { throw ValidationError("--treated must be 0 or more") }
        } else {
            guard let events else { throw ValidationError("give --events N (or --spike-cohort)") }
            guard events >= 0 else { throw ValidationError("--events must be 0 or more") }
        }
        guard (0...1).contains(interventionShare) else { throw ValidationError("--intervention-share must be between 0 and 1") }
        guard (0...1).contains(comparisonShare), interventionShare + comparisonShare <= 1 else {
            throw ValidationError("--comparison-share must be between 0 and 1, and with --intervention-share at most 1")
        }
        guard (0...1).contains(effect) else { throw ValidationError("--effect must be between 0 and 1") }
        if let people, people < 1 { throw ValidationError("--people must be at least 1") }
    }

    func run() throws {
        if spikeCohort { return try writeSpikeCohort() }
        try reportingFailures {
            let dataset = SyntheticDataset(options: .init(events: events ?? 0, seed: seed, people: people, interventionShare: interventionShare,
                                                          comparisonShare: comparisonShare, effect: effect))
            try Directory.create(outputDirectory)
            let folder = outputDirectory.hasSuffix("/") ? outputDirectory : outputDirectory + "/"
            var written = 0
            do throws(OutputFile.Failure) {
                // Synthetic people: no one's personal data, so the files follow the umask.
                try OutputFile.write(to: folder + "events.csv", content: .summary) { (emit: (UnsafeRawBufferPointer) throws(OutputFile.Failure) -> Void) throws(OutputFile.Failure) in
                    written = try dataset.writeEvents { (bytes) throws(OutputFile.Failure) in try emit(bytes) }
                }
                try OutputFile.write(dataset.interventionsCSV(), to: folder + "interventions.csv", content: .summary)
                try OutputFile.write(dataset.unitCostsCSV(), to: folder + "unit-costs.csv", content: .summary)
                try OutputFile.write(dataset.servicesCSV(), to: folder + "services.csv", content: .summary)
                if comparisonShare > 0 { try OutputFile.write(dataset.comparisonCSV(), to: folder + "comparison.csv", content: .summary) }
            } catch {
                throw CommandFailure(error)
            }
            Diagnostics.note("wrote \(written) events for \(dataset.options.people) people to \(folder)")
        }
    }

    /// Writes the spike-recruited cohort (``SpikeRecruitedCohort``).
    private func writeSpikeCohort() throws {
        try reportingFailures {
            let cohort = SpikeRecruitedCohort(options: .init(people: people ?? 1_000, treated: treated, seed: seed, effect: effect))
            try Directory.create(outputDirectory)
            let folder = outputDirectory.hasSuffix("/") ? outputDirectory : outputDirectory + "/"
            do throws(OutputFile.Failure) {
                // Synthetic people: no one's personal data, so the files follow the umask.
                try OutputFile.write(cohort.eventsCSV(), to: folder + "events.csv", content: .summary)
                try OutputFile.write(cohort.interventionsCSV(), to: folder + "interventions.csv", content: .summary)
                try OutputFile.write(cohort.unitCostsCSV(), to: folder + "unit-costs.csv", content: .summary)
                try OutputFile.write(cohort.servicesCSV(), to: folder + "services.csv", content: .summary)
            } catch {
                throw CommandFailure(error)
            }
            Diagnostics.note("wrote \(cohort.events.count) events for \(cohort.options.people) people (\(cohort.treated.count) treated at a crisis) to \(folder); analyse with --before 12m --after 12m --observation-end \(cohort.windows.observationEnd.map { "\($0)" } ?? "")")
        }
    }
}
