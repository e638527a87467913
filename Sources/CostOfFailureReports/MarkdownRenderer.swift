import CostOfFailure

/// Renders a ``ResultTable`` as a Markdown (GitHub-flavoured) table under its title, for notes
/// and documents: money as `£1,234.50`, counts with thousands separators, numbers
/// right-aligned, `–` for a missing cell and the marker for a suppressed one. A `|` or line
/// break inside a text cell is escaped, so that every row stays one row.
public struct MarkdownRenderer: Sendable {
    /// What a suppressed cell shows.
    public var suppressedMarker: String

    /// Creates a renderer.
    public init(suppressedMarker: String = "[c]") {
        self.suppressedMarker = suppressedMarker
    }

    /// The table as Markdown.
    public func render(_ table: ResultTable) -> String {
        let terminal = TerminalTableRenderer(suppressedMarker: suppressedMarker)
        var out = table.title.isEmpty ? "" : "**\(Self.escape(table.title))**\n\n"
        out += "| " + table.columns.map { Self.escape($0.name) }.joined(separator: " | ") + " |\n"
        out += "|" + table.columns.map { column -> String in
            if case .text = column.values { return " --- |" }
            return " ---: |"
        }.joined() + "\n"
        for row in 0..<table.rowCount {
            out += "| " + table.columns.map { Self.escape(terminal.cell($0, row)) }.joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// `text` safe inside a table cell: `|` escaped, line breaks as spaces, `\` doubled, then
    /// the other characters of ``VisibleText`` as its escapes (a cell comes here already
    /// escaped by the terminal renderer; a title or column name does not).
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "|": out += "\\|"
            case "\\": out += "\\\\"
            case "\n", "\r", "\r\n": out += " "
            default: out.append(character)
            }
        }
        return VisibleText.terminal(out)
    }
}
