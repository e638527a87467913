import Testing
import CostOfFailure

/// The events CSV of a dataset, as bytes.
private func eventBytes(_ dataset: SyntheticDataset) -> [UInt8] {
    var bytes: [UInt8] = []
    dataset.writeEvents { bytes += $0 }
    return bytes
}

@Suite("Synthetic datasets")
struct SyntheticDatasetTests {
    @Test("The same options and seed give the same bytes; another seed does not")
    func deterministic() {
        let a = SyntheticDataset(options: .init(events: 5_000, seed: 7))
        #expect(eventBytes(a) == eventBytes(SyntheticDataset(options: .init(events: 5_000, seed: 7))))
        #expect(eventBytes(a) != eventBytes(SyntheticDataset(options: .init(events: 5_000, seed: 8))))
        #expect(a.interventionsCSV() == SyntheticDataset(options: .init(events: 5_000, seed: 7)).interventionsCSV())
    }

    @Test("The generated files load cleanly and price every event but the deliberately unpriced kind")
    func loads() throws {
        let dataset = SyntheticDataset(options: .init(events: 20_000, seed: 3))
        let events = try EventLoader().load([.bytes(name: "events.csv", eventBytes(dataset), chunkSize: 4_096)])
        #expect(events.count == 20_000)
        let unitCosts = try UnitCostLoader().load(.bytes(name: "unit-costs.csv", Array(dataset.unitCostsCSV().utf8), chunkSize: 512))
        let costs = try CostResolver(unitCosts: unitCosts).resolve(events)
        #expect(costs.unpriced.map(\.event) == ["advice contact"])
        #expect(events.services.count == 14)
    }

    @Test("Groups have the shares asked for, are disjoint, and the planted effect removes that share of treated people's later events")
    func comparisonAndEffect() throws {
        let options = SyntheticDataset.Options(events: 200_000, seed: 11, interventionShare: 0.3, comparisonShare: 0.2, effect: 0.5)
        let dataset = SyntheticDataset(options: options)
        let groups = dataset.assignments()
        let treated = groups.filter { $0.group == .treated }.count, comparison = groups.filter { $0.group == .comparison }.count
        #expect(abs(Double(treated) / Double(groups.count) - 0.3) < 0.03)
        #expect(abs(Double(comparison) / Double(groups.count) - 0.2) < 0.03)
        let treatedIDs = Set(dataset.interventionsCSV().split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] })
        let comparisonIDs = Set(dataset.comparisonCSV().split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] })
        #expect(treatedIDs.count == treated && comparisonIDs.count == comparison)
        #expect(treatedIDs.isDisjoint(with: comparisonIDs))

        // Treated people's events on or after the index date, with and without the effect.
        func laterTreatedEvents(_ options: SyntheticDataset.Options) throws -> Int {
            let table = try EventLoader().load([.bytes(name: "e.csv", eventBytes(SyntheticDataset(options: options)), chunkSize: 1 << 16)])
            var index: [String: Int32] = [:]
            for (person, assignment) in groups.enumerated() where assignment.group == .treated {
                index[SyntheticDataset.personID(person)] = assignment.index.daysSinceEpoch
            }
            var count = 0
            for i in 0..<table.count {
                if let start = index[table.persons[table.person[i]]], table.day[i] >= start { count += 1 }
            }
            return count
        }
        var without = options
        without.effect = 0
        let kept = Double(try laterTreatedEvents(options)) / Double(try laterTreatedEvents(without))
        #expect(abs(kept - 0.5) < 0.03)
    }
}

@Suite("Data-quality report")
struct DataQualityReportTests {
    @Test("Exact duplicates are counted, near-duplicates are not")
    func duplicates() throws {
        let text = """
            person_id,service,event,date,quantity,cost
            p1,A&E,attendance,2023-05-01,,
            p1,A&E,attendance,2023-05-01,1,
            p1,A&E,attendance,2023-05-01,,
            p1,A&E,attendance,2023-05-01,,12.00
            p1,A&E,attendance,2023-05-01,,12.00
            p1,A&E,attendance,2023-05-02,,
            p2,A&E,attendance,2023-05-01,,
            p1,GP,attendance,2023-05-01,,

            """
        let examined = try DataQualityReport.examine([EventSource(.bytes(name: "d.csv", Array(text.utf8), chunkSize: 64))],
                                                     loader: EventLoader(), unitCosts: nil, interventions: nil)
        let report = DataQualityReport(examined, unitCosts: false, interventions: nil, observationEnd: nil)
        // Rows 2 and 3 repeat row 1 (an empty quantity is 1); row 5 repeats row 4.
        #expect(report.sources.first?.duplicateRows == 3)
    }
}
