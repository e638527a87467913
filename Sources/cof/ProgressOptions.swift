import ArgumentParser
import Foundation
import CostOfFailure

/// What a command says on standard error while and after it reads event files: progress on long
/// reads, and notes. Shared by every command that reads event files (compare, report, export,
/// validate, partial), so that `--progress` and `--quiet` mean the same everywhere.
struct ProgressOptions: ParsableArguments {
    @Flag(help: "Show progress on standard error while event files are read, as plain lines (one every few seconds, for logs), even when standard error is not a terminal. On a terminal a read longer than a second shows one line, redrawn in place, without this flag.")
    var progress = false

    @Flag(help: "Print nothing on standard error but errors and warnings: no progress, no notes.")
    var quiet = false

    func validate() throws {
        if progress && quiet { throw ValidationError("--progress and --quiet contradict each other: give one or the other") }
    }

    /// How progress shows: plain lines with `--progress`, a redrawn line when standard error is
    /// a terminal, else (a log, a pipe) not at all; never with `--quiet`.
    var style: ProgressReporter.Style? {
        if quiet { return nil }
        if progress { return .lines }
        return isatty(STDERR_FILENO) == 1 ? .redrawn : nil
    }

    /// Runs `read`, the read of `sources`, showing its progress as ``style`` says: `read` gets
    /// the counter to give the loader (`nil` when nothing shows, so nothing is counted). The
    /// progress is cleared before this returns or throws, so that whatever is written next (the
    /// results, a note, an error message) starts on a line of its own.
    func whileReading<T, Failure: Error>(_ sources: [EventSource], _ read: (ReadProgress?) throws(Failure) -> T) throws(Failure) -> T {
        guard let style else { return try read(nil) }
        let counter = ReadProgress(reading: sources)
        let timing = Self.timing(style, environment: ProcessInfo.processInfo.environment)
        let reporter = ProgressReporter(progress: counter, style: style, delay: timing.delay, interval: timing.interval)
        reporter.start()
        defer { reporter.stop() }
        return try read(counter)
    }

    /// Runs `read` on `inputs` with their events' reads counted and shown (see
    /// the reading of sources above): `read` gets the inputs with their counter set.
    func whileReading<T>(_ inputs: StudyInputs, _ read: (StudyInputs) throws(StudyInputs.Failure) -> T) throws(StudyInputs.Failure) -> T {
        try whileReading(inputs.events) { (counter) throws(StudyInputs.Failure) in
            var inputs = inputs
            inputs.progress = counter
            return try read(inputs)
        }
    }

    /// The delay before the first sample and the interval between samples: about a second,
    /// then every quarter second on a terminal or every 5 s in a log. For tests only,
    /// `COF_PROGRESS_INTERVAL_MS=N` makes both N milliseconds (0: the last line of a log is
    /// written however short the read).
    static func timing(_ style: ProgressReporter.Style, environment: [String: String]) -> (delay: Duration, interval: Duration) {
        if let text = environment["COF_PROGRESS_INTERVAL_MS"], let milliseconds = Int(text), milliseconds >= 0 {
            return (.milliseconds(milliseconds), .milliseconds(max(1, milliseconds)))
        }
        return (.seconds(1), style == .lines ? .seconds(5) : .milliseconds(250))
    }
}
