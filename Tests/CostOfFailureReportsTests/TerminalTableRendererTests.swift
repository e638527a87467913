import Foundation
import CostOfFailure
import CostOfFailureReports
import Testing

@Suite("TerminalTableRenderer")
struct TerminalTableRendererTests {
    /// Text first (left-aligned), numbers after (right-aligned), the last column a number.
    static let table = ResultTable(name: "t", title: "t", columns: [
        ResultColumn("service", .text(["A&E", "Supported accommodation", "GP"])),
        ResultColumn("events", .integer([116, 1_234_567, 0]), states: [.value, .value, .suppressed]),
        ResultColumn("day", .date([SampleTables.date("2023-05-01"), SampleTables.date("2024-03-31"), SampleTables.date("1970-01-01")]),
                     states: [.value, .missing, .value]),
        ResultColumn("rate", .rate([233.9226, 7.6, 0], decimals: 1), states: [.value, .value, .missing]),
        ResultColumn("cost", .money([3_166_800, -700, 5]), states: [.value, .value, .value]),
    ])

    @Test("golden output")
    func golden() {
        let expected = """
            service                     events         day   rate        cost
            ───────────────────────  ─────────  ──────────  ─────  ──────────
            A&E                            116  2023-05-01  233.9  £31,668.00
            Supported accommodation  1,234,567           –    7.6      -£7.00
            GP                             [c]  1970-01-01      –       £0.05

            """
        #expect(TerminalTableRenderer().render(Self.table) == expected)
    }

    @Test("columns line up: every line has the same width and cells sit inside their rule")
    func aligned() throws {
        let lines = TerminalTableRenderer().render(Self.table).split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
        try #require(lines.count == 3 + 3)   // header, rule, three rows, and the empty string after the final newline
        #expect(lines.last == [])
        let body = lines.dropLast()
        // The last column is right-aligned, so nothing is trimmed and every line is equally wide.
        #expect(Set(body.map(\.count)).count == 1)

        // Column spans from the rule line: runs of "─" separated by two spaces.
        let rule = body[body.startIndex + 1]
        var spans: [Range<Int>] = []
        var start: Int?
        for (i, c) in rule.enumerated() {
            if c == "─" { if start == nil { start = i } } else {
                #expect(c == " ")
                if let s = start { spans.append(s..<i); start = nil }
            }
        }
        if let s = start { spans.append(s..<rule.count) }
        try #require(spans.count == 5)
        for (a, b) in zip(spans, spans.dropFirst()) { #expect(b.lowerBound - a.upperBound == 2) }

        let rightAligned = [false, true, true, true, true]
        for (lineIndex, line) in body.enumerated() where lineIndex != 1 {
            for (column, span) in spans.enumerated() {
                let cell = line[span]
                #expect(!cell.allSatisfy { $0 == " " }, "line \(lineIndex) column \(column) is blank")
                if rightAligned[column] {
                    #expect(cell.last != " ", "line \(lineIndex) column \(column) not right-aligned: \(String(cell))")
                } else {
                    #expect(cell.first != " ", "line \(lineIndex) column \(column) not left-aligned: \(String(cell))")
                }
                // Gaps between columns are spaces only.
                if span.upperBound < line.count {
                    #expect(line[span.upperBound..<min(span.upperBound + 2, line.count)].allSatisfy { $0 == " " })
                }
            }
        }
    }

    @Test("money is £ with separators, counts have separators, missing is an en dash")
    func cellFormats() {
        let text = TerminalTableRenderer().render(Self.table)
        #expect(text.contains("£31,668.00"))
        #expect(text.contains("-£7.00"))
        #expect(text.contains("£0.05"))
        #expect(text.contains("1,234,567"))
        #expect(text.contains("–"))
        #expect(text.contains("[c]"))
        #expect(!text.contains("31668"))
    }

    @Test("a text column last is left-aligned and lines carry no trailing spaces")
    func trailingSpacesTrimmed() {
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("cost", .money([100, 1_000_000])),
            ResultColumn("note", .text(["a much longer note", "x"])),
        ])
        let text = TerminalTableRenderer(suppressedMarker: "*").render(table)
        let lines = text.split(separator: "\n")
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") })
        #expect(lines[2] == "     £1.00  a much longer note")
        #expect(lines[3] == "£10,000.00  x")
        // Where the note starts is the same on every data line.
        #expect(lines[2].firstIndex(of: "a").map { lines[2].distance(from: lines[2].startIndex, to: $0) } == 12)
        #expect(lines[3].firstIndex(of: "x").map { lines[3].distance(from: lines[3].startIndex, to: $0) } == 12)
    }

    @Test("the suppression marker is configurable", arguments: ["[c]", "*", "suppressed"])
    func marker(marker: String) {
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("events", .integer([3, 4]), states: [.suppressed, .value]),
        ])
        let lines = TerminalTableRenderer(suppressedMarker: marker).render(table).split(separator: "\n")
        #expect(lines[2].hasSuffix(marker))
        #expect(lines.allSatisfy { $0.count == max(marker.count, "events".count) })
    }

    @Test("colour: a bold header and dim missing and suppressed cells, the same text once the escapes are taken out")
    func colour() {
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("service", .text(["A&E", "GP", "Police"])),
            ResultColumn("events", .integer([116, 3, 0]), states: [.value, .suppressed, .missing]),
        ])
        let plain = TerminalTableRenderer().render(table)
        let coloured = TerminalTableRenderer(colour: true).render(table)
        #expect(!plain.contains("\u{1B}"))
        let lines = coloured.split(separator: "\n")
        #expect(lines[0] == "\u{1B}[1mservice\u{1B}[0m  \u{1B}[1mevents\u{1B}[0m")
        #expect(lines[3].hasSuffix("\u{1B}[2m[c]\u{1B}[0m"))
        #expect(lines[4].hasSuffix("\u{1B}[2m–\u{1B}[0m"))
        #expect(!lines[2].contains("\u{1B}"))
        let stripped = coloured.replacingOccurrences(of: "\u{1B}[1m", with: "").replacingOccurrences(of: "\u{1B}[2m", with: "")
            .replacingOccurrences(of: "\u{1B}[0m", with: "")
        #expect(stripped == plain)
    }
}
