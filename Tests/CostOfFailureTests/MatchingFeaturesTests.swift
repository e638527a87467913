import Foundation
import Testing
@testable import CostOfFailure

/// The layout ``MatchingFeatures`` had before it read the kernel's grouped events, kept as the
/// plain reference: the table's rows by person with a counting sort, each person's rows by
/// (day, row).
private struct ReferenceLayout {
    /// Per person: a range into ``rows`` (`starts[p]..<starts[p + 1]`).
    var starts: [Int]
    /// Row numbers, person by person, each person's by (day, row).
    var rows: [Int]

    init(_ events: EventTable) {
        let people = events.persons.count
        var starts = [Int](repeating: 0, count: people + 1)
        for person in events.person { starts[Int(person) + 1] += 1 }
        for p in 0..<people { starts[p + 1] += starts[p] }
        var next = starts
        var rows = [Int](repeating: 0, count: events.count)
        for i in 0..<events.count {
            rows[next[Int(events.person[i])]] = i
            next[Int(events.person[i])] += 1
        }
        for p in 0..<people {
            rows[starts[p]..<starts[p + 1]].sort { (events.day[$0], $0) < (events.day[$1], $1) }
        }
        self.starts = starts
        self.rows = rows
    }

    func rows(of person: Int32) -> ArraySlice<Int> { rows[starts[Int(person)]..<starts[Int(person) + 1]] }
}

/// A study of `people` people with heavy-tailed use, rows in no order, many events on the same
/// day, unpriced pairs, explicit costs (negative and beyond 32 bits among them), a service of
/// the intervention's own category and one the catalog does not list.
private func generatedStudy(seed: UInt64, people: Int, rows: Int) throws -> Study {
    var random = SyntheticRandom(seed: seed)
    let services = ["A&E", "Police", "Hostel", "GP", "Navigator", "Älvsjö"]
    let eventTypes = ["attendance", "arrest", "night"]
    let first = day("2018-01-01").daysSinceEpoch
    var builder = EventTableBuilder()
    for _ in 0..<rows {
        let p = Int(Double(people) * pow(Double.random(in: 0..<1, using: &random), 3))
        // Days in few places, so that a person has many events on one day.
        let date = CivilDate(daysSinceEpoch: first + Int32.random(in: 0..<200, using: &random) * 7)
        let explicit: Pence? = switch Int.random(in: 0..<20, using: &random) {
        case 0: Pence.random(in: -50_000...900_000, using: &random)
        case 1: [5_000_000_000, -3_000_000_000, 0].randomElement(using: &random)!
        default: nil
        }
        builder.append(person: "P\(min(p, people - 1))", service: services.randomElement(using: &random)!,
                       event: eventTypes.randomElement(using: &random)!, date: date,
                       quantity: Int32.random(in: 1...5, using: &random), explicitCost: explicit)
    }
    var unitCosts: [UnitCostTable.Entry] = []
    for service in services {
        for event in eventTypes where Int.random(in: 0..<3, using: &random) > 0 {
            unitCosts.append(.init(service: service, event: event, unitCostPence: Pence.random(in: 0...60_000, using: &random)))
        }
    }
    let catalog = ServiceCatalog(entries: [.init(service: "A&E", category: "Health"), .init(service: "GP", category: "Health"),
                                           .init(service: "Police", category: "Criminal justice"), .init(service: "Hostel", category: "Housing"),
                                           .init(service: "Navigator", category: ServiceCatalog.interventionCategory)])
    let interventions = (0..<people).filter { _ in Int.random(in: 0..<5, using: &random) == 0 }.map {
        InterventionTable.Entry(personID: "P\($0)", start: CivilDate(daysSinceEpoch: first + Int32.random(in: 300...1_200, using: &random)))
    }
    return try Study(events: builder.finish(), unitCosts: UnitCostTable(entries: unitCosts), interventions: InterventionTable(entries: interventions),
                     services: catalog, windows: StudyWindows(before: WindowSpan(6, .months), after: WindowSpan(1, .years),
                                                              observationEnd: CivilDate(daysSinceEpoch: first + 1_300)))
}

/// Person `person`'s variables at `index`, worked out plainly from the table's rows in
/// (day, row) order (the order the features sum in, so the doubles match exactly).
private func referenceMeasure(_ study: Study, _ layout: ReferenceLayout, names: [String], person: Int32, index: CivilDate) -> [Double] {
    let events = study.events
    let bounds = study.windows.bounds(index: index)
    let priorStart = WindowSpan(1, .years).subtracted(from: CivilDate(daysSinceEpoch: bounds.beforeStart)).daysSinceEpoch
    func place(of service: Int32) -> Int? {
        let category = study.services.category(of: events.services[service]) ?? "Other"
        if category == ServiceCatalog.interventionCategory { return nil }
        return names.firstIndex(of: "before-window use: \(category) (ln(1 + £))")! - 1
    }
    let rows = layout.rows(of: person)
    let inPrior = rows.filter { events.day[$0] >= priorStart && events.day[$0] < bounds.beforeStart && place(of: events.service[$0]) != nil }
    let inBefore = rows.filter { events.day[$0] >= bounds.beforeStart && events.day[$0] < bounds.beforeEnd && place(of: events.service[$0]) != nil }
    let unpricedPrior = Set(inPrior.filter { !study.costs.priced[$0] }.map { events.service[$0] })
    let unpricedBefore = Set(inBefore.filter { !study.costs.priced[$0] }.map { events.service[$0] })
    var before = [Double](repeating: 0, count: names.count - 2)
    var prior: Double = 0
    for row in rows where events.day[row] >= priorStart && events.day[row] < bounds.beforeEnd {
        guard let category = place(of: events.service[row]) else { continue }
        let cost = Double(study.costs.priced[row] ? study.costs.pence[row] : 0)
        if events.day[row] < bounds.beforeStart {
            if !unpricedPrior.contains(events.service[row]) { prior += cost }
        } else if !unpricedBefore.contains(events.service[row]) {
            before[category] += cost
        }
    }
    let age = rows.first.map { max(0, Double(index.daysSinceEpoch - events.day[$0])) / 365.25 } ?? 0
    return [age] + before.map(MatchingFeatures.use) + [MatchingFeatures.use(prior)]
}

