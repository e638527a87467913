/// Decoders that turn a CSV field's raw bytes into typed values without making a `String`.
///
/// Each decoder accepts the field as libcsv hands it over (unquoted, but possibly with spaces a
/// quoted field kept) and returns `nil` when the bytes are not a valid value. The caller knows the
/// column and turns `nil` into an ``IngestError`` that says what was expected.
public enum FieldDecoder {
    /// What each decoder expects, in the words error messages use.
    public enum Expectation {
        public static let date = DateFormat.auto.expectation
        public static let quantity = "a whole number of units greater than zero"
        public static let money = "an amount in pounds with at most 2 decimal places (12, 12.5, £1,234.56, -12.50, (12.50))"
    }

    /// A civil day in `format` (by default either `YYYY-MM-DD` or `DD/MM/YYYY`, `D/M/YYYY`
    /// too, with or without a time of day), as days since 1970-01-01.
    ///
    /// Impossible days (31/02/2023, 2023-04-31), impossible times (25:00) and years outside
    /// 1...9999 give `nil`. A time of day is checked, then dropped: events are civil days.
    @inlinable @inline(__always)
    public static func date(_ field: UnsafeRawBufferPointer, format: DateFormat = .auto) -> Int32? {
        // The usual shape, exactly `YYYY-MM-DD`, is decoded in line without the general path's
        // scans; it gives what the general path would.
        if field.count == 10, format.order != .dayMonthYear {
            let iso = isoDate(field)
            if iso.isISO { return iso.days }
        }
        return anyDate(field, format: format)
    }

