import Testing
@testable import CostOfFailure

@Suite("Units of measure")
struct UnitOfMeasureTests {
    @Test("each shipped unit's text is read as the unit it prices", arguments: [
        ("per household per week", UnitOfMeasure.week), ("per bed day", .day), ("per hour (sergeant and below)", .hour),
        ("per prisoner per year", .year), ("per 10-minute surgery consultation", .contact), ("per attendance", .contact),
        ("per person per court event", .contact), ("per offender per week of a community sentence", .week),
        ("per household per night", .night), ("Per Nights", .night),
    ])
    func unitText(_ text: String, _ unit: UnitOfMeasure) {
        #expect(UnitOfMeasure(unitText: text) == unit)
    }

    @Test("no unit text is a contact")
    func noText() {
        #expect(UnitOfMeasure(unitText: nil) == .contact)
        #expect(UnitOfMeasure(unitText: "") == .contact)
    }

    @Test("quantity unit names: any case, plural, after per; others refused")
    func names() {
        #expect(UnitOfMeasure(name: "night") == .night)
        #expect(UnitOfMeasure(name: "Nights") == .night)
        #expect(UnitOfMeasure(name: " per week ") == .week)
        #expect(UnitOfMeasure(name: "bed days") == .day)
        #expect(UnitOfMeasure(name: "contacts") == .contact)
        #expect(UnitOfMeasure(name: "fortnight") == nil)
        #expect(UnitOfMeasure(name: "minute") == nil)
    }

    @Test("a week's price per night is a seventh, exact when it divides")
    func weekToNight() {
        // GMCA HO4.1 B&B £334.95 a week; HO4.0 hostel £107.45 a week: both divide by 7.
        #expect(UnitOfMeasure.week.price(33_495, per: .night) == 4_785)
        #expect(UnitOfMeasure.week.price(10_745, per: .night) == 1_535)
        #expect(UnitOfMeasure.week.price(10_745, per: .day) == 1_535)
    }

    @Test("rounding to the penny is half up, at the boundary", arguments: [
        // (pence per day, pence per hour): 24 hours a day.
        (11, 0),   // 0.458p
        (12, 1),   // 0.5p: half up (half to even would say 0)
        (36, 2),   // 1.5p
        (60, 3),   // 2.5p: half up (half to even would say 2)
        (83, 3),   // 3.458p
        (84, 4),   // 3.5p
    ])
    func halfUp(_ perDay: Pence, _ perHour: Pence) {
        #expect(UnitOfMeasure.day.price(perDay, per: .hour) == perHour)
    }

    @Test("£1 a week is 14p a night (14.29p), £1 a year 0p a night; a year's price is 365 days'")
    func smaller() {
        #expect(UnitOfMeasure.week.price(100, per: .night) == 14)
        #expect(UnitOfMeasure.year.price(100, per: .night) == 0)
        #expect(UnitOfMeasure.year.price(3_378_500, per: .night) == 9_256)  // GMCA CR3.0 £33,785 / 365 = £92.5616...
        #expect(UnitOfMeasure.night.price(4_785, per: .week) == 33_495)
        #expect(UnitOfMeasure.hour.price(3_843, per: .day) == 92_232)
    }

    @Test("a contact converts to nothing but a contact; a day and a night are the same")
    func incompatible() {
        #expect(UnitOfMeasure.contact.price(27_300, per: .night) == nil)
        #expect(UnitOfMeasure.week.price(27_300, per: .contact) == nil)
        #expect(UnitOfMeasure.contact.price(27_300, per: .contact) == 27_300)
        #expect(UnitOfMeasure.day.price(57_500, per: .night) == 57_500)
    }

    @Test("a conversion that does not fit in 64 bits is nil, not a trap")
    func overflow() {
        #expect(UnitOfMeasure.hour.price(Pence.max / 2, per: .year) == nil)
    }
}
