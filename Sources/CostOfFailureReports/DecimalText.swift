import CostOfFailure

/// Integers and pence written as ASCII digits straight into a byte buffer (no `String`).
enum DecimalText {
    /// Appends `value` in decimal.
    static func append(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendMagnitude(value.magnitude, to: &bytes)
    }

    /// Appends pence as plain pounds with two decimals (`1234.50`, `-0.07`).
    static func appendPence(_ pence: Pence, to bytes: inout [UInt8]) {
        if pence < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = pence.magnitude
        appendMagnitude(magnitude / 100, to: &bytes)
        let rest = UInt8(magnitude % 100)
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + rest / 10)
        bytes.append(UInt8(ascii: "0") + rest % 10)
    }

    private static func appendMagnitude(_ value: UInt64, to bytes: inout [UInt8]) {
        var divisor: UInt64 = 1
        while value / divisor >= 10 { divisor *= 10 }
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        } while divisor > 0
    }
}
