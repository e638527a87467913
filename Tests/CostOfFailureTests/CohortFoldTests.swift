import Foundation
import Testing
@testable import CostOfFailure

/// A fold that keeps, per member, its windows and its events as text: the plain reference the
/// grouping and the fold's split over threads are checked against.
private struct EveryMember: CohortFold {
    var members: [Int32: (bounds: StudyWindows.Bounds, events: [String])] = [:]
    func empty() -> EveryMember { EveryMember() }
    mutating func add(_ member: MemberEvents) {
        #expect(members[member.person] == nil, "a member taken twice")
        members[member.person] = (member.bounds, member.events.map { "\($0)" }.sorted())
    }
    mutating func merge(_ other: EveryMember) {
        for (person, value) in other.members {
            #expect(members[person] == nil, "a member in two states")
            members[person] = value
        }
    }
}

@Suite("The cohort's events folded member by member")
struct CohortFoldTests {
    @Test("Grouping by member in blocks, lists set aside or taken over, and folds on 1–3 threads give every member its events once",
          arguments: [(1, 1), (5, 3), (4_097, 2), (9_000, 3)] as [(Int, Int)])
    func grouping(cohortSize: Int, workers: Int) {
        var random = SplitMix64(seed: UInt64(cohortSize))
        var expected = [Int32: [String]]()
        var first = CohortEvents(cohortSize: cohortSize)
        first.chunkEvents = 7
        var second = CohortEvents(cohortSize: cohortSize)
        // The second list's codes 0 and 1 are the first's 1 and 0.
        let services: [Int32] = [1, 0, 2], events: [Int32] = [0, 2, 1]
        for i in 0..<80_000 {
            let person = Int32(random.next() % UInt64(cohortSize)), service = Int32(random.next() % 3), type = Int32(random.next() % 3)
            // Unpriced events with a cost, and costs past what a packed event holds itself, in
            // both lists: the second's outsized entries are numbered after the first's.
            let cost = i % 97 == 0 ? Self.packingBoundaries[i / 97 % Self.packingBoundaries.count] : Pence(i) - 500
            let event = CohortEvent(person: person, service: service, event: type, day: Int32(i % 1_000), quantity: Int32(i % 4),
                                    cost: cost, priced: i % 11 != 0)
            var seen = event
            if i % 2 == 0 {
                first.append(event)
            } else {
                second.append(event)
                seen.service = services[Int(service)]
                seen.event = events[Int(type)]
            }
            expected[person, default: []].append("\(seen)")
        }
        first.append(second, services: services, events: events)
        #expect(first.count == 80_000)
        let grouped = first.grouped()
        let indexDates = (0..<cohortSize).map { CivilDate(daysSinceEpoch: Int32($0)) }
        let definition = StudyWindows(before: WindowSpan(6, .months), after: WindowSpan(6, .months))
        let folded = grouped.fold(EveryMember(), windows: CohortWindows(cohortCoded: PersonWindows(indexDates: indexDates, windows: definition)),
                                  workers: workers)
        let bounds = indexDates.map(definition.bounds(index:))
        #expect(folded.members.count == cohortSize, "members with no events are taken too")
        for person in 0..<Int32(cohortSize) {
            #expect(folded.members[person]?.events == (expected[person] ?? []).sorted())
            #expect(folded.members[person]?.bounds == bounds[Int(person)])
        }
    }

    /// Costs either side of what a packed event's own field holds (see ``PackedCohortEvent``).
    static let packingBoundaries: [Pence] = [0, 1, -1, -(1 << 30), -(1 << 30) - 1, Pence(Int32.max), Pence(Int32.max) + 1,
                                             Pence(Int32.min), Pence(Int32.min) + 1, .max, .min]

