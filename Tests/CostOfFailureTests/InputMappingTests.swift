import Foundation
import Testing
@testable import CostOfFailure

/// A folder of files for one test, removed when the value goes.
final class ScratchFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("cof-mapping-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Writes `text` (UTF-8) to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }
}

/// A project at `folder/cof.json` whose one events source is `e.csv` and whose `key` is `table`.
private func project(_ folder: ScratchFolder, _ key: String, _ table: String) throws -> ProjectFile {
    try ProjectFile.parse(Data(#"{"sources": [{"file": "e.csv"}], "\#(key)": \#(table)}"#.utf8), path: folder.path + "/cof.json")
}

private func loadError(_ body: () throws -> Void) -> IngestError? {
    do { try body() } catch let error as IngestError { return error } catch { return nil }
    return nil
}

@Suite("Every input mapped the same way (columns, date_format, delimiter, encoding)")
struct InputMappingTests {
    @Test("A renamed header is mapped for each kind of table", arguments: StudyInputs.Table.allCases)
    func renamedHeader(table: StudyInputs.Table) throws {
        let folder = try ScratchFolder()
        let (csv, columns): (String, String)
        switch table {
        case .interventions, .comparison:
            csv = "Client Ref,Referral Date\nP1,2023-05-01\nP2,2023-06-01\n"
            columns = #"{"person_id": "Client Ref", "start_date": "Referral Date"}"#
        case .unitCosts:
            csv = "Team,Contact,Price\nA&E,attendance,273.00\nPolice,arrest,100\n"
            columns = #"{"service": "Team", "event": "Contact", "unit_cost": "Price"}"#
        case .services:
            csv = "Team,Sector\nA&E,Health\nPolice,Criminal justice\n"
            columns = #"{"service": "Team", "category": "Sector"}"#
        case .deflator:
            csv = "Year,Deflator\n2022-23,96.1117\n2023-24,100\n"
            columns = #"{"financial_year": "Year", "index": "Deflator"}"#
        }
        try folder.write("t.csv", csv)
        let parsed = try project(folder, table.rawValue, #"{"file": "t.csv", "columns": \#(columns)}"#)
        let mapping = try #require(parsed.mappings[table])
        #expect(mapping.keyPath == table.rawValue)
        let source = InputSource.file(folder.path + "/t.csv")
        let rows: Int
        switch table {
        case .interventions, .comparison: rows = try InterventionLoader(mapping: mapping).load(source).entries.count
        case .unitCosts: rows = try UnitCostLoader(mapping: mapping).load(source).entries.count
        case .services: rows = try ServiceCatalogLoader(mapping: mapping).load(source).entries.count
        case .deflator: rows = try PriceIndexLoader(mapping: mapping).load(source).entries.count
        }
        #expect(rows == 2)
        // Unmapped, the same file is missing the engine's column.
        let error = loadError { _ = try UnitCostLoader().load(source) }
        #expect(error?.kind == .missingColumn)
    }

    @Test("A mapped column missing from the file names the key path and the file's header")
    func missingMappedColumn() throws {
        let folder = try ScratchFolder()
        try folder.write("i.csv", "Ref,Start\nP1,2023-05-01\n")
        let parsed = try project(folder, "interventions", #"{"file": "i.csv", "columns": {"person_id": "Client Ref"}}"#)
        let error = try #require(loadError { _ = try InterventionLoader(mapping: parsed.mappings[.interventions]!).load(.file(folder.path + "/i.csv")) })
        #expect(error.kind == .unknownColumn)
        #expect(error.line == 1)
        #expect(error.description.contains("interventions.columns.person_id"), "\(error)")
        #expect(error.description.contains("found 'Ref', 'Start'"), "\(error)")
    }

    @Test("An event source's mapped column missing names its key path too (one rule for both)")
    func eventSourceKeyPath() throws {
        let folder = try ScratchFolder()
        try folder.write("e.csv", "ID,service,event,date\nP1,A&E,attendance,2023-05-01\n")
        let parsed = try ProjectFile.parse(Data(#"{"sources": [{"file": "e.csv", "columns": {"person_id": "NHS No"}}]}"#.utf8),
                                           path: folder.path + "/cof.json")
        let error = try #require(loadError { _ = try EventLoader().load(parsed.sources) })
        #expect(error.kind == .unknownColumn)
        #expect(error.description.contains("sources[0].columns.person_id"), "\(error)")
    }

    @Test("A bad date under a custom date_format is positioned and says the format")
    func badDateUnderFormat() throws {
        let folder = try ScratchFolder()
        try folder.write("i.csv", "person_id,start_date\nP1,01/05/2023\nP2,2023-06-01\n")
        let parsed = try project(folder, "interventions", #"{"file": "i.csv", "date_format": "DD/MM/YYYY"}"#)
        let error = try #require(loadError { _ = try InterventionLoader(mapping: parsed.mappings[.interventions]!).load(.file(folder.path + "/i.csv")) })
        #expect(error.kind == .badDate)
        #expect(error.line == 3)
        #expect(error.column == "start_date")
        #expect(error.description.contains("expected a date as DD/MM/YYYY"), "\(error)")
        #expect(!error.description.contains("P2"))
    }

    @Test("A semicolon delimiter")
    func semicolon() throws {
        let folder = try ScratchFolder()
        try folder.write("u.csv", "service;event;unit_cost\nA&E;attendance;273,00\n")
        // A decimal comma is not money the engine reads: the unit cost column must be its own field.
        try folder.write("u2.csv", "service;event;unit_cost\nA&E;attendance;273.50\n")
        let parsed = try project(folder, "unit_costs", #"{"file": "u2.csv", "delimiter": ";"}"#)
        let table = try UnitCostLoader(mapping: parsed.mappings[.unitCosts]!).load(.file(folder.path + "/u2.csv"))
        #expect(table.entries.map(\.unitCostPence) == [27350])
        // Read with commas, the same file is one column.
        #expect(loadError { _ = try UnitCostLoader().load(.file(folder.path + "/u2.csv")) }?.kind == .missingColumn)
    }

    @Test("A latin-1 (Windows-1252) file, header and cells transcoded")
    func latin1() throws {
        let folder = try ScratchFolder()
        // "Référence,Catégorie\nA&E,Santé\n" in Windows-1252: é is the single byte 0xE9.
        let bytes: [UInt8] = Array("R".utf8) + [0xE9] + Array("f".utf8) + [0xE9] + Array("rence,Cat".utf8) + [0xE9]
            + Array("gorie\nA&E,Sant".utf8) + [0xE9] + Array("\n".utf8)
        try folder.write("s.csv", bytes)
        let parsed = try project(folder, "services", #"{"file": "s.csv", "encoding": "windows-1252", "columns": {"service": "Référence", "category": "Catégorie"}}"#)
        let catalog = try ServiceCatalogLoader(mapping: parsed.mappings[.services]!).load(.file(folder.path + "/s.csv"))
        #expect(catalog.entries.values.map(\.category) == ["Santé"])
        // As UTF-8, the same bytes are an encoding error (after the header cannot be found).
        #expect(loadError { _ = try ServiceCatalogLoader().load(.file(folder.path + "/s.csv")) } != nil)
    }

    @Test("The plain string form and the older {path, person_id} form read as before")
    func plainString() throws {
        let folder = try ScratchFolder()
        try folder.write("i.csv", "person_id,start_date\nP1,2023-05-01\n")
        let plain = try project(folder, "interventions", #""i.csv""#)
        #expect(plain.interventions == .file(folder.path + "/i.csv"))
        #expect(plain.mappings[.interventions] == InputMapping(keyPath: "interventions"))
        #expect(try InterventionLoader(mapping: plain.mappings[.interventions]!).load(plain.interventions!).entries.count == 1)
        let older = try project(folder, "comparison", #"{"path": "i.csv", "person_id": {"trim": true}}"#)
        #expect(older.comparison == .file(folder.path + "/i.csv"))
        #expect(older.comparisonPersonID.trim)
    }

    @Test("Mapping keys in the project file fail at their key path", arguments: [
        (#"{"file": "i.csv", "columns": {"person_ref": "X"}}"#, "interventions.columns.person_ref"),
        (#"{"file": "i.csv", "columns": {"person_id": ""}}"#, "interventions.columns.person_id"),
        (#"{"file": "i.csv", "date_format": "MM/DD/YYYY"}"#, "interventions.date_format"),
        (#"{"file": "i.csv", "delimiter": ":"}"#, "interventions.delimiter"),
        (#"{"file": "i.csv", "encoding": "ebcdic"}"#, "interventions.encoding"),
        (#"{"file": "i.csv", "colums": {}}"#, "interventions.colums"),
        (#"{"columns": {}}"#, "interventions.file"),
        (#"{"file": "i.csv", "path": "i.csv"}"#, "interventions.path"),
    ])
    func projectErrors(table: String, keyPath: String) throws {
        let folder = try ScratchFolder()
        do {
            _ = try project(folder, "interventions", table)
            Issue.record("accepted \(table)")
        } catch let failure as ProjectFile.Failure {
            #expect(failure.keyPath == keyPath, "\(failure)")
        }
    }

    @Test("A study reads its comparison group file as mapped (the project's mapping through StudyInputs)")
    func comparisonThroughStudy() throws {
        let folder = try ScratchFolder()
        try folder.write("c.csv", "Ref;Pseudo Start\nP-0002;01/06/2023\n")
        let parsed = try project(folder, "comparison", #"{"file": "c.csv", "delimiter": ";", "date_format": "DD/MM/YYYY", "columns": {"person_id": "Ref", "start_date": "Pseudo Start"}}"#)
        var inputs = StudyInputs(events: [EventSource(.file(fixture("john/events.csv")))], interventions: .file(fixture("john/interventions.csv")),
                                 unitCosts: .file(fixture("john/unit-costs.csv")), windows: StudyWindows(before: WindowSpan(6, .months), after: WindowSpan(12, .months)),
                                 comparisonGroup: parsed.comparison)
        inputs.mappings = parsed.mappings
        let study = try inputs.load()
        let group = try #require(try inputs.loadComparisonGroupStudy(like: study))
        #expect(group.interventions.entries.map(\.personID) == ["P-0002"])
        #expect(group.interventions.entries.first?.start == CivilDate(iso: "2023-06-01"))
        // Without the mapping the same file has no person_id column.
        inputs.mappings = [:]
        #expect(throws: StudyInputs.Failure.self) { try inputs.loadComparisonGroupStudy(like: study) }
    }

    @Test("The services file of a unit-cost project is not given person_id settings")
    func personIDOnlyForPeople() throws {
        let folder = try ScratchFolder()
        #expect(throws: ProjectFile.Failure.self) { try project(folder, "services", #"{"file": "s.csv", "person_id": {"trim": true}}"#) }
    }
}
