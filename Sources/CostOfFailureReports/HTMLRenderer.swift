import CostOfFailure

/// Renders a ``ResultTable`` as an HTML table for a report: the title as its caption, column
/// names with spaces for underscores, numbers right-aligned in the terminal's formats (money as
/// `£1,234.50`, counts with separators), `–` for a missing cell and the marker for a suppressed
/// one, each with a class the stylesheet can show. Every piece of text is escaped, so a name
/// holding `<`, `&` or quotes stays text.
public struct HTMLRenderer: Sendable {
    /// What a suppressed cell shows.
    public var suppressedMarker: String

    /// Creates a renderer.
    public init(suppressedMarker: String = "[c]") {
        self.suppressedMarker = suppressedMarker
    }

    /// The table as a `<table>` element, with its title as the caption.
    public func render(_ table: ResultTable) -> String {
        var out = "<table>\n"
        if !table.title.isEmpty { out += "<caption>\(Self.escape(table.title))</caption>\n" }
        out += "<thead><tr>"
        for column in table.columns {
            out += "<th scope=\"col\"\(Self.isNumeric(column) ? " class=\"num\"" : "")>\(Self.escape(Self.heading(column.name)))</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for row in 0..<table.rowCount {
            out += "<tr>" + table.columns.map { cell($0, row) }.joined() + "</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    /// Row `row` of a wide table (a headline, an appraisal) as a two-column table of names and
    /// values, with the title as the caption.
    public func renderRecord(_ table: ResultTable, row: Int = 0) -> String {
        var out = "<table class=\"record\">\n"
        if !table.title.isEmpty { out += "<caption>\(Self.escape(table.title))</caption>\n" }
        out += "<tbody>\n"
        for column in table.columns {
            out += "<tr><th scope=\"row\">\(Self.escape(Self.heading(column.name)))</th>\(cell(column, row))</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    /// One `<td>`: its text formatted and escaped, its classes saying how to show it.
    func cell(_ column: ResultColumn, _ row: Int) -> String {
        var classes: [String] = []
        if Self.isNumeric(column) { classes.append("num") }
        var title = ""
        switch column.state(row) {
        case .value: break
        case .missing: classes.append("missing")
        case .suppressed:
            classes.append("suppressed")
            title = " title=\"suppressed: a small number, or a figure resting on few people\""
        }
        let text = TerminalTableRenderer(suppressedMarker: suppressedMarker).cell(column, row)
        let attribute = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
        return "<td\(attribute)\(title)>\(Self.escape(text))</td>"
    }

    /// `text` safe as HTML text or inside a quoted attribute: `&`, `<`, `>`, `"` and `'` as
    /// character references, and the characters of ``VisibleText`` other than tab and line
    /// breaks (controls, which XML 1.0 forbids in the inline SVG; bidirectional overrides) as
    /// its visible escapes (`\x1B`, `\u{202E}`). The one function every HTML and SVG text
    /// goes through.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case _ where VisibleText.isUnsafeInMarkup(scalar): VisibleText.appendEscape(of: scalar, to: &out)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A column name as a heading: `before_cost` → `before cost`.
    static func heading(_ name: String) -> String {
        String(name.map { $0 == "_" ? " " : $0 })
    }

    static func isNumeric(_ column: ResultColumn) -> Bool {
        switch column.values {
        case .text, .date: return false
        case .integer, .money, .rate: return true
        }
    }
}
