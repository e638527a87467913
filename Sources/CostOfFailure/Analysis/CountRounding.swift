/// How a published count is rounded: to the nearest multiple of ``base``, halves away from zero
/// (NHS England rounds counts to 5). A base of 1 leaves counts exact.
///
/// Figures per person or per person-year that are published beside a rounded count are computed
/// over the rounded count, as NHS England computes percentages from rounded figures: otherwise
/// the exact count comes back as the total divided by the mean (or as the person-years divided
/// by the window), which would undo the rounding.
public struct CountRounding: Sendable, Equatable {
    /// The multiple counts are rounded to (1: exact).
    public let base: Int64

    /// Counts rounded to multiples of `base` (1 or more).
    public init(base: Int64) {
        precondition(base >= 1, "a rounding base is 1 or more")
        self.base = base
    }

    /// Counts left exact.
    public static let exact = CountRounding(base: 1)

    /// `value` rounded to the nearest multiple of ``base``, halves away from zero.
    public func rounded(_ value: Int64) -> Int64 {
        guard base > 1 else { return value }
        // In magnitudes, so that Int64.min and values near the limits round without a trap.
        let step = UInt64(base)
        let (quotient, remainder) = value.magnitude.quotientAndRemainder(dividingBy: step)
        let magnitude = (remainder * 2 >= step ? quotient + 1 : quotient).multipliedReportingOverflow(by: step)
        guard !magnitude.overflow, magnitude.partialValue <= UInt64(Int64.max) else {
            return value < 0 ? -(Int64.max / base * base) : Int64.max / base * base
        }
        return value < 0 ? -Int64(magnitude.partialValue) : Int64(magnitude.partialValue)
    }

    /// The people count a per-person figure is computed over: `people` rounded; `people` itself
    /// when that rounds to none (so few that disclosure control withholds the figure anyway, and
    /// it shows as withheld, not as missing); `nil` with no people.
    public func denominator(_ people: Int) -> Int? {
        guard people > 0 else { return nil }
        let published = Int(rounded(Int64(people)))
        return published > 0 ? published : people
    }

    /// `days` of exposure restated for the rounded people count: `days × rounded(people) / people`,
    /// rounded to the day, so that person-years (and rates over them) give back only the
    /// rounded count; exact when the base is 1, there are no people, or they round to none.
    public func exposure(_ days: Int, people: Int) -> Int {
        // With a count that rounds to none the figure is withheld anyway: exact, not missing.
        guard base > 1, people > 0, rounded(Int64(people)) > 0 else { return days }
        let published = Int128(rounded(Int64(people)))
        let scaled = (2 * Int128(days) * published + Int128(people)) / (2 * Int128(people))
        return Int(clamping: scaled)
    }
}
