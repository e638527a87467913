import Testing
@testable import CostOfFailure

private func decodeDate(_ text: String) -> CivilDate? {
    var bytes = Array(text.utf8)
    return bytes.withUnsafeMutableBytes { FieldDecoder.date(UnsafeRawBufferPointer($0)) }.map(CivilDate.init(daysSinceEpoch:))
}

private func decodeMoney(_ text: String) -> Pence? {
    var bytes = Array(text.utf8)
    return bytes.withUnsafeMutableBytes { FieldDecoder.money(UnsafeRawBufferPointer($0)) }
}

private func decodeQuantity(_ text: String) -> Int32? {
    var bytes = Array(text.utf8)
    return bytes.withUnsafeMutableBytes { FieldDecoder.quantity(UnsafeRawBufferPointer($0)) }
}

@Suite("Field decoders")
struct FieldDecoderTests {
    @Test("ISO and DD/MM/YYYY dates decode to the same day", arguments: [
        ("2023-05-01", "01/05/2023"), ("1970-01-01", "1/1/1970"), ("2024-02-29", "29/02/2024"),
        ("2000-02-29", "29/2/2000"), ("1969-12-31", "31/12/1969"), ("2023-12-31", " 31/12/2023 "),
    ])
    func datesAgree(iso: String, british: String) {
        let a = decodeDate(iso), b = decodeDate(british)
        #expect(a != nil)
        #expect(a == b)
        #expect(a?.description == iso)
    }

    @Test("Epoch and known day numbers")
    func dayNumbers() {
        #expect(decodeDate("1970-01-01")?.daysSinceEpoch == 0)
        #expect(decodeDate("1970-01-02")?.daysSinceEpoch == 1)
        #expect(decodeDate("1969-12-31")?.daysSinceEpoch == -1)
        #expect(decodeDate("2000-03-01")?.daysSinceEpoch == 11_017)
        #expect(decodeDate("2023-05-01")?.daysSinceEpoch == 19_478)
    }

    @Test("Impossible and malformed dates are rejected", arguments: [
        "31/02/2023", "29/02/2023", "2023-02-29", "1900-02-29", "2023-04-31", "31/04/2023", "2023-13-01",
        "2023-00-10", "00/01/2023", "2023-01-00", "2023-1-01", "2023/01/01", "01-05-2023", "", "   ",
        "2023-05-01T00:00", "abc", "1/5/23", "32/01/2023", "0000-01-01", "01/05/2023/", "2023-05-0a",
    ])
    func rejectsBadDates(text: String) {
        #expect(decodeDate(text) == nil)
    }

    @Test("Money to pence", arguments: [
        ("12", 1200), ("12.5", 1250), ("1234.56", 123_456), ("£1234.56", 123_456), ("0.07", 7), (".5", 50),
        ("-12.50", -1250), ("-£3.07", -307), ("£-3.07", -307), ("0", 0), (" 12.30 ", 1230),
        ("99999999999999.99", 9_999_999_999_999_999),
    ] as [(String, Int64)])
    func money(text: String, pence: Int64) {
        #expect(decodeMoney(text) == pence)
    }

    @Test("Malformed money is rejected, not rounded", arguments: [
        "12.345", "12.", "", "£", "-", "1,234.56", "12.3.4", "£ 12", "12p", "1e3", "--1", "999999999999999",
        "12.-5",
    ])
    func rejectsBadMoney(text: String) {
        #expect(decodeMoney(text) == nil)
    }

    @Test("Quantities are whole numbers above zero")
    func quantities() {
        #expect(decodeQuantity("1") == 1)
        #expect(decodeQuantity(" 14 ") == 14)
        #expect(decodeQuantity("2147483647") == Int32.max)
        for bad in ["0", "-1", "1.5", "", "2147483648", "x", "99999999999"] {
            #expect(decodeQuantity(bad) == nil, "\(bad)")
        }
    }
}
