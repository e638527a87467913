/// What happened to every line of one source: `read = loaded + rejected + blank`, where `read`
/// is counted by the parser on its own, so the equation is a check, not a definition.
public struct SourceReconciliation: Sendable, Equatable, CustomStringConvertible {
    /// The file as named by the user.
    public var file: String
    /// Records after the header plus blank lines, as the parser counted them.
    public var read: Int
    /// Data records loaded into the table.
    public var loaded: Int
    /// Data records set aside, each with a reason.
    public var rejected: Int
    /// Blank lines skipped.
    public var blank: Int

    /// Creates a reconciliation.
    public init(file: String, read: Int, loaded: Int, rejected: Int, blank: Int) {
        self.file = file
        self.read = read
        self.loaded = loaded
        self.rejected = rejected
        self.blank = blank
    }

    /// Whether every line read is accounted for (never, when the counts are negative or their
    /// sum does not fit: a partial read from text may hold any numbers).
    public var balances: Bool {
        let (accounted, overflow1) = loaded.addingReportingOverflow(rejected)
        let (all, overflow2) = accounted.addingReportingOverflow(blank)
        return !overflow1 && !overflow2 && loaded >= 0 && rejected >= 0 && blank >= 0 && read == all
    }

    /// `read N = loaded L + rejected R (+ blank B)`.
    public var equation: String {
        "read \(read) = loaded \(loaded) + rejected \(rejected)" + (blank > 0 ? " (+ blank \(blank))" : "")
    }

    /// `file: read N = loaded L + rejected R (+ blank B)`.
    public var description: String { "\(file): \(equation)" }
}
