import CostOfFailure

/// Integers and pence written as ASCII digits straight into bytes (no `String`).
///
/// The `write` functions write at a pointer into room the caller has made (at most
/// ``maximumWidth`` bytes) and return how many bytes they wrote: the CSV renderer's loop over
/// millions of cells checks room once per block, not per byte. The `append` functions add to an
/// array, for everyone else.
enum DecimalText {
    /// The most bytes any `write` function writes (a sign, 19 digits, a point and 9 places, or
    /// a double's shortest text).
    static let maximumWidth = 32
    /// The most bytes ``write(_:to:)`` and ``writePence(_:to:)`` write: a sign and 19 digits, or
    /// a sign, 17 digits, a point and two places.
    static let integerWidth = 21

    /// Appends `value` in decimal.
    static func append(_ value: Int64, to bytes: inout [UInt8]) {
        appending(to: &bytes) { write(value, to: $0) }
    }

    /// Appends pence as plain pounds with two decimals (`1234.50`, `-0.07`).
    static func appendPence(_ pence: Pence, to bytes: inout [UInt8]) {
        appending(to: &bytes) { writePence(pence, to: $0) }
    }

    /// Appends `value` rounded half away from zero to `decimals` places (0...9), as
    /// ``MoneyFormat/decimal(_:decimals:)`` writes it; non-finite values are not written here.
    static func appendDecimal(_ value: Double, decimals: Int, to bytes: inout [UInt8]) {
        appending(to: &bytes) { writeDecimal(value, decimals: decimals, to: $0) }
    }

    /// Writes `value` in decimal at `out`; returns the bytes written.
    @inline(__always)
    static func write(_ value: Int64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        if value < 0 {
            out.pointee = UInt8(ascii: "-")
            return 1 + writeMagnitude(value.magnitude, to: out + 1)
        }
        return writeMagnitude(value.magnitude, to: out)
    }

    /// Writes pence as plain pounds with two decimals at `out`; returns the bytes written.
    @inline(__always)
    static func writePence(_ pence: Pence, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var count = 0
        if pence < 0 {
            out.pointee = UInt8(ascii: "-")
            count = 1
        }
        let magnitude = pence.magnitude
        count += writeMagnitude(magnitude / 100, to: out + count)
        let rest = UInt8(magnitude % 100)
        out[count] = UInt8(ascii: ".")
        out[count + 1] = UInt8(ascii: "0") + rest / 10
        out[count + 2] = UInt8(ascii: "0") + rest % 10
        return count + 3
    }

    /// Writes `value` rounded half away from zero to `decimals` places (0...9) at `out`;
    /// returns the bytes written. Non-finite values are not written here.
    static func writeDecimal(_ value: Double, decimals requested: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let decimals = min(max(requested, 0), 9)
        var divisor: UInt64 = 1
        for _ in 0..<decimals { divisor *= 10 }
        let scaled = (abs(value) * Double(divisor)).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e18 else {
            // Beyond 64-bit units: the shortest text of the double (at most 24 bytes).
            var text = String(value)
            return text.withUTF8 { utf8 in
                // Sound: a Double's description is at most 24 bytes, within maximumWidth.
                out.update(from: utf8.baseAddress!, count: utf8.count)
                return utf8.count
            }
        }
        let units = UInt64(scaled)
        var count = 0
        if value < 0 && units > 0 {
            out.pointee = UInt8(ascii: "-")
            count = 1
        }
        count += writeMagnitude(units / divisor, to: out + count)
        guard decimals > 0 else { return count }
        out[count] = UInt8(ascii: ".")
        var fraction = units % divisor
        for i in stride(from: count + decimals, through: count + 1, by: -1) {
            out[i] = UInt8(ascii: "0") + UInt8(fraction % 10)
            fraction /= 10
        }
        return count + 1 + decimals
    }

    /// Writes the digits of `value` at `out`: counted first, then written right to left in place.
    @inline(__always)
    private static func writeMagnitude(_ value: UInt64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var digits = 1
        var rest = value / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        var value = value
        var i = digits
        repeat {
            i -= 1
            out[i] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
        } while i > 0
        return digits
    }

    /// Appends what `write` writes (at most ``maximumWidth`` bytes) to `bytes`.
    @inline(__always)
    private static func appending(to bytes: inout [UInt8], _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumWidth) { scratch in
            let count = write(scratch.baseAddress!)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<count]))
        }
    }
}