    @Test("An event packed to 20 bytes unpacks to itself, priced or not, at the costs either side of the packed field's range")
    func packing() {
        #expect(MemoryLayout<PackedCohortEvent>.stride == 20 && MemoryLayout<PackedCohortEvent.Grouped>.stride == 16)
        var outsized: [PackedCohortEvent.Outsized] = []
        var packed: [PackedCohortEvent] = []
        var events: [CohortEvent] = []
        for cost in Self.packingBoundaries {
            for priced in [true, false] {
                let event = CohortEvent(person: 7, service: 3, event: 2, day: -5, quantity: .max, cost: cost, priced: priced)
                events.append(event)
                packed.append(PackedCohortEvent(event, outsized: &outsized))
            }
        }
        // Only what the field cannot hold is set aside: the priced costs in -2^30...Int32.max
        // and an unpriced event without a cost are not.
        #expect(outsized.count == Self.packingBoundaries.count * 2 - 5 - 1)
        outsized.withUnsafeBufferPointer { outsized in
            #expect(packed.map { $0.unpacked(outsized: outsized) } == events)
        }
    }

    @Test("Service and event codes past what the packed field holds are set aside with the event and come back exactly, also when another list's codes map into or out of them")
    func wideCodes() {
        let codes: [(service: Int32, event: Int32)] = [(0, 0), (0xFFFE, 0xFFFF), (0xFFFF, 0), (0, 0x10000), (70_000, 3), (1, 3), (Int32.max, Int32.max)]
        var outsized: [PackedCohortEvent.Outsized] = []
        var packed: [PackedCohortEvent] = []
        var events: [CohortEvent] = []
        for (i, code) in codes.enumerated() {
            for cost in [0, 12_345, Pence.max] as [Pence] {
                for priced in [true, false] {
                    let event = CohortEvent(person: Int32(i), service: code.service, event: code.event, day: Int32(i), quantity: 1,
                                            cost: cost, priced: priced)
                    events.append(event)
                    packed.append(PackedCohortEvent(event, outsized: &outsized))
                }
            }
        }
        // Only the events with codes past the field, or a cost it cannot hold, are set aside.
        #expect(packed.filter { $0.codes == PackedCohortEvent.codesSetAside }.count == 4 * 6)
        outsized.withUnsafeBufferPointer { outsized in
            #expect(packed.map { $0.unpacked(outsized: outsized) } == events)
        }
        // A later list's codes mapped into the first's: narrow to wide (service 1 → 80,000,
        // event 3 → 0x20000), wide to narrow (service 70,000 → 2), the rest as they are.
        var services = Array(0...Int32(70_000)), eventTypes = Array(0...Int32(0x10000))
        services[1] = 80_000
        services[70_000] = 2
        eventTypes[3] = 0x20000
        func event(_ person: Int32, _ service: Int32, _ type: Int32, cost: Pence) -> CohortEvent {
            CohortEvent(person: person, service: service, event: type, day: 9, quantity: 2, cost: cost, priced: true)
        }
        let own = [event(0, 0xFFFF, 0, cost: Pence.max), event(1, 5, 5, cost: 7)]
        let later = [event(0, 1, 3, cost: 11), event(1, 70_000, 3, cost: Pence.min), event(1, 1, 0x10000, cost: 13), event(2, 4, 4, cost: 17)]
        var first = CohortEvents(cohortSize: 3, bucketShift: 1, chunkEvents: 1)
        var second = CohortEvents(cohortSize: 3, bucketShift: 1, chunkEvents: 1)
        for e in own { first.append(e) }
        for e in later { second.append(e) }
        first.append(second, services: services, events: eventTypes)
        let grouped = first.grouped()
        func mapped(_ e: CohortEvent) -> CohortEvent {
            event(e.person, services[Int(e.service)], eventTypes[Int(e.event)], cost: e.cost)
        }
        #expect(grouped.events(of: 0) == [own[0], mapped(later[0])])
        #expect(grouped.events(of: 1) == [own[1], mapped(later[1]), mapped(later[2])])
        #expect(grouped.events(of: 2) == [mapped(later[3])])
        #expect(mapped(later[0]).service == 80_000 && mapped(later[1]).service == 2 && mapped(later[0]).event == 0x20000)
    }

