import Testing
@testable import CostOfFailure

/// The unpriced pairs' one tally: counts by codes, joined across recoded threads, named in
/// byte order of service then event.
@Suite("Unpriced tally")
struct UnpricedTallyTests {
    @Test("Another thread's codes are recoded when joined; pairs come out named, in byte order")
    func recodedMerge() {
        var services = StringDictionary(), events = StringDictionary()
        let police = services.intern("police"), ae = services.intern("AE")
        let arrest = events.intern("arrest"), visit = events.intern("attendance")
        var mine = UnpricedTally()
        mine.note(service: police, event: arrest)
        // The other thread coded "AE" 0 and "police" 1, "attendance" 0 and "arrest" 1.
        var theirs = UnpricedTally()
        theirs.note(service: 0, event: 0)
        theirs.note(service: 0, event: 0)
        theirs.note(service: 1, event: 1)
        mine.merge(theirs, services: [ae, police], events: [visit, arrest])
        #expect(mine.pairs(services: services, events: events) == [
            EventCosts.UnpricedPair(service: "AE", event: "attendance", events: 2),
            EventCosts.UnpricedPair(service: "police", event: "arrest", events: 2),
        ])
        #expect(UnpricedTally().isEmpty && !mine.isEmpty)
    }
}
