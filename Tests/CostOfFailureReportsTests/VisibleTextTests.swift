import CostOfFailure
@testable import CostOfFailureReports
import Foundation
import Testing

/// Text from the data that would act on a reader's screen, in every format a person reads.
@Suite("VisibleText: control characters and bidi overrides from the data")
struct VisibleTextTests {
    /// ESC [ 2 J clears a terminal; U+202E turns what follows around; U+009B is a one-byte CSI.
    static let clearScreen = "A&E\u{1B}[2J"
    static let reversedID = "P1\u{202E}987"
    static let hostile = ResultTable(name: "hostile", title: "Hostile \u{1B}]0;title\u{07}", columns: [
        ResultColumn("person_id", .text([reversedID, "P2\u{0}x", "P3\u{9B}31m"])),
        ResultColumn("service", .text([clearScreen, "Police\u{2066}x\u{2069}", "Courts\u{7F}"])),
        ResultColumn("events", .integer([1, 2, 3])),
    ])
    /// Every raw character of ``hostile`` that must not reach a reader.
    static let raw: [Unicode.Scalar] = ["\u{1B}", "\u{202E}", "\u{0}", "\u{9B}", "\u{2066}", "\u{2069}", "\u{7F}", "\u{07}"]

    func containsRaw(_ text: String) -> [Unicode.Scalar] {
        Self.raw.filter { scalar in text.unicodeScalars.contains(scalar) }
    }

    @Test("one escape scheme: \\x for a character up to U+00FF, \\u{...} above")
    func scheme() {
        #expect(VisibleText.terminal(Self.clearScreen) == "A&E\\x1B[2J")
        #expect(VisibleText.terminal(Self.reversedID) == "P1\\u{202E}987")
        #expect(VisibleText.terminal("\u{0}\u{7F}\u{9B}\u{85}\t\n\r") == "\\x00\\x7F\\x9B\\x85\\x09\\x0A\\x0D")
        #expect(VisibleText.terminal("\u{200E}\u{200F}\u{61C}\u{2028}\u{2029}\u{FEFF}\u{FFFE}\u{FFFF}")
                == "\\u{200E}\\u{200F}\\u{061C}\\u{2028}\\u{2029}\\u{FEFF}\\u{FFFE}\\u{FFFF}")
        // Ordinary text, accents, emoji and a backslash are left alone.
        for clean in ["Supported accommodation", "café £12 – Zoë", "😀 DOMAIN\\user", ""] {
            #expect(VisibleText.terminal(clean) == clean)
        }
        #expect(VisibleText.markup("a\tb\nc\rd\u{1B}") == "a\tb\nc\rd\\x1B")
    }

    @Test("every scalar is either safe or escaped, for all of the BMP", arguments: [0x0000, 0x0080, 0x0600, 0x2000, 0xFE00, 0xFFF0])
    func exhaustive(start: Int) {
        for value in start..<(start + 0x100) {
            guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
            let shown = VisibleText.terminal(String(Character(scalar)))
            if VisibleText.isUnsafe(scalar) {
                #expect(shown.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F })
            } else {
                #expect(shown == String(Character(scalar)))
            }
        }
    }

    @Test("terminal table: escapes in place of the raw characters, and the columns still line up")
    func terminalTable() {
        for colour in [false, true] {
            let text = TerminalTableRenderer(colour: colour).render(Self.hostile)
            let withoutStyles = text.replacingOccurrences(of: "\u{1B}[1m", with: "").replacingOccurrences(of: "\u{1B}[0m", with: "")
                .replacingOccurrences(of: "\u{1B}[2m", with: "")
            #expect(containsRaw(withoutStyles).isEmpty)
            #expect(text.contains("A&E\\x1B[2J"))
            #expect(text.contains("P1\\u{202E}987"))
            #expect(text.contains("P2\\x00x"))
            #expect(text.contains("P3\\x9B31m"))
            #expect(text.contains("Police\\u{2066}x\\u{2069}"))
        }
        let lines = TerminalTableRenderer().render(Self.hostile).split(separator: "\n")
        #expect(Set(lines.map(\.count)).count == 1)  // every line as wide: the escapes were measured
        #expect(!TerminalTableRenderer().renderRecord(Self.hostile).unicodeScalars.contains("\u{1B}"))
    }

    @Test("HTML: escaped as text and the controls replaced, in tables, titles and the report")
    func html() {
        let table = HTMLRenderer().render(Self.hostile)
        #expect(containsRaw(table).isEmpty)
        #expect(table.contains("A&amp;E\\x1B[2J"))
        #expect(table.contains("P1\\u{202E}987"))
        #expect(table.contains("Hostile \\x1B]0;title\\x07"))
        let report = HTMLReport(title: Self.reversedID, sections: [.init(id: "s", title: Self.clearScreen, blocks: [.table(Self.hostile), .paragraph("\u{9B}2J")])])
        let document = report.render()
        #expect(containsRaw(document).isEmpty)
        #expect(document.contains("<title>P1\\u{202E}987</title>"))
        #expect(document.contains("\\x9B2J"))
        // A chart's labels go through the same escape.
        let chart = BarChart(id: "c", title: Self.clearScreen, seriesNames: ["before", "after"], unit: .pence,
                             rows: [.init(label: Self.reversedID, values: [.value(100), .value(50)])]).render()
        #expect(containsRaw(chart).isEmpty)
        #expect(chart.contains("P1\\u{202E}987"))
    }

    @Test("workbook: the shared strings hold escapes, and the XML has no character XML 1.0 forbids")
    func workbook() throws {
        let book = try Workbook(XLSXRenderer().render(cover: .init(title: Self.clearScreen), tables: [Self.hostile]))
        for (path, part) in book.parts {
            #expect(containsRaw(part).isEmpty, "\(path)")
        }
        #expect(book.strings.contains("A&amp;E\\x1B[2J"))
        #expect(book.strings.contains("P1\\u{202E}987"))
        #expect(book.strings.contains("P2\\x00x"))
        #expect(book.parts["docProps/core.xml"]?.contains("<dc:title>A&amp;E\\x1B[2J</dc:title>") == true)
        // Excel's own escape in the data stays literal beside ours.
        let literal = ResultTable(name: "t", title: "t", columns: [ResultColumn("name", .text(["_x001B_ and \u{1B}"]))])
        #expect(try Workbook(XLSXRenderer().render(cover: .init(title: "t"), tables: [literal])).strings.contains("_x005F_x001B_ and \\x1B"))
    }

    @Test("JSON: the same characters as \\u escapes, so the value parses back exactly")
    func json() throws {
        let text = JSONRenderer().render(Self.hostile)
        #expect(containsRaw(text).isEmpty)
        #expect(text.contains(#""A&E\u001b[2J""#))
        #expect(text.contains(#""P1\u202e987""#))
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["person_id"] as? String } == [Self.reversedID, "P2\u{0}x", "P3\u{9B}31m"])
    }

    @Test("Markdown: cells and titles escaped")
    func markdown() {
        let text = MarkdownRenderer().render(Self.hostile)
        #expect(containsRaw(text).isEmpty)
        #expect(text.contains("P1\\\\u{202E}987"))  // the cell's backslash, doubled for Markdown
    }

    @Test("CSV keeps the data's bytes (a file for programs)")
    func csvKeepsBytes() {
        let text = String(decoding: CSVRenderer().renderBytes(Self.hostile), as: UTF8.self)
        #expect(text.contains(Self.clearScreen))
        #expect(text.contains(Self.reversedID))
    }
}
