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

    /// The width in columns a terminal table written to `path` (`nil` or `-`: standard output)
    /// is fitted to, `nil` for none. On an interactive terminal: the window's width as the
    /// terminal reports it (`TIOCGWINSZ`), else `COLUMNS`, else 80. Into a pipe or a file: the
    /// width `COLUMNS` asks for when it is set (exported, as `COLUMNS=100 cof ... | less` does),
    /// else none — every row on one line, as wide as the table, for a file or a program to read
    /// whole. A `COLUMNS` that is not a positive number is ignored.
    static func tableWidth(output path: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> Int? {
        let interactive = isInteractive(output: path)
        if interactive, let columns = windowColumns() { return columns }
        if let text = environment["COLUMNS"], let columns = Int(text), columns > 0 { return columns }
        return interactive ? 80 : nil
    }

    /// Standard output's window width, when it is a terminal that knows it (a pseudo-terminal
    /// nobody sized reports 0).
    private static func windowColumns() -> Int? {
        var size = winsize()
        // Sound: TIOCGWINSZ writes one `struct winsize` through the pointer, which is `size`'s.
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}
