#if canImport(Glibc)
import Glibc
#endif
import CostOfFailureReports

/// Messages for standard error. Data never goes here, and no message carries a cell's value.
/// A message can still name what came from the data (a file, a header cell, a service): every
/// line goes through ``VisibleText/terminal(_:)``, so an escape sequence or a bidirectional
/// override in a name shows as `\x1B` or `\u{202E}` and never acts on the terminal.
enum Diagnostics {
    static func error(_ text: String) { write("cof: error: " + text) }
    static func warn(_ text: String) { write("cof: warning: " + text) }
    static func note(_ text: String) { write("cof: " + text) }

    /// A count of people for a message: exact when standard error is an interactive terminal;
    /// otherwise (a log file or a pipe, which leave the engine as any output does) under the
    /// default disclosure rule: 0 as 0, 1 to the threshold withheld, others rounded.
    static func people(_ count: Int) -> String {
        if isatty(STDERR_FILENO) == 1 { return String(count) }
        let rule = DisclosureRule.nhsEngland
        if count == 0 { return "0" }
        if Int64(count) <= rule.threshold { return "fewer than \(rule.threshold + 1)" }
        return "about \(rule.rounding.rounded(Int64(count)))"
    }

    private static func write(_ line: String) {
        let bytes = Array((VisibleText.terminal(line) + "\n").utf8)
        bytes.withUnsafeBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
