import CostOfFailure
import CostOfFailureReports
import Foundation
import Testing

@Suite("Provenance")
struct ProvenanceTests {
    @Test("Inputs carry their SHA-256 (FIPS 180-2's 'abc' example) and what was read; entries keep their order")
    func inputs() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("provenance-\(UUID().uuidString).csv").path
        try Data("abc".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        #expect(Provenance.sha256(file: path) == abc)
        #expect(Provenance.sha256(file: path + ".missing") == nil)

        var provenance = Provenance()
        provenance.add("engine", "cof 0.6.0")
        provenance.addInput("events", .file(path), rows: "read 1 = loaded 1 + rejected 0")
        provenance.addInput("interventions", .bytes(name: "memory.csv", Array("abc".utf8), chunkSize: 1))
        provenance.addInput("services", .file("-"))
        #expect(provenance.entries.map(\.name) == ["engine", "events", "interventions", "services"])
        #expect(provenance.entries[1].value == "\(path); SHA-256 \(abc); read 1 = loaded 1 + rejected 0")
        #expect(provenance.entries[2].value == "memory.csv; SHA-256 \(abc)")
        #expect(provenance.entries[3].value == "<stdin> (not hashed: read once from standard input)")
    }

    @Test("Unit costs: one entry per licence, counting figures and naming each source once")
    func unitCostSources() {
        let table = UnitCostTable(entries: [
            .init(service: "A&E", event: "attendance", unitCostPence: 27_300, source: "NHS National Cost Collection", licence: "OGL-UK-3.0"),
            .init(service: "Police", event: "arrest", unitCostPence: 59_300, source: "GMCA Unit Cost Database", licence: "CC-BY-4.0"),
            .init(service: "GP", event: "visit", unitCostPence: 4_100, source: "NHS National Cost Collection", licence: "OGL-UK-3.0"),
            .init(service: "Hostel", event: "night", unitCostPence: 3_000),
        ])
        var provenance = Provenance()
        provenance.addUnitCostSources(table)
        #expect(provenance.entries.map(\.name) == ["unit costs under OGL-UK-3.0", "unit costs under CC-BY-4.0", "unit costs under no licence stated"])
        #expect(provenance.entries.map(\.value) == [
            "2 figures from: NHS National Cost Collection", "1 figure from: GMCA Unit Cost Database", "1 figure from: no source stated",
        ])
    }

    @Test("A study's provenance: the engine, the inputs, the prices, the windows with the observation end, the bad-row policy, the unit costs' sources")
    func study() throws {
        let study = try ReportFixture.study()
        let inputs = StudyInputs(events: [EventSource(.file("-"))], interventions: .bytes(name: "interventions.csv", Array("abc".utf8), chunkSize: 1),
                                 unitCosts: nil, windows: study.windows)
        let provenance = Provenance.of(study, inputs: inputs)
        #expect(provenance.entries.map(\.name) == ["engine", "interventions", "unit costs", "prices", "windows", "bad rows", "unit costs under no licence stated"])
        let value = Dictionary(provenance.entries, uniquingKeysWith: { first, _ in first })
        #expect(value["interventions"] == "interventions.csv; SHA-256 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad; 2 rows")
        #expect(value["unit costs"] == "the shipped table of 3 published UK unit costs")
        // ReportFixture: 6m before, 12m after, observation end 2024-03-31 cutting P1's after window.
        #expect(value["windows"]?.hasPrefix("before 6m, after 12m of each person's index date") == true)
        #expect(value["windows"]?.contains(", observation end 2024-03-31") == true)
        #expect(value["windows"]?.hasSuffix("; after windows that run past it are cut there (exposure shortened)") == true)
        #expect(value["bad rows"] == "fail at the first bad row")
        // The same facts stated directly give the same entries.
        let facts = Provenance.StudyFacts(study)
        #expect(Provenance.of(facts, inputs: inputs).entries.map(\.value) == provenance.entries.map(\.value))
    }
}
