/// The financial year whose prices every figure is stated in, and the index that restates
/// them (HM Treasury Green Book practice: appraise in the real prices of a stated base year).
///
/// A unit cost (and a tariff's excess price) is restated from its own price year once, rounded
/// to the penny. An explicit event
/// cost is taken as nominal in the financial year of the event and restated from that year, each
/// event rounded to the penny.
public struct PriceBase: Sendable {
    /// The base year.
    public let year: FinancialYear
    /// The index, with its vintage.
    public let index: PriceIndex
    private let baseValue: Int64
    /// Index values by financial year, from `firstYear`, for explicit costs row by row.
    private let values: [Int64]
    private let firstYear: Int

    /// Why figures cannot be stated in the base year.
    public struct Failure: Error, Sendable, CustomStringConvertible, Equatable {
        /// A message for the user.
        public var description: String
    }

    /// Prices of `year`, restated with `index`.
    ///
    /// - Throws: ``Failure`` when the index has no value for `year`.
    public init(year: FinancialYear, index: PriceIndex) throws(Failure) {
        guard let base = index.entries[year]?.tenThousandths, let range = index.years else {
            let covered = index.years.map { "\($0.lowerBound) to \($0.upperBound)" } ?? "no years"
            throw Failure(description: "no price index for the price base \(year): the deflator (\(index.vintage)) covers \(covered)")
        }
        self.year = year
        self.index = index
        baseValue = base
        firstYear = range.lowerBound.startYear
        values = (range.lowerBound.startYear...range.upperBound.startYear).map {
            index.entries[FinancialYear(startYear: $0)]?.tenThousandths ?? 0
        }
    }

    /// `table` with every unit cost restated from its price year in the base year's prices.
    ///
    /// A shipped entry (``UnitCostTable/Entry/isShipped``) in a year the index does not cover is
    /// left out, into ``UnitCostTable/shippedOutsideIndex``, rather than stopping a study that may
    /// never use it: a study's own deflator may cover only its own years.
    ///
    /// - Throws: ``Failure`` for the first of the study's own unit costs with no price year, or
    ///   one the index does not cover, named by its (service, event) and code.
    public func restate(_ table: UnitCostTable) throws(Failure) -> UnitCostTable {
        var entries: [UnitCostTable.Entry] = [], outside: [UnitCostTable.Entry] = []
        entries.reserveCapacity(table.entries.count)
        for var entry in table.entries {
            let name = "(\(entry.service), \(entry.event))" + (entry.code.map { " [\($0)]" } ?? "")
            guard let text = entry.priceYear, !text.isEmpty else {
                throw Failure(description: "unit cost \(name) has no price_year: a price base (\(year)) needs the year of every unit cost's prices; expected a financial year such as 2023-24")
            }
            guard let priceYear = FinancialYear(text) else {
                throw Failure(description: "unit cost \(name) has the price_year '\(text)': expected a financial year such as 2023-24")
            }
            guard let restated = index.restate(entry.unitCostPence, from: priceYear, to: year) else {
                if entry.isShipped && index.entries[priceYear] == nil {
                    outside.append(entry)
                    continue
                }
                throw Failure(description: "unit cost \(name) is in \(priceYear) prices, which the deflator (\(index.vintage)) does not cover")
            }
            entry.unitCostPence = restated
            if let excess = entry.excessPerUnitPence {
                guard let restatedExcess = index.restate(excess, from: priceYear, to: year) else {
                    throw Failure(description: "unit cost \(name): its excess_per_unit restated in \(year) prices is beyond what the engine holds")
                }
                entry.excessPerUnitPence = restatedExcess
            }
            entry.priceYear = year.description
            entries.append(entry)
        }
        return UnitCostTable(entries: entries, replacedShipped: table.replacedShipped, shippedOutsideIndex: table.shippedOutsideIndex + outside)
    }

    /// `table` with every recorded intervention cost, nominal in the financial year of the
    /// intervention's start, restated in the base year's prices.
    ///
    /// - Throws: ``Failure`` for the first cost whose year the index does not cover.
    public func restate(_ table: InterventionTable) throws(Failure) -> InterventionTable {
        var entries = table.entries
        for i in entries.indices {
            guard let cost = entries[i].costPence else { continue }
            guard let restated = restate(explicit: cost, day: entries[i].start.daysSinceEpoch) else {
                if covers(day: entries[i].start.daysSinceEpoch) {
                    throw Failure(description: "an intervention cost (data row \(i + 1) of the interventions) restated in \(year) prices is beyond what the engine holds; expected the cost of a real intervention")
                }
                throw Failure(description: "an intervention cost (data row \(i + 1) of the interventions) is in \(FinancialYear(containing: entries[i].start)) prices, which the deflator (\(index.vintage)) does not cover")
            }
            entries[i].costPence = restated
        }
        return InterventionTable(entries: entries)
    }

    /// Whether the index covers the financial year of `day` (so an amount of that day can be
    /// restated).
    public func covers(day: Int32) -> Bool {
        let offset = FinancialYear(containing: CivilDate(daysSinceEpoch: day)).startYear - firstYear
        return offset >= 0 && offset < values.count && values[offset] > 0
    }

    /// An explicit cost of an event on `day`, nominal in that day's financial year, in the base
    /// year's prices; `nil` when the index does not cover that year, or the restated amount does
    /// not fit in 64-bit pence (``covers(day:)`` tells which).
    public func restate(explicit pence: Pence, day: Int32) -> Pence? {
        let offset = FinancialYear(containing: CivilDate(daysSinceEpoch: day)).startYear - firstYear
        guard offset >= 0, offset < values.count, values[offset] > 0 else { return nil }
        return PriceIndex.scale(pence, by: baseValue, over: values[offset])
    }
}
