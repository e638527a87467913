import Testing
import CostOfFailure

@Suite("Civil dates")
struct CivilDateTests {
    @Test("Every day from 1899 to 2101 round-trips through its components")
    func roundTrip() {
        var date = CivilDate(year: 1899, month: 1, day: 1)!
        var expected = (1899, 1, 1)
        while date.components.year < 2102 {
            let c = date.components
            #expect(c == expected)
            #expect(CivilDate(year: c.year, month: c.month, day: c.day) == date)
            // Advance the expected components by hand.
            var (y, m, d) = expected
            d += 1
            if d > CivilDate.daysInMonth(year: y, month: m) { d = 1; m += 1 }
            if m > 12 { m = 1; y += 1 }
            expected = (y, m, d)
            date = date.addingDays(1)
        }
    }

    @Test("Day numbers agree with a plain count of days, from 2000 BC to AD 9999")
    func dayNumbersAgreeWithACount() {
        // The reference: whole years from 1970 counted one at a time (proleptic Gregorian).
        func yearStart(_ year: Int) -> Int {
            var days = 0
            if year >= 1970 {
                for y in 1970..<year { days += CivilDate.isLeapYear(y) ? 366 : 365 }
            } else {
                for y in year..<1970 { days -= CivilDate.isLeapYear(y) ? 366 : 365 }
            }
            return days
        }
        for year in stride(from: -2000, through: 9999, by: 37) + [-1, 0, 1, 1600, 1970, 2000, 2024, 9999] {
            var expected = yearStart(year)
            for month in 1...12 {
                #expect(CivilDate.days(year: year, month: month, day: 1) == expected, "\(year)-\(month)")
                expected += CivilDate.daysInMonth(year: year, month: month)
            }
        }
    }

    @Test("Month arithmetic clamps to the month's last day", arguments: [
        ("2023-08-31", 6, "2024-02-29"), ("2022-08-31", 6, "2023-02-28"), ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", -12, "2023-02-28"), ("2024-03-31", -1, "2024-02-29"), ("2023-05-01", -6, "2022-11-01"),
        ("2023-05-01", -120, "2013-05-01"), ("2023-01-31", 1, "2023-02-28"), ("2023-10-31", -1, "2023-09-30"),
        ("2023-12-15", 1, "2024-01-15"), ("2024-01-15", -1, "2023-12-15"), ("2024-02-29", 48, "2028-02-29"),
    ])
    func addingMonths(start: String, months: Int, expected: String) {
        #expect(day(start).addingMonths(months).description == expected)
    }

    @Test("Leap years")
    func leapYears() {
        #expect(CivilDate.isLeapYear(2024))
        #expect(CivilDate.isLeapYear(2000))
        #expect(!CivilDate.isLeapYear(1900))
        #expect(!CivilDate.isLeapYear(2023))
        #expect(CivilDate(year: 2023, month: 2, day: 29) == nil)
    }
}
