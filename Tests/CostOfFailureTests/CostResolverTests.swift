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
}
