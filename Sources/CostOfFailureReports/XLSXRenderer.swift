import CostOfFailure
// Foundation and ZIPFoundation only package the parts: `Data` and `Date` never reach a caller.
private import Foundation
private import ZIPFoundation

/// Renders ``ResultTable``s as an Excel workbook (XLSX, Office Open XML SpreadsheetML) for
/// finance teams: a cover sheet, then one sheet per table.
///
/// The cover holds the title, the caller's (name, value) entries in order (parameters, prices,
/// sources, the disclosure rule) and a list of the sheets with each table's title. A table's
/// title lives there rather than above its table, so that row 1 of every table sheet is its
/// header: the frozen pane (`ySplit` 1) and the autofilter then cover the header and every row
/// with nothing to skip, and a reader that takes row 1 as column names (Power Query, pandas,
/// openpyxl) gets the table as it is.
///
/// Cells are typed: money is a number of pounds written exactly from the integer pence
/// (`-1234.05`, never through binary floating point) with the format `"£"#,##0.00`; counts
/// are numbers formatted `#,##0` (label columns such as a month or a number of years stay
/// plain); dates are Excel serial days (1899-12-30 is day 0) formatted `yyyy-mm-dd` (a date
/// before 1900-03-01, where Excel's calendar is wrong, is written as `YYYY-MM-DD` text); rates
/// are numbers rounded to their decimals and formatted with that many places. A suppressed
/// cell holds the marker as text; a missing cell is left empty. Text is always a string cell,
/// which Excel displays and never evaluates, so text starting with `=`, `+`, `-` or `@` cannot
/// become a formula here and is written as it is (the CSV renderer's `'` prefix is not needed).
/// Characters that would act on a reader's screen or that XML 1.0 cannot carry are written as
/// ``VisibleText``'s escapes (`\x1B`, `\u{202E}`), so the workbook always opens. A text longer
/// than Excel's limit of 32,767 characters in a cell (Excel does not open a workbook with one)
/// is cut to the limit, ending with `…`, and reported as a ``CutCells`` for the caller's warning:
/// cut rather than refused, because one overlong name (a notes field mapped as a service, say)
/// should not cost the finance team the whole workbook, and the warning names the sheet and
/// the column (never the value).
///
/// The bytes are the same for the same inputs: no clock is read (every zip entry is dated
/// 1980-01-01 00:00, the zip format's first day), and strings and styles are numbered in the
/// order of first use, so a workbook can be compared with a golden copy.
public struct XLSXRenderer: Sendable {
    /// What the cover sheet says above the list of sheets.
    public struct Cover: Sendable, Hashable {
        /// One line of the cover: a name in column A, its value in column B.
        public struct Entry: Sendable, Hashable {
            /// What the line is (`Prices`).
            public var name: String
            /// What it says.
            public var value: String

            /// Creates a line.
            public init(_ name: String, _ value: String) {
                self.name = name
                self.value = value
            }
        }

        /// The workbook's title (cell A1 of the cover, and the document title).
        public var title: String
        /// The lines under the title, in order.
        public var entries: [Entry]

        /// Creates a cover.
        public init(title: String, entries: [Entry] = []) {
            self.title = title
            self.entries = entries
        }
    }

