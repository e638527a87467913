import Foundation
import Testing
@testable import CostOfFailure

/// The plain reference the kernel (``TopUsersTally``) is checked against: the loop the top users
/// were once made with, over a study's whole table.
private func referenceLines(study: Study, period: ClosedRange<CivilDate>?, top: Int) -> [TopUsers.Line] {
    let events = study.events
    let people = events.persons.count, serviceCount = events.services.count
    struct Tally { var count: Int64 = 0, cost: Pence = 0, before: Int64 = 0, after: Int64 = 0 }
    var tallies: [Int: Tally] = [:]
    let isIntervention = events.services.values.map(study.services.isIntervention)
    let from = period?.lowerBound.daysSinceEpoch ?? .min, to = period?.upperBound.daysSinceEpoch ?? .max
    for i in 0..<events.count {
        let service = Int(events.service[i])
        guard !isIntervention[service] else { continue }
        let day = events.day[i]
        let inPeriod = day >= from && day <= to
        let window = study.personWindows.period(person: events.person[i], day: day)
        guard inPeriod || window != .outside else { continue }
        let slot = Int(events.person[i]) * serviceCount + service
        var tally = tallies[slot] ?? Tally()
        if inPeriod {
            tally.count += 1
            if study.costs.priced[i] { tally.cost += study.costs.pence[i] }
        }
        switch window {
        case .before: tally.before += 1
        case .after: tally.after += 1
        case .outside: break
        }
        tallies[slot] = tally
    }
    func ranks(_ people: [Int32], by value: (Int32) -> Int64) -> [Int32: Int] {
        let sorted = people.map { (person: $0, value: value($0)) }.sorted { $0.value > $1.value }
        var ranks: [Int32: Int] = [:]
        for (position, item) in sorted.enumerated() {
            ranks[item.person] = position > 0 && sorted[position - 1].value == item.value ? ranks[sorted[position - 1].person]! : position + 1
        }
        return ranks
    }
    let order = events.persons.codesInByteOrder()
    var position = [Int](repeating: 0, count: people)
    for (index, person) in order.enumerated() { position[Int(person)] = index }
    let treated = Set(study.treatedPersonCodesInOrder())
    var lines: [TopUsers.Line] = []
    for service in events.services.codesInByteOrder() where !isIntervention[Int(service)] {
        func value(_ person: Int32) -> Tally { tallies[Int(person) * serviceCount + Int(service)] ?? Tally() }
        let users = order.filter { value($0).count > 0 }
        let byEvents = ranks(users) { value($0).count }, byCost = ranks(users) { value($0).cost }
        let cohort = order.filter { treated.contains($0) && (value($0).before > 0 || value($0).after > 0) }
        let rankBefore = ranks(cohort) { value($0).before }, rankAfter = ranks(cohort) { value($0).after }
        for person in users.sorted(by: { (byEvents[$0]!, position[Int($0)]) < (byEvents[$1]!, position[Int($1)]) }).prefix(top) {
            let isTreated = treated.contains(person), figures = value(person)
            lines.append(TopUsers.Line(service: events.services[service], rankByEvents: byEvents[person]!, rankByCost: byCost[person]!,
                                       personID: events.persons[person], events: figures.count, cost: figures.cost,
                                       beforeEvents: isTreated ? figures.before : nil, afterEvents: isTreated ? figures.after : nil,
                                       rankBefore: isTreated && figures.before > 0 ? rankBefore[person] : nil,
                                       rankAfter: isTreated && figures.after > 0 ? rankAfter[person] : nil))
        }
    }
    return lines
}

/// A seeded study with the cases the ranking could get wrong: many ties (a few events each),
/// untreated people, treated people with no events and with events only outside their windows,
/// the intervention's own service, negative, zero and missing costs, unpriced pairs, IDs longer
/// than a followed ID held inline, and dates far outside any period.
private struct RankedStudy {
    let inputs: StudyInputs

