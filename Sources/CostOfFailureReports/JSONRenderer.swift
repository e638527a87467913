import CostOfFailure

/// Renders a ``ResultTable`` as a JSON array of objects, one per row, keys in column order.
///
/// Money is a JSON number with exactly two decimals (`1234.50`), written from pence so no
/// binary rounding creeps in; missing cells are `null`; suppressed cells are the marker string.
public struct JSONRenderer: Sendable {
    /// What a suppressed cell shows.
    public var suppressedMarker: String

    /// Creates a renderer.
    public init(suppressedMarker: String = "[c]") {
        self.suppressedMarker = suppressedMarker
    }

    /// The table as JSON text, ending with a newline.
    public func render(_ table: ResultTable) -> String {
        rows(table, indent: "") + "\n"
    }

    /// Several tables as one JSON array of table objects, in order, ending with a newline:
    /// `{"name": …, "title": …, "rows": [...]}`, the rows as ``render(_:)`` writes them.
    public func render(pack tables: [ResultTable]) -> String {
        var out = "["
        for (index, table) in tables.enumerated() {
            out += index == 0 ? "\n  {" : ",\n  {"
            out += "\"name\": " + JSONRenderer.string(table.name) + ", \"title\": " + JSONRenderer.string(table.title)
            out += ", \"rows\": " + rows(table, indent: "  ") + "}"
        }
        return out + (tables.isEmpty ? "]\n" : "\n]\n")
    }

    /// The rows as an array of objects, one per line, each line after the first starting with `indent`.
    private func rows(_ table: ResultTable, indent: String) -> String {
        let keys = table.columns.map { JSONRenderer.string($0.name) }
        var out = "["
        for row in 0..<table.rowCount {
            out += row == 0 ? "\n\(indent)  {" : ",\n\(indent)  {"
            for (index, column) in table.columns.enumerated() {
                if index > 0 { out += ", " }
                out += keys[index] + ": " + value(column, row)
            }
            out += "}"
        }
        return out + (table.rowCount == 0 ? "]" : "\n\(indent)]")
    }

    func value(_ column: ResultColumn, _ row: Int) -> String {
        switch column.state(row) {
        case .missing: return "null"
        case .suppressed: return JSONRenderer.string(suppressedMarker)
        case .value: break
        }
        switch column.values {
        case .text(let values): return JSONRenderer.string(values[row])
        case .integer(let values): return String(values[row])
        case .money(let values): return MoneyFormat.plain(values[row])
        case .date(let values): return JSONRenderer.string(values[row].description)
        case .rate(let values, let decimals):
            return values[row].isFinite ? MoneyFormat.decimal(values[row], decimals: decimals) : "null"
        }
    }

    /// `text` as a JSON string literal (RFC 8259): quote, backslash and every control
    /// character escaped, and the other characters of ``VisibleText`` (DEL, C1 controls,
    /// bidirectional overrides, U+2028 and U+2029, which end a line in JavaScript) written as
    /// `\uXXXX` too, so the value stays exact and the bytes stay inert.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where VisibleText.isUnsafe(scalar):
                let hex = String(scalar.value, radix: 16)  // every unsafe scalar is in the BMP
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
