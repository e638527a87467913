import CostOfFailure
@testable import CostOfFailureReports
import Foundation
import Testing
import ZIPFoundation

/// The parts of a rendered workbook, read back with ZIPFoundation.
struct Workbook {
    var parts: [String: String] = [:]

    init(_ bytes: [UInt8]) throws {
        let archive = try Archive(data: Data(bytes), accessMode: .read)
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            parts[entry.path] = String(decoding: data, as: UTF8.self)
        }
    }

    /// `xl/worksheets/sheet<number>.xml` (the cover is sheet 1).
    func sheet(_ number: Int) -> String { parts["xl/worksheets/sheet\(number).xml"] ?? "" }

    /// The shared strings, in index order (text between `<t>` tags, still XML-escaped).
    var strings: [String] {
        (parts["xl/sharedStrings.xml"] ?? "").components(separatedBy: "<si>").dropFirst().map { item in
            let afterTag = item.components(separatedBy: ">").dropFirst().joined(separator: ">")
            return afterTag.components(separatedBy: "</t>")[0]
        }
    }

    /// The shared string at the index in cell `reference`'s `<v>` of sheet `number`, if a string cell.
    func text(sheet number: Int, _ reference: String) -> String? {
        let sheet = self.sheet(number)
        guard let start = sheet.range(of: "<c r=\"\(reference)\"") else { return nil }
        let cell = sheet[start.lowerBound...].components(separatedBy: "</c>")[0]
        guard cell.contains("t=\"s\""), let index = Int(cell.components(separatedBy: "<v>")[1].components(separatedBy: "</v>")[0]) else { return nil }
        return strings[index]
    }
}

@Suite("XLSXRenderer")
struct XLSXRendererTests {
    let cover = XLSXRenderer.Cover(title: "A test workbook", entries: [.init("Prices", "2024-25 prices"), .init("Rule", "a < b & \"c\"")])

    func render(_ tables: [ResultTable] = [SampleTables.mixed], marker: String = "[c]") throws -> Workbook {
        try Workbook(XLSXRenderer(suppressedMarker: marker).render(cover: cover, tables: tables))
    }