    @Test("The financial years, appraisal, trajectory, quarterly timeline and baseline check from the streaming pass equal the table path's, with recorded costs and the intervention's services, however the rows are split")
    func streamEqualsTable() throws {
        let dataset = SyntheticDataset(options: .init(events: 30_000, seed: 8, comparisonShare: 0.2, effect: 0.3))
        var bytes: [UInt8] = []
        dataset.writeEvents { bytes += $0 }
        // Recorded costs for some treated people (a zero among them) and the intervention's own
        // service for others, with a treated person who has no rows at all.
        var interventions = dataset.interventionsCSV().split(separator: "\n").enumerated().map { index, line in
            index > 0 && index % 3 == 0 ? String(line) + "\(index % 9 == 0 ? "0" : "\(index).25")" : String(line)
        }
        interventions.append("NO-ROWS-1,2021-01-01,,Synthetic programme,99.99")
        // Index dates too early for a baseline inside the data.
        interventions.append("EARLY-1,2014-09-01,,Synthetic programme,")
        interventions.append("EARLY-2,2015-01-01,,Synthetic programme,")
        let treated = interventions.dropFirst().map { String($0.prefix { $0 != "," }) }
        var programme = "person_id,service,event,date,quantity,cost\n"
        for (i, person) in treated.enumerated() where i % 4 == 0 {
            programme += "\(person),Liberated Method,session,2022-0\(i % 9 + 1)-15,1,\(i % 8 == 0 ? "" : "120.00")\n"
        }
        programme += "EARLY-1,A&E,attendance,2014-08-01,1,\nEARLY-2,A&E,attendance,2015-06-01,1,\n"
        let services = dataset.servicesCSV() + "Liberated Method,Intervention,Changing Futures\n"
        let inputs = StudyInputs(events: [EventSource(try file(String(decoding: bytes, as: UTF8.self), "events.csv")),
                                          EventSource(try file(programme, "programme.csv"))],
                                 interventions: try file(interventions.joined(separator: "\n") + "\n", "interventions.csv"),
                                 unitCosts: try file(dataset.unitCostsCSV(), "unit-costs.csv"),
                                 services: try file(services, "services.csv"),
                                 windows: StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(12, .months),
                                                       observationEnd: day("2023-06-30")))
        let study = try inputs.load()
        let expected = FinancialYearConsumption(study: study)
        let baseline = RegressionToTheMean(study: study)
        let trajectory = Trajectory(study: study)
        let quarters = QuarterlyTimeline(study: study)
        let report = try ConsumptionReport(study: study, subject: .cohort)
        #expect(report.leftOutPeople > 0 && !report.unpriced.isEmpty && !report.response.isEmpty)
        let assumptions = Appraisal.Assumptions(years: 3, persistenceBasisPoints: 8_000, recurringCostPerPersonPence: 5_000)
        let someone = try #require(study.cohortMembers.first { member in
            let code = study.events.persons.code(of: member.personID)
            return code != nil && (0..<study.events.count).contains { study.events.person[$0] == code && !study.costs.priced[$0] }
        }?.personID)
        let personReport = try ConsumptionReport(study: study, subject: .person(someone))
        let personAppraisal = try Appraisal(study: study, assumptions: assumptions, person: someone)
        let personTrajectory = Trajectory(study: study, person: someone)
        let personTimeline = QuarterlyTimeline(study: study, person: someone)
        #expect(personReport.people == 1 && personTimeline.counts.joined().reduce(0, +) > 0)
        #expect(quarters.quarters.count > 30 && quarters.categories.last == ServiceCatalog.interventionCategory)
        #expect(trajectory.points.allSatisfy { $0.people > 100 } && trajectory.points.contains { $0.leftOutEvents > 0 })
        let appraisal = try Appraisal(study: study, assumptions: assumptions)
        #expect(appraisal.oneOffCost > appraisal.recordedCost && appraisal.recordedCost > 0)
        #expect(appraisal.cashableObservedSaving != nil && appraisal.unpriced.before + appraisal.unpriced.after > 0)
        #expect(baseline.people.count > 100 && baseline.flagged > 0 && baseline.withoutBaseline > 0)
        #expect(expected.lines.count > 20 && expected.intervention.count >= 2)
        #expect(expected.intervention.contains { $0.recorded > 0 } && expected.intervention.contains { $0.cost > 0 && $0.unpriced > 0 })
        // The recorded costs as a plain sum over the interventions' rows, of all and of one person with a cost.
        let recorded = { (person: String?) in
            study.interventions.entries.reduce(Pence(0)) { person == nil || $1.personID == person ? $0 + ($1.costPence ?? 0) : $0 }
        }
        let costed = try #require(study.interventions.entries.last { ($0.costPence ?? 0) > 0 }?.personID)
        #expect(report.recordedInterventionCost == recorded(nil) && appraisal.recordedCost == recorded(nil) && recorded(costed) > 0)
        for (workers, morsel, partBytes) in [(1, 1 << 16, 8 << 20), (2, 7, 211), (3, 1_000, 4_096)] {
            var loader = EventLoader(policy: inputs.policy, workers: workers, parallelThreshold: 0)
            loader.morselRows = morsel
            loader.partBytes = partBytes
            let pass = try StreamingPass(inputs, loader: loader, keepingCohortEvents: true)
            let actual = pass.financialYearConsumption
            #expect(actual.lines == expected.lines, "workers \(workers), morsel \(morsel), parts of \(partBytes) bytes")
            #expect(actual.intervention == expected.intervention)
            #expect(actual.prices == expected.prices)
            let streamed = try pass.appraisal(beforeAfter: pass.beforeAfter, assumptions: assumptions)
            #expect(String(describing: streamed.resultTable()) == String(describing: appraisal.resultTable()))
            #expect(streamed.serviceCost == appraisal.serviceCost && streamed.cashableObservedSaving == appraisal.cashableObservedSaving
                    && streamed.nonCashableObservedSaving == appraisal.nonCashableObservedSaving)
            #expect(pass.trajectory().points == trajectory.points)
            #expect(String(describing: try pass.consumptionReport(subject: .cohort)) == String(describing: report))
            // One member's report, appraisal, trajectory and timeline, as `cof report --person` makes them.
            #expect(String(describing: try pass.consumptionReport(subject: .person(someone))) == String(describing: personReport))
            #expect(String(describing: try pass.appraisal(beforeAfter: pass.beforeAfter, assumptions: assumptions, person: someone).resultTable())
                    == String(describing: personAppraisal.resultTable()))
            #expect(pass.trajectory(person: someone).points == personTrajectory.points)
            #expect(pass.quarterlyTimeline(person: someone).counts == personTimeline.counts)
            let timeline = pass.quarterlyTimeline()
            #expect(timeline.quarters == quarters.quarters && timeline.counts == quarters.counts && timeline.people == quarters.people
                    && timeline.categories == quarters.categories)
            #expect(pass.recordedCosts?.rows == study.interventions.entries.count)
            #expect(try pass.consumptionReport(subject: .person(costed)).recordedInterventionCost == recorded(costed))
            #expect(try pass.appraisal(beforeAfter: pass.beforeAfter, person: costed).recordedCost == recorded(costed))
            #expect(try pass.appraisal(beforeAfter: pass.beforeAfter, person: " " + costed).recordedCost == 0)
            let check = pass.regressionToTheMean
            #expect(check.people == baseline.people && check.withoutBaseline == baseline.withoutBaseline)
        }
    }
}

private func file(_ text: String, _ name: String) throws -> InputSource {
    .file(try temporaryFile(text, name: name))
}
