import Foundation
import Testing
import CostOfFailure

/// `Fixtures/<folder>/expected.json`, parsed.
private func expectations(_ folder: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: fixture("\(folder)/expected.json")))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

/// The event source for a fixture, built by the project-file parser from the fixture's settings
/// (so the settings are read exactly as a user's project file would be).
private func source(folder: String, file: String, settings: [String: Any]) throws -> EventSource {
    var object = settings
    object["file"] = file
    let json = try JSONSerialization.data(withJSONObject: ["sources": [object]])
    return try ProjectFile.parse(json, path: fixture("\(folder)/project.json")).sources[0]
}

/// A table's rows as comparable strings.
private func rows(_ table: EventTable) -> [String] {
    (0..<table.count).map { i in
        let cost = table.explicitCostValidity[i] ? String(table.explicitCost[i]) : "none"
        return "\(table.persons[table.person[i]])|\(table.services[table.service[i]])|\(table.events[table.event[i]])|\(CivilDate(daysSinceEpoch: table.day[i]))|\(table.quantity[i])|\(cost)"
    }
}

@Suite("Fixtures named by behaviour")
struct BehaviourFixtureTests {
    static let dialects = ["bom_utf8.csv", "crlf.csv", "cr_only.csv", "semicolon_ddmmyyyy.csv", "tab_delimited.csv",
                           "windows1252_pound.csv", "quoted_fields.csv", "quoted_newline.csv", "surrounding_spaces.csv",
                           "blank_lines.csv", "trailing_delimiter.csv", "negative_parentheses.csv", "datetime_iso.csv"]

    @Test("Every dialect loads to the same four events", arguments: dialects)
    func dialect(file: String) throws {
        let expected = try expectations("dialects")
        let settings = try #require((expected["files"] as? [String: Any])?[file] as? [String: Any])
        let events = try #require(expected["events"] as? [[String: Any]])
        let wanted = events.map { e in
            "\(e["person_id"]!)|\(e["service"]!)|\(e["event"]!)|\(e["date"]!)|\(e["quantity"]!)|\((e["cost_pence"] as? Int).map(String.init) ?? "none")"
        }
        let table = try EventLoader().load([try source(folder: "dialects", file: file, settings: settings["settings"] as? [String: Any] ?? [:])])
        #expect(rows(table) == wanted)
        let reconciliation = try #require(table.sources.first)
        #expect(reconciliation.balances)
        #expect(reconciliation.loaded == 4)
        #expect(reconciliation.blank == (file == "blank_lines.csv" ? 4 : 0))
    }

    /// The exact message a user sees for each malformed fixture (file name without folder).
    static let messages: [String: String] = [
        "ragged_row.csv": "ragged_row.csv:5: record 4: wrong number of fields: expected 7 as in the header, found 8",
        "unterminated_quote.csv": "unterminated_quote.csv:5: record 5, column 'event': unterminated quote: a quoted field runs to the end of the file; expected a closing quote",
        "stray_quote.csv": "stray_quote.csv:3: record 3, column 'event': bad quoting: expected a quote only around a whole field, doubled (\"\") inside it",
        "impossible_date.csv": "impossible_date.csv:4: record 4, column 'date': bad date: expected a date as DD/MM/YYYY; found a day or month that does not exist",
        "bad_amount.csv": "bad_amount.csv:5: record 5, column 'cost': bad amount: expected an amount in pounds with at most 2 decimal places (12, 12.5, £1,234.56, -12.50, (12.50)); found 3 decimal places",
        "zero_quantity.csv": "zero_quantity.csv:3: record 3, column 'quantity': bad quantity: expected a whole number of units greater than zero; found zero",
        "negative_quantity.csv": "negative_quantity.csv:4: record 4, column 'quantity': bad quantity: expected a whole number of units greater than zero; found a negative number",
        "missing_person.csv": "missing_person.csv:5: record 5, column 'person_id': missing value: expected a person_id in every row",
        "missing_column.csv": "missing_column.csv:1: record 1, column 'date': missing column: expected a column named 'date' in the header; found 'person_id', 'service', 'event', 'quantity', 'cost'",
        "duplicate_header.csv": "duplicate_header.csv:1: record 1, column 'date': duplicate header: columns 4 and 7 are both named 'date'; expected unique column names",
        "excel_scientific_id.csv": "excel_scientific_id.csv:4: record 4, column 'person_id': ID mangled by Excel: expected the ID's own digits, found a number in scientific notation (its digits are lost; export the column as text)",
        "invalid_utf8.csv": "invalid_utf8.csv:4: record 4, column 'service': invalid UTF-8 at byte 4 of the field: expected UTF-8 text (a file saved by Excel may be windows-1252: set the source's encoding)",
        "nul_in_person_id.csv": "nul_in_person_id.csv:4: record 4, column 'person_id': NUL byte at byte 2 of the field: expected text with no NUL (0x00) bytes (the row would otherwise name another person, service or event)",
        "nul_in_service.csv": "nul_in_service.csv:3: record 3, column 'service': NUL byte at byte 24 of the field: expected text with no NUL (0x00) bytes (the row would otherwise name another person, service or event)",
        "bom_inside_row.csv": "bom_inside_row.csv:5: record 5, column 'person_id': byte-order mark (EF BB BF) at byte 1 of the field: expected one only at the start of the file (files joined end to end? give each as its own source)",
        "runaway_quote.csv": "runaway_quote.csv:3: record 3, column 'event': unterminated quote: a quoted field runs to the end of the file; expected a closing quote",
        "spell_ends_before_start.csv": "spell_ends_before_start.csv:4: record 4, column 'end_date': bad spell: the end date is before the start date; expected an end date on or after the date",
    ]

