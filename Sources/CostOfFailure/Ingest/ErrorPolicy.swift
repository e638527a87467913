/// What loading does with a bad row: stop at the first one, or set it aside and go on.
///
/// Either way nothing is lost silently: a rejected row is kept with its position and reason,
/// and each source's counts reconcile (`read = loaded + rejected + blank`).
public struct ErrorPolicy: Sendable, Hashable {
    /// Stop or reject.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Stop at the first bad row (the default).
        case fail
        /// Load the good rows and record the bad ones.
        case reject
    }

    /// Stop or reject.
    public var mode: Mode
    /// In reject mode, the most rows one source may lose before loading stops anyway.
    public var maxRejectsPerSource: Int?
    /// Whether messages may quote the offending cell (off by default: inputs are personal data).
    public var showValues: Bool

    /// Creates a policy.
    public init(mode: Mode = .fail, maxRejectsPerSource: Int? = nil, showValues: Bool = false) {
        self.mode = mode
        self.maxRejectsPerSource = maxRejectsPerSource
        self.showValues = showValues
    }

    /// Stop at the first bad row, quoting no values.
    public static let failFast = ErrorPolicy()
}
