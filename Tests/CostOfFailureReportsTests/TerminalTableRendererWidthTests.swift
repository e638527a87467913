import CostOfFailure
import CostOfFailureReports
import Testing

/// The terminal table fitted to a screen's width: unchanged while it fits, label/value lines
/// for one row, panels with the label columns again for more, names wrapped in their column.
@Suite("TerminalTableRenderer width")
struct TerminalTableRendererWidthTests {
    /// A person × service table as `cof compare` makes it, two label columns and eight figures,
    /// some withheld.
    static let wide: ResultTable = {
        let rows = 3
        func money(_ base: Int64) -> ResultColumn {
            ResultColumn("m\(base)", .money((0..<rows).map { base * 100_000 + Int64($0) }))
        }
        return ResultTable(name: "t", title: "t", columns: [
            ResultColumn("person_id", .text(["P-0001", "P-0001", "P-0002"])),
            ResultColumn("service", .text(["A&E", "Supported accommodation", "Police"])),
            ResultColumn("before_events", .integer([116, 500, 3]), states: [.value, .value, .suppressed]),
            ResultColumn("after_events", .integer([7, 20, 1]), states: [.value, .value, .suppressed]),
            ResultColumn("before_cost", .money([3_166_800, 4_500_000, 12_000]), states: [.value, .value, .suppressed]),
            ResultColumn("after_cost", .money([191_100, 180_000, 4_000]), states: [.value, .missing, .suppressed]),
            ResultColumn("before_cost_per_year", .money([6_333_600, 9_000_000, 24_000])),
            ResultColumn("after_cost_per_year", .money([191_100, 180_000, 4_000])),
            ResultColumn("change_per_year", .money([-6_142_500, -8_820_000, -20_000])),
            ResultColumn("first_day", .date([SampleTables.date("2023-05-01"), SampleTables.date("2023-06-01"), SampleTables.date("2024-01-01")])),
        ])
    }()

    static func lines(_ text: String) -> [Substring] {
        #expect(text.hasSuffix("\n"))
        return text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The width of the widest line of the table with no limit.
    static func naturalWidth(_ table: ResultTable) -> Int {
        lines(TerminalTableRenderer().render(table)).map(DisplayWidth.of).max() ?? 0
    }

    /// The panels of `text`: each as its lines, split at the blank lines between them.
    static func panels(_ text: String) -> [[Substring]] {
        lines(text).split(separator: "", omittingEmptySubsequences: true).map(Array.init)
    }

    @Test("a table exactly as wide as the screen is printed as it is without a width")
    func exactWidth() {
        for table in [Self.wide, TerminalTableRendererTests.table] {
            let natural = Self.naturalWidth(table)
            #expect(TerminalTableRenderer(width: natural).render(table) == TerminalTableRenderer().render(table))
            #expect(TerminalTableRenderer(width: natural + 1).render(table) == TerminalTableRenderer().render(table))
        }
    }

    @Test("one column narrower: a header wraps after an underscore rather than the table splitting")
    func oneLess() throws {
        let natural = Self.naturalWidth(Self.wide)
        let text = TerminalTableRenderer(width: natural - 1).render(Self.wide)
        #expect(Self.lines(text).allSatisfy { DisplayWidth.of($0) <= natural - 1 }, "\(text)")
        let panels = Self.panels(text)
        try #require(panels.count == 1, "\(text)")
        // Two header lines, the rule, then the three rows, each still one line.
        let lines = panels[0]
        try #require(lines.count == 6, "\(text)")
        #expect(lines[1].hasPrefix("person_id  service  "))
        #expect(Self.columnNames(lines) == Self.wide.columns.map(\.name))
        #expect(lines[4].hasPrefix("P-0001     Supported accommodation  "))
    }

    @Test("a table whose labels cannot give way splits into panels, each starting with the label columns")
    func panels() throws {
        let text = TerminalTableRenderer(width: 60).render(Self.wide)
        let panels = Self.panels(text)
        try #require(panels.count > 1, "\(text)")
        #expect(Self.lines(text).allSatisfy { DisplayWidth.of($0) <= 60 })
        for panel in panels {
            let rule = try #require(panel.firstIndex { $0.hasPrefix("─") })
            #expect(panel[rule - 1].hasPrefix("person_id  service  "), "\(text)")
            #expect(panel.contains { $0.hasPrefix("P-0001     Supported accommodation  ") }, "\(text)")
        }
    }

    /// The column names of each panel, from its header (which may be wrapped over lines).
    static func columnNames(_ panel: [Substring]) -> [String] {
        guard let rule = panel.firstIndex(where: { $0.hasPrefix("─") }) else { return [] }
        let spans = ruleSpans(panel[rule])
        return spans.map { span in
            panel[..<rule].map { line -> String in
                let characters = Array(line)
                guard span.lowerBound < characters.count else { return "" }
                return String(characters[span.lowerBound..<min(span.upperBound, characters.count)]).trimmingSpaces()
            }.joined()
        }
    }

    /// The columns a rule line marks: runs of `─`.
    static func ruleSpans(_ rule: Substring) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        var start: Int?
        for (i, c) in rule.enumerated() {
            if c == "─" { if start == nil { start = i } } else if let s = start { spans.append(s..<i); start = nil }
        }
        if let s = start { spans.append(s..<rule.count) }
        return spans
    }

