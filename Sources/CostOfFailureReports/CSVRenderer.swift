import CostOfFailure

/// Renders a ``ResultTable`` as RFC 4180 CSV: a header row, then one line per row.
///
/// Money is plain decimal pounds with two places (`1234.50`), counts are integers, dates are
/// `YYYY-MM-DD`, missing cells are empty and suppressed cells show the marker. Text that holds
/// the delimiter, a quote or a line break is quoted.
///
/// ``spreadsheet`` is the flavour for Excel: a UTF-8 byte-order mark (so `£` and accents open
/// right), CRLF line ends, and text cells that a spreadsheet would run as a formula — starting
/// with `=`, `+`, `-`, `@`, a tab or a carriage return — prefixed with `'` (OWASP's advice
/// against CSV injection). Numbers stay unformatted numbers.
public struct CSVRenderer: Sendable {
    /// Line terminator (`\n`; `\r\n` for spreadsheets).
    public var lineEnding: String
    /// What a suppressed cell shows.
    public var suppressedMarker: String
    /// Whether the bytes start with a UTF-8 byte-order mark.
    public var byteOrderMark = false
    /// Whether text cells that would start a formula are prefixed with `'`.
    public var neutralisesFormulas = false

    /// Creates a renderer.
    public init(lineEnding: String = "\n", suppressedMarker: String = "[c]") {
        self.lineEnding = lineEnding
        self.suppressedMarker = suppressedMarker
    }

    /// CSV for spreadsheets: byte-order mark, CRLF, formulas neutralised.
    public static var spreadsheet: CSVRenderer {
        var renderer = CSVRenderer(lineEnding: "\r\n")
        renderer.byteOrderMark = true
        renderer.neutralisesFormulas = true
        return renderer
    }

    /// The table as CSV text.
    public func render(_ table: ResultTable) -> String {
        String(decoding: renderBytes(table), as: UTF8.self)
    }

