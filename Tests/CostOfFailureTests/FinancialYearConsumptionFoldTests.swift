import Testing
@testable import CostOfFailure

/// The financial-year fold against a plain reference: each event's year from
/// ``FinancialYear/init(containing:)``, cells in dictionaries.
@Suite("The financial-year fold")
struct FinancialYearConsumptionFoldTests {
    @Test("Cells and the intervention's spend equal a plain reference: days either side of 1 April, years inside and beyond the fold's table, members with one cell or dozens, on 1–3 threads",
          arguments: [1, 3])
    func matchesReference(workers: Int) {
        let serviceNames = ["A&E", "Police", "Hostel", "Liberated Method"], eventNames = ["attendance", "arrest", "night"]
        var services = StringDictionary(), events = StringDictionary(), cohort = StringDictionary()
        for name in serviceNames { _ = services.intern(name) }
        for name in eventNames { _ = events.intern(name) }
        let cohortSize = 300
        for i in 0..<cohortSize { _ = cohort.intern("P\(i)") }
        // "Hostel" is not in the catalog: its agency is Unknown.
        let catalog = ServiceCatalog(entries: [.init(service: "A&E", category: "Health", agency: "NHS"),
                                               .init(service: "Police", category: "Criminal justice", agency: "Police"),
                                               .init(service: "Liberated Method", category: ServiceCatalog.interventionCategory)])
        var random = SyntheticRandom(seed: 7)
        func below(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        var list = CohortEvents(cohortSize: cohortSize)
        var all: [CohortEvent] = []
        for person in 0..<Int32(cohortSize) {
            // Even members stay in a few years around 2020; odd ones range over 1700–2400.
            let years = person % 2 == 0 ? 2018...2021 : 1700...2400
            for _ in 0..<below(60) {
                let year = Int.random(in: years, using: &random)
                let april = CivilDate(year: year, month: 4, day: 1)!.daysSinceEpoch
                let day = april + Int32([-1, 0, 1, below(366) - 183][below(4)])
                let priced = below(9) != 0
                let event = CohortEvent(person: person, service: Int32(below(serviceNames.count)), event: Int32(below(eventNames.count)), day: day,
                                        quantity: 1, cost: priced ? Pence(below(100_000)) : 0, priced: priced)
                list.append(event)
                all.append(event)
            }
        }
        var recorded: [InterventionTable.Entry] = []
        for member in stride(from: 0, to: cohortSize, by: 7) {
            let start = CivilDate(daysSinceEpoch: Int32(18_000 + member * 40))
            recorded.append(InterventionTable.Entry(personID: cohort[Int32(member)], start: start, costPence: Pence(member * 100)))
        }
        let fold = FinancialYearConsumption.Fold(services: services, events: events, catalog: catalog, unitCosts: UnitCostTable(entries: []),
                                                 interventions: InterventionTable(entries: recorded), cohort: cohort, prices: "test prices")
        let windows = CohortWindows(cohortCoded: PersonWindows(indexDates: (0..<cohortSize).map { _ in CivilDate(year: 2020, month: 1, day: 1)! },
                                                                 windows: StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(12, .months))))
        let folded = list.grouped().fold(fold, windows: windows, workers: workers)

        // The reference: (events, cost, unpriced, recorded, people, priced people, largest) by key.
        typealias Cell = (events: Int64, cost: Pence, unpriced: Int64, recorded: Pence, people: Int, pricedPeople: Int, largest: Pence?)
        var cells: [Int64: Cell] = [:], spend: [Int: Cell] = [:]
        for person in 0..<Int32(cohortSize) {
            var memberCells: [Int64: Pence?] = [:], memberSpend: [Int: Pence] = [:]
            for event in all where event.person == person {
                let year = FinancialYear(containing: CivilDate(daysSinceEpoch: event.day)).startYear
                let service = serviceNames[Int(event.service)]
                if catalog.isIntervention(service) {
                    spend[year, default: (0, 0, 0, 0, 0, 0, nil)].events += 1
                    if event.priced { spend[year]!.cost += event.cost } else { spend[year]!.unpriced += 1 }
                    memberSpend[year, default: 0] += event.priced ? event.cost : 0
                    continue
                }
                let agency = catalog.entries[service]?.agency ?? "Unknown"
                let label = folded.labels.firstIndex { $0.agency == agency && $0.valueType == "unstated" }!
                let key = Int64(year) << 32 | Int64(label)
                cells[key, default: (0, 0, 0, 0, 0, 0, nil)].events += 1
                if event.priced { cells[key]!.cost += event.cost } else { cells[key]!.unpriced += 1 }
                let sofar = memberCells[key] ?? nil
                memberCells[key] = event.priced ? (sofar ?? 0) + event.cost : sofar
            }
            for entry in recorded where entry.personID == cohort[person] {
                let year = FinancialYear(containing: entry.start).startYear
                spend[year, default: (0, 0, 0, 0, 0, 0, nil)].recorded += entry.costPence!
                memberSpend[year, default: 0] += entry.costPence!
            }
            for (key, cost) in memberCells {
                cells[key]!.people += 1
                if let cost {
                    cells[key]!.pricedPeople += 1
                    cells[key]!.largest = max(cells[key]!.largest ?? cost, cost)
                }
            }
            for (year, cost) in memberSpend {
                spend[year]!.people += 1
                spend[year]!.largest = max(spend[year]!.largest ?? cost, cost)
            }
        }
        #expect(cells.count > 200 && spend.count > 50, "many cells and years, beyond the table too")
        func text(_ cell: Cell) -> String { "\(cell)" }
        #expect(folded.cells.count == cells.count)
        for (key, cell) in folded.cells {
            let expected = cells[key].map(text) ?? "none"
            #expect(text((cell.events, cell.cost, cell.unpriced, cell.recorded, cell.people, cell.pricedPeople, cell.largest)) == expected, "cell \(key)")
        }
        #expect(folded.spend.count == spend.count)
        for (year, cell) in folded.spend {
            #expect(text((cell.events, cell.cost, cell.unpriced, cell.recorded, cell.people, cell.pricedPeople, cell.largest)) == spend[year].map(text) ?? "none",
                    "year \(year)")
        }
    }
}