    @Test("every column is shown once, in order, with the label columns in every panel", arguments: [20, 25, 33, 40, 41, 60, 79, 80, 100])
    func everyColumnOnce(width: Int) throws {
        let text = TerminalTableRenderer(width: width).render(Self.wide)
        #expect(Self.lines(text).allSatisfy { DisplayWidth.of($0) <= width }, "\(text)")
        let names = Self.wide.columns.map(\.name)
        var shown: [String] = []
        for panel in Self.panels(text) {
            let columns = Self.columnNames(panel)
            try #require(columns.count >= 2, "\(text)")
            if width >= 33 {
                #expect(Array(columns.prefix(2)) == ["person_id", "service"], "\(text)")
                shown += columns.dropFirst(2)
            } else {
                // Too narrow for both labels at six columns and the widest figure: the first alone.
                #expect(columns[0] == "person_id", "\(text)")
                shown += columns.dropFirst()
            }
        }
        #expect(shown == Array(names.dropFirst(width >= 33 ? 2 : 1)), "\(text)")
    }

    @Test("withheld and missing cells keep their markers whole, as many as the table has", arguments: [20, 40, 60])
    func markers(width: Int) {
        for marker in ["[c]", "*", "suppressed"] {
            let text = TerminalTableRenderer(suppressedMarker: marker, width: width).render(Self.wide)
            let suppressed = Self.wide.columns.reduce(0) { sum, column in sum + (0..<3).filter { column.state($0) == .suppressed }.count }
            #expect(text.components(separatedBy: marker).count - 1 == suppressed, "\(text)")
            #expect(text.components(separatedBy: "–").count - 1 == 1)
        }
    }