/// Person `person`'s window costs at `index`, worked out plainly: each (person, service) cell
/// summed, then ``PricedCells/pricedPart(before:after:)`` unless the service is the
/// intervention's own.
private func referenceWindowCosts(_ study: Study, person: Int32, index: CivilDate, columns: Int, column: [Int?],
                                  isIntervention: [Bool]) -> (before: [Pence], after: [Pence]) {
    let events = study.events
    let bounds = study.windows.bounds(index: index)
    var cells: [Int32: (before: PeriodFigures, after: PeriodFigures)] = [:]
    for row in 0..<events.count where events.person[row] == person {
        let figures = PeriodFigures(events: 1, cost: study.costs.pence[row], unpriced: study.costs.priced[row] ? 0 : 1)
        switch bounds.period(of: events.day[row]) {
        case .before: cells[events.service[row], default: (PeriodFigures(), PeriodFigures())].before = cells[events.service[row], default: (PeriodFigures(), PeriodFigures())].before + figures
        case .after: cells[events.service[row], default: (PeriodFigures(), PeriodFigures())].after = cells[events.service[row], default: (PeriodFigures(), PeriodFigures())].after + figures
        default: break
        }
    }
    var before = [Pence](repeating: 0, count: columns), after = [Pence](repeating: 0, count: columns)
    for (service, whole) in cells {
        let s = Int(service)
        let cell = isIntervention[s] ? whole : PricedCells.pricedPart(before: whole.before, after: whole.after)
        if let c = column[s] {
            before[c] += cell.before.cost
            after[c] += cell.after.cost
        }
        if !isIntervention[s] {
            before[0] += cell.before.cost
            after[0] += cell.after.cost
        }
    }
    return (before, after)
}

@Suite("The variables a comparison group is matched on, against a plain reference")
struct MatchingFeaturesTests {
    @Test("Generated data: the layout, every person's variables and window costs at many index dates are the reference's exactly",
          arguments: [1, 2, 3] as [UInt64])
    func againstReference(seed: UInt64) throws {
        let study = try generatedStudy(seed: seed, people: 400, rows: 12_000)
        let events = study.events
        let features = MatchingFeatures(study: study)
        let layout = ReferenceLayout(events)
        // The layout: each person's slots are their rows by (day, row), with the costs as priced.
        #expect(features.starts == layout.starts)
        #expect(features.days == layout.rows.map { events.day[$0] })
        #expect(features.services == layout.rows.map { events.service[$0] })
        #expect(features.pence == layout.rows.map { study.costs.priced[$0] ? study.costs.pence[$0] : 0 })
        #expect(features.priced == layout.rows.map { study.costs.priced[$0] })
        #expect(layout.rows.contains { abs(study.costs.pence[$0]) > Pence(Int32.max) }, "outsized costs are exercised")
        #expect(layout.rows.contains { !study.costs.priced[$0] }, "unpriced events are exercised")

        let serviceCount = events.services.count
        let isIntervention = (0..<Int32(serviceCount)).map { study.services.isIntervention(events.services[$0]) }
        let column: [Int?] = (0..<serviceCount).map { $0 % 2 == 0 ? 1 + $0 % 3 : nil }
        var random = SyntheticRandom(seed: seed)
        var measured = 0, withUse = 0
        for person in 0..<Int32(events.persons.count) {
            let rows = layout.rows(of: person)
            #expect(features.hasEvents(person) == !rows.isEmpty)
            #expect(features.firstDay(person) == rows.first.map { events.day[$0] })
            // Index dates at the person's own event days (window edges fall on events) and elsewhere.
            var indexes = (0..<3).map { _ in CivilDate(daysSinceEpoch: day("2018-01-01").daysSinceEpoch + Int32.random(in: -100...1_600, using: &random)) }
            if let some = rows.randomElement(using: &random) {
                indexes += [0, 1, 182, 183, 184, 365].map { CivilDate(daysSinceEpoch: events.day[some] + $0) }
            }
            for index in indexes {
                let expected = referenceMeasure(study, layout, names: features.names, person: person, index: index)
                #expect(features.measure(person: person, index: index) == expected, "person \(person) at \(index)")
                let costs = try features.windowCosts(person: person, index: index, columns: 4, column: column, isIntervention: isIntervention)
                let reference = referenceWindowCosts(study, person: person, index: index, columns: 4, column: column, isIntervention: isIntervention)
                #expect(costs.before == reference.before && costs.after == reference.after, "person \(person) at \(index)")
                measured += 1
                if expected.dropFirst().contains(where: { $0 > 0 }) { withUse += 1 }
            }
        }
        #expect(measured > 2_000 && withUse > measured / 4, "the measurements see use")
    }

    @Test("A study without events has no one to measure")
    func empty() throws {
        let study = try Study(events: EventTableBuilder().finish(), unitCosts: UnitCostTable(entries: []),
                              interventions: InterventionTable(entries: [.init(personID: "T", start: day("2020-01-01"))]),
                              windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)))
        let features = MatchingFeatures(study: study)
        #expect(features.starts == [0] && features.days.isEmpty)
    }
}