    init(seed: UInt64, observationEnd: CivilDate?) throws {
        var random = SplitMix64(seed: seed)
        func below(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        let first = day("2018-01-01").daysSinceEpoch
        var events = "person_id,service,event,date,quantity,cost\n", interventions = "person_id,start_date\n"
        for person in 0..<90 {
            let id = person % 11 == 0 ? "LONG-PERSON-IDENTIFIER-OF-FORTY-BYTES-\(person)" : "P\(person)"
            let treated = person % 3 == 0
            let index = first + 700 + Int32(below(400))
            if treated { interventions += "\(id),\(CivilDate(daysSinceEpoch: index))\n" }
            if person % 17 == 0 { continue }  // no events (treated or not)
            let outsideOnly = treated && person % 5 == 0
            for _ in 0..<below(9) {
                var date = first + Int32(below(1_800))
                if outsideOnly { date = below(2) == 0 ? index - 500 - Int32(below(200)) : index + 400 + Int32(below(200)) }
                let (service, event) = [("A&E", "attendance"), ("A&E", "handover"), ("Police", "arrest"), ("Police", "stop"),
                                        ("LM", "session"), ("Hostel", "night")][below(6)]
                let cost = ["", "", "", "12.50", "-7.25", "0", "333.33"][below(7)]
                events += "\(id),\(service),\(event),\(CivilDate(daysSinceEpoch: date)),\(below(4) == 0 ? "2" : ""),\(cost)\n"
            }
        }
        // A person dated far before everyone, and one far after.
        events += "EARLY,A&E,attendance,1990-01-01,,\nLATE,Police,arrest,2030-01-01,,\n"
        inputs = StudyInputs(events: [EventSource(.file(try temporaryFile(events, name: "events.csv")))],
                             interventions: .file(try temporaryFile(interventions, name: "interventions.csv")),
                             unitCosts: .file(try temporaryFile("service,event,unit_cost\nA&E,attendance,150\nPolice,arrest,80\nLM,*,40\nHostel,*,35\n",
                                                                name: "unit-costs.csv")),
                             services: .file(try temporaryFile("service,category,agency\nLM,Intervention,Programme\nA&E,Health,NHS\n", name: "services.csv")),
                             windows: StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(6, .months), observationEnd: observationEnd))
    }
}

/// The periods the tests rank over: every date, a span, one day, and a span with no events.
private let periods: [ClosedRange<CivilDate>?] = [nil, day("2019-03-01")...day("2021-06-30"), day("2019-07-01")...day("2019-07-01"),
                                                   day("2040-01-01")...day("2041-01-01")]

