/// Loads a unit-cost file: `service, event, unit_cost` plus optional provenance columns
/// (`unit, price_year, code, source, licence, value_type, agency, confidence, cashable`), the
/// unit the events' quantity counts (`quantity_unit`, see ``UnitOfMeasure``) and a tariff's
/// `trim_point` and `excess_per_unit` (the base price is then `unit_cost`; see
/// ``CostResolver/tariffCost(base:trimPoint:excessPerUnit:quantity:)``).
public struct UnitCostLoader: Sendable {
    /// The CSV reader to use.
    public var reader: CSVReader
    /// How the file is written: header names, date format, delimiter, encoding.
    public var mapping: InputMapping

    /// The engine's names of the file's columns (a project file's `columns` may rename them).
    public static let columns = ["service", "event", "unit_cost", "unit", "price_year", "code", "source", "licence",
                                 "value_type", "agency", "confidence", "cashable", "quantity_unit", "trim_point", "excess_per_unit"]

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
            var entry = UnitCostTable.Entry(service: service, event: event, unitCostPence: pence, unit: row.text(3),
                                            priceYear: row.text(4), code: row.text(5), source: row.text(6), licence: row.text(7),
                                            valueType: row.text(8)?.lowercased(), agency: row.text(9), confidence: row.text(10), cashable: cashable)
            try Self.readMeasures(row, into: &entry)
            entries.append(entry)
        }
        return UnitCostTable(entries: entries)
    }

    /// Reads a row's `quantity_unit`, `trim_point` and `excess_per_unit` into `entry`, checking
    /// that the quantity unit converts from the cost's unit and that a tariff has both its parts.
    private static func readMeasures(_ row: SmallTableReader.Row, into entry: inout UnitCostTable.Entry) throws(IngestError) {
        let costUnit = UnitOfMeasure(unitText: entry.unit)
        if let text = row.text(12) {
            guard let unit = UnitOfMeasure(name: text) else {
                throw row.error(12, .badNumber, "bad quantity unit: expected contact, hour, day, night, week or year")
            }
            guard costUnit.price(0, per: unit) != nil else {
                throw row.error(12, .badNumber, "quantity unit \(unit.rawValue) cannot be converted from the cost's unit (\(costUnit.rawValue), from the unit column): expected a time (hour, day, night, week, year) for a cost per time, or contact")
            }
            if unit != costUnit { entry.quantityUnit = unit }
        }
        let trimText = row.text(13)
        let excess = try row.money(14)
        switch (trimText, excess) {
        case (nil, nil):
            return
        case (nil, _?):
            throw row.error(13, .missingValue, "missing trim point: a tariff's excess_per_unit needs the trim_point beyond which it is paid")
        case (_?, nil):
            throw row.error(14, .missingValue, "missing excess price: a tariff's trim_point needs the excess_per_unit paid beyond it")
        case (let trimText?, let excess?):
            guard let trim = Int32(trimText), trim >= 0 else {
                throw row.error(13, .badNumber, "bad trim point: expected a whole number of units, 0 or more")
            }
            guard excess >= 0 else {
                throw row.error(14, .badNumber, "bad excess price: expected an amount of 0 or more")
            }
            if entry.quantityUnit != nil {
                throw row.error(12, .badNumber, "a tariff's quantity counts the units of its excess price: expected no quantity_unit other than the cost's unit on a row with a trim_point")
            }
            entry.trimPoint = trim
            entry.excessPerUnitPence = excess
        }
    }
}
