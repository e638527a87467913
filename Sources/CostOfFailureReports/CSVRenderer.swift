import CostOfFailure

/// Renders a ``ResultTable`` as RFC 4180 CSV: a header row, then one line per row.
///
/// Money is plain decimal pounds with two places (`1234.50`), counts are integers, dates are
/// `YYYY-MM-DD`, missing cells are empty and suppressed cells show the marker. Text that holds
/// the delimiter, a quote or a line break is quoted.
public struct CSVRenderer: Sendable {
    /// Line terminator (`\n`; `\r\n` for spreadsheets).
    public var lineEnding: String
    /// What a suppressed cell shows.
    public var suppressedMarker: String

    /// Creates a renderer.
    public init(lineEnding: String = "\n", suppressedMarker: String = "[c]") {
        self.lineEnding = lineEnding
        self.suppressedMarker = suppressedMarker
    }

    /// The table as CSV text.
    public func render(_ table: ResultTable) -> String {
        var out = table.columns.map { quoted($0.name) }.joined(separator: ",") + lineEnding
        out.reserveCapacity(table.rowCount * 16 * max(1, table.columns.count))
        for row in 0..<table.rowCount {
            for (index, column) in table.columns.enumerated() {
                if index > 0 { out += "," }
                out += cell(column, row)
            }
            out += lineEnding
        }
        return out
    }

    func cell(_ column: ResultColumn, _ row: Int) -> String {
        switch column.state(row) {
        case .missing: return ""
        case .suppressed: return suppressedMarker
        case .value: break
        }
        switch column.values {
        case .text(let values): return quoted(values[row])
        case .integer(let values): return String(values[row])
        case .money(let values): return MoneyFormat.plain(values[row])
        case .date(let values): return values[row].description
        case .rate(let values, let decimals):
            return values[row].isFinite ? MoneyFormat.decimal(values[row], decimals: decimals) : ""
        }
    }

    func quoted(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else {
            return text
        }
        return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    /// The string with every `target` replaced by `replacement` (no Foundation needed).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self {
            if c == target { out += replacement } else { out.append(c) }
        }
        return out
    }
}
