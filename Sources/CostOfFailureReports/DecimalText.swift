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

    /// Appends `value` rounded half away from zero to `decimals` places (0...9), as
    /// ``MoneyFormat/decimal(_:decimals:)`` writes it; non-finite values are not written here.
    static func appendDecimal(_ value: Double, decimals requested: Int, to bytes: inout [UInt8]) {
        let decimals = min(max(requested, 0), 9)
        var divisor: UInt64 = 1
        for _ in 0..<decimals { divisor *= 10 }
        let scaled = (abs(value) * Double(divisor)).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e18 else {
            bytes += String(value).utf8
            return
        }
        let units = UInt64(scaled)
        if value < 0 && units > 0 { bytes.append(UInt8(ascii: "-")) }
        appendMagnitude(units / divisor, to: &bytes)
        guard decimals > 0 else { return }
        bytes.append(UInt8(ascii: "."))
        var fraction = units % divisor
        let start = bytes.count
        for _ in 0..<decimals {
            bytes.append(0)
        }
        for i in stride(from: start + decimals - 1, through: start, by: -1) {
            bytes[i] = UInt8(ascii: "0") + UInt8(fraction % 10)
            fraction /= 10
        }
    }

    /// Appends the digits of `value`, written right to left into a small stack buffer and
    /// copied once (appending digit by digit paid a capacity check per byte).
    private static func appendMagnitude(_ value: UInt64, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var value = value
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            } while value > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }
}
