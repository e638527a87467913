import ArgumentParser
import CostOfFailure

/// Where the events come from: a project file, `--events` files, or both (the files replace the
/// project's sources). Shared by every command that reads events.
struct SourceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A project file (cof.json, or cof.toml: TOML when the name ends in .toml) naming the sources, tables, windows and error policy; the flags override it.", valueName: "file"))
    var project: String?

    @Option(name: .customLong("events"), help: ArgumentHelp("An events CSV (person_id, service, event, date[, quantity, cost]); repeat for several files; '-' reads standard input. Replaces the project's sources.", valueName: "file"))
    var eventFiles: [String] = []

    /// The project file, when one is given (or the command ends with its message, which
    /// quotes the file's text only with `showValues`).
    func projectFile(showValues: Bool = false) throws -> ProjectFile? {
        guard let project else { return nil }
        do throws(ProjectFile.Failure) {
            return try ProjectFile.load(path: project, showValues: showValues)
        } catch {
            throw CommandFailure(error)
        }
    }

    /// The event sources: the `--events` files, else the project's.
    func sources(_ project: ProjectFile?) throws -> [EventSource] {
        let sources = eventFiles.isEmpty ? (project?.sources ?? []) : eventFiles.map { EventSource(.file($0)) }
        if sources.isEmpty { throw CommandFailure(usage: "no event sources: give --events, or a project file that lists some") }
        return sources
    }
}

/// How fields are read and quoted in messages, shared by every command that reads events.
struct FieldOptions: ParsableArguments {
    @Flag(name: .customLong("show-values"), help: "Quote the data in error messages: the offending cell, a first row that is not a header, a project file's text. This may print personal data (IDs, health and police records) to the screen; off by default.")
    var showValues = false

    @Option(name: .customLong("max-field-size"), help: ArgumentHelp("The longest CSV field accepted, in bytes (a quote that never closes stops here).", valueName: "bytes"))
    var maxFieldBytes: Int = 1 << 20

    func validate() throws {
        if maxFieldBytes < 1 { throw ValidationError("--max-field-size must be at least 1") }
    }
}
