/// Loads a unit-cost file: `service, event, unit_cost` plus optional provenance columns
/// (`unit, price_year, code, source, licence, value_type, agency, confidence, cashable`).
public struct UnitCostLoader: Sendable {
    /// The CSV reader to use.
    public var reader: CSVReader
    /// How the file is written: header names, date format, delimiter, encoding.
    public var mapping: InputMapping

    /// The engine's names of the file's columns (a project file's `columns` may rename them).
    public static let columns = ["service", "event", "unit_cost", "unit", "price_year", "code", "source", "licence",
                                 "value_type", "agency", "confidence", "cashable"]

    /// Creates a loader.
    public init(reader: CSVReader = CSVReader(), mapping: InputMapping = .standard) {
        self.reader = reader
        self.mapping = mapping
    }

    /// Reads `source`; a (service, event) pair listed twice is an error naming both lines.
    public func load(_ source: InputSource) throws(IngestError) -> UnitCostTable {
        let wanted = Self.columns
        var entries: [UnitCostTable.Entry] = []
        var firstLine: [String: Int] = [:]
        _ = try SmallTableReader(reader: reader).read(source, wanted: wanted, required: ["service", "event", "unit_cost"], mapping: mapping) { (row) throws(IngestError) in
            let service = try row.required(0), event = try row.required(1)
            guard let pence = try row.money(2) else {
                throw row.error(2, .missingValue, "missing value: expected a unit cost in every row")
            }
            guard pence >= 0 else {
                throw row.error(2, .badNumber, "bad unit cost: expected an amount of 0 or more (a saving is not a unit cost)")
            }
            let key = service + "\u{0}" + event
            if let line = firstLine[key] {
                throw row.error(1, .duplicateKey, "duplicate unit cost: this (service, event) pair is already priced on line \(line); expected one price per pair")
            }
            firstLine[key] = row.line
            if let year = row.text(4), FinancialYear(year) == nil {
                throw row.error(4, .badDate, "bad price year: expected a financial year such as 2023-24")
            }
            if let type = row.text(8), !["fiscal", "economic", "social"].contains(type.lowercased()) {
                throw row.error(8, .badNumber, "bad value type: expected fiscal, economic or social")
            }
            var cashable: Bool?
            if let text = row.text(11) {
                switch text.lowercased() {
                case "yes", "true", "cashable": cashable = true
                case "no", "false", "non-cashable": cashable = false
                default: throw row.error(11, .badNumber, "bad cashable flag: expected yes or no")
                }
            }
            entries.append(.init(service: service, event: event, unitCostPence: pence, unit: row.text(3),
                                 priceYear: row.text(4), code: row.text(5), source: row.text(6), licence: row.text(7),
                                 valueType: row.text(8)?.lowercased(), agency: row.text(9), confidence: row.text(10), cashable: cashable))
        }
        return UnitCostTable(entries: entries)
    }
}
