/// Decoders that turn a CSV field's raw bytes into typed values without making a `String`.
///
/// Each decoder accepts the field as libcsv hands it over (unquoted, but possibly with spaces a
/// quoted field kept) and returns `nil` when the bytes are not a valid value. The caller knows the
/// column and turns `nil` into an ``IngestError`` that says what was expected.
public enum FieldDecoder {
    /// What each decoder expects, in the words error messages use.
    public enum Expectation {
        public static let date = "a date as YYYY-MM-DD or DD/MM/YYYY"
        public static let quantity = "a whole number of units greater than zero"
        public static let money = "an amount in pounds with at most 2 decimal places (12, 12.5, 1234.56, £1234.56)"
    }

    /// A civil day from `YYYY-MM-DD` or `DD/MM/YYYY` (`D/M/YYYY` too), as days since 1970-01-01.
    ///
    /// Impossible days (31/02/2023, 2023-04-31) and years outside 1...9999 give `nil`.
    @inlinable
    public static func date(_ field: UnsafeRawBufferPointer) -> Int32? {
        let (start, end) = trimmed(field)
        let count = end - start
        guard count >= 8, count <= 10 else { return nil }
        var year = 0, month = 0, day = 0
        if count == 10, field[start + 4] == UInt8(ascii: "-"), field[start + 7] == UInt8(ascii: "-") {
            guard let y = digits(field, start, start + 4),
                  let m = digits(field, start + 5, start + 7),
                  let d = digits(field, start + 8, start + 10)
            else { return nil }
            (year, month, day) = (y, m, d)
        } else {
            // D/M/YYYY with one or two digits for day and month.
            var firstSlash = -1, secondSlash = -1
            var i = start
            while i < end {
                if field[i] == UInt8(ascii: "/") {
                    if firstSlash < 0 { firstSlash = i } else if secondSlash < 0 { secondSlash = i } else { return nil }
                }
                i += 1
            }
            guard firstSlash > start, firstSlash - start <= 2,
                  secondSlash > firstSlash + 1, secondSlash - firstSlash <= 3,
                  end - secondSlash == 5,
                  let d = digits(field, start, firstSlash),
                  let m = digits(field, firstSlash + 1, secondSlash),
                  let y = digits(field, secondSlash + 1, end)
            else { return nil }
            (year, month, day) = (y, m, d)
        }
        guard year >= 1, (1...12).contains(month), day >= 1,
              day <= CivilDate.daysInMonth(year: year, month: month)
        else { return nil }
        return Int32(CivilDate.days(year: year, month: month, day: day))
    }

    /// A whole, positive number of units (1 ... 2,147,483,647).
    @inlinable
    public static func quantity(_ field: UnsafeRawBufferPointer) -> Int32? {
        let (start, end) = trimmed(field)
        guard end > start, end - start <= 10, let value = digits(field, start, end),
              value > 0, value <= Int(Int32.max)
        else { return nil }
        return Int32(value)
    }

    /// An amount of money in pounds, as integer pence.
    ///
    /// Accepts an optional leading `-`, an optional `£` (UTF-8 `C2 A3`), whole pounds and at most
    /// two decimal places: `12` → 1200, `12.5` → 1250, `-£3.07` → -307. More decimal places are an
    /// error rather than a silent rounding. Magnitudes above £90 trillion give `nil`.
    @inlinable
    public static func money(_ field: UnsafeRawBufferPointer) -> Int64? {
        var (i, end) = trimmed(field)
        guard i < end else { return nil }
        var negative = false
        if field[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        if i + 1 < end, field[i] == 0xC2, field[i + 1] == 0xA3 { i += 2 }
        if !negative, i < end, field[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        var pounds: Int64 = 0
        var poundDigits = 0
        while i < end, field[i] != UInt8(ascii: ".") {
            let d = field[i] &- UInt8(ascii: "0")
            guard d < 10, poundDigits < 14 else { return nil }
            pounds = pounds * 10 + Int64(d)
            poundDigits += 1
            i += 1
        }
        var pence: Int64 = 0
        if i < end {  // at the decimal point
            i += 1
            let decimals = end - i
            guard decimals >= 1, decimals <= 2 else { return nil }
            for k in 0..<2 {
                pence *= 10
                if k < decimals {
                    let d = field[i + k] &- UInt8(ascii: "0")
                    guard d < 10 else { return nil }
                    pence += Int64(d)
                }
            }
        } else if poundDigits == 0 {
            return nil
        }
        let total = pounds * 100 + pence
        return negative ? -total : total
    }

    /// The field without leading and trailing ASCII spaces and tabs, as a byte range.
    @inlinable
    static func trimmed(_ field: UnsafeRawBufferPointer) -> (start: Int, end: Int) {
        var start = 0, end = field.count
        while start < end, field[start] == 0x20 || field[start] == 0x09 { start += 1 }
        while end > start, field[end - 1] == 0x20 || field[end - 1] == 0x09 { end -= 1 }
        return (start, end)
    }

    /// The decimal value of `field[start..<end]`, or `nil` when any byte is not a digit.
    @inlinable
    static func digits(_ field: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int? {
        guard end > start else { return nil }
        var value = 0
        var i = start
        while i < end {
            let d = field[i] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            value = value * 10 + Int(d)
            i += 1
        }
        return value
    }
}
