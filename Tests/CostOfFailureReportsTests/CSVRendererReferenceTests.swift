import CostOfFailure
import CostOfFailureReports
import Testing

/// The byte-level CSV renderer against a plain one written with `String`s, on generated tables
/// with every kind of cell: text that needs quoting or neutralising, extreme integers and
/// amounts, rates that round, overflow 64-bit units or are not finite, dates, missing and
/// suppressed cells, and more rows than one of the renderer's blocks.
@Suite("CSVRenderer against a plain reference")
struct CSVRendererReferenceTests {
    @Test("generated tables render as the plain reference does", arguments: [(1, 0), (2, 7), (3, 40_000)])
    func generated(seed: UInt64, rows: Int) {
        var random = SyntheticRandom(seed: seed)
        let table = Self.table(rows: rows, random: &random)
        for renderer in [CSVRenderer(), CSVRenderer.spreadsheet, CSVRenderer(lineEnding: "\r\n", suppressedMarker: "*")] {
            let bytes = renderer.renderBytes(table)
            #expect(bytes == Self.reference(table, renderer: renderer, header: true))
            #expect(renderer.renderBytes(table, header: false) == Self.reference(table, renderer: renderer, header: false))
        }
    }

    @Test("integers and amounts at every digit count, either side of each power of ten")
    func everyDigitCount() {
        var values: [Int64] = [0, 1, -1, .max, .min, .max - 1, .min + 1]
        var power: Int64 = 1
        for _ in 0..<19 {
            power = power &* 10
            if power <= 0 { break }
            for value in [power - 1, power, power + 1] { values += [value, -value] }
        }
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("n", .integer(values)),
            ResultColumn("p", .money(values)),
        ])
        let lines = String(decoding: CSVRenderer().renderBytes(table, header: false), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == values.count)
        for (line, value) in zip(lines, values) {
            let pounds = value.magnitude / 100, pence = value.magnitude % 100
            let money = (value < 0 ? "-" : "") + "\(pounds)." + (pence < 10 ? "0" : "") + "\(pence)"
            #expect(line == "\(value),\(money)")
        }
    }

    @Test("numbers at the edges of 64 bits")
    func extremes() {
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("n", .integer([.min, .max, 0, -1])),
            ResultColumn("p", .money([.min, .max, -1, 0])),
            ResultColumn("r", .rate([-1e300, 9.2e18, -0.004, .greatestFiniteMagnitude], decimals: 2)),
        ])
        let text = String(decoding: CSVRenderer().renderBytes(table, header: false), as: UTF8.self)
        #expect(text == """
            -9223372036854775808,-92233720368547758.08,\(String(-1e300))
            9223372036854775807,92233720368547758.07,\(String(9.2e18))
            0,-0.01,0.00
            -1,0.00,\(String(Double.greatestFiniteMagnitude))

            """)
    }

    // MARK: The reference

    static func reference(_ table: ResultTable, renderer: CSVRenderer, header: Bool) -> [UInt8] {
        var text = ""
        if header {
            text += table.columns.map { quoted($0.name, renderer: renderer) }.joined(separator: ",") + renderer.lineEnding
        }
        for row in 0..<table.rowCount {
            text += table.columns.map { cell($0, row, renderer: renderer) }.joined(separator: ",") + renderer.lineEnding
        }
        return (header && renderer.byteOrderMark ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)
    }

    static func cell(_ column: ResultColumn, _ row: Int, renderer: CSVRenderer) -> String {
        switch column.state(row) {
        case .missing: return ""
        case .suppressed: return renderer.suppressedMarker
        case .value: break
        }
        switch column.values {
        case .text(let values): return quoted(values[row], renderer: renderer)
        case .integer(let values): return String(values[row])
        case .money(let values):
            let pence = values[row]
            let cents = Int(pence.magnitude % 100)
            return (pence < 0 ? "-" : "") + String(pence.magnitude / 100) + "." + (cents < 10 ? "0" : "") + String(cents)
        case .date(let values): return values[row].description
        case .rate(let values, let decimals): return values[row].isFinite ? rate(values[row], decimals: decimals) : ""
        }
    }

    /// Rounded half away from zero; beyond 64-bit units, Swift's own text of the double.
    static func rate(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e18 else { return String(value) }
        let units = UInt64(scaled), divisor = UInt64(scale)
        var text = (value < 0 && units > 0 ? "-" : "") + String(units / divisor)
        if decimals > 0 {
            let fraction = String(units % divisor)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }

    static func quoted(_ text: String, renderer: CSVRenderer) -> String {
        let formula = renderer.neutralisesFormulas && ["=", "+", "-", "@", "\t", "\r"].contains(text.unicodeScalars.first.map(Character.init))
        guard formula || text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else {
            return text
        }
        var out = "\"" + (formula ? "'" : "")
        for scalar in text.unicodeScalars {
            if scalar == "\"" { out += "\"" }
            out.unicodeScalars.append(scalar)
        }
        return out + "\""
    }

    // MARK: Generated tables

    static func table(rows: Int, random: inout SyntheticRandom) -> ResultTable {
        let words = ["A&E", "Smith, John", "say \"hi\"", "two\nlines", "cr\rhere", "=SUM(A1)", "+44", "-x", "@me", "\tlead",
                     "£ café", "", " spaced ", "P000123-45", String(repeating: "long ", count: 30), "a\"\"b,c"]
        func states() -> [ResultColumn.CellState] {
            (0..<rows).map { _ in
                switch Int.random(in: 0..<10, using: &random) {
                case 0: return .missing
                case 1: return .suppressed
                default: return .value
                }
            }
        }
        func integer() -> Int64 {
            switch Int.random(in: 0..<8, using: &random) {
            case 0: return .min
            case 1: return .max
            case 2: return Int64.random(in: -9...9, using: &random)
            default: return Int64.random(in: -10_000_000_000...10_000_000_000, using: &random)
            }
        }
        func rate() -> Double {
            switch Int.random(in: 0..<10, using: &random) {
            case 0: return .nan
            case 1: return -.infinity
            case 2: return 1e19 * Double.random(in: -10...10, using: &random)
            case 3: return Double(Int.random(in: -1000...1000, using: &random)) / 1000 + 0.0005  // a tie to round
            default: return Double.random(in: -1e9...1e9, using: &random)
            }
        }
        return ResultTable(name: "generated", title: "generated", columns: [
            ResultColumn("text, with comma", .text((0..<rows).map { _ in words[Int.random(in: 0..<words.count, using: &random)] }), states: states()),
            ResultColumn("count", .integer((0..<rows).map { _ in integer() }), states: states()),
            ResultColumn("money", .money((0..<rows).map { _ in integer() }), states: states()),
            ResultColumn("rate0", .rate((0..<rows).map { _ in rate() }, decimals: 0)),
            ResultColumn("rate2", .rate((0..<rows).map { _ in rate() }, decimals: 2), states: states()),
            ResultColumn("rate9", .rate((0..<rows).map { _ in rate() }, decimals: 9)),
            ResultColumn("day", .date((0..<rows).map { _ in CivilDate(daysSinceEpoch: Int32.random(in: -800_000...3_000_000, using: &random)) }), states: states()),
        ])
    }
}
