/// Takes events as a streaming load reads them, a morsel of rows at a time, so that an analysis
/// that needs one pass never holds the whole table (see ``EventLoader/scan(_:following:into:)``).
///
/// A large file is read in parts on several threads, each part into its own scan made with
/// ``empty()``; the parts' scans are then joined in file order with ``append(_:recoding:)``, so a
/// scan must give the same result however the rows were split.
public protocol EventScan {
    /// A scan with the same settings that has taken nothing.
    func empty() -> Self

    /// Takes the rows of `morsel`, whose codes are into its dictionaries (which only grow as a
    /// read goes on: a code keeps its meaning from one morsel to the next).
    mutating func take(_ morsel: borrowing EventTableBuilder)

    /// Adds what `later` took — the rows after this scan's, read by another part — whose codes
    /// `recoding` maps into this scan's.
    mutating func append(_ later: consuming Self, recoding: EventTableBuilder.Recoding)
}

/// The scan of a load that keeps every row (a table load takes no morsels).
struct NoEventScan: EventScan {
    func empty() -> NoEventScan { self }
    func take(_ morsel: borrowing EventTableBuilder) {}
    func append(_ later: consuming NoEventScan, recoding: EventTableBuilder.Recoding) {}
}
