import CostOfFailure

/// `cof compare`'s person × service rows as CSV, written straight from the comparison's rows.
///
/// The bytes are exactly those of `CSVRenderer().renderBytes(comparison.resultTable(),
/// header: false)` (the tests hold the two to it on generated comparisons): the general path
/// lays out seventeen columns of a ``ResultTable`` and interleaves their cells, which was most of
/// the time a 10M-row compare spent after its parse. Here each row is written in one go, with
/// the same cell writers, into room reserved from its longest possible text. The columns are
/// the table's own (``BeforeAfterColumns``, visited cell by cell): this renderer knows their
/// types, not the analysis's layout. A block in codes
/// (``CodedBeforeAfterTable``, what a one-pass compare makes) is written with its IDs' and names'
/// bytes, no `String` made.
public enum BeforeAfterCSV {
    /// Two text cells (quoted, every byte doubled), a number per figure column, a separator
    /// between cells, a line end: the most a row takes beyond twice its text's bytes.
    private static let rowBytes = 6 + BeforeAfterColumns.figures.count * DecimalText.maximumWidth + BeforeAfterColumns.figures.count + 2

    /// The rows of `comparison`, without a header line.
    public static func rows(_ comparison: BeforeAfterTable) -> [UInt8] {
        let renderer = CSVRenderer()
        let rows = comparison.rows
        let bound = rows.reduce(0) { $0 + ($1.personID.utf8.count + $1.service.utf8.count) * 2 + rowBytes }
        return [UInt8](unsafeOwnUninitializedCapacity: bound) { buffer, initialized in
            guard let out = buffer.baseAddress else { return }
            // Sound: `bound` covers every row at its longest, so each write stays inside `buffer`.
            var at = 0
            for row in rows {
                at += renderer.writeText(row.personID, to: out + at)
                separate(out, &at)
                at += renderer.writeText(row.service, to: out + at)
                figures(row, out, &at)
            }
            initialized = at
        }
    }

    /// The rows of `coded`, without a header line: the same bytes as for `BeforeAfterTable(coded)`.
    public static func rows(_ coded: CodedBeforeAfterTable) -> [UInt8] {
        let renderer = CSVRenderer()
        let rows = coded.rows
        let persons = coded.persons, services = coded.services
        let serviceBytes = (0..<Int32(services.count)).map { services.withBytes(of: $0) { $0.count } }
        let bound = rows.reduce(0) { $0 + (persons.withBytes(of: $1.person) { $0.count } + serviceBytes[Int($1.service)]) * 2 + rowBytes }
        return [UInt8](unsafeOwnUninitializedCapacity: bound) { buffer, initialized in
            guard let out = buffer.baseAddress else { return }
            // Sound: `bound` covers every row at its longest, so each write stays inside `buffer`.
            var at = 0
            for row in rows {
                at += persons.withBytes(of: row.person) { renderer.writeText($0, to: out + at) }
                separate(out, &at)
                at += services.withBytes(of: row.service) { renderer.writeText($0, to: out + at) }
                figures(row, out, &at)
            }
            initialized = at
        }
    }

    /// The figure cells after the service, each after a comma, and the line end.
    @inline(__always)
    private static func figures(_ row: some BeforeAfterFigures, _ out: UnsafeMutablePointer<UInt8>, _ at: inout Int) {
        var cells = FigureCells(out: out, at: at)
        BeforeAfterColumns.visit(row, &cells)
        out[cells.at] = UInt8(ascii: "\n")
        at = cells.at + 1
    }

    @inline(__always)
    private static func separate(_ out: UnsafeMutablePointer<UInt8>, _ at: inout Int) {
        out[at] = UInt8(ascii: ",")
        at += 1
    }

    /// Writes each figure cell after a comma, as ``CSVRenderer`` writes a cell of its column's
    /// type; a missing value is an empty cell.
    private struct FigureCells: BeforeAfterColumnVisitor {
        let out: UnsafeMutablePointer<UInt8>
        var at: Int

        @inline(__always)
        mutating func integer(_ name: StaticString, _ value: Int64) {
            separate(out, &at)
            at += DecimalText.write(value, to: out + at)
        }

        @inline(__always)
        mutating func money(_ name: StaticString, _ pence: Pence) {
            separate(out, &at)
            at += DecimalText.writePence(pence, to: out + at)
        }

        @inline(__always)
        mutating func moneyOrMissing(_ name: StaticString, _ pence: Pence?) {
            separate(out, &at)
            if let pence { at += DecimalText.writePence(pence, to: out + at) }
        }

        @inline(__always)
        mutating func rate(_ name: StaticString, _ value: Double?, decimals: Int) {
            separate(out, &at)
            if let value, value.isFinite { at += DecimalText.writeDecimal(value, decimals: decimals, to: out + at) }
        }
    }
}
