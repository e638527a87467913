import CostOfFailure

/// Renders a ``ResultTable`` for a person reading a terminal: aligned columns, numbers on the
/// right, money as `£1,234.50`, counts with thousands separators. With ``colour`` (for a
/// terminal that is not told `NO_COLOR`; the caller decides), the header is bold and missing
/// and suppressed cells are dim; the text is otherwise the same. Text from the data is shown
/// through ``VisibleText/terminal(_:)``: a control character, an escape sequence or a
/// bidirectional override in a name shows as `\x1B` or `\u{202E}` and never acts on the terminal.
///
/// With a ``width`` (the screen's, in columns; the caller asks the terminal) no line is wider
/// than it. A table that fits is printed as it is without one. One that does not: a one-row
/// table becomes label/value lines (see ``renderRecord(_:row:)``); a wider table is cut into
/// panels, one under another, each with the row's label columns (the leading text columns,
/// else the first column) again and as many of the other columns as fit, in order. A cell or
/// header still too wide for its column (a long service name) wraps inside its column at
/// spaces, underscores, hyphens or slashes, so the whole name stays in its place. Widths are
/// display columns (``DisplayWidth``), not bytes: `£` and `é` take one, `漢` two. A suppressed
/// cell's marker is never cut while the screen is wider than it. The output is a function of
/// the table and these settings alone.
public struct TerminalTableRenderer: Sendable {
    /// What a suppressed cell shows.
    public var suppressedMarker: String
    /// Whether to use ANSI bold and dim.
    public var colour: Bool
    /// The screen's width in columns, which no line may pass; `nil`: no limit (every row on
    /// one line, as wide as the table needs: for a file or a pipe). A width under
    /// ``narrowestWidth`` is taken as that.
    public var width: Int?

    /// The narrowest screen laid out for: below it, label columns and figures would be cut to
    /// a few characters each.
    public static let narrowestWidth = 20

    /// Creates a renderer.
    public init(suppressedMarker: String = "[c]", colour: Bool = false, width: Int? = nil) {
        self.suppressedMarker = suppressedMarker
        self.colour = colour
        self.width = width
    }

    static let bold = "\u{1B}[1m", dim = "\u{1B}[2m", reset = "\u{1B}[0m"

    /// The width lines must fit in, `nil` for none.
    var limit: Int? { width.map { max($0, Self.narrowestWidth) } }

    /// The table as lines of aligned text (no title), ending with a newline; fitted to
    /// ``width`` when there is one (see the type's description).
    public func render(_ table: ResultTable) -> String {
        let cells = Cells(table, renderer: self)
        let natural = cells.naturalWidths
        let all = Array(table.columns.indices)
        guard let limit, Cells.lineWidth(natural) > limit else {
            return panel(cells, columns: all, widths: natural)
        }
        if table.rowCount == 1 { return record(cells, row: 0, indent: "", width: limit) }
        return TerminalTableLayout(cells, width: limit).panels
            .map { panel(cells, columns: $0.columns, widths: $0.widths) }
            .joined(separator: "\n")
    }

    /// The table's title as a heading above it: wrapped at its spaces to ``width`` when there
    /// is one, then a blank line.
    public func title(_ table: ResultTable) -> String {
        (limit.map { DisplayWidth.wrapped(table.title, fitting: $0) } ?? table.title) + "\n\n"
    }

    /// Row `row` of the table as one `name  value` line per column, indented by two spaces (for
    /// a wide one-row table, such as a cohort's headline or an appraisal): names with
    /// underscores as spaces, numbers right-aligned under each other, text after the names. With
    /// a ``width`` a long name or value wraps within its own column.
    public func renderRecord(_ table: ResultTable, row: Int = 0) -> String {
        record(Cells(table, renderer: self), row: row, indent: "  ", width: limit)
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
