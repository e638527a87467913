import Testing
import CostOfFailure

@Suite("Pricing")
struct CostResolverTests {
    @Test("Explicit cost wins, then (service, event) × quantity, then (service, *) × quantity, else unpriced")
    func precedence() throws {
        var builder = EventTableBuilder()
        let d = day("2023-01-01")
        builder.append(person: "p", service: "A&E", event: "attendance", date: d, quantity: 1, explicitCost: 999)      // explicit
        builder.append(person: "p", service: "A&E", event: "attendance", date: d, quantity: 2)                         // exact × 2
        builder.append(person: "p", service: "Probation", event: "supervision", date: d, quantity: 3)                 // wildcard × 3
        builder.append(person: "p", service: "Probation", event: "breach", date: d, quantity: 1)                      // exact beats wildcard
        builder.append(person: "p", service: "Housing", event: "advice", date: d, quantity: 4)                        // unpriced
        builder.append(person: "p", service: "Housing", event: "advice", date: d, quantity: 1, explicitCost: 0)       // explicit zero is priced
        builder.append(person: "p", service: "A&E", event: "triage", date: d)                                        // no wildcard for A&E: unpriced
        let table = builder.finish()
        let costs = try CostResolver(unitCosts: UnitCostTable(entries: [
            .init(service: "A&E", event: "attendance", unitCostPence: 27_300),
            .init(service: "Probation", event: "*", unitCostPence: 987),
            .init(service: "Probation", event: "breach", unitCostPence: 39_112),
        ])).resolve(table)
        #expect(costs.pence == [999, 54_600, 2_961, 39_112, 0, 0, 0])
        #expect((0..<7).map { costs.priced[$0] } == [true, true, true, true, false, true, false])
        #expect(costs.unpriced == [
            .init(service: "A&E", event: "triage", events: 1),
            .init(service: "Housing", event: "advice", events: 1),
        ])
        #expect(costs.unpricedEvents == 2)
    }

    @Test("Unit cost × quantity that overflows is an error, not a wrap")
    func overflow() {
        var builder = EventTableBuilder()
        builder.append(person: "p", service: "S", event: "e", date: day("2023-01-01"), quantity: Int32.max)
        let resolver = CostResolver(unitCosts: UnitCostTable(entries: [.init(service: "S", event: "e", unitCostPence: Pence.max / 2)]))
        #expect(throws: CostResolver.Overflow.self) { try resolver.resolve(builder.finish()) }
    }

    /// An illustrative HRG-style tariff (not a published figure): £2,000 covers a stay up to a
    /// trim point of 5 bed days, each day beyond is £300.
    static let tariff = UnitCostTable.Entry(service: "Hospital", event: "HRG XX01A admission", unitCostPence: 200_000,
                                            unit: "per admission", trimPoint: 5, excessPerUnitPence: 30_000)

    @Test("tariff: base + max(0, bed days − trim point) × excess, worked by hand at the boundaries", arguments: [
        (Int32(0), Pence(200_000)),    // zero days: the base
        (1, 200_000),                  // within the trim point: the base
        (5, 200_000),                  // exactly the trim point: the base, no excess
        (6, 230_000),                  // trim + 1: one excess day, £2,000 + £300
        (12, 410_000),                 // 7 excess days: £2,000 + 7 × £300 = £4,100
    ])
    func tariffCost(_ days: Int32, _ expected: Pence) {
        #expect(CostResolver.tariffCost(base: 200_000, trimPoint: 5, excessPerUnit: 30_000, quantity: days) == expected)
    }

    @Test("tariff: a trim point of 0 pays every day as excess; an excess of 0 is the base whatever the stay")
    func tariffEdges() {
        #expect(CostResolver.tariffCost(base: 100, trimPoint: 0, excessPerUnit: 10, quantity: 3) == 130)
        #expect(CostResolver.tariffCost(base: 100, trimPoint: 2, excessPerUnit: 0, quantity: 1_000) == 100)
    }

    @Test("tariff: a cost beyond 64 bits is nil, never a trap")
    func tariffOverflow() {
        #expect(CostResolver.tariffCost(base: 0, trimPoint: 0, excessPerUnit: Pence.max / 2, quantity: 3) == nil)
        #expect(CostResolver.tariffCost(base: Pence.max, trimPoint: 0, excessPerUnit: 1, quantity: 1) == nil)
        #expect(CostResolver.tariffCost(base: Pence.max, trimPoint: 0, excessPerUnit: 1, quantity: 0) == Pence.max)
    }

    @Test("tariff through the resolver: priced per event, exact or as a service's *, and an implausible cost is an error")
    func tariffResolved() throws {
        var builder = EventTableBuilder()
        let d = day("2023-01-01")
        for days: Int32 in [1, 5, 6, 12] { builder.append(person: "p", service: "Hospital", event: "HRG XX01A admission", date: d, quantity: days) }
        builder.append(person: "p", service: "Hospital", event: "HRG XX01A admission", date: d, quantity: 6, explicitCost: 100)  // explicit wins
        builder.append(person: "p", service: "Ward", event: "stay", date: d, quantity: 4)  // a service-wide tariff
        let resolver = CostResolver(unitCosts: UnitCostTable(entries: [
            Self.tariff,
            .init(service: "Ward", event: "*", unitCostPence: 1_000, trimPoint: 2, excessPerUnitPence: 50),
        ]))
        #expect(try resolver.resolve(builder.finish()).pence == [200_000, 200_000, 230_000, 410_000, 100, 1_100])

        var huge = EventTableBuilder()
        huge.append(person: "p", service: "Hospital", event: "HRG XX01A admission", date: d, quantity: Int32.max)
        #expect(throws: CostResolver.Overflow.self) { try resolver.resolve(huge.finish()) }
    }

    @Test("a unit cost per week prices events counted in nights at a seventh a night, once per unit cost")
    func quantityUnitConverted() throws {
        var builder = EventTableBuilder()
        let d = day("2023-01-01")
        builder.append(person: "p", service: "Temporary accommodation", event: "bed and breakfast", date: d, quantity: 3)
        builder.append(person: "p", service: "Temporary accommodation", event: "bed and breakfast", date: d, quantity: 7)
        builder.append(person: "p", service: "Hostel", event: "week", date: d, quantity: 2)  // no quantity unit: per week
        let costs = try CostResolver(unitCosts: UnitCostTable(entries: [
            .init(service: "Temporary accommodation", event: "bed and breakfast", unitCostPence: 33_495, unit: "per household per week", quantityUnit: .night),
            .init(service: "Hostel", event: "week", unitCostPence: 10_745, unit: "per household per week"),
        ])).resolve(builder.finish())
        #expect(costs.pence == [14_355, 33_495, 21_490])
    }

    @Test("a negative unit cost made in code (files refuse them) still prices as unit cost × quantity")
    func negativeUnitCost() throws {
        var builder = EventTableBuilder()
        builder.append(person: "p", service: "S", event: "e", date: day("2023-01-01"), quantity: 3)
        builder.append(person: "p", service: "T", event: "f", date: day("2023-01-01"), quantity: 2)
        let costs = try CostResolver(unitCosts: UnitCostTable(entries: [
            .init(service: "S", event: "e", unitCostPence: -250), .init(service: "T", event: "*", unitCostPence: -1),
        ])).resolve(builder.finish())
        #expect(costs.pence == [-750, -2])
    }
}

