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

    /// Writes the digits of `value` at `out`: counted first, then written right to left in place,
    /// two at a time from a table of the hundred pairs (a result table has fifteen numbers a row,
    /// hundreds of thousands of rows; one digit a division took a third of the time rendering it).
    @inline(__always)
    private static func writeMagnitude(_ value: UInt64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var digits = 1
        var bound: UInt64 = 10
        while value >= bound {
            digits += 1
            // Past 10^19 the bound would overflow: value has 20 digits then.
            if digits == 20 { break }
            bound &*= 10
        }
        // Sound: the pairs' text is 200 ASCII bytes, indexed below 200.
        let pairs = Self.pairs.utf8Start
        var value = value
        var i = digits
        while value >= 100 {
            let pair = Int(truncatingIfNeeded: value % 100) &* 2
            value /= 100
            i -= 2
            out[i] = pairs[pair]
            out[i + 1] = pairs[pair + 1]
        }
        if value >= 10 {
            let pair = Int(truncatingIfNeeded: value) &* 2
            out[0] = pairs[pair]
            out[1] = pairs[pair + 1]
        } else {
            out[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value)
        }
        return digits
    }

    /// "00", "01", ... "99" end to end.
    private static let pairs: StaticString = """
        0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849\
        5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899
        """

    /// Appends what `write` writes (at most ``maximumWidth`` bytes) to `bytes`.
    @inline(__always)
    private static func appending(to bytes: inout [UInt8], _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumWidth) { scratch in
            let count = write(scratch.baseAddress!)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<count]))
        }
    }
}
