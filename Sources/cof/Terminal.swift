import Foundation

/// What the terminal the output goes to allows.
enum Terminal {
    /// Whether output to `path` (`nil` or `-`: standard output) reaches an interactive terminal:
    /// the only place cohort figures are shown exactly.
    static func isInteractive(output path: String?) -> Bool {
        (path == nil || path == "-") && isatty(STDOUT_FILENO) == 1
    }

    /// Whether colour may be used on standard output (or standard error): it is a terminal, and
    /// neither `NO_COLOR` (set and not empty, as https://no-color.org says) nor `TERM=dumb`
    /// asks for plain text.
    static func allowsColour(onStandardOutput: Bool,
                             environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return isatty(onStandardOutput ? STDOUT_FILENO : STDERR_FILENO) == 1
    }
}
