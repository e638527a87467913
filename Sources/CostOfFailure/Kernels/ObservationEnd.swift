/// The last day the data covers (inclusive), and how it was decided: given by the user, or,
/// by default, worked out from the data.
///
/// The default rule, written once here for every path (the table path, the streaming pass, and
/// what `cof validate` states for `cof partial` to be given):
///
/// - with no extract dates, the latest event date across all sources: the data covers up to the
///   last day anything was recorded;
/// - when the project file gives any source an extract date (`"extract_date"`), the EARLIEST of
///   the sources' coverage dates, a source's coverage being its extract date when given, else its
///   latest event: the last date every source covers. A source with neither (no extract date and
///   no events) covers nothing to compare and does not count.
///
/// After windows are cut there (their exposure shortened), and events after it are outside every
/// window.
public struct ObservationEnd: Sendable, Hashable, CustomStringConvertible {
    /// How the date was decided.
    public enum Basis: String, Sendable, Hashable {
        /// Given with `--observation-end` or the project file's `observation_end`.
        case given = "given"
        /// The latest event date across all sources.
        case latestEvent = "latest event"
        /// The earliest of the sources' coverage dates (extract dates, else latest events).
        case extractDates = "earliest of the sources' extract dates (or latest events, for a source without one)"
    }

    /// The last day the data covers (inclusive).
    public var date: CivilDate
    /// How it was decided.
    public var basis: Basis

    /// Creates an end.
    public init(date: CivilDate, basis: Basis) {
        self.date = date
        self.basis = basis
    }

    /// The default end (see the type's rule) from each source's latest event day (`nil`: no
    /// events) and extract date (`nil`: none given), one of each per source in order; `nil`
    /// when nothing bounds it (no events and no extract dates).
    public static func covered(latestEventDays: [Int32?], extractDates: [CivilDate?]) -> ObservationEnd? {
        precondition(latestEventDays.count == extractDates.count, "one latest day and one extract date per source")
        if extractDates.allSatisfy({ $0 == nil }) {
            return latestEventDays.compactMap { $0 }.max().map { ObservationEnd(date: CivilDate(daysSinceEpoch: $0), basis: .latestEvent) }
        }
        let coverage = zip(extractDates, latestEventDays).compactMap { extract, latest in
            extract ?? latest.map { CivilDate(daysSinceEpoch: $0) }
        }
        return coverage.min().map { ObservationEnd(date: $0, basis: .extractDates) }
    }

    /// The default end of `events` read from `sources` (in the order they were read, one
    /// reconciliation each).
    public static func covered(events: EventTable, sources: [EventSource]) -> ObservationEnd? {
        let latest: [Int32?] = sources.indices.map { index in
            guard index < events.sources.count else { return nil }
            return events.day[events.rows(ofSource: index)].max()
        }
        return covered(latestEventDays: latest, extractDates: sources.map(\.extractDate))
    }

    /// When every source has an extract date, the default end is known before any event is
    /// read: the earliest of them.
    public static func knownBeforeReading(_ sources: [EventSource]) -> ObservationEnd? {
        let dates = sources.map(\.extractDate)
        guard !dates.isEmpty, dates.allSatisfy({ $0 != nil }) else { return nil }
        return dates.compactMap { $0 }.min().map { ObservationEnd(date: $0, basis: .extractDates) }
    }

    /// The line standard error gets when the end was not given:
    /// `observation end 2024-03-31: the last date the data covers (latest event); pass --observation-end to set it`.
    public var statement: String {
        "observation end \(date): " + (basis == .given ? "given" : "the last date the data covers (\(basis.rawValue)); pass --observation-end to set it")
    }

    /// `2024-03-31 (inclusive; the last date the data covers: latest event)`, for provenance.
    public var description: String {
        "\(date) (inclusive; " + (basis == .given ? "given" : "the last date the data covers: \(basis.rawValue)") + ")"
    }
}
