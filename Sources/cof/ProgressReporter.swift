import Dispatch
import Foundation
import CostOfFailure

/// Shows on standard error how far a read of event files has gone (see ``ReadProgress``),
/// sampling the counter on a timer of its own while the read runs on the other threads.
///
/// Nothing shows for a read shorter than the start delay (about a second), so short runs and
/// their logs look as they always did. On a terminal the line is redrawn in place and cleared
/// when the reporter stops; in a log each sample is a line of its own, and a last one says what
/// was read in all. ``stop()`` returns only when the line is cleared and no sample is being
/// written: what the command prints next (a note, an error, its results) starts on a clean line.
final class ProgressReporter: @unchecked Sendable {
    /// How the progress shows.
    enum Style {
        /// One line redrawn in place with a carriage return (standard error is a terminal).
        case redrawn
        /// A line every interval, ending in a line feed (for logs: `--progress`).
        case lines
    }

    private let progress: ReadProgress
    private let style: Style
    private let delay: Duration
    private let interval: Duration
    private let started = ContinuousClock.now
    /// The samples' queue: everything below is touched only on it (that is what makes the
    /// class sendable).
    private let queue = DispatchQueue(label: "cof.progress")
    private var timer: DispatchSourceTimer?
    /// Characters of the line on screen (redrawn style), 0 when none is.
    private var drawn = 0
    /// Whether any sample has been shown.
    private var shown = false

    /// A reporter of `progress`; nothing shows until ``start()``.
    init(progress: ReadProgress, style: Style, delay: Duration, interval: Duration) {
        self.progress = progress
        self.style = style
        self.delay = delay
        self.interval = interval
    }

    /// Starts sampling: the first sample after the delay, then one every interval.
    func start() {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + Self.dispatchInterval(delay), repeating: Self.dispatchInterval(interval),
                       leeway: .milliseconds(10))
        timer.setEventHandler { [weak self] in self?.sample() }
        queue.sync { self.timer = timer }
        timer.resume()
    }

    /// Stops sampling and clears the line (or, in a log, writes the last line when any showed
    /// or the read lasted the delay). Returns once nothing more will be written.
    func stop() {
        queue.sync {
            timer?.cancel()
            timer = nil
            switch style {
            case .redrawn:
                if drawn > 0 { Self.write("\r" + String(repeating: " ", count: drawn) + "\r") }
                drawn = 0
            case .lines:
                if shown || ContinuousClock.now - started >= delay { Self.write(line() + "\n") }
            }
        }
    }

    /// Shows one sample (on ``queue``).
    private func sample() {
        guard timer != nil else { return }
        shown = true
        switch style {
        case .lines:
            Self.write(line() + "\n")
        case .redrawn:
            // A line longer than the terminal would wrap, and the carriage return would then
            // redraw only its last row.
            let text = String(line().prefix(max(20, Self.terminalColumns() - 1)))
            let padding = String(repeating: " ", count: max(0, drawn - text.count))
            Self.write("\r" + text + padding)
            drawn = text.count
        }
    }

    /// The progress line now (counts only: nothing from the data).
    private func line() -> String {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return "cof: " + progress.reading.statement(elapsedSeconds: seconds)
    }

    /// Columns of the terminal standard error shows in (80 when it cannot tell).
    private static func terminalColumns() -> Int {
        var size = winsize()
        let status = withUnsafeMutablePointer(to: &size) { ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), $0) }
        return status == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
    }

    private static func write(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { _ = Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    private static func dispatchInterval(_ duration: Duration) -> DispatchTimeInterval {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(max(1, Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)))
    }
}
