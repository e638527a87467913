import Testing
@testable import CostOfFailure

@Suite("The unit-cost catalogue")
struct UnitCostCatalogueTests {
    static let shipped = UnitCostTable(entries: ([
        .init(service: "A&E", event: "attendance", unitCostPence: 27_300, code: "NCC-ED", source: "NHS England National Cost Collection"),
        .init(service: "Police", event: "arrest", unitCostPence: 59_300, code: "GMCA-CR7.0", source: "GMCA Unit Cost Database"),
        .init(service: "Police", event: "officer hour", unitCostPence: 3_843, code: "GMCA-CR9.0", source: "GMCA Unit Cost Database"),
        .init(service: "Prison", event: "prisoner year", unitCostPence: 3_378_500, code: "GMCA-CR3.0", source: "GMCA Unit Cost Database"),
    ] as [UnitCostTable.Entry]).map { var entry = $0; entry.isShipped = true; return entry })

    @Test("the shipped table: 27 figures, all shipped, from two sources' families under two licences, every one with a price year")
    func shippedTable() {
        let table = ReferenceData.unitCosts
        #expect(table.entries.count == 27)
        let allShipped = table.entries.allSatisfy { $0.isShipped }
        #expect(allShipped)
        #expect(Set(table.entries.compactMap(\.licence)) == ["OGL-UK-3.0", "CC-BY-4.0"])
        let described = table.entries.allSatisfy { $0.priceYear != nil && $0.code != nil && $0.source != nil }
        let plain = table.entries.allSatisfy { $0.trimPoint == nil && $0.quantityUnit == nil }
        #expect(described && plain)
    }

    @Test("own rows replace shipped ones by (service, event) and are added otherwise; the replaced are named")
    func overlay() {
        let own = UnitCostTable(entries: [
            .init(service: "A&E", event: "attendance", unitCostPence: 30_000, code: "LOCAL-ED"),
            .init(service: "Street team", event: "contact", unitCostPence: 2_500),
            .init(service: "police", event: "arrest", unitCostPence: 1),  // another service: keys are exact
        ])
        let table = UnitCostCatalogue(own: own, shipped: Self.shipped).effective
        #expect(table.entries.map(\.code) == ["LOCAL-ED", nil, nil, "GMCA-CR7.0", "GMCA-CR9.0", "GMCA-CR3.0"])
        #expect(table.entries.map(\.isShipped) == [false, false, false, true, true, true])
        #expect(table.replacedShipped.map(\.code) == ["NCC-ED"])
        #expect(UnitCostLookup(table).entry(service: "A&E", event: "attendance")?.unitCostPence == 30_000)
        #expect(UnitCostCatalogue.notes(table)
                == ["unit costs: your file replaces 1 shipped unit cost (the same service and event, or a service it prices whole with *): (A&E, attendance) [NCC-ED]"])
    }

    @Test("an own (service, *) takes the whole service: no shipped row of it prices before it")
    func wildcardTakesTheService() {
        let own = UnitCostTable(entries: [.init(service: "Police", event: "*", unitCostPence: 10_000)])
        let table = UnitCostCatalogue(own: own, shipped: Self.shipped).effective
        #expect(table.replacedShipped.map(\.code) == ["GMCA-CR7.0", "GMCA-CR9.0"])
        #expect(UnitCostLookup(table).entry(service: "Police", event: "arrest")?.unitCostPence == 10_000)
        #expect(UnitCostLookup(table).entry(service: "A&E", event: "attendance")?.code == "NCC-ED")
    }

    @Test("no own file: the shipped table; replace_shipped: the own file alone, nothing said to be replaced")
    func noneAndReplace() {
        #expect(UnitCostCatalogue(own: nil, shipped: Self.shipped).effective.entries.count == 4)
        let own = UnitCostTable(entries: [.init(service: "A&E", event: "attendance", unitCostPence: 30_000)])
        let table = UnitCostCatalogue(own: own, shipped: Self.shipped, replaceShipped: true).effective
        #expect(table.entries.map(\.unitCostPence) == [30_000])
        #expect(table.replacedShipped.isEmpty)
        #expect(UnitCostCatalogue.notes(table).isEmpty)
    }

    @Test("search: any case, over service, event, code and source; empty shows all")
    func search() {
        func codes(_ search: String?) -> [String?] { UnitCostCatalogue.matching(Self.shipped, search: search).map(\.code) }
        #expect(codes("police") == ["GMCA-CR7.0", "GMCA-CR9.0"])
        #expect(codes("HOUR") == ["GMCA-CR9.0"])
        #expect(codes("cr3") == ["GMCA-CR3.0"])
        #expect(codes("national cost") == ["NCC-ED"])
        #expect(codes("no such thing") == [])
        #expect(codes("") == codes(nil))
        #expect(codes(nil).count == 4)
    }

    @Test("the listing: one row per unit cost, the value in pence, the unit of its quantity, its origin")
    func listing() {
        let table = UnitCostCatalogue.resultTable(Self.shipped.entries)
        #expect(table.rowCount == 4)
        #expect(table.columns.map(\.name) == ["service", "event", "code", "unit", "quantity_unit", "price_year", "unit_cost", "trim_point",
                                              "excess_per_unit", "agency", "value_type", "cashable", "confidence", "origin", "source", "licence"])
        guard case .money(let values)? = table.column("unit_cost")?.values, case .text(let origins)? = table.column("origin")?.values else {
            Issue.record("value and origin columns")
            return
        }
        #expect(values == [27_300, 59_300, 3_843, 3_378_500])
        #expect(origins == ["shipped", "shipped", "shipped", "shipped"])
        #expect(UnitCostCatalogue.summary(of: Self.shipped, shown: 2) == "4 unit costs: 4 shipped, 0 own; 2 shown")
    }

    @Test("a price index that does not cover a shipped figure's year leaves it out, said; the study's own figure is an error")
    func outsideTheIndex() throws {
        let index = PriceIndex(entries: [.init(year: FinancialYear(startYear: 2023), tenThousandths: 961_117),
                                         .init(year: FinancialYear(startYear: 2024), tenThousandths: 1_000_000)], vintage: "two years")
        let base = try PriceBase(year: FinancialYear(startYear: 2024), index: index)
        let own = UnitCostTable(entries: [.init(service: "Street team", event: "contact", unitCostPence: 2_500, priceYear: "2023-24")])
        let table = try base.restate(UnitCostCatalogue(own: own).effective)
        #expect(table.entries.count == 11)  // the own figure and the ten 2023-24 NHS figures
        #expect(table.shippedOutsideIndex.count == 17)
        #expect(table.entries.first?.unitCostPence == 2_601)  // £25 × 100 / 96.1117
        let notes = UnitCostCatalogue.notes(table)
        #expect(notes.count == 1)
        #expect(notes.first?.hasPrefix("unit costs: 17 shipped unit costs left out, in price years the deflator does not cover (events they would price are unpriced): (Police, arrest) [GMCA-CR7.0], ") == true)
        #expect(notes.first?.hasSuffix(" and 11 more (cof unit-costs lists the table)") == true)
        let old = UnitCostTable(entries: [.init(service: "Street team", event: "contact", unitCostPence: 2_500, priceYear: "2010-11")])
        #expect(throws: PriceBase.Failure.self) { try base.restate(UnitCostCatalogue(own: old).effective) }
    }
}