    /// The table as UTF-8 CSV bytes.
    ///
    /// Written column by column (each column's values and states bound once, each cell by a
    /// byte-level writer for its type, no `String` per cell) into a scratch buffer of cells,
    /// then interleaved row by row into the output, all through pointers into room reserved up
    /// front from each cell's longest possible text: no capacity or uniqueness check per byte
    /// or per cell, and short cells copied sixteen bytes at a time rather than by a call.
    ///
    /// Without the `header`, the rows alone: the pieces of a table rendered block by block
    /// join into one CSV.
    public func renderBytes(_ table: ResultTable, header: Bool = true) -> [UInt8] {
        let newline = Array(lineEnding.utf8)
        var head: [UInt8] = header && byteOrderMark ? [0xEF, 0xBB, 0xBF] : []
        if header {
            for (index, column) in table.columns.enumerated() {
                if index > 0 { head.append(UInt8(ascii: ",")) }
                appendText(column.name, to: &head)
            }
            head += newline
        }
        let rows = table.rowCount, width = table.columns.count
        guard rows > 0, width > 0 else { return head }
        let marker = Array(suppressedMarker.utf8)
        // Blocks of rows, so that the scratch buffer of cells stays small and in cache.
        let block = 1 << 14
        let blocks = stride(from: 0, to: rows, by: block).map { $0..<min(rows, $0 + block) }
        let cellBounds = blocks.map { range in table.columns.reduce(0) { $0 + cellBound($1, rows: range, marker: marker.count) } }
        let slack = 16  // the sixteen-byte copies may read and write this far past a cell's end
        let capacity = head.count + cellBounds.reduce(0, +) + rows * (width - 1 + newline.count) + slack
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: (cellBounds.max() ?? 0) + slack)
        let ends = UnsafeMutablePointer<Int>.allocate(capacity: width * min(rows, block))
        defer {
            scratch.deallocate()
            ends.deallocate()
        }
        return [UInt8](unsafeOwnUninitializedCapacity: capacity) { out, initialized in
            // Sound: `capacity` covers the header, every cell at its longest, the separators and
            // the slack, so every write below stays inside `out`.
            let base = out.baseAddress!
            base.update(from: head, count: head.count)
            var at = head.count
            for range in blocks {
                let count = range.count
                var used = 0
                for (index, column) in table.columns.enumerated() {
                    used = writeCells(column, rows: range, to: scratch, from: used, ends: ends + index * count, marker: marker)
                }
                // The copies below read up to fifteen bytes past the last cell: make them bytes.
                (scratch + used).initialize(repeating: 0, count: slack)
                for row in 0..<count {
                    for column in 0..<width {
                        if column > 0 {
                            base[at] = UInt8(ascii: ",")
                            at += 1
                        }
                        let cell = column * count + row
                        let first = cell == 0 ? 0 : ends[cell - 1]
                        Self.copyShort(from: scratch + first, count: ends[cell] - first, to: base + at)
                        at += ends[cell] - first
                    }
                    for byte in newline {
                        base[at] = byte
                        at += 1
                    }
                }
            }
            initialized = at
        }
    }

    /// The most bytes the cells of `column` in `rows` can take.
    private func cellBound(_ column: ResultColumn, rows: Range<Int>, marker: Int) -> Int {
        switch column.values {
        case .text(let values):
            // Quoted, every byte a doubled quote, and a formula's prefix.
            return rows.reduce(0) { $0 + max(values[$1].utf8.count * 2 + 3, marker) }
        case .date:
            return rows.count * max(24, marker)
        case .integer, .money:
            return rows.count * max(DecimalText.integerWidth, marker)
        case .rate:
            return rows.count * max(DecimalText.maximumWidth, marker)
        }
    }

    /// Writes the cells of `column` in `rows` into `cells` from offset `start`, noting where
    /// each ends in `ends`; returns where the last ends.
    private func writeCells(_ column: ResultColumn, rows: Range<Int>, to cells: UnsafeMutablePointer<UInt8>, from start: Int,
                            ends: UnsafeMutablePointer<Int>, marker: [UInt8]) -> Int {
        var at = start
        let states = column.states
        func each(_ write: (Int, UnsafeMutablePointer<UInt8>) -> Int) {
            for (index, row) in rows.enumerated() {
                switch states?[row] ?? .value {
                case .missing: break
                case .suppressed:
                    (cells + at).update(from: marker, count: marker.count)
                    at += marker.count
                case .value: at += write(row, cells + at)
                }
                ends[index] = at
            }
        }
        switch column.values {
        case .text(let values): each { writeText(values[$0], to: $1) }
        case .integer(let values): each { DecimalText.write(values[$0], to: $1) }
        case .money(let values): each { DecimalText.writePence(values[$0], to: $1) }
        case .date(let values):
            each { row, out in
                var text = values[row].description
                return text.withUTF8 { utf8 in
                    out.update(from: utf8.baseAddress!, count: utf8.count)
                    return utf8.count
                }
            }
        case .rate(let values, let decimals):
            each { row, out in values[row].isFinite ? DecimalText.writeDecimal(values[row], decimals: decimals, to: out) : 0 }
        }
        return at
    }

    /// Copies `count` bytes sixteen at a time: may read and write up to fifteen bytes past the
    /// end, which the callers leave room for (and overwrite later).
    @inline(__always)
    private static func copyShort(from source: UnsafePointer<UInt8>, count: Int, to target: UnsafeMutablePointer<UInt8>) {
        var i = 0
        while i < count {
            UnsafeMutableRawPointer(target + i).storeBytes(of: UnsafeRawPointer(source + i).loadUnaligned(as: SIMD16<UInt8>.self),
                                                           as: SIMD16<UInt8>.self)
            i += 16
        }
    }

    /// Writes `text` at `out` as ``appendText(_:to:)`` would append it; returns the bytes written
    /// (at most twice its UTF-8 length plus three).
    func writeText(_ text: String, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var text = text
        return text.withUTF8 { writeText(UnsafeRawBufferPointer($0), to: out) }
    }

    /// Writes the text whose UTF-8 is `utf8` at `out`, as the `String` form above writes it.
    func writeText(_ utf8: UnsafeRawBufferPointer, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let formula = neutralisesFormulas && utf8.first.map(Self.startsFormula) == true
        guard formula || utf8.contains(where: Self.needsQuotes) else {
            if let source = utf8.baseAddress { UnsafeMutableRawPointer(out).copyMemory(from: source, byteCount: utf8.count) }
            return utf8.count
        }
        var at = 0
        out[at] = UInt8(ascii: "\"")
        at += 1
        if formula {
            out[at] = UInt8(ascii: "'")
            at += 1
        }
        for byte in utf8 {
            if byte == UInt8(ascii: "\"") {
                out[at] = byte
                at += 1
            }
            out[at] = byte
            at += 1
        }
        out[at] = UInt8(ascii: "\"")
        return at + 1
    }

    /// Appends `text`, quoted (with quotes doubled) when it holds a comma, quote or line break.
    private func appendText(_ text: String, to bytes: inout [UInt8]) {
        let bound = text.utf8.count * 2 + 3
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bound) { scratch in
            let count = writeText(text, to: scratch.baseAddress!)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<count]))
        }
    }

    private static func startsFormula(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "=") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "@")
            || byte == 0x09 || byte == 0x0D
    }

    private static func needsQuotes(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D
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
