import CostOfFailure
import CostOfFailureReports
import Testing

@Suite("CSVRenderer")
struct CSVRendererTests {
    @Test("golden output: quoting, money, missing, suppressed, rates, dates")
    func golden() {
        let expected = #"""
            name,events,cost,rate,day
            "Smith, John",3,1234.50,233.92,2023-05-01
            "say ""hi""",0,-0.07,7.60,1970-01-01
            "two
            lines",-2,,[c],2024-02-29
            tab\#there\back\#u{01},[c],[c],0.00,
            £ café,1234567,1000000.00,-1.25,1999-12-31

            """#
        #expect(CSVRenderer().render(SampleTables.mixed) == expected)
    }

    @Test("for spreadsheets: byte-order mark, CRLF, formula-like text neutralised, numbers untouched")
    func spreadsheet() {
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("name", .text(["=HYPERLINK(\"x\")", "+1", "-cmd", "@SUM(A1)", "\tx", "plain", "a-b"])),
            ResultColumn("change", .money([-100, 200, -300, 0, 5, 6, 7])),
        ])
        let bytes = CSVRenderer.spreadsheet.renderBytes(table)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text == "name,change\r\n\"'=HYPERLINK(\"\"x\"\")\",-1.00\r\n\"'+1\",2.00\r\n\"'-cmd\",-3.00\r\n\"'@SUM(A1)\",0.00\r\n\"'\tx\",0.05\r\nplain,0.06\r\na-b,0.07\r\n")
        // A block rendered without its header has no byte-order mark either.
        #expect(CSVRenderer.spreadsheet.renderBytes(table, header: false).first != 0xEF)
    }

    @Test("CRLF line endings and a custom suppression marker")
    func crlfAndMarker() {
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("service", .text(["A&E", "GP"])),
            ResultColumn("events", .integer([116, 4]), states: [.value, .suppressed]),
        ])
        let csv = CSVRenderer(lineEnding: "\r\n", suppressedMarker: "*").render(table)
        #expect(csv == "service,events\r\nA&E,116\r\nGP,*\r\n")
    }

    @Test("a carriage return inside text is quoted too")
    func carriageReturnQuoted() {
        let table = ResultTable(name: "t", title: "t", columns: [ResultColumn("note", .text(["a\rb", "a\r\nb", "plain"]))])
        #expect(CSVRenderer().render(table) == "note\n\"a\rb\"\n\"a\r\nb\"\nplain\n")
    }

    @Test("header names are quoted like any text")
    func headerQuoted() {
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("cost, £", .money([1])),
            ResultColumn("the \"rate\"", .rate([1], decimals: 1)),
        ])
        #expect(CSVRenderer().render(table) == "\"cost, £\",\"the \"\"rate\"\"\"\n0.01,1.0\n")
    }

    @Test("an empty table is its header line")
    func emptyTable() {
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("person_id", .text([])), ResultColumn("before_cost", .money([])),
        ])
        #expect(CSVRenderer().render(table) == "person_id,before_cost\n")
    }

    /// Whatever the text, a strict RFC 4180 reader gets the same cell back.
    @Test("text cells survive a round trip through an RFC 4180 reader", arguments: [
        "", "plain", "with, comma", "with \"quotes\"", "\"", "\"\"", "line\nbreak", "cr\rlf\r\n", ",\n\"", "  spaced  ", "£ café ☕︎",
    ])
    func textRoundTrip(text: String) throws {
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("a", .text([text])), ResultColumn("b", .integer([42])),
        ])
        let rows = try RFC4180.parse(CSVRenderer().render(table))
        #expect(rows == [["a", "b"], [text, "42"]])
    }
}

/// A small strict RFC 4180 reader for checking the renderer's output (LF or CRLF records).
enum RFC4180 {
    struct Malformed: Error {}

    static func parse(_ text: String) throws -> [[String]] {
        enum State { case fieldStart, unquoted, quoted, afterQuote }
        var rows: [[String]] = []
        var row: [String] = []
        var field = String.UnicodeScalarView()
        var state = State.fieldStart
        var scalars = Array(text.unicodeScalars)[...]
        func endField() {
            row.append(String(field))
            field = String.UnicodeScalarView()
            state = .fieldStart
        }
        func endRecord() {
            endField()
            rows.append(row)
            row = []
        }
        while let c = scalars.popFirst() {
            switch (state, c) {
            case (.quoted, "\""):
                if scalars.first == "\"" {
                    scalars.removeFirst()
                    field.append("\"")
                } else {
                    state = .afterQuote
                }
            case (.quoted, _):
                field.append(c)
            case (.fieldStart, "\""):
                state = .quoted
            case (_, ","):
                endField()
            case (_, "\n"):
                endRecord()
            case (_, "\r"):
                guard scalars.popFirst() == "\n" else { throw Malformed() }
                endRecord()
            case (.afterQuote, _), (.unquoted, "\""):
                throw Malformed()
            case (.fieldStart, _), (.unquoted, _):
                field.append(c)
                state = .unquoted
            }
        }
        if state == .quoted { throw Malformed() }
        if state != .fieldStart || !field.isEmpty || !row.isEmpty { endRecord() }
        return rows
    }
}
