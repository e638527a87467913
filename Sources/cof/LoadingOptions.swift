import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// How bad rows are handled and reported, shared by every command that loads events.
struct LoadingOptions: ParsableArguments {
    @Option(name: .customLong("on-error"), help: "fail: stop at the first bad row (exit 65). reject: load the good rows and set the bad ones aside.")
    var onError: ErrorPolicy.Mode?

    @Option(help: ArgumentHelp("With --on-error reject: write every rejected row's position and reason here (file,line,record,column,kind,message).", valueName: "file"))
    var rejects: String?

    @Option(name: .customLong("max-rejects"), help: ArgumentHelp("With --on-error reject: stop when one source has more than this many rejected rows.", valueName: "n"))
    var maxRejects: Int?

    @OptionGroup var fields: FieldOptions

    func validate() throws {
        if let maxRejects, maxRejects < 0 { throw ValidationError("--max-rejects must be 0 or more") }
    }

    /// The policy: flags first, then the project file, then fail-fast.
    func policy(_ project: ProjectFile?) throws -> ErrorPolicy {
        let mode = onError ?? project?.onError ?? .fail
        if mode == .fail, rejects != nil || maxRejects != nil {
            throw CommandFailure(usage: "--rejects and --max-rejects go with --on-error reject")
        }
        return ErrorPolicy(mode: mode, maxRejectsPerSource: maxRejects ?? project?.maxRejects, showValues: fields.showValues)
    }

    /// Prints each source's reconciliation, writes the rejects file (or a per-kind summary).
    func report(_ table: EventTable, quiet: Bool, rejectsFile: String?) throws {
        let anyRejects = !table.rejects.isEmpty
        for source in table.sources where !quiet || source.rejected > 0 {
            Diagnostics.note(source.description)
        }
        if let rejectsFile {
            // Positions and reasons of people's rows: person-level, like the rows themselves.
            try CommandOutput.write(RejectsTable(table.rejects).csv(), to: rejectsFile, content: .personLevel, quiet: quiet)
            if anyRejects { Diagnostics.warn("\(table.rejects.count) rejected rows written to \(rejectsFile)") }
        } else if anyRejects {
            Diagnostics.warn("\(table.rejects.count) rows rejected (give --rejects FILE for every position):")
            for (kind, count) in RejectsTable(table.rejects).countsByKind() {
                Diagnostics.warn("  \(kind): \(count)")
            }
        }
    }
}

extension ErrorPolicy.Mode: ExpressibleByArgument {}
