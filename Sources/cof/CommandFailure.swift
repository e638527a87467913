import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// An error that ends a command with a message on standard error and a documented exit code:
/// 65 bad data, 66 missing input, 74 I/O error.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    let exitCode: Int32

    init(_ error: StudyInputs.Failure) {
        message = error.description
        switch error {
        case .ingest(let ingest):
            switch ingest.kind {
            case .missingFile: exitCode = 66
            case .unreadable: exitCode = 74
            default: exitCode = 65
            }
        case .overflow: exitCode = 65
        }
    }

    init(_ error: OutputFile.Failure) {
        message = error.description
        exitCode = 74
    }

    init(badData message: String) {
        self.message = message
        exitCode = 65
    }

    var description: String { message }
}

extension ParsableCommand {
    /// Runs `body`, turning a ``CommandFailure`` into its message and exit code.
    func reportingFailures(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as CommandFailure {
            Diagnostics.error(failure.message)
            throw ExitCode(failure.exitCode)
        }
    }
}
