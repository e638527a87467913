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

    @Test("The exact YYYY-MM-DD fast path agrees with the general path (a field with a space around it)")
    func isoFastPathAgrees() {
        var texts: [String] = []
        for year in ["0000", "0001", "1899", "1900", "1999", "2000", "2023", "2024", "2100", "9999"] {
            for month in ["00", "01", "02", "03", "04", "09", "10", "11", "12", "13", "99", "1a", "-1"] {
                for day in ["00", "01", "09", "28", "29", "30", "31", "32", "99", "3:", "0/"] { texts.append("\(year)-\(month)-\(day)") }
            }
        }
        texts += ["2023/05-01", "2023-05/01", "20a3-05-01", "2023-05-01", " 023-05-01", "2023-05-0 "]
        for text in texts {
            #expect(decodeDate(text) == decodeDate(" " + text), "\(text)")
        }
        #expect(decodeDate("2024-02-29")?.description == "2024-02-29")
        #expect(decodeDate("0001-01-01") != nil)
    }

    @Test("isASCII finds a byte above 0x7F at every position of fields of 0 to 40 bytes")
    func asciiCheckEveryPosition() {
        for length in 0...40 {
            var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
            bytes.withUnsafeBytes { #expect(FieldDecoder.isASCII($0)) }
            for position in 0..<length {
                for high: UInt8 in [0x80, 0xC3, 0xFF] {
                    bytes[position] = high
                    bytes.withUnsafeBytes { #expect(!FieldDecoder.isASCII($0), "length \(length), byte \(position)") }
                    bytes[position] = 0x7F
                    bytes.withUnsafeBytes { #expect(FieldDecoder.isASCII($0), "length \(length), byte \(position)") }
                }
                bytes[position] = UInt8(ascii: "a")
            }
        }
    }

    @Test("isASCIIWithoutNUL agrees with a plain loop: a NUL or a byte above 0x7F at every position of fields of 0 to 40 bytes")
    func asciiWithoutNULEveryPosition() {
        func reference(_ bytes: [UInt8]) -> Bool { bytes.allSatisfy { $0 != 0 && $0 < 0x80 } }
        for length in 0...40 {
            var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
            bytes.withUnsafeBytes { #expect(FieldDecoder.isASCIIWithoutNUL($0)) }
            for position in 0..<length {
                // 0x01 and 0x80 beside a zero are what a borrow or a sign bit could confuse.
                for byte: UInt8 in [0x00, 0x01, 0x7F, 0x80, 0x81, 0xFF] {
                    bytes[position] = byte
                    if position > 0 { bytes[position - 1] = 0x01 }
                    bytes.withUnsafeBytes { #expect(FieldDecoder.isASCIIWithoutNUL($0) == reference(bytes), "length \(length), byte \(position) = \(byte)") }
                    if position > 0 { bytes[position - 1] = UInt8(ascii: "a") }
                }
                bytes[position] = UInt8(ascii: "a")
            }
        }
    }

    @Test("StrayMark: a NUL anywhere, a byte-order mark anywhere, and nothing in clean UTF-8", arguments: [
        ("P\u{0}1", IngestError.Kind.nulByte, 1), ("\u{FEFF}P1", .byteOrderMark, 0), ("café\u{FEFF}", .byteOrderMark, 5),
        ("\u{FEFF}\u{0}", .nulByte, 3),
    ] as [(String, IngestError.Kind, Int)])
    func strayMarks(text: String, kind: IngestError.Kind, offset: Int) {
        let found = Array(text.utf8).withUnsafeBytes { StrayMark.first(in: $0) }
        #expect(found?.kind == kind && found?.offset == offset)
        for clean in ["", "P1", "Zoë £ ï»¿ \u{FFFE}", "\u{EF}\u{BB}"] {
            #expect(Array(clean.utf8).withUnsafeBytes { StrayMark.first(in: $0) } == nil, "\(clean)")
        }
    }

    @Test("Trimming with the edge fast path agrees with a plain loop on fields of every edge byte")
    func trimEdges() {
        // A plain trim: spaces and tabs only, from both ends.
        func reference(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
            var start = 0, end = bytes.count
            while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            return bytes[start..<end]
        }
        let edges: [UInt8] = [0x00, 0x01, 0x09, 0x0A, 0x1F, 0x20, 0x21, 0x41, 0x7F, 0x80, 0xFF]
        var fields: [[UInt8]] = [[]]
        for a in edges {
            fields.append([a])
            for b in edges {
                fields.append([a, b])
                fields.append([a, 0x41, b])
                fields.append([a, 0x20, 0x41, 0x09, b])
            }
        }
        for field in fields {
            let expected = reference(field)
            field.withUnsafeBytes { bytes in
                let trimmed = StringDictionary.trim(bytes)
                #expect(Array(trimmed) == Array(expected), "\(field)")
                let (start, end) = FieldDecoder.trimmed(bytes)
                #expect(Array(field[start..<end]) == Array(expected), "\(field)")
                #expect(FieldDecoder.isBlank(bytes) == expected.isEmpty, "\(field)")
            }
        }
    }

    @Test("The fast path agrees with the general path and the calendar on every day of 1899-2156, and at the far years")
    func isoFastPathEveryDay() {
        var date = CivilDate(year: 1899, month: 1, day: 1)!
        while date <= CivilDate(year: 2156, month: 12, day: 31)! {
            let text = Array(date.description.utf8)
            text.withUnsafeBytes { field in
                #expect(FieldDecoder.date(field) == FieldDecoder.anyDate(field, format: .auto), "\(date)")
                #expect(FieldDecoder.date(field) == date.daysSinceEpoch, "\(date)")
            }
            date = CivilDate(daysSinceEpoch: date.daysSinceEpoch + 1)
        }
        for text in ["0001-01-01", "1899-12-31", "1900-01-01", "1900-02-29", "2000-02-29", "2155-12-31", "2156-01-01", "9999-12-31"] {
            Array(text.utf8).withUnsafeBytes { field in
                #expect(FieldDecoder.date(field) == FieldDecoder.anyDate(field, format: .auto), "\(text)")
            }
        }
    }

    @Test("The fast path agrees with the general path on random ten-byte fields near the ISO shape")
    func isoFastPathAgreesOnRandomBytes() {
        var random = SplitMix64(seed: 10)
        // Digits, the separators, their neighbours in ASCII ('/' and ':' sit either side of the
        // digits), spaces, and bytes whose high nibble is 3 or that carry when 6 is added.
        let iso = DateFormat(order: .yearMonthDay, allowsTime: false)
        let alphabet: [UInt8] = Array("0123456789".utf8) + Array("-/:; T+.".utf8) + [0x00, 0x3F, 0x2C, 0xFA, 0xFF, 0xC2]
        for _ in 0..<200_000 {
            var bytes = (0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }
            // Mostly the right shape, so that the digit checks themselves are what is tested.
            if Int.random(in: 0..<4, using: &random) > 0 {
                bytes[4] = UInt8(ascii: "-")
                bytes[7] = UInt8(ascii: "-")
                for i in [0, 1, 2, 3, 5, 6, 8, 9] where Int.random(in: 0..<6, using: &random) > 0 {
                    bytes[i] = UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &random)
                }
            }
            bytes.withUnsafeBytes { field in
                #expect(FieldDecoder.date(field) == FieldDecoder.anyDate(field, format: .auto), "\(bytes)")
                #expect(FieldDecoder.date(field, format: iso) == FieldDecoder.anyDate(field, format: iso), "\(bytes)")
            }
        }
    }

    @Test("The date cache gives what the decoder gives, on every day of 1899-2156 twice and on random fields between them")
    func dateCacheAgreesWithDecoder() {
        var cache = DateCache()
        // An empty slot's zero bytes are no date.
        [UInt8](repeating: 0, count: 10).withUnsafeBytes { #expect(cache.days(ofTenBytes: $0) == nil) }
        var days: [[UInt8]] = []
        var date = CivilDate(year: 1899, month: 1, day: 1)!
        while date <= CivilDate(year: 2156, month: 12, day: 31)! {
            days.append(Array(date.description.utf8))
            date = CivilDate(daysSinceEpoch: date.daysSinceEpoch + 1)
        }
        var random = SplitMix64(seed: 11)
        let alphabet: [UInt8] = Array("0123456789".utf8) + Array("-/: ".utf8) + [0x00, 0x3A, 0xFF]
        // Each day as a miss, again as a hit (and after years that share its slot), with random
        // ten-byte fields, most of them date-shaped, in between.
        for _ in 0..<2 {
            for text in days + days.shuffled(using: &random) {
                text.withUnsafeBytes { #expect(cache.days(ofTenBytes: $0) == FieldDecoder.date($0), "\(text)") }
                var bytes = text
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    bytes[Int.random(in: 0..<10, using: &random)] = alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
                }
                bytes.withUnsafeBytes { #expect(cache.days(ofTenBytes: $0) == FieldDecoder.date($0), "\(bytes)") }
            }
        }
        [UInt8](repeating: 0, count: 10).withUnsafeBytes { #expect(cache.days(ofTenBytes: $0) == nil) }
    }

    @Test("Impossible and malformed dates are rejected", arguments: [
        "31/02/2023", "29/02/2023", "2023-02-29", "1900-02-29", "2023-04-31", "31/04/2023", "2023-13-01",
        "2023-00-10", "00/01/2023", "2023-01-00", "2023-1-01", "2023/01/01", "01-05-2023", "", "   ",
        "2023-05-01T25:00", "2023-05-01 12", "2023-05-01 12:60", "2023-05-01 10:00:61", "2023-05-01 10:00:00.", "abc", "1/5/23", "32/01/2023", "0000-01-01", "01/05/2023/", "2023-05-0a",
    ])
    func rejectsBadDates(text: String) {
        #expect(decodeDate(text) == nil)
    }

    @Test("Money to pence", arguments: [
        ("12", 1200), ("12.5", 1250), ("1234.56", 123_456), ("£1234.56", 123_456), ("0.07", 7), (".5", 50),
        ("-12.50", -1250), ("-£3.07", -307), ("£-3.07", -307), ("0", 0), (" 12.30 ", 1230),
        ("99999999999999.99", 9_999_999_999_999_999), ("1,234.56", 123_456), ("£1,234,567", 123_456_700),
        ("(12.50)", -1250), ("(£12.50)", -1250), ("-£1,000.00", -100_000), ("999,999.99", 99_999_999),
    ] as [(String, Int64)])
    func money(text: String, pence: Int64) {
        #expect(decodeMoney(text) == pence)
    }

    @Test("Malformed money is rejected, not rounded", arguments: [
        "12.345", "12.", "", "£", "-", "12,34.56", "1,2345", ",123", "1,234,56", "(12.50", "12.50)", "(-12.50)", "12.3.4", "£ 12", "12p", "1e3", "--1", "999999999999999",
        "12.-5",
    ])
    func rejectsBadMoney(text: String) {
        #expect(decodeMoney(text) == nil)
    }

    @Test("A time of day after the date is accepted and dropped when the format allows it", arguments: [
        "2023-05-01 08:15", "2023-05-01 08:15:00", "2023-05-01T08:15:00", "01/05/2023 23:59", "1/5/2023 00:00:00.125",
    ])
    func timeOfDay(text: String) {
        #expect(decodeDate(text)?.description == "2023-05-01")
    }

    @Test("A declared format accepts only its own order, and a time only when it says so")
    func declaredFormats() {
        func decode(_ text: String, _ pattern: String) -> String? {
            var bytes = Array(text.utf8)
            let format = DateFormat(pattern: pattern)!
            return bytes.withUnsafeMutableBytes { FieldDecoder.date(UnsafeRawBufferPointer($0), format: format) }
                .map { CivilDate(daysSinceEpoch: $0).description }
        }
        #expect(decode("01/05/2023", "DD/MM/YYYY") == "2023-05-01")
        #expect(decode("2023-05-01", "DD/MM/YYYY") == nil)
        #expect(decode("2023-05-01", "YYYY-MM-DD") == "2023-05-01")
        #expect(decode("01/05/2023", "YYYY-MM-DD") == nil)
        #expect(decode("01/05/2023 10:30", "DD/MM/YYYY") == nil)
        #expect(decode("01/05/2023 10:30", "DD/MM/YYYY HH:MM") == "2023-05-01")
        #expect(decode("01/05/2023", "DD/MM/YYYY HH:MM") == "2023-05-01")
        #expect(decode("2023-05-01T10:30:00", "YYYY-MM-DDTHH:MM:SS") == "2023-05-01")
        #expect(DateFormat(pattern: "MM/DD/YYYY") == nil)
        #expect(DateFormat(pattern: "auto") == .auto)
    }

    @Test("IDs that Excel turned into scientific notation are recognised", arguments: [
        ("6.01884E+15", true), ("6E+15", true), ("1.2e10", true), ("4857773456", false), ("P-0001", false), ("E+15", false),
        ("6.01884E", false), ("6.E+15", false), ("JOHN-0001", false), ("12e", false),
    ])
    func excelScientific(text: String, mangled: Bool) {
        var bytes = Array(text.utf8)
        #expect(bytes.withUnsafeMutableBytes { FieldDecoder.isExcelScientific(UnsafeRawBufferPointer($0)) } == mangled)
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
