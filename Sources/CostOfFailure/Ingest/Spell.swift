/// The rule for an event with a start and an end date (a stay, a custody period): how many
/// nights it is, and how its explicit cost is shared between them. Written once, used by the
/// ingest (``EventRowSink``), which turns a spell into one event per night, so that every
/// analysis and both paths (the streaming scan and the study's table) see each night in its
/// own window, financial year and month.
///
/// Conventions (the README's inputs section states them too):
/// - A spell from `start` to `end` is `end − start` nights, the night of each day from `start`
///   up to the day before `end`: a stay from 1 to 3 March is the nights of 1 and 2 March. Each
///   night is an event dated that day, with the row's quantity (default 1) priced at the unit
///   cost per night.
/// - `end == start` is a day case: one event on `start`, exactly as a row with no end date.
/// - `end < start`, or more than ``maximumNights`` nights, is a bad row (``IngestError/Kind/badSpell``).
/// - An explicit cost is the whole stay's: night `i` of `n` gets `cost / n` (rounded toward
///   zero) plus one penny of the remainder for each of the first `|cost % n|` nights, so the
///   nights add up to the cost exactly and the earliest nights carry the odd pence.
public enum Spell {
    /// The longest spell accepted: 36,600 nights (about a hundred years). Longer is a mistyped
    /// date, and would be expanded into that many events.
    public static let maximumNights: Int32 = 36_600

    /// What a row's start and end dates make of it.
    public enum Nights: Equatable, Sendable {
        /// One event on the start date (no end date, or a day case).
        case single
        /// This many nights (1 or more), one event each from the start date on.
        case nights(Int32)
        /// The end date is before the start date.
        case endsBeforeStart
        /// More than ``maximumNights`` nights.
        case tooLong
    }

    /// The nights of a spell from day `start` to day `end` (days since 1970-01-01).
    @inline(__always)
    public static func nights(start: Int32, end: Int32) -> Nights {
        let count = Int64(end) - Int64(start)
        if count < 0 { return .endsBeforeStart }
        if count == 0 { return .single }
        if count > Int64(maximumNights) { return .tooLong }
        return .nights(Int32(count))
    }

    /// The share of a whole stay's explicit `cost` that night `night` (0-based) of `nights`
    /// carries; the shares of nights `0..<nights` add up to `cost` exactly.
    @inline(__always)
    public static func nightCost(_ cost: Pence, night: Int32, of nights: Int32) -> Pence {
        let (share, remainder) = cost.quotientAndRemainder(dividingBy: Pence(nights))
        guard Pence(night) < remainder.magnitude else { return share }
        return share + (remainder < 0 ? -1 : 1)
    }
}
