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
        String(decoding: renderBytes(table), as: UTF8.self)
    }

    /// The table as UTF-8 CSV bytes.
    ///
    /// Written column by column into byte buffers (one tight loop per column type, no `String`
    /// per cell), then interleaved row by row: on a 750k-row comparison this is several times
    /// faster than building text cell by cell.
    public func renderBytes(_ table: ResultTable) -> [UInt8] {
        let comma = UInt8(ascii: ",")
        let newline = Array(lineEnding.utf8)
        let columns = table.columns.map { column -> (bytes: [UInt8], ends: [Int]) in
            var bytes: [UInt8] = []
            var ends: [Int] = []
            bytes.reserveCapacity(column.count * 8)
            ends.reserveCapacity(column.count)
            for row in 0..<column.count {
                switch column.state(row) {
                case .missing: break
                case .suppressed: bytes += suppressedMarker.utf8
                case .value: appendValue(column, row, to: &bytes)
                }
                ends.append(bytes.count)
            }
            return (bytes, ends)
        }
        var out = Array(table.columns.map { quoted($0.name) }.joined(separator: ",").utf8) + newline
        out.reserveCapacity(out.count + columns.reduce(0) { $0 + $1.bytes.count } + table.rowCount * (table.columns.count + newline.count))
        for row in 0..<table.rowCount {
            for (index, column) in columns.enumerated() {
                if index > 0 { out.append(comma) }
                let start = row == 0 ? 0 : column.ends[row - 1]
                out.append(contentsOf: column.bytes[start..<column.ends[row]])
            }
            out += newline
        }
        return out
    }

    private func appendValue(_ column: ResultColumn, _ row: Int, to bytes: inout [UInt8]) {
        switch column.values {
        case .text(let values): bytes += quoted(values[row]).utf8
        case .integer(let values): DecimalText.append(values[row], to: &bytes)
        case .money(let values): DecimalText.appendPence(values[row], to: &bytes)
        case .date(let values): bytes += values[row].description.utf8
        case .rate(let values, let decimals):
            if values[row].isFinite { bytes += MoneyFormat.decimal(values[row], decimals: decimals).utf8 }
        }
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
