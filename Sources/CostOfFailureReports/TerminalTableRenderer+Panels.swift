import CostOfFailure

extension TerminalTableRenderer {
    /// A table's cells as the terminal shows them, before any layout: the header names, every
    /// cell's text and each column's alignment.
    struct Cells {
        let table: ResultTable
        /// The column names as shown.
        let header: [String]
        /// `body[column][row]`: each cell's text.
        let body: [[String]]
        /// Whether each column is a number (right-aligned) rather than text.
        let rightAligned: [Bool]

        init(_ table: ResultTable, renderer: TerminalTableRenderer) {
            self.table = table
            header = table.columns.map { VisibleText.terminal($0.name) }
            body = table.columns.map { column in (0..<table.rowCount).map { renderer.cell(column, $0) } }
            rightAligned = table.columns.map { column -> Bool in
                if case .text = column.values { return false }
                return true
            }
        }

        /// Each column's width with nothing wrapped: its widest cell or header.
        var naturalWidths: [Int] {
            zip(header, body).map { name, cells in cells.reduce(DisplayWidth.of(name)) { max($0, DisplayWidth.of($1)) } }
        }

        /// The width of a line of columns `widths` wide, two spaces apart.
        static func lineWidth(_ widths: [Int]) -> Int {
            widths.reduce(0, +) + 2 * max(0, widths.count - 1)
        }

        /// Whether the cell is a figure as it stands (not missing, not withheld).
        func isValue(_ column: Int, _ row: Int) -> Bool {
            table.columns[column].state(row) == .value
        }
    }

    /// `columns` of the table at `widths` (one each): the header (wrapped, its lines sitting on
    /// the rule), the rule, then each row (a wrapped cell's lines from the top). Lines carry no
    /// trailing spaces.
    func panel(_ cells: Cells, columns: [Int], widths: [Int]) -> String {
        var out = ""
        let headers = zip(columns, widths).map { DisplayWidth.lines(cells.header[$0], fitting: $1) }
        let headerHeight = headers.map(\.count).max() ?? 1
        for line in 0..<headerHeight {
            out += joined(columns.indices.map { k in
                let offset = headerHeight - headers[k].count
                return line >= offset ? (headers[k][line - offset], Self.bold) : nil
            }, columns: columns, widths: widths, cells: cells)
        }
        out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        for row in 0..<cells.table.rowCount {
            let wrapped = zip(columns, widths).map { DisplayWidth.lines(cells.body[$0][row], fitting: $1) }
            let height = wrapped.map(\.count).max() ?? 1
            for line in 0..<height {
                out += joined(columns.indices.map { k in
                    line < wrapped[k].count ? (wrapped[k][line], cells.isValue(columns[k], row) ? nil : Self.dim) : nil
                }, columns: columns, widths: widths, cells: cells)
            }
        }
        return out
    }

    /// One line of the panel: each piece (text and the escape it is shown in, `nil` for a
    /// blank) padded to its column, two spaces apart, trailing spaces dropped.
    private func joined(_ pieces: [(text: String, escape: String?)?], columns: [Int], widths: [Int], cells: Cells) -> String {
        var text = ""
        for (k, piece) in pieces.enumerated() {
            if k > 0 { text += "  " }
            let value = piece?.text ?? ""
            let pad = String(repeating: " ", count: max(0, widths[k] - DisplayWidth.of(value)))
            // Escapes go around the value, after the widths are taken from the plain text.
            var shown = value
            if colour, let piece, let escape = piece.escape { shown = escape + value + Self.reset }
            text += cells.rightAligned[columns[k]] ? pad + shown : shown + pad
        }
        while text.hasSuffix(" ") { text.removeLast() }
        return text + "\n"
    }

    /// Row `row` as label/value lines after `indent`: names with underscores as spaces on the
    /// left, figures right-aligned under each other and text left-aligned after them, each
    /// wrapped within its side when `width` is too narrow for the longest.
    func record(_ cells: Cells, row: Int, indent: String, width: Int?) -> String {
        let labels = cells.table.columns.map { VisibleText.terminal(String($0.name.map { $0 == "_" ? " " : $0 })) }
        let values = cells.body.map { $0[row] }
        let labelNatural = labels.map(DisplayWidth.of).max() ?? 0
        let valueNatural = values.map(DisplayWidth.of).max() ?? 0
        var labelWidth = labelNatural, valueWidth = valueNatural
        if let width {
            // The values keep their width unless the labels would then get less than half, and
            // a figure is broken only when the labels would get less than four columns.
            let room = max(5, width - DisplayWidth.of(indent) - 2)
            let figureNatural = zip(values, cells.rightAligned).filter(\.1).map { DisplayWidth.of($0.0) }.max() ?? 0
            valueWidth = max(1, min(valueNatural, room - min(labelNatural, room / 2)), min(figureNatural, room - 4))
            labelWidth = max(1, min(labelNatural, room - valueWidth))
        }
        let figureWidth = min(valueWidth, zip(values, cells.rightAligned).filter(\.1).map { DisplayWidth.of($0.0) }.max() ?? 0)
        var out = ""
        for column in labels.indices {
            let right = cells.rightAligned[column]
            let labelLines = DisplayWidth.lines(labels[column], fitting: labelWidth)
            let valueLines = DisplayWidth.lines(values[column], fitting: right ? figureWidth : valueWidth)
            let escape = colour && !cells.isValue(column, row) ? Self.dim : nil
            for line in 0..<max(labelLines.count, valueLines.count) {
                let label = line < labelLines.count ? labelLines[line] : ""
                var text = indent + label + String(repeating: " ", count: max(0, labelWidth - DisplayWidth.of(label))) + "  "
                if line < valueLines.count {
                    let value = valueLines[line]
                    let shown = escape.map { $0 + value + Self.reset } ?? value
                    text += right ? String(repeating: " ", count: max(0, figureWidth - DisplayWidth.of(value))) + shown : shown
                }
                while text.hasSuffix(" ") { text.removeLast() }
                out += text + "\n"
            }
        }
        return out
    }
}
