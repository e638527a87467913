import Testing
@testable import CostOfFailure

@Suite("Comparison scan")
struct BeforeAfterScanTests {
    /// A followed cohort of 300 people (coded in byte order of their IDs), their index dates, and
    /// morsels of generated rows: followed people and others (code -1), three services, days
    /// around the index dates, a few explicit costs and an unpriced event type.
    private struct Rows {
        let persons: StringDictionary
        let windows: PersonWindows
        let resolver: CostResolver
        var morsels: [EventTableBuilder] = []

        init(seed: UInt64) {
            var random = SplitMix64(seed: seed)
            var persons = StringDictionary()
            for n in 0..<300 { _ = persons.intern(String(format: "P%04d", n)) }
            self.persons = persons
            let indexDates = (0..<300).map { _ in day("2020-01-01").addingDays(Int(random.next() % 700)) }
            windows = PersonWindows(indexDates: indexDates, windows: StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(12, .months),
                                                                                   observationEnd: day("2021-06-30")))
            resolver = CostResolver(unitCosts: UnitCostTable(entries: [
                .init(service: "A&E", event: "attendance", unitCostPence: 24_300),
                .init(service: "Police", event: "*", unitCostPence: 51_900),
                .init(service: "Housing", event: "night", unitCostPence: 3_650),
            ]))
            var builder = EventTableBuilder(following: FollowedPeople(persons))
            let names = [("A&E", "attendance"), ("Police", "arrest"), ("Housing", "night"), ("Housing", "advice")]
            for _ in 0..<40 {
                for _ in 0..<Int(random.next() % 90) {
                    let person = Int32(random.next() % 360) - 60  // about one row in six of someone not followed
                    let (service, event) = names[Int(random.next() % 4)]
                    let index = person >= 0 ? indexDates[Int(person)] : day("2020-06-01")
                    builder.append(person: max(-1, person), service: builder.services.intern(service), event: builder.events.intern(event),
                                   day: index.addingDays(Int(random.next() % 900) - 450).daysSinceEpoch,
                                   quantity: Int32(1 + random.next() % 3),
                                   explicitCost: random.next() % 10 == 0 ? Pence(random.next() % 100_000) : nil)
                }
                morsels.append(builder)
                builder.removeAllRows()
            }
        }

        func scan(chunkEvents: Int, morsels range: Range<Int>) -> BeforeAfterScan {
            var scan = BeforeAfterScan(windows: windows, resolver: resolver)
            scan.chunkEvents = chunkEvents
            for morsel in morsels[range] { scan.take(morsel) }
            return scan
        }

        func rows(_ scan: BeforeAfterScan) throws -> [BeforeAfterTable.Row] {
            try BeforeAfterTable(scan: scan, persons: persons, services: morsels.last!.services).rows
        }
    }

    @Test("Windowed events set aside in lists of any length, and joined from other scans, give the same comparison")
    func listsOfAnyLength() throws {
        for seed in [1, 2, 3] as [UInt64] {
            let rows = Rows(seed: seed)
            let whole = rows.scan(chunkEvents: 1 << 16, morsels: 0..<rows.morsels.count)
            let expected = try rows.rows(whole)
            #expect(expected.count > 100)
            #expect(whole.windowedEvents > 300)
            for chunk in [1, 2, 3, 64, 1_000] {
                let chunked = rows.scan(chunkEvents: chunk, morsels: 0..<rows.morsels.count)
                #expect(chunked.windowedEvents == whole.windowedEvents)
                #expect(try rows.rows(chunked) == expected, "lists of \(chunk)")
                // Two scans of halves, each with lists set aside, joined (the second's service codes
                // are the same: an identity recoding).
                var first = rows.scan(chunkEvents: chunk, morsels: 0..<17)
                let second = rows.scan(chunkEvents: chunk + 1, morsels: 17..<rows.morsels.count)
                let services = Array(0..<Int32(rows.morsels.last!.services.count))
                let events = Array(0..<Int32(rows.morsels.last!.events.count))
                first.append(second, recoding: .init(persons: [], services: services, events: events))
                #expect(first.windowedEvents == whole.windowedEvents)
                #expect(try rows.rows(first) == expected, "halves, lists of \(chunk)")
            }
        }
    }

    @Test("Kept cohort events in small buckets and lists, from scans of a file's parts joined in order and a later part read after, group as one scan of the whole file's, member by member in file order")
    func keptEventsJoined() {
        for seed in [4, 5] as [UInt64] {
            let rows = Rows(seed: seed)
            func scan(_ range: Range<Int>, from template: BeforeAfterScan) -> BeforeAfterScan {
                var scan = template.empty()
                for morsel in rows.morsels[range] { scan.take(morsel) }
                return scan
            }
            var plain = BeforeAfterScan(windows: rows.windows, resolver: rows.resolver)
            plain.keepsCohortEvents = true
            var whole = scan(0..<rows.morsels.count, from: plain)
            let expected = whole.takeCohortEvents().grouped()
            #expect(expected.events.count > 500)
            for (bucketShift, chunk) in [(0, 1), (2, 3), (4, 64), (12, 2)] {
                var small = plain
                small.cohortEvents = CohortEvents(cohortSize: rows.windows.count, bucketShift: bucketShift, chunkEvents: chunk)
                // Parts of the file read by three threads, joined in file order.
                var joined = scan(0..<11, from: small)
                let identity = (services: Array(0..<Int32(rows.morsels.last!.services.count)),
                                events: Array(0..<Int32(rows.morsels.last!.events.count)))
                for range in [11..<12, 12..<30] {
                    joined.append(scan(range, from: small), recoding: .init(persons: [], services: identity.services, events: identity.events))
                }
                // The rest read by the joined scan itself (a later file read whole).
                for morsel in rows.morsels[30...] { joined.take(morsel) }
                let grouped = joined.takeCohortEvents().grouped()
                #expect(grouped.events.count == expected.events.count)
                for member in 0..<rows.windows.count {
                    #expect(grouped.events(of: member) == expected.events(of: member), "buckets of \(1 << bucketShift), lists of \(chunk)")
                }
            }
        }
    }
}
