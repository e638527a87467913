/// A length of time written `Nd` (days), `Nm` (calendar months) or `Ny` (years of 12 months).
///
/// Month spans clamp to the target month's last day: 31 August + 6m is 29 February in a leap
/// year, and 29 February 2024 − 1y is 28 February 2023.
public struct WindowSpan: Sendable, Hashable, CustomStringConvertible {
    /// The unit of a span.
    public enum Unit: Character, Sendable {
        case days = "d"
        case months = "m"
        case years = "y"
    }

    /// How many units (0 or more).
    public var count: Int
    /// The unit.
    public var unit: Unit

    /// Creates a span.
    public init(_ count: Int, _ unit: Unit) {
        self.count = count
        self.unit = unit
    }

    /// Parses `6m`, `12m`, `10y`, `90d`; `nil` for anything else (counts up to 100,000).
    public init?(_ text: String) {
        guard let last = text.last, let unit = Unit(rawValue: Character(last.lowercased())),
              let count = Int(text.dropLast()), count >= 0, count <= 100_000,
              text.dropLast().allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        self.init(count, unit)
    }

    /// The span as written, e.g. `6m`.
    public var description: String { "\(count)\(unit.rawValue)" }

    /// `date` moved forward by this span.
    public func added(to date: CivilDate) -> CivilDate {
        switch unit {
        case .days: return date.addingDays(count)
        case .months: return date.addingMonths(count)
        case .years: return date.addingMonths(12 * count)
        }
    }

    /// `date` moved back by this span.
    public func subtracted(from date: CivilDate) -> CivilDate {
        switch unit {
        case .days: return date.addingDays(-count)
        case .months: return date.addingMonths(-count)
        case .years: return date.addingMonths(-12 * count)
        }
    }
}