    /// A workbook that could not be made.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What went wrong.
        public var description: String
    }

    /// The cover sheet's name; no table sheet takes it.
    public static let coverSheetName = "Cover"

    /// What a suppressed cell shows.
    public var suppressedMarker: String

    /// Creates a renderer.
    public init(suppressedMarker: String = "[c]") {
        self.suppressedMarker = suppressedMarker
    }

    /// Text cells of one column of one sheet that were longer than Excel's limit and were cut
    /// to it: what the caller warns about (positions only, no value).
    public struct CutCells: Sendable, Hashable, CustomStringConvertible {
        /// The sheet's name as the workbook spells it.
        public var sheet: String
        /// The column's name (its header on a table sheet; `A` or `B` on the cover).
        public var column: String
        /// How many of its cells were cut.
        public var cells: Int

        /// `sheet 'x', column 'y': N cells longer than Excel's 32,767 characters, cut to fit (ending with …)`.
        public var description: String {
            "sheet '\(sheet)', column '\(column)': \(cells == 1 ? "1 cell" : "\(cells) cells") longer than Excel's "
                + "\(MoneyFormat.count(Int64(XLSXRenderer.maximumCellCharacters))) characters, cut to fit (ending with …)"
        }
    }

    /// The workbook as the bytes of an `.xlsx` file: `cover`, then a sheet per table, named by
    /// ``sheetNames(for:taken:)`` from the tables' ``ResultTable/name``s. A text longer than a
    /// cell holds is cut silently here: a caller that talks to a person uses
    /// ``render(cover:tables:cutCells:)`` and warns.
    ///
    /// Throws when a table does not fit a sheet (1,048,575 rows under the header, 16,384
    /// columns) or the zip container cannot be written.
    public func render(cover: Cover, tables: [ResultTable]) throws(Failure) -> [UInt8] {
        var cutCells: [CutCells] = []
        return try render(cover: cover, tables: tables, cutCells: &cutCells)
    }

    /// The workbook as ``render(cover:tables:)`` makes it, adding to `cutCells` a record for
    /// each column where a text longer than Excel's 32,767 characters was cut to fit, in sheet
    /// and column order.
    public func render(cover: Cover, tables: [ResultTable], cutCells: inout [CutCells]) throws(Failure) -> [UInt8] {
        let names = Self.sheetNames(for: tables.map(\.name), taken: [Self.coverSheetName])
        var strings = SharedStringTable()
        var sheets = [coverSheet(cover, tables: tables, sheetNames: names, strings: &strings, cutCells: &cutCells)]
        for (table, name) in zip(tables, names) {
            guard table.rowCount < Self.maximumRows, table.columns.count <= Self.maximumColumns else {
                throw Failure(description: "table \(table.name) has \(table.rowCount) rows and \(table.columns.count) columns; a sheet holds at most \(Self.maximumRows - 1) rows under its header and \(Self.maximumColumns) columns")
            }
            sheets.append(tableSheet(table, sheetName: name, strings: &strings, cutCells: &cutCells))
        }
        let sheetNames = [Self.coverSheetName] + names
        let filterRanges: [String?] = [nil] + tables.map(Self.filterRange)
        var parts: [(path: String, bytes: [UInt8])] = [
            ("[Content_Types].xml", contentTypes(sheets: sheets.count)),
            ("_rels/.rels", Self.packageRelationships),
            ("docProps/app.xml", Self.appProperties),
            ("docProps/core.xml", coreProperties(title: cover.title)),
            ("xl/workbook.xml", workbook(sheetNames: sheetNames, filterRanges: filterRanges)),
            ("xl/_rels/workbook.xml.rels", workbookRelationships(sheets: sheets.count)),
            ("xl/styles.xml", Self.styles),
            ("xl/sharedStrings.xml", strings.xml()),
        ]
        for (index, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(index + 1).xml", sheet))
        }
        return try Self.zipArchive(parts)
    }

    // MARK: Sheets

    /// Excel's limits: rows (the header included) and columns of one sheet.
    static let maximumRows = 1_048_576
    static let maximumColumns = 16_384
    /// Excel's limit on the characters of one cell (UTF-16 code units, as Excel counts them).
    public static let maximumCellCharacters = 32_767

    /// `text` as the cell will show it (``VisibleText``'s escapes applied), cut to
    /// ``maximumCellCharacters`` with a closing `…` when longer, and whether it was cut. The
    /// cut falls between Unicode scalars, so a surrogate pair is never split.
    static func fittingCell(_ text: String) -> (text: String, cut: Bool) {
        let shown = XMLText.shown(text)
        guard shown.utf16.count > maximumCellCharacters else { return (shown, false) }
        var kept = String.UnicodeScalarView()
        var units = 0
        for scalar in shown.unicodeScalars {
            let width = UTF16.width(scalar)
            if units + width > maximumCellCharacters - 1 { break }
            kept.append(scalar)
            units += width
        }
        return (String(kept) + "…", true)
    }

    /// `cells` with every text cell made to fit (``fittingCell(_:)``); a cut in column `index`
    /// is counted in `counts[index]`.
    private static func fitting(_ cells: [CellXML], counts: inout [Int]) -> [CellXML] {
        cells.enumerated().map { index, cell in
            guard case .text(let text, let style) = cell, text.utf8.count > maximumCellCharacters / 4 else { return cell }
            let (fitted, cut) = fittingCell(text)
            if cut {
                if counts.count <= index { counts += [Int](repeating: 0, count: index + 1 - counts.count) }
                counts[index] += 1
            }
            return .text(fitted, style: style)
        }
    }

    /// Adds a ``CutCells`` to `cutCells` for each column of `sheet` with a count above zero.
    private static func record(_ counts: [Int], sheet: String, columns: (Int) -> String, in cutCells: inout [CutCells]) {
        for (index, count) in counts.enumerated() where count > 0 {
            cutCells.append(CutCells(sheet: sheet, column: columns(index), cells: count))
        }
    }

    /// The cover: title, entries, then each sheet's name and its table's title.
    private func coverSheet(_ cover: Cover, tables: [ResultTable], sheetNames: [String], strings: inout SharedStringTable,
                            cutCells: inout [CutCells]) -> [UInt8] {
        var rows: [[CellXML]] = [[.text(cover.title, style: .coverTitle)], []]
        for entry in cover.entries {
            rows.append([.text(entry.name, style: .coverName), .text(entry.value, style: .coverValue)])
        }
        rows.append([])
        rows.append([.text("Sheet", style: .header), .text("Contents", style: .header)])
        for (name, table) in zip(sheetNames, tables) {
            rows.append([.text(name, style: .coverName), .text(table.title, style: .coverValue)])
        }
        var out = Self.worksheetStart
        out += #"<dimension ref="A1:B\#(rows.count)"/>"#.utf8
        out += #"<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>"#.utf8
        out += #"<cols><col min="1" max="1" width="28" customWidth="1"/><col min="2" max="2" width="110" customWidth="1"/></cols>"#.utf8
        out += "<sheetData>".utf8
        var counts: [Int] = []
        for (index, cells) in rows.enumerated() where !cells.isEmpty {
            Self.appendRow(Self.fitting(cells, counts: &counts), number: index + 1, strings: &strings, to: &out)
        }
        Self.record(counts, sheet: Self.coverSheetName, columns: Self.columnLetters, in: &cutCells)
        out += "</sheetData>".utf8
        out += Self.pageMargins
        out += "</worksheet>".utf8
        return out
    }

    /// A table's sheet: the header in row 1 (bold, frozen, filtered), a row per table row,
    /// columns as wide as their content (8 to 60 characters).
    private func tableSheet(_ table: ResultTable, sheetName: String, strings: inout SharedStringTable,
                            cutCells: inout [CutCells]) -> [UInt8] {
        var widths = table.columns.map { $0.name.count + 3 }  // room for the filter button
        var body: [UInt8] = []
        var counts: [Int] = []
        Self.appendRow(Self.fitting(table.columns.map { .text($0.name, style: .header) }, counts: &counts), number: 1, strings: &strings, to: &body)
        for row in 0..<table.rowCount {
            var cells: [CellXML] = []
            cells.reserveCapacity(table.columns.count)
            for (index, column) in table.columns.enumerated() {
                let cell = self.cell(column, row)
                widths[index] = max(widths[index], cell.displayWidth)
                cells.append(cell)
            }
            Self.appendRow(Self.fitting(cells, counts: &counts), number: row + 2, strings: &strings, to: &body)
        }
        Self.record(counts, sheet: sheetName, columns: { table.columns[$0].name }, in: &cutCells)
        var out = Self.worksheetStart
        let range = Self.filterRange(table) ?? "A1"
        out += #"<dimension ref="\#(range)"/>"#.utf8
        out += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>"#.utf8
        if !widths.isEmpty {
            out += "<cols>".utf8
            for (index, width) in widths.enumerated() {
                out += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(min(max(width + 2, 8), 60))" customWidth="1"/>"#.utf8
            }
            out += "</cols>".utf8
        }
        out += "<sheetData>".utf8
        out += body
        out += "</sheetData>".utf8
        if let filter = Self.filterRange(table) { out += #"<autoFilter ref="\#(filter)"/>"#.utf8 }
        out += Self.pageMargins
        out += "</worksheet>".utf8
        return out
    }

    /// `A1:<last column><last row>` of a table with its header, or `nil` for one with no columns.
    static func filterRange(_ table: ResultTable) -> String? {
        guard !table.columns.isEmpty else { return nil }
        return "A1:\(columnLetters(table.columns.count - 1))\(table.rowCount + 1)"
    }

    /// A column's letters: 0 → `A`, 25 → `Z`, 26 → `AA`.
    static func columnLetters(_ index: Int) -> String {
        var index = index, letters: [UInt8] = []
        repeat {
            letters.insert(UInt8(ascii: "A") + UInt8(index % 26), at: 0)
            index = index / 26 - 1
        } while index >= 0
        return String(decoding: letters, as: UTF8.self)
    }

    // MARK: Cells

    /// The styles cells use: their index in `cellXfs` of ``styles``.
    enum Style: Int {
        case general = 0, header, money, date, count, suppressed, coverTitle, coverName, coverValue
        /// The first of ten rate styles, for 0 to 9 decimals.
        case rate0
    }

    /// One cell on its way into a sheet.
    enum CellXML {
        /// A string cell.
        case text(String, style: Style)
        /// A number, as the ASCII bytes of its `<v>`.
        case number([UInt8], styleIndex: Int, displayWidth: Int)
        /// No cell.
        case empty

        /// Roughly how many characters the cell shows, for its column's width.
        var displayWidth: Int {
            switch self {
            case .text(let text, _): return text.utf8.count > 200 ? 200 : text.count
            case .number(_, _, let width): return width
            case .empty: return 0
            }
        }
    }

    /// Cell `row` of `column`.
    private func cell(_ column: ResultColumn, _ row: Int) -> CellXML {
        switch column.state(row) {
        case .missing: return .empty
        case .suppressed: return .text(suppressedMarker, style: .suppressed)
        case .value: break
        }
        var bytes: [UInt8] = []
        switch column.values {
        case .text(let values):
            return .text(values[row], style: .general)
        case .integer(let values):
            DecimalText.append(values[row], to: &bytes)
            let style: Style = column.isLabel ? .general : .count
            return .number(bytes, styleIndex: style.rawValue, displayWidth: Self.groupedWidth(bytes))
        case .money(let values):
            DecimalText.appendPence(values[row], to: &bytes)
            return .number(bytes, styleIndex: Style.money.rawValue, displayWidth: Self.groupedWidth(bytes) + 1)
        case .date(let values):
            // Excel's day 0 is 1899-12-30 (its calendar has a 29 February 1900 that never was,
            // so serials are right from 1900-03-01, day 61); 1970-01-01 is day 25,569.
            let serial = Int64(values[row].daysSinceEpoch) + 25_569
            guard serial >= 61 else { return .text(values[row].description, style: .general) }
            DecimalText.append(serial, to: &bytes)
            return .number(bytes, styleIndex: Style.date.rawValue, displayWidth: 10)
        case .rate(let values, let decimals):
            guard values[row].isFinite else { return .empty }
            DecimalText.appendDecimal(values[row], decimals: decimals, to: &bytes)
            let places = min(max(decimals, 0), 9)
            return .number(bytes, styleIndex: Style.rate0.rawValue + places, displayWidth: Self.groupedWidth(bytes))
        }
    }

    /// How wide a plain decimal (`-1234567.50`) shows with thousands separators (`-1,234,567.50`).
    private static func groupedWidth(_ bytes: [UInt8]) -> Int {
        let integerDigits = (bytes.firstIndex(of: UInt8(ascii: ".")) ?? bytes.count) - (bytes.first == UInt8(ascii: "-") ? 1 : 0)
        return bytes.count + max(0, (integerDigits - 1) / 3)
    }

    /// Appends `<row>` number `number` holding `cells` from column A.
    private static func appendRow(_ cells: [CellXML], number: Int, strings: inout SharedStringTable, to out: inout [UInt8]) {
        out += #"<row r="\#(number)">"#.utf8
        for (index, cell) in cells.enumerated() {
            switch cell {
            case .empty:
                continue
            case .text(let text, let style):
                // A string cell: shown as text, never evaluated (no formula injection).
                out += #"<c r="\#(columnLetters(index))\#(number)""#.utf8
                if style != .general { out += #" s="\#(style.rawValue)""#.utf8 }
                out += #" t="s"><v>\#(strings.index(of: text))</v></c>"#.utf8
            case .number(let digits, let style, _):
                out += #"<c r="\#(columnLetters(index))\#(number)""#.utf8
                if style != 0 { out += #" s="\#(style)""#.utf8 }
                out += "><v>".utf8
                out += digits
                out += "</v></c>".utf8
            }
        }
        out += "</row>".utf8
    }

    // MARK: Package parts

    private static let declaration = Array(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#.utf8) + [0x0A]
    private static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    private static let worksheetStart = declaration + Array(#"<worksheet xmlns="\#(mainNamespace)" xmlns:r="\#(relationshipsNamespace)">"#.utf8)
    private static let pageMargins = Array(#"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>"#.utf8)

    private func contentTypes(sheets: Int) -> [UInt8] {
        var out = Self.declaration
        out += #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#.utf8
        out += #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#.utf8
        out += #"<Default Extension="xml" ContentType="application/xml"/>"#.utf8
        out += #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#.utf8
        for sheet in 1...sheets {
            out += #"<Override PartName="/xl/worksheets/sheet\#(sheet).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#.utf8
        }
        out += #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#.utf8
        out += #"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#.utf8
        out += #"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#.utf8
        out += #"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#.utf8
        out += "</Types>".utf8
        return out
    }

    private static let packageRelationships = declaration + Array(#"""
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\#
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\#
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\#
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>\#
        </Relationships>
        """#.utf8)

    private static let appProperties = declaration + Array(#"""
        <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" \#
        xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>cof</Application></Properties>
        """#.utf8)

    /// The document's title and creator; no dates, so that the bytes do not change by the day.
    private func coreProperties(title: String) -> [UInt8] {
        var out = Self.declaration
        out += #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>"#.utf8
        XMLText.append(title, to: &out)
        out += "</dc:title><dc:creator>cof</dc:creator></cp:coreProperties>".utf8
        return out
    }

    /// The sheets in order, and each filtered sheet's hidden `_FilterDatabase` name (what Excel
    /// itself writes beside an autofilter).
    private func workbook(sheetNames: [String], filterRanges: [String?]) -> [UInt8] {
        var out = Self.declaration
        out += #"<workbook xmlns="\#(Self.mainNamespace)" xmlns:r="\#(Self.relationshipsNamespace)">"#.utf8
        out += #"<bookViews><workbookView activeTab="0"/></bookViews><sheets>"#.utf8
        for (index, name) in sheetNames.enumerated() {
            out += #"<sheet name=""#.utf8
            XMLText.append(name, to: &out)
            out += #"" sheetId="\#(index + 1)" r:id="rId\#(index + 1)"/>"#.utf8
        }
        out += "</sheets>".utf8
        let filtered = filterRanges.enumerated().compactMap { index, range in range.map { (index, $0) } }
        if !filtered.isEmpty {
            out += "<definedNames>".utf8
            for (index, range) in filtered {
                let absolute = range.split(separator: ":").map { reference in
                    let letters = reference.prefix { $0.isLetter }
                    return "$\(letters)$\(reference.dropFirst(letters.count))"
                }.joined(separator: ":")
                out += #"<definedName name="_xlnm._FilterDatabase" localSheetId="\#(index)" hidden="1">"#.utf8
                XMLText.append("'\(sheetNames[index].replacingAll("'", with: "''"))'!\(absolute)", to: &out)
                out += "</definedName>".utf8
            }
            out += "</definedNames>".utf8
        }
        out += "</workbook>".utf8
        return out
    }

    private func workbookRelationships(sheets: Int) -> [UInt8] {
        var out = Self.declaration
        out += #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#.utf8
        for sheet in 1...sheets {
            out += #"<Relationship Id="rId\#(sheet)" Type="\#(Self.relationshipsNamespace)/worksheet" Target="worksheets/sheet\#(sheet).xml"/>"#.utf8
        }
        out += #"<Relationship Id="rId\#(sheets + 1)" Type="\#(Self.relationshipsNamespace)/styles" Target="styles.xml"/>"#.utf8
        out += #"<Relationship Id="rId\#(sheets + 2)" Type="\#(Self.relationshipsNamespace)/sharedStrings" Target="sharedStrings.xml"/>"#.utf8
        out += "</Relationships>".utf8
        return out
    }

    /// The money format, as Excel shows it in Format Cells.
    public static let moneyFormat = ##""£"#,##0.00"##
    /// The date format.
    public static let dateFormat = "yyyy-mm-dd"

    /// Number formats (custom ones are numbered from 164), fonts and the cell styles of
    /// ``Style``, in its order.
    private static let styles: [UInt8] = {
        let rateFormats = (0...9).map { decimals in decimals == 0 ? "#,##0" : "#,##0." + String(repeating: "0", count: decimals) }
        var out = declaration
        out += #"<styleSheet xmlns="\#(mainNamespace)">"#.utf8
        out += #"<numFmts count="\#(2 + rateFormats.count)">"#.utf8
        for (id, code) in zip(164..., [moneyFormat, dateFormat] + rateFormats) {
            out += #"<numFmt numFmtId="\#(id)" formatCode=""#.utf8
            XMLText.append(code, to: &out)
            out += #""/>"#.utf8
        }
        out += "</numFmts>".utf8
        out += #"<fonts count="3">"#.utf8
        out += #"<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#.utf8
        out += #"<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#.utf8
        out += #"<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>"#.utf8
        out += "</fonts>".utf8
        out += #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#.utf8
        out += #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#.utf8
        out += #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#.utf8
        let xfs = [
            #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,  // general
            #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#,  // header
            #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,  // money
            #"<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,  // date
            #"<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,  // count
            #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment horizontal="right"/></xf>"#,  // suppressed
            #"<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#,  // cover title
            #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top"/></xf>"#,  // cover name
            #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>"#,  // cover value
        ] + (0...9).map { #"<xf numFmtId="\#(166 + $0)" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"# }  // rates
        out += #"<cellXfs count="\#(xfs.count)">"#.utf8
        for xf in xfs { out += xf.utf8 }
        out += "</cellXfs>".utf8
        out += #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#.utf8
        out += "</styleSheet>".utf8
        return out
    }()

    // MARK: The zip container

    /// Every entry's date: 1980-01-01 00:00 UTC, the first the zip format can hold.
    private static let entryDate = Date(timeIntervalSince1970: 315_532_800)

    /// `parts` deflated into a zip archive in memory, in order.
    private static func zipArchive(_ parts: [(path: String, bytes: [UInt8])]) throws(Failure) -> [UInt8] {
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for part in parts {
                let data = Data(part.bytes)
                try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(data.count),
                                     modificationDate: entryDate, compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            guard let data = archive.data else { throw Failure(description: "the workbook's zip archive has no bytes") }
            return [UInt8](data)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "cannot write the workbook's zip archive: \(error)")
        }
    }
}