    /// A ten-byte field read as `YYYY-MM-DD` eight bytes at a time: whether it has that shape
    /// (digits and dashes in their places) and, if so, its day, or `nil` for an impossible date.
    @inlinable @inline(__always)
    static func isoDate(_ field: UnsafeRawBufferPointer) -> (isISO: Bool, days: Int32?) {
        // Sound: the caller checked that the field has 10 bytes: bytes 0–7 and 8–9 are inside it.
        let head = UInt64(littleEndian: field.loadUnaligned(as: UInt64.self))
        let tail = UInt16(littleEndian: field.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
        // Bytes 0–3 and 5–6 of the head, and both of the tail, are digits (high nibble 3, and no
        // carry into it when 6 is added); bytes 4 and 7 are '-'.
        let digits: UInt64 = 0x00FF_FF00_FFFF_FFFF
        let high = 0xF0F0_F0F0_F0F0_F0F0 & digits, zeros = 0x3030_3030_3030_3030 & digits
        guard head & 0xFF00_00FF_0000_0000 == 0x2D00_002D_0000_0000,
              head & high == zeros, (head &+ (0x0606_0606_0606_0606 & digits)) & high == zeros,
              tail & 0xF0F0 == 0x3030, (tail &+ 0x0606) & 0xF0F0 == 0x3030
        else { return (false, nil) }
        let value = head &- zeros  // each digit byte less '0': no borrows, all were digits
        let year = Int(value & 0xFF) * 1000 + Int(value >> 8 & 0xFF) * 100
            + Int(value >> 16 & 0xFF) * 10 + Int(value >> 24 & 0xFF)
        let month = Int(value >> 40 & 0xFF) * 10 + Int(value >> 48 & 0xFF)
        let day = Int(tail & 0xFF &- 0x30) * 10 + Int(tail >> 8 &- 0x30)
        guard year >= 1, month >= 1, month <= 12, day >= 1, day <= CivilDate.daysInMonth(year: year, month: month)
        else { return (true, nil) }
        return (true, Int32(CivilDate.days(year: year, month: month, day: day)))
    }

    /// ``date(_:format:)`` for every shape the format allows (out of line: the fast path's
    /// callers stay small).
    @usableFromInline @inline(never)
    static func anyDate(_ field: UnsafeRawBufferPointer, format: DateFormat) -> Int32? {
        let start: Int, trimmedEnd: Int
        (start, trimmedEnd) = trimmed(field)
        var end = trimmedEnd
        // Split off a time part after a space or a `T` that follows the date.
        var split = start + 8
        while split < end, field[split] != 0x20, field[split] != UInt8(ascii: "T") { split += 1 }
        if split < end {
            guard format.allowsTime, time(field, split + 1, end) else { return nil }
            end = split
        }
        let count = end - start
        guard count >= 8, count <= 10 else { return nil }
        var year = 0, month = 0, day = 0
        if count == 10, field[start + 4] == UInt8(ascii: "-"), field[start + 7] == UInt8(ascii: "-") {
            guard format.order != .dayMonthYear,
                  let y = digits(field, start, start + 4),
                  let m = digits(field, start + 5, start + 7),
                  let d = digits(field, start + 8, start + 10)
            else { return nil }
            (year, month, day) = (y, m, d)
        } else {
            // D/M/YYYY with one or two digits for day and month.
            guard format.order != .yearMonthDay else { return nil }
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

    /// Whether `field[start..<end]` is a time of day: `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fff`.
    @inlinable
    static func time(_ field: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        guard end - start >= 5, field[start + 2] == UInt8(ascii: ":"),
              let hours = digits(field, start, start + 2), hours < 24,
              let minutes = digits(field, start + 3, start + 5), minutes < 60
        else { return false }
        if end - start == 5 { return true }
        guard end - start >= 8, field[start + 5] == UInt8(ascii: ":"),
              let seconds = digits(field, start + 6, start + 8), seconds < 60
        else { return false }
        if end - start == 8 { return true }
        return field[start + 8] == UInt8(ascii: ".") && end - start > 9 && digits(field, start + 9, end) != nil
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
    /// Accepts a sign (`-12.50`, `-£12.50`, `£-12.50`) or accounting parentheses (`(12.50)`,
    /// `(£12.50)`) for negatives, an optional `£` (UTF-8 `C2 A3`), thousands separators in their
    /// right places (`1,234.56`, not `12,34`), and at most two decimal places: `12` → 1200,
    /// `12.5` → 1250. More decimal places are an error rather than a silent rounding.
    /// Magnitudes above £90 trillion give `nil`.
    @inlinable
    public static func money(_ field: UnsafeRawBufferPointer) -> Int64? {
        var (i, end) = trimmed(field)
        guard i < end else { return nil }
        var negative = false
        if field[i] == UInt8(ascii: "(") {
            guard field[end - 1] == UInt8(ascii: ")") else { return nil }
            negative = true
            i += 1
            end -= 1
        }
        if !negative, field[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        if i + 1 < end, field[i] == 0xC2, field[i + 1] == 0xA3 { i += 2 }
        if !negative, i < end, field[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        var pounds: Int64 = 0
        var poundDigits = 0
        var groupDigits = 0  // digits since the last thousands separator
        var separators = 0
        while i < end, field[i] != UInt8(ascii: ".") {
            if field[i] == UInt8(ascii: ",") {
                // A separator needs 1–3 digits before the first one and exactly 3 between.
                guard poundDigits > 0, separators == 0 ? groupDigits <= 3 : groupDigits == 3 else { return nil }
                separators += 1
                groupDigits = 0
                i += 1
                continue
            }
            let d = field[i] &- UInt8(ascii: "0")
            guard d < 10, poundDigits < 14 else { return nil }
            pounds = pounds * 10 + Int64(d)
            poundDigits += 1
            groupDigits += 1
            i += 1
        }
        if separators > 0, groupDigits != 3 { return nil }
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

    /// Whether an ID looks like a number Excel rewrote in scientific notation (`6.01884E+15`):
    /// its original digits are gone, so it cannot be linked to anything.
    @inlinable @inline(__always)
    public static func isExcelScientific(_ field: UnsafeRawBufferPointer) -> Bool {
        // Most IDs start with a letter: ruled out in line.
        if let first = field.first, first != 0x20, first != 0x09, first &- UInt8(ascii: "0") >= 10 { return false }
        return isScientificNumber(field)
    }

    @inlinable
    static func isScientificNumber(_ field: UnsafeRawBufferPointer) -> Bool {
        let (start, end) = trimmed(field)
        guard end - start >= 3 else { return false }
        var i = start
        guard field[i] &- UInt8(ascii: "0") < 10 else { return false }
        i += 1
        if i < end, field[i] == UInt8(ascii: ".") {
            i += 1
            let digitsStart = i
            while i < end, field[i] &- UInt8(ascii: "0") < 10 { i += 1 }
            guard i > digitsStart else { return false }
        }
        guard i < end, field[i] | 0x20 == UInt8(ascii: "e") else { return false }
        i += 1
        if i < end, field[i] == UInt8(ascii: "+") { i += 1 }
        let exponentStart = i
        while i < end, field[i] &- UInt8(ascii: "0") < 10 { i += 1 }
        return i == end && i > exponentStart
    }

    /// Whether the field is empty or only spaces.
    @inlinable @inline(__always)
    public static func isBlank(_ field: UnsafeRawBufferPointer) -> Bool {
        let (start, end) = trimmed(field)
        return start == end
    }

    /// Whether every byte is ASCII (below 0x80); reads eight bytes at a time.
    @inlinable @inline(__always)
    public static func isASCII(_ field: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        var high: UInt64 = 0
        while i + 8 <= field.count {
            high |= field.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < field.count {
            high |= UInt64(field[i])
            i += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// Whether every byte is ASCII and none is NUL (every byte in 0x01...0x7F), for the person
    /// IDs of a followed-people scan, which skip the end-of-row text check (``StrayMark``) when
    /// this holds; `false` says only that the field needs that check.
    ///
    /// One test per eight bytes for both: `word | (word - 0x0101…)` has a byte's high bit set
    /// exactly when some byte is 0x80 or more (its own bit) or is 0 (it borrows: 0x00 − 1 =
    /// 0xFF; a borrow only ever starts at a zero byte, so no byte from 0x01 to 0x7F sets it).
    /// The last bytes are read as one word overlapping the one before (or two overlapping
    /// halves of a field of 4 to 7 bytes) instead of one at a time: the same cost per ID as
    /// ``isASCII(_:)`` (measured on 10M generated IDs: within the noise of ±5 ms, where a byte
    /// loop for the tail cost 2–4 ns an ID more).
    @inlinable @inline(__always)
    public static func isASCIIWithoutNUL(_ field: UnsafeRawBufferPointer) -> Bool {
        let count = field.count
        var bits: UInt64 = 0
        if count >= 8 {
            var i = 0
            while i + 8 <= count {
                let word = field.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                bits |= word | (word &- 0x0101_0101_0101_0101)
                i += 8
            }
            if i < count {
                let word = field.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                bits |= word | (word &- 0x0101_0101_0101_0101)
            }
        } else if count >= 4 {
            let word = UInt64(field.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
                | UInt64(field.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << 32
            bits = word | (word &- 0x0101_0101_0101_0101)
        } else {
            for i in 0..<count {
                let byte = UInt64(field[i])
                bits |= byte | (byte &- 1)
            }
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }

    /// The field without leading and trailing ASCII spaces and tabs, as a byte range.
    @inlinable @inline(__always)
    static func trimmed(_ field: UnsafeRawBufferPointer) -> (start: Int, end: Int) {
        if hasNoEdgeBlanks(field) { return (0, field.count) }
        var start = 0, end = field.count
        while start < end, field[start] == 0x20 || field[start] == 0x09 { start += 1 }
        while end > start, field[end - 1] == 0x20 || field[end - 1] == 0x09 { end -= 1 }
        return (start, end)
    }

    /// Whether the field is not empty and its first and last bytes are above a space (so not a
    /// space or a tab): the usual case, told with two loads and no loop. `false` says nothing.
    @inlinable @inline(__always)
    static func hasNoEdgeBlanks(_ field: UnsafeRawBufferPointer) -> Bool {
        guard let base = field.baseAddress, field.count > 0 else { return false }
        // Sound: both offsets are inside the field's `count` (> 0) bytes.
        return base.load(as: UInt8.self) > 0x20 && base.load(fromByteOffset: field.count &- 1, as: UInt8.self) > 0x20
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