    @Test("a real package: content types, relationships, workbook, styles, shared strings, a sheet per table after the cover")
    func package() throws {
        let book = try render([SampleTables.mixed, SampleTables.mixed])
        #expect(Set(book.parts.keys) == [
            "[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml", "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/sharedStrings.xml",
            "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml",
        ])
        let workbook = try #require(book.parts["xl/workbook.xml"])
        #expect(workbook.contains(#"<sheet name="Cover" sheetId="1" r:id="rId1"/><sheet name="sample" sheetId="2" r:id="rId2"/><sheet name="sample (2)" sheetId="3" r:id="rId3"/>"#))
        #expect(workbook.contains(#"<definedName name="_xlnm._FilterDatabase" localSheetId="2" hidden="1">'sample (2)'!$A$1:$E$6</definedName>"#))
        #expect(book.parts["[Content_Types].xml"]?.contains(#"<Override PartName="/xl/worksheets/sheet3.xml""#) == true)
        #expect(book.parts["xl/_rels/workbook.xml.rels"]?.contains(#"Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles""#) == true)
    }

    @Test("money is a number written exactly from pence, styled \"£\"#,##0.00")
    func money() throws {
        let table = ResultTable(name: "money", title: "Money", columns: [
            ResultColumn("service", .text(["A&E", "GP", "Big", "Tiny"])),
            ResultColumn("cost", .money([-123_405, 5, 123_456_789_012_345_67, -1])),
        ])
        let book = try render([table])
        let sheet = book.sheet(2)
        #expect(sheet.contains(#"<c r="B2" s="2"><v>-1234.05</v></c>"#))
        #expect(sheet.contains(#"<c r="B3" s="2"><v>0.05</v></c>"#))
        #expect(sheet.contains(#"<c r="B4" s="2"><v>123456789012345.67</v></c>"#))
        #expect(sheet.contains(#"<c r="B5" s="2"><v>-0.01</v></c>"#))
        let styles = try #require(book.parts["xl/styles.xml"])
        #expect(styles.contains(#"<numFmt numFmtId="164" formatCode="&quot;£&quot;#,##0.00"/>"#))
        // Style 2 is the third xf of cellXfs: the money format.
        let xfs = styles.components(separatedBy: "<cellXfs")[1].components(separatedBy: "<xf ")
        #expect(xfs[3].hasPrefix(#"numFmtId="164""#))
        #expect(XLSXRenderer.moneyFormat == ##""£"#,##0.00"##)
    }

    @Test("dates are Excel serial days formatted yyyy-mm-dd; before 1900-03-01 they are text")
    func dates() throws {
        let table = ResultTable(name: "dates", title: "Dates", columns: [
            ResultColumn("day", .date([SampleTables.date("2023-05-01"), SampleTables.date("1970-01-01"),
                                       SampleTables.date("1900-03-01"), SampleTables.date("1900-02-28")])),
        ])
        let book = try render([table])
        let sheet = book.sheet(2)
        #expect(sheet.contains(#"<c r="A2" s="3"><v>45047</v></c>"#))
        #expect(sheet.contains(#"<c r="A3" s="3"><v>25569</v></c>"#))
        #expect(sheet.contains(#"<c r="A4" s="3"><v>61</v></c>"#))
        #expect(book.text(sheet: 2, "A5") == "1900-02-28")
        #expect(book.parts["xl/styles.xml"]?.contains(#"<numFmt numFmtId="165" formatCode="yyyy-mm-dd"/>"#) == true)
    }

    @Test("counts, labels and rates: numbers with their formats; suppressed cells hold the marker; missing cells are absent")
    func cellStates() throws {
        let book = try render([SampleTables.mixed], marker: "*")
        let sheet = book.sheet(2)
        #expect(sheet.contains(#"<c r="B2" s="4"><v>3</v></c>"#))  // a count: #,##0
        #expect(sheet.contains(#"<c r="D2" s="11"><v>233.92</v></c>"#))  // a rate of 2 decimals
        #expect(sheet.contains(#"<c r="D6" s="11"><v>-1.25</v></c>"#))
        #expect(book.text(sheet: 2, "B5") == "*")
        #expect(book.text(sheet: 2, "C5") == "*")
        #expect(sheet.contains(#"<c r="B5" s="5" t="s">"#))  // right-aligned like the numbers around it
        #expect(!sheet.contains(#"r="C4""#))  // missing
        #expect(!sheet.contains(#"r="E5""#))  // missing
        let styles = try #require(book.parts["xl/styles.xml"])
        #expect(styles.contains(##"<numFmt numFmtId="168" formatCode="#,##0.00"/>"##))
        let labels = ResultTable(name: "t", title: "t", columns: [ResultColumn("month", .integer([-24, 12])).asLabel()])
        #expect(try render([labels]).sheet(2).contains(#"<c r="A2"><v>-24</v></c>"#))
    }

    @Test("the header row is bold, frozen and filtered; columns are as wide as their content")
    func header() throws {
        let book = try render()
        let sheet = book.sheet(2)
        #expect(sheet.contains(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#))
        #expect(sheet.contains(#"<autoFilter ref="A1:E6"/>"#))
        #expect(sheet.contains(#"<dimension ref="A1:E6"/>"#))
        #expect(book.text(sheet: 2, "A1") == "name")
        #expect(sheet.contains(#"<c r="A1" s="1" t="s">"#))
        // cost's widest cell is £1,000,000.00 (13 characters) + 2.
        #expect(sheet.contains(#"<col min="3" max="3" width="15" customWidth="1"/>"#))
        // day: a date (10) against the header and its filter button (3 + 3) + 2.
        #expect(sheet.contains(#"<col min="5" max="5" width="12" customWidth="1"/>"#))
    }

    @Test("the cover: title, entries in order, then each sheet with its table's title")
    func coverSheet() throws {
        let book = try render()
        #expect(book.text(sheet: 1, "A1") == "A test workbook")
        #expect(book.text(sheet: 1, "A3") == "Prices")
        #expect(book.text(sheet: 1, "B3") == "2024-25 prices")
        #expect(book.text(sheet: 1, "B4") == "a &lt; b &amp; &quot;c&quot;")
        #expect(book.text(sheet: 1, "A6") == "Sheet")
        #expect(book.text(sheet: 1, "A7") == "sample")
        #expect(book.text(sheet: 1, "B7") == "A sample")
        #expect(!book.sheet(1).contains("frozen"))
        #expect(book.parts["docProps/core.xml"]?.contains("<dc:title>A test workbook</dc:title>") == true)
    }

    @Test("text is escaped for XML: entities, control characters as visible escapes, OOXML escapes kept literal, formulas stay text")
    func escaping() throws {
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("note", .text(["a & b <c> \"d\"", "bell\u{07}here", "_x0041_", "=SUM(A1:A2)", " padded ", "line\nbreak\r"])),
        ])
        let book = try render([table])
        let strings = book.strings
        #expect(strings.contains("a &amp; b &lt;c&gt; &quot;d&quot;"))
        #expect(strings.contains("bell\\x07here"))
        #expect(strings.contains("_x005F_x0041_"))
        #expect(strings.contains("line\nbreak&#13;"))
        #expect(book.text(sheet: 2, "A5") == "=SUM(A1:A2)")
        #expect(!book.sheet(2).contains("<f>"))
        #expect(book.parts["xl/sharedStrings.xml"]?.contains(#"<si><t xml:space="preserve"> padded </t></si>"#) == true)
    }

    @Test("sheet names: forbidden characters removed, at most 31 characters, unique without regard to case")
    func sheetNames() {
        let long = String(repeating: "x", count: 40)
        let names = XLSXRenderer.sheetNames(for: ["a/b:c*d?e[f]g\\h", long, long, "Cover", "COVER", "'quoted'", "", "[]", "history", "cohort", "Cohort"],
                                            taken: ["Cover"])
        #expect(names == ["abcdefgh", String(repeating: "x", count: 31), String(repeating: "x", count: 27) + " (2)",
                          "Cover (2)", "COVER (3)", "quoted", "Sheet", "Sheet (2)", "history (2)", "cohort", "Cohort (2)"])
        #expect(names.allSatisfy { $0.utf16.count <= 31 })
        // A character is never cut in half: 16 two-unit emoji keep 15.
        #expect(XLSXRenderer.sheetNames(for: [String(repeating: "😀", count: 16)]) == [String(repeating: "😀", count: 15)])
    }

    @Test("the same tables give the same bytes")
    func deterministic() throws {
        let renderer = XLSXRenderer()
        let first = try renderer.render(cover: cover, tables: [SampleTables.mixed])
        let second = try renderer.render(cover: cover, tables: [SampleTables.mixed])
        #expect(first == second)
        #expect(first.starts(with: Array("PK".utf8)))
    }

    @Test("a table with no rows still has its header, frozen and filtered")
    func emptyTable() throws {
        let table = ResultTable(name: "empty", title: "Nothing", columns: [ResultColumn("cost", .money([]))])
        let sheet = try render([table]).sheet(2)
        #expect(sheet.contains(#"<autoFilter ref="A1:A1"/>"#))
        #expect(sheet.contains(#"<row r="1"><c r="A1" s="1" t="s">"#))
    }
}