    @Test("a first column wider than the screen wraps inside its column, the whole name kept in order")
    func firstColumnWiderThanScreen() throws {
        let name = "Northumbria Healthcare NHS Foundation Trust emergency department attendances"
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("service", .text([name, "GP"])),
            ResultColumn("events", .integer([1_234, 5])),
            ResultColumn("cost", .money([3_166_800, 15_000])),
        ])
        #expect(Self.naturalWidth(table) > 40)
        let text = TerminalTableRenderer(width: 40).render(table)
        let lines = Self.lines(text)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 40 }, "\(text)")
        // One panel: the figures still fit beside the narrowed name.
        #expect(Self.panels(text).count == 1)
        let span = try #require(Self.ruleSpans(lines[1]).first)
        let firstRow = lines[2...].prefix { !$0.hasPrefix("GP") }
        let wrapped = firstRow.map { String(Array($0)[span.lowerBound..<min(span.upperBound, $0.count)]).trimmingSpaces() }
        #expect(wrapped.joined(separator: " ") == name)
        #expect(lines[2].hasSuffix("1,234  £31,668.00"))   // the figures on the name's first line
        #expect(lines.last == "GP                         5     £150.00")
    }

    @Test("a one-row table too wide becomes label/value lines, figures right-aligned")
    func oneRow() {
        let table = ResultTable(name: "cohort", title: "t", columns: [
            ResultColumn("people", .integer([1_085])),
            ResultColumn("before_events", .integer([1_234])),
            ResultColumn("before_cost", .money([3_166_800])),
            ResultColumn("after_cost", .money([0]), states: [.suppressed]),
            ResultColumn("change_per_person_year", .money([-150_000])),
            ResultColumn("programme", .text(["Liberated Method"])),
        ])
        let expected = """
            people                       1,085
            before events                1,234
            before cost             £31,668.00
            after cost                     [c]
            change per person year  -£1,500.00
            programme               Liberated Method

            """
        #expect(TerminalTableRenderer(width: 40).render(table) == expected)
        // Where it fits, it stays a table.
        let natural = Self.naturalWidth(table)
        #expect(TerminalTableRenderer(width: natural).render(table) == TerminalTableRenderer().render(table))
        #expect(TerminalTableRenderer(width: natural - 1).render(table) == expected)
    }

    @Test("a one-row table's long value wraps beside its label", arguments: [20, 30, 40])
    func oneRowLongValue(width: Int) {
        let name = "Supported accommodation for people leaving prison"
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("service", .text([name])),
            ResultColumn("before_cost_per_person_year", .money([123_456_789])),
        ])
        let text = TerminalTableRenderer(width: width).render(table)
        #expect(Self.lines(text).allSatisfy { DisplayWidth.of($0) <= width }, "\(text)")
        #expect(text.contains("£1,234,567.89"))
        #expect(text.split(separator: "\n").count > 2)
    }

    @Test("a table with no rows keeps its headers, in panels when too wide")
    func zeroRows() {
        let empty = Self.wide.selectingRows([])
        let text = TerminalTableRenderer(width: 40).render(empty)
        #expect(Self.lines(text).allSatisfy { DisplayWidth.of($0) <= 40 }, "\(text)")
        var shown: [String] = []
        for panel in Self.panels(text) {
            #expect(panel.last?.allSatisfy { $0 == "─" || $0 == " " } == true)
            shown += Self.columnNames(panel).dropFirst(2)
        }
        #expect(shown == Self.wide.columns.dropFirst(2).map(\.name))
        // No width, or one that fits: header and rule only, as before.
        #expect(Self.lines(TerminalTableRenderer().render(empty)).count == 2)
    }

    @Test("a table of one column, or of text alone, wraps within the width too", arguments: [20, 30])
    func textOnly(width: Int) {
        let notes = "a note far longer than any screen this table will be shown on, with Zoë's name in it"
        let single = ResultTable(name: "t", title: "t", columns: [ResultColumn("note", .text([notes, "short"]))])
        let text = TerminalTableRenderer(width: width).render(single)
        #expect(Self.lines(text).allSatisfy { DisplayWidth.of($0) <= width }, "\(text)")
        #expect(text.split(separator: "\n").dropFirst(2).joined(separator: " ") == notes + " short")
        let allText = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("service", .text(["Supported accommodation", "GP"])),
            ResultColumn("category", .text(["Housing", "Health"])),
            ResultColumn("agency", .text(["Northumberland County Council", "NHS"])),
            ResultColumn("source", .text([notes, "–"]), states: [.value, .suppressed]),
        ])
        let fitted = TerminalTableRenderer(width: width).render(allText)
        #expect(Self.lines(fitted).allSatisfy { DisplayWidth.of($0) <= width }, "\(fitted)")
        // The first column labels every panel; the withheld source keeps its marker.
        for panel in Self.panels(fitted) { #expect(Self.columnNames(panel).first == "service", "\(fitted)") }
        #expect(fitted.contains("[c]"))
    }

    @Test("£ and accented names count one column each, not their bytes")
    func unicode() {
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("service", .text(["Zoë's Ångström café", "GP"])),
            ResultColumn("cost", .money([123_456, 100])),
        ])
        let text = TerminalTableRenderer().render(table)
        // "Zoë's Ångström café" is 19 columns (23 bytes), the cost column 9 (£ is two bytes).
        #expect(Self.lines(text).map(DisplayWidth.of) == [30, 30, 30, 30])
        #expect(Self.lines(text)[2] == "Zoë's Ångström café  £1,234.56")
        #expect(TerminalTableRenderer(width: 30).render(table) == text)
        #expect(TerminalTableRenderer(width: 29).render(table) != text)
    }

    @Test("wide characters line up: a CJK name takes two columns a character")
    func wideCharacters() {
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("service", .text(["急诊", "A&E"])),
            ResultColumn("events", .integer([116, 7])),
        ])
        let lines = Self.lines(TerminalTableRenderer().render(table))
        #expect(lines.map(DisplayWidth.of) == [15, 15, 15, 15])
        #expect(lines[2] == "急诊        116")
    }

    @Test("a screen narrower than twenty columns is laid out as twenty")
    func narrowest() {
        let text = TerminalTableRenderer(width: 5).render(Self.wide)
        #expect(text == TerminalTableRenderer(width: TerminalTableRenderer.narrowestWidth).render(Self.wide))
        #expect(Self.lines(text).allSatisfy { DisplayWidth.of($0) <= 20 })
    }

    @Test("colour adds escapes around the same text, wrapped or not", arguments: [30, 40, 200])
    func colour(width: Int) {
        let plain = TerminalTableRenderer(width: width).render(Self.wide)
        let coloured = TerminalTableRenderer(colour: true, width: width).render(Self.wide)
        #expect(coloured.contains("\u{1B}[1m") && coloured.contains("\u{1B}[2m"))
        let stripped = coloured.replacingOccurrences(of: "\u{1B}[1m", with: "").replacingOccurrences(of: "\u{1B}[2m", with: "")
            .replacingOccurrences(of: "\u{1B}[0m", with: "")
        #expect(stripped == plain)
    }

    @Test("a record for the report fits its width, indent included")
    func record() {
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("benefit_cost_ratio_after_optimism_bias", .rate([1.25], decimals: 2)),
            ResultColumn("net_present_value", .money([-123_456_789])),
        ])
        let unlimited = TerminalTableRenderer().renderRecord(table)
        #expect(unlimited == """
              benefit cost ratio after optimism bias            1.25
              net present value                       -£1,234,567.89

            """)
        let fitted = TerminalTableRenderer(width: 30).renderRecord(table)
        #expect(Self.lines(fitted).allSatisfy { DisplayWidth.of($0) <= 30 }, "\(fitted)")
        #expect(fitted.contains("-£1,234,567.89") && fitted.contains("1.25"))
    }
}

extension String {
    /// The text without spaces at either end.
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
