import Foundation
import Testing
@testable import CostOfFailure

@Suite("Financial years and the price base")
struct PriceBaseTests {
    private let index = PriceIndex(entries: [
        .init(year: FinancialYear(startYear: 2006), tenThousandths: 632_017),
        .init(year: FinancialYear(startYear: 2023), tenThousandths: 961_117),
        .init(year: FinancialYear(startYear: 2024), tenThousandths: 1_000_000),
    ], vintage: "test deflator")

    @Test("Financial years run from 1 April to 31 March and are written 2023-24")
    func financialYears() {
        #expect(FinancialYear("2023-24") == FinancialYear(startYear: 2023))
        #expect(FinancialYear("2023/24") == FinancialYear(startYear: 2023))
        #expect(FinancialYear(" 1999-00 ") == FinancialYear(startYear: 1999))
        for bad in ["2023-25", "23-24", "2023", "2023-2024", "abcd-ef", "", "+999-00", "0000-01", "2023-+4"] { #expect(FinancialYear(bad) == nil, "\(bad)") }
        // Found by ProjectFileFuzzer: a start year before 1000 reads back from its own text.
        #expect(FinancialYear("0999-00")?.description == "0999-00")
        #expect(FinancialYear(containing: day("2024-03-31")) == FinancialYear(startYear: 2023))
        #expect(FinancialYear(containing: day("2024-04-01")) == FinancialYear(startYear: 2024))
        #expect(FinancialYear(containing: day("2024-01-01")) == FinancialYear(startYear: 2023))
        #expect(FinancialYear(startYear: 2009).description == "2009-10")
        #expect(FinancialYear(startYear: 1999).description == "1999-00")
        #expect(FinancialYear(startYear: 2024).firstDay == day("2024-04-01"))
    }

    @Test("Restating is exact and rounds once, half away from zero")
    func restate() {
        // GMCA's police arrest, £593.00 in 2006-07 prices: 593 × 100 / 63.2017 = 938.2659 → £938.27.
        #expect(index.restate(59_300, from: FinancialYear(startYear: 2006), to: FinancialYear(startYear: 2024)) == 93_827)
        #expect(index.restate(-59_300, from: FinancialYear(startYear: 2006), to: FinancialYear(startYear: 2024)) == -93_827)
        #expect(index.restate(59_300, from: FinancialYear(startYear: 2024), to: FinancialYear(startYear: 2024)) == 59_300)
        #expect(index.restate(1, from: FinancialYear(startYear: 2010), to: FinancialYear(startYear: 2024)) == nil)
        #expect(PriceIndex.scale(1, by: 3, over: 2) == 2)  // 1.5 → 2
        #expect(PriceIndex.scale(-1, by: 3, over: 2) == -2)
        #expect(PriceIndex.scale(1, by: 5, over: 4) == 1)  // 1.25 → 1
        #expect(PriceIndexLoader.tenThousandths("96.1117") == 961_117)
        #expect(PriceIndexLoader.tenThousandths("100") == 1_000_000)
        #expect(PriceIndexLoader.tenThousandths("54.3") == 543_000)
        for bad in ["96.11171", "-1", "1e3", "", ".5", "9 6"] { #expect(PriceIndexLoader.tenThousandths(bad) == nil, "\(bad)") }
    }

    @Test("Unit costs are restated from their price year; one without a year, or outside the index, is an error")
    func unitCosts() throws {
        let base = try PriceBase(year: FinancialYear(startYear: 2024), index: index)
        let table = UnitCostTable(entries: [
            .init(service: "Police", event: "arrest", unitCostPence: 59_300, priceYear: "2006-07", code: "GMCA-CR7.0"),
            .init(service: "A&E", event: "attendance", unitCostPence: 27_300, priceYear: "2023-24"),
        ])
        let restated = try base.restate(table)
        #expect(restated.entries.map(\.unitCostPence) == [93_827, 28_404])  // 273 × 100 / 96.1117 = 284.0445
        #expect(restated.entries.allSatisfy { $0.priceYear == "2024-25" })
        let noYear = UnitCostTable(entries: [.init(service: "GP", event: "consultation", unitCostPence: 4_500, code: "X1")])
        #expect(throws: PriceBase.Failure.self) { try base.restate(noYear) }
        let uncovered = UnitCostTable(entries: [.init(service: "GP", event: "consultation", unitCostPence: 4_500, priceYear: "2010-11")])
        #expect(throws: PriceBase.Failure.self) { try base.restate(uncovered) }
        #expect(throws: PriceBase.Failure.self) { try PriceBase(year: FinancialYear(startYear: 2030), index: index) }
    }

    @Test("Explicit costs are restated from their event's financial year, on both sides of 1 April")
    func explicitCosts() throws {
        let base = try PriceBase(year: FinancialYear(startYear: 2024), index: index)
        // £100 on 31 March 2024 is in 2023-24 prices: 100 × 100 / 96.1117 = 104.0456 → £104.05.
        #expect(base.restate(explicit: 10_000, day: day("2024-03-31").daysSinceEpoch) == 10_405)
        #expect(base.restate(explicit: 10_000, day: day("2024-04-01").daysSinceEpoch) == 10_000)
        #expect(base.restate(explicit: 10_000, day: day("2015-06-01").daysSinceEpoch) == nil)
    }

    @Test("Recorded intervention costs are restated from the year the intervention started")
    func interventionCosts() throws {
        let base = try PriceBase(year: FinancialYear(startYear: 2024), index: index)
        let table = InterventionTable(entries: [.init(personID: "A", start: day("2024-03-31"), costPence: 10_000),
                                                .init(personID: "B", start: day("2024-04-01"), costPence: 10_000),
                                                .init(personID: "C", start: day("2024-04-01"))])
        #expect(try base.restate(table).entries.map(\.costPence) == [10_405, 10_000, nil])
        let uncovered = InterventionTable(entries: [.init(personID: "A", start: day("2015-06-01"), costPence: 1)])
        #expect(throws: PriceBase.Failure.self) { try base.restate(uncovered) }
    }

    @Test("The shipped deflator and unit costs parse, cover each other and leave out non-commercial licences")
    func shippedReference() throws {
        let deflator = ReferenceData.deflator
        #expect(deflator.entries[FinancialYear(startYear: 2024)]?.tenThousandths == 1_000_000)
        #expect(deflator.entries[FinancialYear(startYear: 2006)]?.tenThousandths == 632_017)
        #expect(deflator.entries[FinancialYear(startYear: 2025)]?.isForecast == true)
        #expect(deflator.years?.lowerBound == FinancialYear(startYear: 2000))
        let unitCosts = ReferenceData.unitCosts
        #expect(unitCosts.entries.count == 27)
        #expect(!unitCosts.entries.contains { $0.licence?.contains("NC") ?? true })
        #expect(unitCosts.entries.allSatisfy { $0.source != nil && $0.valueType == "fiscal" && $0.agency != nil })
        let restated = try PriceBase(year: FinancialYear(startYear: 2024), index: deflator).restate(unitCosts)
        let arrest = restated.entries.first { $0.code == "GMCA-CR7.0" }
        #expect(arrest?.unitCostPence == 93_827)
    }

    @Test("Both compare paths restate alike, and an explicit cost outside the index stops both with the same message")
    func bothPaths() throws {
        var text = "person_id,service,event,date,quantity,cost\n"
        text += "P1,Police,arrest,2024-03-31,1,\nP1,Police,arrest,2024-04-01,2,\nP1,Hostel,night,2024-03-31,1,100.00\nP1,Hostel,night,2024-04-01,1,100.00\n"
        let events = try temporaryFile(text)
        let deflator = try temporaryFile("financial_year,index\n2006-07,63.2017\n2023-24,96.1117\n2024-25,100\n", name: "deflator.csv")
        let unitCosts = try temporaryFile("service,event,unit_cost,price_year\nPolice,arrest,593.00,2006-07\n", name: "unit-costs.csv")
        let interventions = try temporaryFile("person_id,start_date\nP1,2024-04-01\n", name: "interventions.csv")
        var inputs = StudyInputs(events: [EventSource(.file(events))], interventions: .file(interventions), unitCosts: .file(unitCosts),
                                 windows: StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(1, .years)),
                                 priceBase: FinancialYear(startYear: 2024), deflator: .file(deflator))
        let table = try BeforeAfterTable(study: try inputs.load()).rows
        let pass = try StreamingPass(inputs).beforeAfter.rows
        #expect(table == pass)
        let police = table.first { $0.service == "Police" }, hostel = table.first { $0.service == "Hostel" }
        #expect(police?.before.cost == 93_827 && police?.after.cost == 2 * 93_827)
        #expect(hostel?.before.cost == 10_405 && hostel?.after.cost == 10_000)

        let old = try temporaryFile(text + "P1,Hostel,night,2005-06-01,1,100.00\n", name: "old.csv")
        inputs.events = [EventSource(.file(old))]
        var messages: [String] = []
        for run in [{ () throws in _ = try inputs.load() }, { () throws in _ = try StreamingPass(inputs) }] {
            do { try run() } catch { messages.append("\(error)") }
        }
        #expect(messages.count == 2 && messages[0] == messages[1])
        #expect(messages.first?.contains("no price index for 2005-06") == true)
    }
}