    @Test("Each malformed file fails at its one error, with the exact message and position", arguments: messages.keys.sorted())
    func malformed(file: String) throws {
        let expected = try #require(try expectations("malformed")[file] as? [String: Any])
        let source = try source(folder: "malformed", file: file, settings: expected["settings"] as? [String: Any] ?? [:])
        let error = ingestError { _ = try EventLoader().load([source]) }
        let found = try #require(error)
        #expect(found.kind.rawValue == expected["kind"] as? String)
        #expect(found.line == expected["line"] as? Int)
        #expect(found.record == expected["record"] as? Int)
        #expect(found.column == expected["column"] as? String)
        #expect(found.description == fixture("malformed/") + Self.messages[file]!)
    }

    @Test("Under the reject policy the same files load their good rows, and the counts add up", arguments: messages.keys.sorted())
    func rejected(file: String) throws {
        let expected = try #require(try expectations("malformed")[file] as? [String: Any])
        let source = try source(folder: "malformed", file: file, settings: expected["settings"] as? [String: Any] ?? [:])
        let kind = expected["kind"] as? String
        if kind == "missing_column" || kind == "duplicate_header" {
            // A header problem leaves nothing to load: it stops even under the reject policy.
            #expect(ingestError { _ = try EventLoader(policy: ErrorPolicy(mode: .reject)).load([source]) }?.kind.rawValue == kind)
            return
        }
        let table = try EventLoader(policy: ErrorPolicy(mode: .reject)).load([source])
        let reconciliation = try #require(table.sources.first)
        #expect(reconciliation.balances)
        #expect(reconciliation.rejected == 1)
        #expect(table.rejects.count == 1)
        #expect(table.rejects.first?.line == expected["line"] as? Int)
        #expect(table.rejects.first?.kind.rawValue == kind)
        // Records loaded, and events: a spell's nights are events (the one 7-night stay adds 6).
        #expect(reconciliation.loaded == table.count - (file == "spell_ends_before_start.csv" ? 6 : 0))
        #expect(table.rows(ofSource: 0) == 0..<table.count)
        // A rejected NUL or byte-order mark leaves no person, service or event behind.
        #expect(!rows(table).joined().unicodeScalars.contains { $0 == "\u{0}" || $0 == "\u{FEFF}" })
    }

    @Test("--show-values quotes the cell; without it the value never appears")
    func showValues() throws {
        let source = EventSource(.file(fixture("malformed/bad_amount.csv")))
        let hidden = try #require(ingestError { _ = try EventLoader().load([source]) })
        let shown = try #require(ingestError { _ = try EventLoader(policy: ErrorPolicy(showValues: true)).load([source]) })
        #expect(!hidden.description.contains("12.345"))
        #expect(shown.description.hasSuffix("found 3 decimal places; found '12.345'"))
    }

    @Test("A first row that is data: its cells only with --show-values, for a missing column and for two equal cells", arguments: [
        ("SECRET-9,A&E,attendance,2023-05-01\n", "missing column: expected a column named 'person_id' in the header; the first row does not look like a header (4 fields)"),
        ("SECRET-9,Police,Police,2023-05-01\n", "duplicate header: columns 2 and 3 are the same; the first row does not look like a header (4 fields)"),
    ])
    func headerlessFirstRow(text: String, message: String) throws {
        let source = EventSource(csv(text, name: "headerless.csv"))
        let hidden = try #require(ingestError { _ = try EventLoader().load([source]) })
        let shown = try #require(ingestError { _ = try EventLoader(policy: ErrorPolicy(showValues: true)).load([source]) })
        #expect(hidden.description.contains(message), "\(hidden)")
        #expect(hidden.description.hasSuffix("expected columns: person_id, service, event, date, quantity, cost, end_date; give --show-values to see it"))
        #expect(!hidden.description.contains("SECRET") && !hidden.description.contains("Police'"))
        #expect(hidden.column != "Police")
        #expect(shown.description.contains("(4 fields): 'SECRET-9', "), "\(shown)")
        // The interventions file, through the small-table reader, says the same.
        let interventions = csv("SECRET-9,2023-05-01\n", name: "interventions.csv")
        let hiddenTable = try #require(ingestError { _ = try InterventionLoader().load(interventions) })
        let shownTable = try #require(ingestError { _ = try InterventionLoader(reader: CSVReader(showValues: true)).load(interventions) })
        #expect(!hiddenTable.description.contains("SECRET"))
        #expect(shownTable.description.contains("'SECRET-9', '2023-05-01'"))
    }
}
