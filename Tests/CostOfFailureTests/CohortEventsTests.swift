import Testing
@testable import CostOfFailure

/// ``CohortEvents`` kept in buckets of member codes and grouped bucket by bucket, against a
/// plain reference: every event in the order taken, each member's picked out in that order (a
/// stable sort by member).
@Suite("The cohort's kept events, grouped by member")
struct CohortEventsTests {
    /// Events for members `0..<cohortSize`, with costs either side of what a packed event holds.
    private static func event(_ random: inout SplitMix64, cohortSize: Int, index i: Int) -> CohortEvent {
        // Some members far busier than others (the low codes), so that buckets differ in size.
        let person = random.next() % 4 == 0 ? Int32(random.next() % UInt64(min(cohortSize, 3)))
                                            : Int32(random.next() % UInt64(cohortSize))
        let boundaries = CohortFoldTests.packingBoundaries
        let cost = i % 53 == 0 ? boundaries[i / 53 % boundaries.count] : Pence(i) - 700
        return CohortEvent(person: person, service: Int32(random.next() % 3), event: Int32(random.next() % 3),
                           day: Int32(i % 2_000) - 100, quantity: Int32(i % 5), cost: cost, priced: i % 13 != 0)
    }

    @Test("Grouped by member on one thread or several, each member's events in the order taken: lists set aside, taken over before, between and after the receiver's own events, recoded or not, and the receiver's own after the last",
          arguments: [(1, 0, 1), (2, 0, 1), (7, 1, 2), (300, 3, 7), (300, 12, 3), (5_000, 6, 5), (9_000, 9, 64), (20_000, 14, 1_000)]
              as [(Int, Int, Int)])
    func matchesReference(cohortSize: Int, bucketShift: Int, chunkEvents: Int) {
        var random = SplitMix64(seed: UInt64(cohortSize * 31 + bucketShift))
        let shape = CohortEvents(cohortSize: cohortSize, bucketShift: bucketShift, chunkEvents: chunkEvents)
        var receiver = shape, recoded = shape, same = shape
        // `recoded`'s codes 0 and 1 are the receiver's 1 and 0; `same`'s are the receiver's.
        let services: [Int32] = [1, 0, 2], events: [Int32] = [0, 2, 1], identity: [Int32] = [0, 1, 2]
        var ownBefore: [CohortEvent] = [], taken: [CohortEvent] = [], ownAfter: [CohortEvent] = [], takenLast: [CohortEvent] = []
        var i = 0
        for _ in 0..<12_000 {
            let event = Self.event(&random, cohortSize: cohortSize, index: i)
            i += 1
            switch random.next() % 3 {
            case 0:
                receiver.append(event)
                ownBefore.append(event)
            case 1:
                recoded.append(event)
                var seen = event
                seen.service = services[Int(event.service)]
                seen.event = events[Int(event.event)]
                taken.append(seen)
            default:
                same.append(event)
                takenLast.append(event)
            }
        }
        receiver.append(recoded, services: services, events: events)
        for _ in 0..<3_000 {
            let event = Self.event(&random, cohortSize: cohortSize, index: i)
            i += 1
            receiver.append(event)
            ownAfter.append(event)
        }
        receiver.append(same, services: identity, events: identity)
        // An empty list taken over changes nothing.
        receiver.append(shape, services: services, events: events)
        // And the receiver's own events after the last list taken over (a later file read whole).
        var ownLast: [CohortEvent] = []
        for _ in 0..<2_000 {
            let event = Self.event(&random, cohortSize: cohortSize, index: i)
            i += 1
            receiver.append(event)
            ownLast.append(event)
        }
        let all = ownBefore + taken + ownAfter + takenLast + ownLast
        #expect(receiver.count == all.count)
        var expected = [[CohortEvent]](repeating: [], count: cohortSize)
        for event in all { expected[Int(event.person)].append(event) }

        // On one thread and on several (threads taking whole buckets), the same.
        for workers in [1, 2, 3] {
            let grouped = receiver.grouped(workers: workers)
            #expect(grouped.cohortSize == cohortSize)
            #expect(grouped.events.count == all.count)
            for member in 0..<cohortSize {
                #expect(grouped.events(of: member) == expected[member], "member \(member), workers \(workers)")
                #expect(grouped.hasEvents(member: member) == !expected[member].isEmpty)
                #expect(grouped.withEvents(of: member) { Array($0) } == expected[member])
            }
        }
    }

    @Test("A cohort with no events, and one with no members, group to nothing")
    func empty() {
        for cohortSize in [0, 1, 5_000] {
            let grouped = CohortEvents(cohortSize: cohortSize).grouped()
            #expect(grouped.cohortSize == cohortSize && grouped.events.isEmpty)
            #expect((0..<cohortSize).allSatisfy { !grouped.hasEvents(member: $0) })
        }
    }

    @Test("Buckets span at least 4,096 member codes and number at most 64, whatever the cohort's size",
          arguments: [0, 1, 4_095, 4_096, 4_097, 262_144, 262_145, 751_000, 10_000_000])
    func bucketShape(cohortSize: Int) {
        let list = CohortEvents(cohortSize: cohortSize)
        #expect(list.bucketShift >= CohortEvents.leastBucketShift)
        let buckets = (cohortSize + (1 << list.bucketShift) - 1) >> list.bucketShift
        #expect(buckets <= CohortEvents.mostBuckets)
        // No narrower buckets would do: halving them would make too many.
        if list.bucketShift > CohortEvents.leastBucketShift {
            #expect((cohortSize + (1 << (list.bucketShift - 1)) - 1) >> (list.bucketShift - 1) > CohortEvents.mostBuckets)
        }
    }
}
