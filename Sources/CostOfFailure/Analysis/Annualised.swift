/// Rates per year of exposure: `value × 365 / exposure days`.
public enum Annualised {
    /// Money per year in pence, rounded half away from zero; `nil` when there is no exposure.
    public static func pence(_ pence: Pence, days: Int) -> Pence? {
        guard days > 0 else { return nil }
        let numerator = pence * 365
        let d = Int64(days)
        let rounded = (2 * abs(numerator) + d) / (2 * d)
        return numerator < 0 ? -rounded : rounded
    }

    /// A count per year; `nil` when there is no exposure.
    public static func count(_ value: Int64, days: Int) -> Double? {
        guard days > 0 else { return nil }
        return Double(value) * 365 / Double(days)
    }
}