@Suite("Top users")
struct TopUsersTests {
    @Test("Competition ranks over the period, ties in ID order, cohort ranks in each person's own windows")
    func ranks() throws {
        var builder = EventTableBuilder()
        for (person, dates) in [("P2", ["2019-06-01", "2019-07-01", "2020-02-01"]), ("P1", ["2019-05-01", "2019-08-01", "2019-09-01"]),
                                ("P3", ["2019-06-01"]), ("P4", ["2015-01-01", "2015-01-02", "2015-01-03", "2015-01-04"])] {
            for date in dates { builder.append(person: person, service: "A&E", event: "attendance", date: day(date), explicitCost: 100) }
        }
        builder.append(person: "P3", service: "A&E", event: "attendance", date: day("2019-06-02"), explicitCost: 5_000)
        let study = try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: []),
                              interventions: InterventionTable(entries: [.init(personID: "P1", start: day("2020-01-01")),
                                                                         .init(personID: "P2", start: day("2020-01-01"))]),
                              windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)))
        let lines = TopUsers(study: study, period: day("2019-01-01")...day("2020-12-31"), top: 3).lines
        #expect(lines.map(\.personID) == ["P1", "P2", "P3"])  // P4's events are before the period
        #expect(lines.map(\.rankByEvents) == [1, 1, 3])
        #expect(lines.map(\.rankByCost) == [2, 2, 1])  // P3's two events cost £51
        #expect(lines.map(\.beforeEvents) == [3, 2, nil])
        #expect(lines.map(\.rankBefore) == [1, 2, nil])
        #expect(lines.map(\.rankAfter) == [nil, 1, nil])  // P1 has no event after
    }

    @Test("Competition ranks: ties share a rank and the next skips")
    func competitionRanks() {
        #expect(TopUsersTally.competitionRanks([5, 9, 5, 1, 9, 0]) == [3, 1, 3, 5, 1, 6])
        #expect(TopUsersTally.competitionRanks([-3, 0, -3]) == [2, 1, 2])
        #expect(TopUsersTally.competitionRanks([]) == [])
    }

    @Test("A study's table, handed to the kernel in morsels of any size, ranks as the reference does", arguments: [41, 42, 43] as [UInt64])
    func tableAgainstReference(seed: UInt64) throws {
        let study = try RankedStudy(seed: seed, observationEnd: seed == 41 ? day("2021-12-31") : nil).inputs.load()
        var sawTies = false, sawIntervention = false, sawNegative = false
        for period in periods {
            for top in [1, 3, 1_000] {
                let expected = referenceLines(study: study, period: period, top: top)
                if period == nil && top == 1_000 {
                    #expect(!expected.isEmpty)
                    sawTies = Dictionary(grouping: expected) { "\($0.service) \($0.rankByEvents)" }.values.contains { $0.count > 1 }
                    sawIntervention = study.events.services.values.contains("LM") && !expected.contains { $0.service == "LM" }
                    sawNegative = expected.contains { $0.cost < 0 }
                    // Treated people with events only outside their windows: listed with 0 before and after.
                    #expect(expected.contains { $0.beforeEvents == 0 && $0.afterEvents == 0 })
                }
                if period == periods.last! { #expect(expected.isEmpty) }
                for morselRows in [1, 7, 1 << 16] {
                    let lines = TopUsers(study: study, period: period, top: top, morselRows: morselRows).lines
                    #expect(lines == expected, "period \(String(describing: period)), top \(top), morsels of \(morselRows)")
                }
            }
        }
        #expect(sawTies && sawIntervention && sawNegative)
        #expect(!study.costs.unpriced.isEmpty)
    }

    @Test("The streaming pass, however its rows are split, ranks as the reference does, and reports what it reports without ranking",
          arguments: [51, 52] as [UInt64])
    func passAgainstReference(seed: UInt64) throws {
        let inputs = try RankedStudy(seed: seed, observationEnd: seed == 51 ? day("2021-12-31") : nil).inputs
        let study = try inputs.load()
        let plain = try StreamingPass(inputs, keepingCohortEvents: true)
        for period in periods.prefix(2) {
            let expected = (top: referenceLines(study: study, period: period, top: 3), all: referenceLines(study: study, period: period, top: 1_000))
            for loader in loaders(.failFast) {
                for keeping in [true, false] {  // cof export keeps them; the ranking does not need them
                    let label = "period \(String(describing: period)), morsel \(loader.morselRows), workers \(loader.workers), parts of \(loader.partBytes) bytes"
                    let pass = try StreamingPass(inputs, loader: loader, keepingCohortEvents: keeping, rankingTopUsers: TopUsers.Ranking(period: period))
                    #expect(pass.topUsers(top: 3).lines == expected.top, "\(label)")
                    #expect(pass.topUsers(top: 1_000).lines == expected.all, "\(label)")
                    // Coding everyone changes nothing else the pass reports.
                    #expect(pass.beforeAfter.rows == plain.beforeAfter.rows, "\(label)")
                    #expect(pass.sourceCoverage == study.sourceCoverage, "\(label)")
                    #expect(pass.unpriced == study.costs.unpriced && pass.events.sources == study.events.sources, "\(label)")
                    #expect(pass.observationEnd == plain.observationEnd && pass.cohortMembers == plain.cohortMembers, "\(label)")
                }
            }
        }
    }

    @Test("Generated data (cof generate's): the pass and the table rank alike")
    func synthetic() throws {
        let dataset = SyntheticDataset(options: .init(events: 20_000, seed: 9, people: 900, interventionShare: 0.3))
        var bytes: [UInt8] = []
        dataset.writeEvents { bytes += $0 }
        let inputs = StudyInputs(events: [EventSource(.file(try temporaryFile(String(decoding: bytes, as: UTF8.self), name: "events.csv")))],
                                 interventions: .file(try temporaryFile(dataset.interventionsCSV(), name: "interventions.csv")),
                                 unitCosts: .file(try temporaryFile(dataset.unitCostsCSV(), name: "unit-costs.csv")),
                                 services: .file(try temporaryFile(dataset.servicesCSV(), name: "services.csv")),
                                 windows: StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(12, .months)))
        let study = try inputs.load()
        for period in [nil, day("2015-01-01")...day("2016-12-31")] as [ClosedRange<CivilDate>?] {
            let expected = referenceLines(study: study, period: period, top: 10)
            #expect(!expected.isEmpty)
            #expect(TopUsers(study: study, period: period, top: 10).lines == expected)
            for workers in [1, 2] {
                var loader = EventLoader(workers: workers, parallelThreshold: 0)
                loader.partBytes = 64 << 10
                let pass = try StreamingPass(inputs, loader: loader, keepingCohortEvents: true, rankingTopUsers: TopUsers.Ranking(period: period))
                #expect(pass.topUsers(top: 10).lines == expected, "workers \(workers)")
            }
        }
    }

    @Test("IDs in Windows-1252, with spaces around them, of every length: a treated person is known as treated when everyone is coded")
    func idsAsWritten() throws {
        // "PÉ1" in Windows-1252 (É = 0xC9) beside the same person in UTF-8 with spaces; the interventions file is UTF-8.
        var cp1252: [UInt8] = Array("person_id,service,event,date\n".utf8)
        var utf8 = "person_id,service,event,date\n"
        for i in 0..<120 {
            cp1252 += Array("P".utf8) + [0xC9] + Array("1,A&E,attendance,2023-0\(i % 9 + 1)-15\n".utf8)
            let id = String(repeating: "L", count: 20 + i % 25)  // around the 32 bytes an ID is held inline
            utf8 += "  PÉ1 ,A&E,attendance,2022-0\(i % 9 + 1)-10\n\(id),A&E,attendance,2023-0\(i % 9 + 1)-11\nP2,Police,arrest,2023-0\(i % 9 + 1)-12\n"
        }
        let cpPath = try temporaryFile("", name: "cp1252.csv")
        try Data(cp1252).write(to: URL(fileURLWithPath: cpPath))
        let treated = String(repeating: "L", count: 32)
        let inputs = StudyInputs(events: [EventSource(.file(cpPath), encoding: .windows1252), EventSource(.file(try temporaryFile(utf8, name: "utf8.csv")))],
                                 interventions: .file(try temporaryFile("person_id,start_date\nPÉ1,2023-01-01\n\(treated),2023-03-01\n", name: "interventions.csv")),
                                 unitCosts: .file(try temporaryFile("service,event,unit_cost\nA&E,*,100\n", name: "unit-costs.csv")),
                                 windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)))
        let study = try inputs.load()
        let expected = referenceLines(study: study, period: nil, top: 100)
        let line = try #require(expected.first { $0.personID == "PÉ1" })
        #expect(line.events == 240 && line.beforeEvents == 120 && line.afterEvents == 120)
        #expect(expected.contains { $0.personID == treated && $0.beforeEvents != nil })
        for loader in loaders(.failFast) {
            let pass = try StreamingPass(inputs, loader: loader, keepingCohortEvents: true, rankingTopUsers: TopUsers.Ranking(period: nil))
            #expect(pass.topUsers(top: 100).lines == expected, "morsel \(loader.morselRows), workers \(loader.workers), parts of \(loader.partBytes) bytes")
            #expect(pass.sourceCoverage == study.sourceCoverage)
        }
    }

    @Test("States of any split of the rows merge into the state of them all")
    func merge() throws {
        let study = try RankedStudy(seed: 61, observationEnd: nil).inputs.load()
        let events = study.events
        let windowCode = (0..<Int32(events.persons.count)).map { study.personWindows.index(of: $0) == PersonWindows.noIndex ? -1 : $0 }
        func tally(_ rows: [Int]) -> TopUsersTally {
            var tally = TopUsersTally(period: periods[1], services: study.services)
            let person = rows.map { events.person[$0] }, service = rows.map { events.service[$0] }, days = rows.map { events.day[$0] }
            let cost = rows.map { study.costs.pence[$0] }, priced = rows.map { study.costs.priced[$0] }, window = person.map { windowCode[Int($0)] }
            person.withUnsafeBufferPointer { person in service.withUnsafeBufferPointer { service in days.withUnsafeBufferPointer { days in
                cost.withUnsafeBufferPointer { cost in priced.withUnsafeBufferPointer { priced in window.withUnsafeBufferPointer { window in
                    tally.update(TopUsersTally.Rows(person: person, service: service, day: days, cost: cost, priced: priced,
                                                    windowPerson: window, windows: study.personWindows), services: events.services)
                } } }
            } } }
            return tally
        }
        let expected = try tally(Array(0..<events.count)).lines(persons: events.persons, services: events.services, top: 1_000)
        var random = SplitMix64(seed: 7)
        let identity = (persons: (0..<Int32(events.persons.count)).map { $0 }, services: (0..<Int32(events.services.count)).map { $0 })
        for parts in [2, 3, 8] {
            var split = [[Int]](repeating: [], count: parts)
            for row in 0..<events.count { split[Int(random.next() % UInt64(parts))].append(row) }
            var merged = tally(split[0])
            for part in split.dropFirst() { merged.merge(tally(part), persons: identity.persons, services: identity.services) }
            #expect(try merged.lines(persons: events.persons, services: events.services, top: 1_000) == expected, "\(parts) parts")
        }
    }

    @Test("Costs beyond the engine's ceiling are an error, not a trap, however they are split")
    func overflow() throws {
        let windows = PersonWindows(indexDates: [], windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)))
        var services = StringDictionary()
        _ = services.intern("A&E")
        func tally(_ costs: [Pence]) -> TopUsersTally {
            var tally = TopUsersTally(period: nil, services: .empty)
            let person = [Int32](repeating: 0, count: costs.count), service = person, days = person
            let priced = [Bool](repeating: true, count: costs.count), window = [Int32](repeating: -1, count: costs.count)
            person.withUnsafeBufferPointer { person in service.withUnsafeBufferPointer { service in days.withUnsafeBufferPointer { days in
                costs.withUnsafeBufferPointer { cost in priced.withUnsafeBufferPointer { priced in window.withUnsafeBufferPointer { window in
                    tally.update(TopUsersTally.Rows(person: person, service: service, day: days, cost: cost, priced: priced,
                                                    windowPerson: window, windows: windows), services: services)
                } } }
            } } }
            return tally
        }
        var persons = StringDictionary()
        _ = persons.intern("P1")
        let huge = CostResolver.maximumTotal / 2 + 1
        // Each half fits; together they pass the ceiling, and so do a positive and a negative
        // that would cancel to nothing in a wrapped sum.
        #expect(throws: Never.self) { try tally([huge]).lines(persons: persons, services: services, top: 1) }
        #expect(throws: CostResolver.Overflow.self) { try tally([huge, huge]).lines(persons: persons, services: services, top: 1) }
        #expect(throws: CostResolver.Overflow.self) { try tally([huge, -huge]).lines(persons: persons, services: services, top: 1) }
        var merged = tally([huge])
        merged.merge(tally([Pence.max / 2]), persons: [0], services: [0])
        #expect(throws: CostResolver.Overflow.self) { try merged.lines(persons: persons, services: services, top: 1) }
    }
}
