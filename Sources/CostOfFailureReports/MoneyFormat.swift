import CostOfFailure

/// How amounts in pence become text.
public enum MoneyFormat {
    /// `1234.50`, `-0.07`: plain decimal pounds with exactly two places, for CSV and JSON.
    public static func plain(_ pence: Pence) -> String {
        let magnitude = pence.magnitude
        let pounds = magnitude / 100, rest = magnitude % 100
        return (pence < 0 ? "-" : "") + String(pounds) + "." + (rest < 10 ? "0" : "") + String(rest)
    }

    /// `£1,234.50`, `-£7.00`: pounds with thousands separators and pence, for tables.
    public static func pounds(_ pence: Pence) -> String {
        let magnitude = pence.magnitude
        let rest = magnitude % 100
        return (pence < 0 ? "-£" : "£") + grouped(magnitude / 100) + "." + (rest < 10 ? "0" : "") + String(rest)
    }

    /// `£2,034,118`: whole pounds (rounded half away from zero) with separators, for headlines.
    public static func wholePounds(_ pence: Pence) -> String {
        let magnitude = (pence.magnitude + 50) / 100
        return (pence < 0 && magnitude > 0 ? "-£" : "£") + grouped(magnitude)
    }

    /// `3,355`: a count with thousands separators.
    public static func count(_ value: Int64) -> String {
        (value < 0 ? "-" : "") + grouped(value.magnitude)
    }

    /// A number with `decimals` places (half away from zero), e.g. `233.92`; `decimals` is
    /// clamped to 0...9. Not for non-finite values (renderers show those as missing).
    public static func decimal(_ value: Double, decimals requested: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-∞" : "∞") }
        var bytes: [UInt8] = []
        DecimalText.appendDecimal(value, decimals: requested, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func grouped(_ value: UInt64) -> String {
        let digits = Array(String(value))
        var text = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }
}
