import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// `cof generate`: a deterministic synthetic dataset in the engine's input format.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a seeded synthetic dataset: events.csv, interventions.csv, unit-costs.csv, services.csv.",
        discussion: "The same options and seed always give the same bytes. Contains no real person's data."
    )

    @Option(help: "Number of event rows.")
    var events: Int

    @Option(help: "Seed of the random stream.")
    var seed: UInt64 = 1

    @Option(help: "Number of people (default: one per 40 events).")
    var people: Int?

    @Option(name: .customLong("intervention-share"), help: "Share of people with an intervention (0 to 1).")
    var interventionShare: Double = 0.3

    @Option(name: .customLong("output-dir"), help: ArgumentHelp("Folder to write the four files into (created if missing).", valueName: "dir"))
    var outputDirectory: String

    func validate() throws {
        guard events >= 0 else { throw ValidationError("--events must be 0 or more") }
        guard (0...1).contains(interventionShare) else { throw ValidationError("--intervention-share must be between 0 and 1") }
        if let people, people < 1 { throw ValidationError("--people must be at least 1") }
    }

    func run() throws {
        try reportingFailures {
            let dataset = SyntheticDataset(options: .init(events: events, seed: seed, people: people, interventionShare: interventionShare))
            try Directory.create(outputDirectory)
            let folder = outputDirectory.hasSuffix("/") ? outputDirectory : outputDirectory + "/"
            do throws(OutputFile.Failure) {
                try OutputFile.write(to: folder + "events.csv") { (emit: (UnsafeRawBufferPointer) throws(OutputFile.Failure) -> Void) throws(OutputFile.Failure) in
                    try dataset.writeEvents { (bytes) throws(OutputFile.Failure) in try emit(bytes) }
                }
                try OutputFile.write(dataset.interventionsCSV(), to: folder + "interventions.csv")
                try OutputFile.write(dataset.unitCostsCSV(), to: folder + "unit-costs.csv")
                try OutputFile.write(dataset.servicesCSV(), to: folder + "services.csv")
            } catch {
                throw CommandFailure(error)
            }
            Diagnostics.note("wrote \(events) events for \(dataset.options.people) people to \(folder)")
        }
    }
}
