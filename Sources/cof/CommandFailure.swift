import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// An error that ends a command with a message on standard error and a documented exit code:
/// 64 usage, 65 bad data, 66 missing input, 74 I/O error.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    let exitCode: Int32

    init(_ error: StudyInputs.Failure) {
        message = error.description
        switch error {
        case .ingest(let ingest): exitCode = CommandFailure.exitCode(of: ingest)
        case .overflow, .pricing: exitCode = 65
        }
    }

    /// A figure beyond what the engine holds: bad data (65). The message names the figure or
    /// the (service, event), never a value or a person.
    init(_ error: CostResolver.Overflow) {
        message = error.description
        exitCode = 65
    }

    /// Runs `body`, an analysis, turning its overflow error into bad data (65).
    static func checkingOverflow<T>(_ body: () throws(CostResolver.Overflow) -> T) throws(CommandFailure) -> T {
        do {
            return try body()
        } catch {
            throw CommandFailure(error)
        }
    }

    init(_ error: OutputFile.Failure) {
        message = error.description
        exitCode = 74
    }

    /// An output that is one of the inputs: a usage error (64), found before anything is read.
    init(_ clash: OutputFile.Clash) {
        message = clash.description
        exitCode = 64
    }

    init(_ error: ProjectFile.Failure) {
        message = error.description
        exitCode = error.isMissing ? 66 : error.isUnusableSetting ? 64 : 65
    }

    /// A report or a table that could not be made: an overflow or what the data cannot give
    /// is bad data (65), contradictory settings a usage error (64).
    init(_ failure: PublicationFailure) {
        message = failure.description
        switch failure {
        case .overflow, .badData: exitCode = 65
        case .settings: exitCode = 64
        }
    }

    init(usage message: String) {
        self.message = message
        exitCode = 64
    }

    init(missingInput message: String) {
        self.message = message
        exitCode = 66
    }

    init(badData message: String) {
        self.message = message
        exitCode = 65
    }

    /// A file that could not be opened (66) or read (74).
    init(missingOrUnreadable error: IngestError) {
        message = error.description
        exitCode = CommandFailure.exitCode(of: error)
    }

    /// An I/O failure (74), such as a workbook that could not be made.
    init(ioError message: String) {
        self.message = message
        exitCode = 74
    }

    var description: String { message }

    /// 66 for a missing file, 74 for an I/O error, 65 for bad data.
    static func exitCode(of error: IngestError) -> Int32 {
        switch error.kind {
        case .missingFile: return 66
        case .unreadable: return 74
        default: return 65
        }
    }
}

extension ParsableCommand {
    /// Runs `body`, turning a ``CommandFailure`` into its message and exit code.
    func reportingFailures(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as CommandFailure {
            Diagnostics.error(failure.message)
            throw ExitCode(failure.exitCode)
        } catch let failure as PublicationFailure {
            Diagnostics.error(failure.description)
            throw ExitCode(CommandFailure(failure).exitCode)
        }
    }
}
