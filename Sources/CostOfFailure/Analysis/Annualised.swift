/// Rates per year of exposure: `value × 365 / exposure days`.
public enum Annualised {
    /// Money per year in pence, rounded half away from zero; `nil` when there is no exposure
    /// (or, for sums beyond any real budget, when the result does not fit in 64 bits).
    public static func pence(_ pence: Pence, days: Int) -> Pence? {
        guard days > 0 else { return nil }
        // 128-bit intermediate: `pence × 365 × 2` cannot overflow it.
        let numerator = Int128(pence) * 365
        let d = Int128(days)
        let magnitude = (2 * (numerator < 0 ? -numerator : numerator) + d) / (2 * d)
        return Pence(exactly: numerator < 0 ? -magnitude : magnitude)
    }

    /// A count per year; `nil` when there is no exposure.
    public static func count(_ value: Int64, days: Int) -> Double? {
        guard days > 0 else { return nil }
        return Double(value) * 365 / Double(days)
    }
}
