import Testing
@testable import CostOfFailure

@Suite("Unit-cost files: units and tariffs")
struct UnitCostLoaderTests {
    func load(_ text: String) throws -> UnitCostTable {
        try UnitCostLoader().load(csv(text, name: "u.csv"))
    }

    @Test("quantity_unit: kept when it differs from the cost's unit, dropped when it is the same")
    func quantityUnit() throws {
        let table = try load("""
            service,event,unit_cost,unit,quantity_unit
            Temporary accommodation,bed and breakfast week,334.95,per household per week,nights
            Hostel,week,107.45,per household per week,week
            A&E,attendance,273,per attendance,

            """)
        #expect(table.entries.map(\.quantityUnit) == [.night, nil, nil])
    }

    @Test("a quantity unit that is not one, or cannot be converted from the cost's, is an error at its cell", arguments: [
        ("A&E,attendance,273,per attendance,night", "cannot be converted"),
        ("Hostel,week,107.45,per week,fortnight", "bad quantity unit"),
    ])
    func badQuantityUnit(_ row: String, _ message: String) {
        let error = ingestError { _ = try load("service,event,unit_cost,unit,quantity_unit\n" + row + "\n") }
        #expect(error?.line == 2)
        #expect(error?.column == "quantity_unit")
        #expect(error?.description.contains(message) == true)
    }

    @Test("a tariff: trim_point and excess_per_unit read beside the base price")
    func tariff() throws {
        let table = try load("""
            service,event,unit_cost,unit,trim_point,excess_per_unit
            Hospital,HRG XX01A admission,"2,000.00",per admission,5,£300
            Hospital,plain,100,per admission,,

            """)
        #expect(table.entries[0].unitCostPence == 200_000)
        #expect(table.entries[0].trimPoint == 5)
        #expect(table.entries[0].excessPerUnitPence == 30_000)
        #expect(table.entries[1].trimPoint == nil && table.entries[1].excessPerUnitPence == nil)
    }

    @Test("a tariff missing a part, or with a bad one, is an error at its cell", arguments: [
        ("S,e,100,5,", "excess_per_unit", "missing excess price"),
        ("S,e,100,,3", "trim_point", "missing trim point"),
        ("S,e,100,-1,3", "trim_point", "bad trim point"),
        ("S,e,100,2.5,3", "trim_point", "bad trim point"),
        ("S,e,100,5,-3", "excess_per_unit", "bad excess price"),
    ])
    func badTariff(_ row: String, _ column: String, _ message: String) {
        let error = ingestError { _ = try load("service,event,unit_cost,trim_point,excess_per_unit\n" + row + "\n") }
        #expect(error?.line == 2)
        #expect(error?.column == column)
        #expect(error?.description.contains(message) == true)
    }

    @Test("a tariff's quantity counts its own unit: no quantity_unit that converts")
    func tariffWithQuantityUnit() {
        let error = ingestError { _ = try load("service,event,unit_cost,unit,quantity_unit,trim_point,excess_per_unit\nS,e,100,per week,night,5,3\n") }
        #expect(error?.column == "quantity_unit")
    }

    @Test("a price base restates a tariff's excess price as well as its base")
    func restatedTariff() throws {
        let index = PriceIndex(entries: [.init(year: FinancialYear(startYear: 2022), tenThousandths: 500_000),
                                         .init(year: FinancialYear(startYear: 2023), tenThousandths: 1_000_000)], vintage: "test")
        let base = try PriceBase(year: FinancialYear(startYear: 2023), index: index)
        let table = try base.restate(UnitCostTable(entries: [
            .init(service: "S", event: "e", unitCostPence: 1_000, priceYear: "2022-23", trimPoint: 2, excessPerUnitPence: 150),
        ], replacedShipped: [.init(service: "S", event: "e", unitCostPence: 1)]))
        #expect(table.entries[0].unitCostPence == 2_000)
        #expect(table.entries[0].excessPerUnitPence == 300)
        #expect(table.replacedShipped.count == 1)
    }
}
