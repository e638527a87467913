/// A price index by UK financial year — the GDP deflator — with which an amount in one year's
/// prices is restated in another's: `amount × index(to) / index(from)`.
///
/// Index values are kept exactly as published (to four decimal places, as integers), so that a
/// restated amount depends on no binary fraction: it is rounded to the penny once, half away
/// from zero.
public struct PriceIndex: Sendable {
    /// One year's value.
    public struct Entry: Sendable, Equatable {
        /// The year.
        public var year: FinancialYear
        /// The index in ten-thousandths (`96.1117` is 961117).
        public var tenThousandths: Int64
        /// Whether the value is a forecast rather than an outturn.
        public var isForecast: Bool

        /// Creates an entry.
        public init(year: FinancialYear, tenThousandths: Int64, isForecast: Bool = false) {
            self.year = year
            self.tenThousandths = tenThousandths
            self.isForecast = isForecast
        }
    }

    /// The values by year.
    public let entries: [FinancialYear: Entry]
    /// Which release the values come from, for every report that uses them.
    public let vintage: String

    /// An index of `entries` from the release `vintage`.
    public init(entries: [Entry], vintage: String) {
        self.entries = Dictionary(entries.map { ($0.year, $0) }, uniquingKeysWith: { _, last in last })
        self.vintage = vintage
    }

    /// The first and last years covered.
    public var years: ClosedRange<FinancialYear>? {
        guard let first = entries.keys.min(), let last = entries.keys.max() else { return nil }
        return first...last
    }

    /// `pence` in the prices of `from`, restated in the prices of `to` (rounded to the penny,
    /// half away from zero); `nil` when either year is not in the index.
    public func restate(_ pence: Pence, from: FinancialYear, to: FinancialYear) -> Pence? {
        guard let numerator = entries[to]?.tenThousandths, let denominator = entries[from]?.tenThousandths, denominator > 0 else { return nil }
        return Self.scale(pence, by: numerator, over: denominator)
    }

    /// `pence × numerator / denominator`, rounded half away from zero (exact: 128-bit product);
    /// `nil` if the result does not fit in 64 bits.
    static func scale(_ pence: Pence, by numerator: Int64, over denominator: Int64) -> Pence? {
        let product = Int128(pence) * Int128(numerator)
        let (quotient, remainder) = product.quotientAndRemainder(dividingBy: Int128(denominator))
        var rounded = quotient
        if remainder.magnitude * 2 >= UInt128(denominator) { rounded += product < 0 ? -1 : 1 }
        return Pence(exactly: rounded)
    }
}
