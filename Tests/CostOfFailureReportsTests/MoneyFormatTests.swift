import CostOfFailure
import CostOfFailureReports
import Testing

@Suite("MoneyFormat")
struct MoneyFormatTests {
    // MARK: plain (CSV and JSON)

    @Test("plain: pounds with exactly two places, no separators", arguments: [
        (Pence(0), "0.00"),
        (5, "0.05"),
        (-7, "-0.07"),
        (10, "0.10"),
        (99, "0.99"),
        (100, "1.00"),
        (-100, "-1.00"),
        (123_450, "1234.50"),
        (-123_456, "-1234.56"),
        (100_000_000, "1000000.00"),
        (2_102_855_74, "2102855.74"),
        (Pence.max, "92233720368547758.07"),
        (Pence.min, "-92233720368547758.08"),
    ])
    func plain(pence: Pence, expected: String) {
        #expect(MoneyFormat.plain(pence) == expected)
    }

    /// Whatever the amount, `plain` reads back to the same pence.
    @Test("plain round-trips through text", arguments: [
        Pence(0), 1, -1, 9, 10, -10, 99, 100, 101, -101, 123_456_789, -987_654_321, 31_668_00, Pence.max, Pence.min + 1,
    ])
    func plainRoundTrips(pence: Pence) throws {
        let text = MoneyFormat.plain(pence)
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        try #require(parts.count == 2)
        #expect(parts[1].count == 2)
        let pounds = try #require(UInt64(parts[0])), rest = try #require(UInt64(parts[1]))
        let magnitude = pounds * 100 + rest
        #expect(magnitude == pence.magnitude)
        #expect(negative == (pence < 0))
    }

    // MARK: pounds (tables)

    @Test("pounds: £, thousands separators and pence", arguments: [
        (Pence(123_450), "£1,234.50"),
        (-700, "-£7.00"),
        (5, "£0.05"),
        (0, "£0.00"),
        (-5, "-£0.05"),
        (99_999, "£999.99"),
        (100_000, "£1,000.00"),
        (100_000_000, "£1,000,000.00"),
        (-123_456_789, "-£1,234,567.89"),
        (2_102_855_74, "£2,102,855.74"),
        (Pence.min, "-£92,233,720,368,547,758.08"),
    ])
    func pounds(pence: Pence, expected: String) {
        #expect(MoneyFormat.pounds(pence) == expected)
    }

    /// `pounds` is `plain` with a £ sign in front of the digits and commas between thousands.
    @Test("pounds without separators is £ + plain", arguments: [
        Pence(0), 7, -7, 1_000_00, -1_000_00, 999_999_99, 1_234_567_890_12, -31_668_00, Pence.max,
    ])
    func poundsMatchesPlain(pence: Pence) {
        let text = MoneyFormat.pounds(pence)
        let stripped = text.filter { $0 != "," && $0 != "£" }
        #expect(stripped == MoneyFormat.plain(pence))
        #expect(text.hasPrefix(pence < 0 ? "-£" : "£"))
        // Groups after the first are exactly three digits.
        let whole = text.split(separator: ".")[0].drop { $0 == "-" || $0 == "£" }
        let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
        #expect((1...3).contains(groups[0].count))
        #expect(groups.dropFirst().allSatisfy { $0.count == 3 })
    }

    // MARK: wholePounds (headlines)

    @Test("wholePounds: rounds half away from zero", arguments: [
        (Pence(2_034_117_50), "£2,034,118"),
        (2_034_117_49, "£2,034,117"),
        (-2_034_117_50, "-£2,034,118"),
        (-2_034_117_49, "-£2,034,117"),
        (0, "£0"),
        (49, "£0"),
        (50, "£1"),
        (-49, "£0"),
        (-50, "-£1"),
        (150, "£2"),
        (250, "£3"),
        (99_949, "£999"),
        (99_950, "£1,000"),
        (28_065_00, "£28,065"),
    ])
    func wholePounds(pence: Pence, expected: String) {
        #expect(MoneyFormat.wholePounds(pence) == expected)
    }

    @Test("wholePounds does not overflow at the extremes")
    func wholePoundsExtremes() {
        #expect(MoneyFormat.wholePounds(Pence.max) == "£92,233,720,368,547,758")
        #expect(MoneyFormat.wholePounds(Pence.min) == "-£92,233,720,368,547,758")
    }

    // MARK: count

    @Test("count: thousands separators", arguments: [
        (Int64(0), "0"),
        (7, "7"),
        (999, "999"),
        (1_000, "1,000"),
        (3_355, "3,355"),
        (100_000, "100,000"),
        (1_234_567, "1,234,567"),
        (-1_234, "-1,234"),
        (-999, "-999"),
        (Int64.max, "9,223,372,036,854,775,807"),
        (Int64.min, "-9,223,372,036,854,775,808"),
    ])
    func count(value: Int64, expected: String) {
        #expect(MoneyFormat.count(value) == expected)
    }

    @Test("count without commas is the plain integer", arguments: [Int64(0), 1, -1, 12, 123, 1234, -12345, 123456, 98_765_432_109])
    func countMatchesInteger(value: Int64) {
        #expect(MoneyFormat.count(value).filter { $0 != "," } == String(value))
    }

    // MARK: decimal (rates)

    @Test("decimal: fixed places, half away from zero", arguments: [
        (233.9226, 2, "233.92"),
        (-233.9226, 2, "-233.92"),
        (233.9226, 0, "234"),
        (233.9226, 1, "233.9"),
        (7.6, 2, "7.60"),
        (0.07, 2, "0.07"),
        (0.0, 2, "0.00"),
        (0.0, 0, "0"),
        (5.0, 3, "5.000"),
        (0.125, 2, "0.13"),
        (-0.125, 2, "-0.13"),
        (1.5, 0, "2"),
        (2.5, 0, "3"),
        (-2.5, 0, "-3"),
        (-0.001, 2, "0.00"),
        (1_234_567.875, 2, "1234567.88"),
        (-1.25, 2, "-1.25"),
    ])
    func decimal(value: Double, decimals: Int, expected: String) {
        #expect(MoneyFormat.decimal(value, decimals: decimals) == expected)
    }

    @Test("decimal shows exactly the places asked for", arguments: [0, 1, 2, 3, 4, 6])
    func decimalPlaces(decimals: Int) {
        for value in [0.0, 1.0, -1.0, 3.14159, -2.71828, 1234.5, 0.0001] {
            let text = MoneyFormat.decimal(value, decimals: decimals)
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            if decimals == 0 {
                #expect(parts.count == 1, "\(value) → \(text)")
            } else {
                #expect(parts.count == 2 && parts[1].count == decimals, "\(value) → \(text)")
            }
            // The text is within half a unit of the last place of the value.
            let parsed = Double(text)!
            var unit = 1.0
            for _ in 0..<decimals { unit /= 10 }
            #expect(abs(parsed - value) <= unit / 2 + 1e-12, "\(value) → \(text)")
        }
    }
}
