/// Takes events as a streaming load reads them, a morsel of rows at a time, so that an analysis
/// that needs one pass never holds the whole table (see ``EventLoader/scan(_:following:into:)``).
///
/// A large file is read in parts on several threads. Each thread's scan, made with ``empty()``,
/// takes the morsels of the parts that thread reads — in file order, but not consecutive: the
/// other threads read the parts in between — and the threads' scans are then joined with
/// ``append(_:recoding:)``. So a scan must give the same result whatever the split and order of
/// the rows, except that the first row after which it takes nothing (``hasStopped``) must be the
/// first in file order: the scans are joined with the one that stopped earliest in the file first.
public protocol EventScan: SendableMetatype {
    /// A scan with the same settings that has taken nothing.
    func empty() -> Self

    /// Whether the scan has met a row after which it takes nothing more (such as the first
    /// implausible cost, which ends the analysis with an error).
    var hasStopped: Bool { get }

    /// Takes the rows of `morsel`, whose codes are into its dictionaries (which only grow as a
    /// read goes on: a code keeps its meaning from one morsel to the next).
    mutating func take(_ morsel: borrowing EventTableBuilder)

    /// Adds what `later` took — rows read by another thread, or from a later file — whose codes
    /// `recoding` maps into this scan's. When both have stopped, this one's stop is the first.
    mutating func append(_ later: consuming Self, recoding: EventTableBuilder.Recoding)
}

/// The scan of a load that keeps every row (a table load takes no morsels).
struct NoEventScan: EventScan {
    func empty() -> NoEventScan { self }
    var hasStopped: Bool { false }
    func take(_ morsel: borrowing EventTableBuilder) {}
    func append(_ later: consuming NoEventScan, recoding: EventTableBuilder.Recoding) {}
}