@Suite("XLSXRenderer: Excel's cell limit")
struct XLSXCellLimitTests {
    @Test("a 40,000-character service name is cut to 32,767 characters ending with …, and the cut is reported by sheet and column")
    func longCell() throws {
        let long = String(repeating: "Supported accommodation ", count: 1_700).prefix(40_000)
        #expect(long.count == 40_000)
        let table = ResultTable(name: "by-service", title: "t", columns: [
            ResultColumn("service", .text([String(long), "A&E"])),
            ResultColumn("events", .integer([1, 2])),
        ])
        var cuts: [XLSXRenderer.CutCells] = []
        let book = try Workbook(XLSXRenderer().render(cover: .init(title: "t"), tables: [table], cutCells: &cuts))
        #expect(cuts == [XLSXRenderer.CutCells(sheet: "by-service", column: "service", cells: 1)])
        #expect(cuts[0].description == "sheet 'by-service', column 'service': 1 cell longer than Excel's 32,767 characters, cut to fit (ending with …)")
        #expect(!cuts[0].description.contains("Supported"))
        let cell = try #require(book.text(sheet: 2, "A2"))
        #expect(cell.utf16.count == XLSXRenderer.maximumCellCharacters)
        #expect(cell.hasSuffix("…"))
        #expect(cell.hasPrefix("Supported accommodation Supported"))
        #expect(book.text(sheet: 2, "A3") == "A&amp;E")
    }

    @Test("the limit counts what Excel shows: escapes lengthen, entities do not, a surrogate pair is never split")
    func counting() {
        #expect(!XLSXRenderer.fittingCell(String(repeating: "&", count: 32_767)).cut)
        let escaped = XLSXRenderer.fittingCell(String(repeating: "\u{1B}", count: 8_192))  // 4 characters each
        #expect(escaped.cut && escaped.text.utf16.count <= 32_767 && escaped.text.hasPrefix("\\x1B\\x1B"))
        let emoji = XLSXRenderer.fittingCell(String(repeating: "😀", count: 20_000))
        #expect(emoji.cut && emoji.text.utf16.count <= 32_767)
        #expect(emoji.text.unicodeScalars.dropLast().allSatisfy { $0 == "😀" })
        #expect(!XLSXRenderer.fittingCell(String(repeating: "x", count: 32_767)).cut)
        #expect(XLSXRenderer.fittingCell(String(repeating: "x", count: 32_768)).cut)
    }
}
