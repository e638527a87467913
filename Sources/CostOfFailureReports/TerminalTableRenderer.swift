import CostOfFailure

/// Renders a ``ResultTable`` for a person reading a terminal: aligned columns, numbers on the
/// right, money as `£1,234.50`, counts with thousands separators. With ``colour`` (for a
/// terminal that is not told `NO_COLOR`; the caller decides), the header is bold and missing
/// and suppressed cells are dim; the text is otherwise the same. Text from the data is shown
/// through ``VisibleText/terminal(_:)``: a control character, an escape sequence or a
/// bidirectional override in a name shows as `\x1B` or `\u{202E}` and never acts on the terminal.
public struct TerminalTableRenderer: Sendable {
    /// What a suppressed cell shows.
    public var suppressedMarker: String
    /// Whether to use ANSI bold and dim.
    public var colour: Bool

    /// Creates a renderer.
    public init(suppressedMarker: String = "[c]", colour: Bool = false) {
        self.suppressedMarker = suppressedMarker
        self.colour = colour
    }

    private static let bold = "\u{1B}[1m", dim = "\u{1B}[2m", reset = "\u{1B}[0m"

    /// The table as lines of aligned text (no title), ending with a newline.
    public func render(_ table: ResultTable) -> String {
        let header = table.columns.map { VisibleText.terminal($0.name) }
        var cells: [[String]] = [header]
        for row in 0..<table.rowCount {
            cells.append(table.columns.map { cell($0, row) })
        }
        let rightAligned = table.columns.map { column -> Bool in
            if case .text = column.values { return false }
            return true
        }
        var widths = header.map(\.count)
        for line in cells {
            for (i, text) in line.enumerated() { widths[i] = max(widths[i], text.count) }
        }
        var out = ""
        for (lineIndex, line) in cells.enumerated() {
            var text = ""
            for (i, value) in line.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - value.count)
                if i > 0 { text += "  " }
                // Escapes go around the value, after the widths are taken from the plain text.
                var shown = value
                if colour {
                    if lineIndex == 0 {
                        shown = Self.bold + value + Self.reset
                    } else if table.columns[i].state(lineIndex - 1) != .value {
                        shown = Self.dim + value + Self.reset
                    }
                }
                text += rightAligned[i] ? pad + shown : shown + pad
            }
            while text.hasSuffix(" ") { text.removeLast() }
            out += text + "\n"
            if lineIndex == 0 {
                out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
            }
        }
        return out
    }

    /// Row `row` of the table as one `name  value` line per column (for a wide one-row table,
    /// such as a cohort's headline or an appraisal), names with underscores as spaces.
    public func renderRecord(_ table: ResultTable, row: Int = 0) -> String {
        let names = table.columns.map { VisibleText.terminal(String($0.name.map { $0 == "_" ? " " : $0 })) }
        let width = names.map(\.count).max() ?? 0
        return zip(names, table.columns).map { name, column in
            "  " + name + String(repeating: " ", count: width - name.count) + "  " + cell(column, row) + "\n"
        }.joined()
    }

    /// Cell `row` of `column` as text: `£1,234.50`, `1,234`, `–` for missing, the marker for
    /// suppressed; text through ``VisibleText/terminal(_:)``.
    public func cell(_ column: ResultColumn, _ row: Int) -> String {
        switch column.state(row) {
        case .missing: return "–"
        case .suppressed: return suppressedMarker
        case .value: break
        }
        switch column.values {
        case .text(let values):
            // One cell, one line, nothing that acts on the screen: a quoted line break in a name
            // shows as `\x0A`, an escape sequence as `\x1B[2J`.
            return VisibleText.terminal(values[row])
        case .integer(let values): return MoneyFormat.count(values[row])
        case .money(let values): return MoneyFormat.pounds(values[row])
        case .date(let values): return values[row].description
        case .rate(let values, let decimals):
            return values[row].isFinite ? MoneyFormat.decimal(values[row], decimals: decimals) : "–"
        }
    }
}
