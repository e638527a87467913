/// A calendar day with no time zone, stored as days since 1970-01-01 (proleptic Gregorian).
///
/// Every date in the engine is a civil day: an A&E attendance on 2023-05-01 is on that day
/// wherever the analysis runs. The arithmetic is Howard Hinnant's `days_from_civil`, exact for
/// every year the engine accepts (1 ... 9999).
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01; negative before it.
    public var daysSinceEpoch: Int32

    /// Wraps a day number (days since 1970-01-01).
    @inlinable
    public init(daysSinceEpoch: Int32) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// The date for a year, month (1–12) and day (1–31), or `nil` when no such day exists
    /// (31 April, 29 February of a common year, year outside 1...9999).
    @inlinable
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= CivilDate.daysInMonth(year: year, month: month)
        else { return nil }
        self.daysSinceEpoch = Int32(CivilDate.days(year: year, month: month, day: day))
    }

    /// Whether `year` is a Gregorian leap year.
    @inlinable
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Days in `month` (1–12) of `year`.
    @inlinable @inline(__always)
    public static func daysInMonth(year: Int, month: Int) -> Int {
        // Bit m of 0x15AA (months 1, 3, 5, 7, 8, 10, 12) says 31; February asks about the year.
        if month == 2 { return isLeapYear(year) ? 29 : 28 }
        return 0x15AA >> month & 1 == 1 ? 31 : 30
    }

    /// Days since 1970-01-01 of a valid (year, month, day); no validation.
    @inlinable @inline(__always)
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        if y >= 0 {
            // Years from 1 BC on (all the data there is), in unsigned arithmetic, whose
            // divisions by constants compile to a multiply and a shift with no sign fix-ups.
            let y = UInt(y), m = UInt(month)
            let era = y / 400
            let yoe = y - era * 400
            let mp = m > 2 ? m - 3 : m + 9
            let doy = (153 * mp + 2) / 5 + UInt(day) - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            return Int(era * 146_097 + doe) - 719_468
        }
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The (year, month, day) of this date.
    public var components: (year: Int, month: Int, day: Int) {
        let z = Int(daysSinceEpoch) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// This date moved by `months` calendar months; a day past the end of the target month is
    /// clamped to its last day (31 August + 6 months = 29 February in a leap year).
    public func addingMonths(_ months: Int) -> CivilDate {
        let (year, month, day) = components
        return CivilDate(daysSinceEpoch: CivilDate.days(year: year, month: month, day: day, addingMonths: months))
    }

    /// The day number of (`year`, `month`, `day`) moved by `months` calendar months, clamped as
    /// ``addingMonths(_:)`` clamps: for many moves of one date, its components worked out once.
    @inlinable
    public static func days(year: Int, month: Int, day: Int, addingMonths months: Int) -> Int32 {
        let zeroBased = year * 12 + (month - 1) + months
        let newYear = zeroBased >= 0 ? zeroBased / 12 : (zeroBased - 11) / 12
        let newMonth = zeroBased - newYear * 12 + 1
        let newDay = min(day, CivilDate.daysInMonth(year: newYear, month: newMonth))
        return Int32(CivilDate.days(year: newYear, month: newMonth, day: newDay))
    }

    /// This date moved by `days` days.
    @inlinable
    public func addingDays(_ days: Int) -> CivilDate {
        CivilDate(daysSinceEpoch: daysSinceEpoch + Int32(days))
    }

    /// Parses exactly `YYYY-MM-DD` (for command-line options and project files).
    public init?(iso text: String) {
        var utf8 = Array(text.utf8)
        let format = DateFormat(order: .yearMonthDay, allowsTime: false)
        guard let days = utf8.withUnsafeMutableBufferPointer({ FieldDecoder.date(UnsafeRawBufferPointer($0), format: format) })
        else { return nil }
        self.daysSinceEpoch = days
    }

    /// The date as `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = components
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    @inlinable
    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        lhs.daysSinceEpoch < rhs.daysSinceEpoch
    }
}
