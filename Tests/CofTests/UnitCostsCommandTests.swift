import Foundation
import Testing

/// A small study whose own unit costs convert a weekly price to nights, price an admission by an
/// (illustrative) tariff, and leave A&E to the shipped table.
private struct CatalogueFiles {
    let directory: TemporaryDirectory

    init(unitCosts: String = CatalogueFiles.unitCosts) throws {
        directory = try TemporaryDirectory()
        _ = try directory.write("events.csv", """
            person_id,service,event,date,quantity
            P1,Temporary accommodation,bed and breakfast week,2023-03-01,10
            P1,Temporary accommodation,bed and breakfast week,2023-07-01,3
            P1,Hospital,HRG XX01A admission,2023-02-01,6
            P1,Hospital,HRG XX01A admission,2023-08-01,5
            P1,A&E,attendance,2023-02-10,1

            """)
        _ = try directory.write("interventions.csv", "person_id,start_date\nP1,2023-06-01\n")
        _ = try directory.write("unit-costs.csv", unitCosts)
    }

    static let unitCosts = """
        service,event,unit_cost,unit,price_year,code,quantity_unit,trim_point,excess_per_unit
        Temporary accommodation,bed and breakfast week,334.95,per household per week,2010-11,LOCAL-BB,night,,
        Hospital,HRG XX01A admission,2000,per admission,2023-24,ILLUSTRATIVE-XX01A,,5,300

        """

    var study: [String] {
        ["--events", directory.path("events.csv"), "--interventions", directory.path("interventions.csv"),
         "--unit-costs", directory.path("unit-costs.csv"), "--before", "6m", "--after", "6m", "--observation-end", "2023-11-30"]
    }
}

@Suite("cof unit-costs and the catalogue in a study")
struct UnitCostsCommandTests {
    @Test("lists the shipped table: 27 unit costs with their code, unit, price year, value, source and licence")
    func list() throws {
        let result = try CofRunner.run(["unit-costs"])
        try #require(result.exitCode == 0, "\(result)")
        #expect(result.out.hasPrefix("27 unit costs: 27 shipped, 0 own; 27 shown\n"))
        for text in ["NCC-ED", "GMCA-HO4.1", "per household per week", "2010-11", "£334.95", "OGL-UK-3.0", "CC-BY-4.0"] {
            #expect(result.out.contains(text), "\(text)")
        }
        #expect(!result.out.contains("PSSRU-GP"))  // not shipped: non-commercial licence
    }

    @Test("searches service, event, code and source in any case, as an argument or --search")
    func search() throws {
        let argument = try CofRunner.run(["unit-costs", "POLICE"])
        let option = try CofRunner.run(["unit-costs", "--search", "police", "--format", "csv"])
        try #require(argument.exitCode == 0 && option.exitCode == 0, "\(argument)\n\(option)")
        #expect(argument.out.hasPrefix("27 unit costs: 27 shipped, 0 own; 4 shown\n"))
        let (_, rows) = try CSV.records(option.out)
        #expect(rows.map { $0["code"] } == ["GMCA-CR7.0", "GMCA-CR7.1", "GMCA-CR9.0", "GMCA-CR2.0"])
        let bySource = try CofRunner.run(["unit-costs", "shelter 2012", "--format", "csv"])
        #expect(try CSV.records(bySource.out).rows.map { $0["code"] } == ["GMCA-HO4.0", "GMCA-HO4.1", "GMCA-HO3.0", "GMCA-HO1.0"])
        let both = try CofRunner.run(["unit-costs", "police", "--search", "arrest"])
        #expect(both.exitCode == 64)
    }

    @Test("writes CSV to a file through the protected writer, every column, values in pounds")
    func csvFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("catalogue.csv")
        let result = try CofRunner.run(["unit-costs", "--format", "csv", "--output", path])
        try #require(result.exitCode == 0, "\(result)")
        #expect(result.out.isEmpty)
        let (header, rows) = try CSV.records(try String(contentsOfFile: path, encoding: .utf8))
        #expect(header == ["service", "event", "code", "unit", "quantity_unit", "price_year", "unit_cost", "trim_point", "excess_per_unit",
                           "agency", "value_type", "cashable", "confidence", "origin", "source", "licence"])
        #expect(rows.count == 27)
        let bedAndBreakfast = try #require(rows.first { $0["code"] == "GMCA-HO4.1" })
        #expect(bedAndBreakfast["unit_cost"] == "334.95")
        #expect(bedAndBreakfast["confidence"] == "amber")
        #expect(bedAndBreakfast["quantity_unit"] == "week")
        #expect(bedAndBreakfast["licence"] == "CC-BY-4.0")
        #expect(bedAndBreakfast["origin"] == "shipped")
        // The CSV is a unit-cost file: read back alone, it lists the same table (but for origin).
        let again = try CofRunner.run(["unit-costs", "--unit-costs", path, "--replace-shipped-unit-costs", "--format", "csv"])
        try #require(again.exitCode == 0, "\(again)")
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(again.out == written.replacingOccurrences(of: ",shipped,", with: ",own,"))
        // The output may not be the input it lists.
        let own = try directory.write("own.csv", "service,event,unit_cost\nA&E,attendance,300\n")
        let clash = try CofRunner.run(["unit-costs", "--unit-costs", own, "--format", "csv", "--output", own])
        #expect(clash.exitCode == 64)
        #expect(try String(contentsOfFile: own, encoding: .utf8) == "service,event,unit_cost\nA&E,attendance,300\n")
    }

    @Test("with a study's file: the effective table, and a note naming the shipped costs it replaced")
    func overrideNote() throws {
        let directory = try TemporaryDirectory()
        let own = try directory.write("own.csv", "service,event,unit_cost,code\nA&E,attendance,300,LOCAL-ED\nStreet team,contact,25,LOCAL-ST\n")
        let result = try CofRunner.run(["unit-costs", "--unit-costs", own, "--format", "csv"])
        try #require(result.exitCode == 0, "\(result)")
        #expect(result.err.contains("cof: unit costs: your file replaces 1 shipped unit cost (the same service and event, or a service it prices whole with *): (A&E, attendance) [NCC-ED]"))
        let (_, rows) = try CSV.records(result.out)
        #expect(rows.count == 28)
        #expect(rows.prefix(2).map { $0["code"] } == ["LOCAL-ED", "LOCAL-ST"])
        #expect(rows.prefix(2).map { $0["origin"] } == ["own", "own"])
        #expect(!rows.contains { $0["code"] == "NCC-ED" })
        let text = try CofRunner.run(["unit-costs", "--unit-costs", own])
        #expect(text.out.hasPrefix("28 unit costs: 26 shipped, 2 own (1 shipped replaced); 28 shown\n"))
        let alone = try CofRunner.run(["unit-costs", "--unit-costs", own, "--replace-shipped-unit-costs", "--format", "csv"])
        #expect(try CSV.records(alone.out).rows.count == 2)
        #expect(!alone.err.contains("replaces"))
        #expect(try CofRunner.run(["unit-costs", "--replace-shipped-unit-costs"]).exitCode == 64)
        // A bad row is positioned (file, line, column), exit 65.
        let bad = try directory.write("bad.csv", "service,event,unit_cost,quantity_unit\nA&E,attendance,300,fortnight\n")
        let refused = try CofRunner.run(["unit-costs", "--unit-costs", bad])
        #expect(refused.exitCode == 65)
        #expect(refused.err.contains("bad.csv:2: record 2, column 'quantity_unit': bad quantity unit"))
    }

    @Test("compare: weekly costs priced per night, a tariff beyond its trim point, A&E from the shipped table; the table path and partials agree")
    func compareWithUnitsAndTariffs() throws {
        let files = try CatalogueFiles()
        let arguments = ["compare"] + files.study + ["--by", "service", "--format", "csv", "--disclosure", "none"]
        let compare = try CofRunner.run(arguments)
        try #require(compare.exitCode == 0, "\(compare)")
        let (_, rows) = try CSV.records(compare.out)
        func cost(_ service: String, _ window: String) -> String? { rows.first { $0["service"] == service }?["\(window)_cost"] }
        #expect(cost("Temporary accommodation", "before") == "478.50")  // 10 nights × £334.95 / 7 = 10 × £47.85
        #expect(cost("Temporary accommodation", "after") == "143.55")   // 3 nights
        #expect(cost("Hospital", "before") == "2300.00")                // 6 bed days, trim 5: £2,000 + £300
        #expect(cost("Hospital", "after") == "2000.00")                 // exactly the trim point: the base
        #expect(cost("A&E", "before") == "273.00")                      // shipped NCC-ED
        // The local B&B rate (the shipped figure, given per night) stands in for GMCA-HO4.1.
        #expect(compare.err.contains("cof: unit costs: your file replaces 1 shipped unit cost (the same service and event, or a service it prices whole with *): (Temporary accommodation, bed and breakfast week) [GMCA-HO4.1]\n"))
        let tablePath = try CofRunner.run(arguments, environment: ["COF_TABLE_PATH": "1"])
        #expect(tablePath.stdout == compare.stdout)
        // With a price base, the tariff's excess is restated with its base.
        let restated = try CofRunner.run(arguments + ["--price-base", "2023-24"])
        try #require(restated.exitCode == 0, "\(restated)")
        #expect(try CSV.records(restated.out).rows.first { $0["service"] == "Hospital" }?["after_cost"] == "2000.00")

        // cof partial and cof merge: the same figures, the unit costs checked by their SHA-256.
        let partial = files.directory.path("all.partial")
        let events = try Data(contentsOf: URL(fileURLWithPath: files.directory.path("events.csv")))
        let tables = Array(files.study.dropFirst(2))
        let made = try CofRunner.run(["partial"] + tables + ["--output", partial], stdin: events)
        try #require(made.exitCode == 0, "\(made)")
        let merged = try CofRunner.run(["merge", partial, "--by", "service", "--format", "csv", "--disclosure", "none"])
        #expect(merged.stdout == compare.stdout)
        // Merging with other unit costs, or with the shipped table replaced, is refused.
        _ = try files.directory.write("other.csv", "service,event,unit_cost\nA&E,attendance,1\n")
        var otherTables = tables
        otherTables[otherTables.firstIndex(of: files.directory.path("unit-costs.csv"))!] = files.directory.path("other.csv")
        let refused = try CofRunner.run(["merge", partial, "--table", "appraisal", "--format", "csv"] + otherTables)
        #expect(refused.exitCode != 0)
        let replaced = try CofRunner.run(["merge", partial, "--table", "appraisal", "--format", "csv", "--replace-shipped-unit-costs"] + tables)
        #expect(replaced.exitCode != 0)
    }

    @Test("compare: a file that repeats a shipped pair says so on standard error; --replace-shipped-unit-costs leaves A&E unpriced")
    func compareOverrideAndReplace() throws {
        let files = try CatalogueFiles(unitCosts: CatalogueFiles.unitCosts + "A&E,attendance,300,per attendance,2023-24,LOCAL-ED,,,\n")
        let compare = try CofRunner.run(["compare"] + files.study + ["--by", "service", "--format", "csv", "--disclosure", "none"])
        try #require(compare.exitCode == 0, "\(compare)")
        #expect(compare.err.contains("cof: unit costs: your file replaces 2 shipped unit costs (the same service and event, or a service it prices whole with *): (A&E, attendance) [NCC-ED], (Temporary accommodation, bed and breakfast week) [GMCA-HO4.1]\n"))
        #expect(try CSV.records(compare.out).rows.first { $0["service"] == "A&E" }?["before_cost"] == "300.00")

        // cof validate lists the pairs the effective table leaves unpriced, and says the same.
        let validate = try CofRunner.run(["validate", "--events", files.directory.path("events.csv"), "--unit-costs", files.directory.path("unit-costs.csv")])
        #expect(validate.exitCode == 0, "\(validate)")
        #expect(validate.err.contains("cof: unit costs: your file replaces 2 shipped unit costs"))
        #expect(validate.out.contains("  unpriced: none\n"))  // B&B and the tariff from the file, A&E from it too

        let alone = try CatalogueFiles()
        let replaced = try CofRunner.run(["compare"] + alone.study + ["--by", "service", "--format", "csv", "--disclosure", "none", "--replace-shipped-unit-costs"])
        try #require(replaced.exitCode == 0, "\(replaced)")
        #expect(replaced.err.contains("A&E / attendance"))  // unpriced: the shipped table is not used
        let validated = try CofRunner.run(["validate", "--events", alone.directory.path("events.csv"), "--unit-costs", alone.directory.path("unit-costs.csv"),
                                           "--replace-shipped-unit-costs"])
        #expect(validated.out.contains("unpriced (no explicit cost, no unit cost):\n    A&E / attendance: 1\n"))
    }

    @Test("a project file's unit_costs and replace_shipped_unit_costs; a flag that is not true or false is named by its key")
    func project() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.write("own.csv", "service,event,unit_cost\nA&E,attendance,300\n")
        let laid = try directory.write("laid.json", #"{"sources": [{"file": "events.csv"}], "unit_costs": "own.csv"}"#)
        let alone = try directory.write("alone.json", #"{"sources": [{"file": "events.csv"}], "unit_costs": "own.csv", "replace_shipped_unit_costs": true}"#)
        let bad = try directory.write("bad.json", #"{"sources": [{"file": "events.csv"}], "unit_costs": "own.csv", "replace_shipped_unit_costs": "yes"}"#)
        #expect(try CofRunner.run(["unit-costs", "--project", laid]).out.hasPrefix("27 unit costs: 26 shipped, 1 own (1 shipped replaced); 27 shown\n"))
        #expect(try CofRunner.run(["unit-costs", "--project", alone]).out.hasPrefix("1 unit cost: 0 shipped, 1 own; 1 shown\n"))
        let refused = try CofRunner.run(["unit-costs", "--project", bad])
        #expect(refused.exitCode == 65)
        #expect(refused.err.contains("replace_shipped_unit_costs: expected true or false"))
        // No file the project names may be the output, read here or not: the events, the
        // interventions, the services (an attack replaced a project's events file this way).
        let events = try directory.write("events.csv", "person_id,service,event,date\nP1,A&E,attendance,2023-01-01\n")
        _ = try directory.write("interventions.csv", "person_id,start_date\nP1,2023-02-01\n")
        let listing = try directory.write("listing.json", #"{"sources": [{"file": "events.csv"}], "interventions": "interventions.csv", "unit_costs": "own.csv"}"#)
        for target in [events, directory.path("interventions.csv"), directory.path("./events.csv")] {
            let clash = try CofRunner.run(["unit-costs", "--project", listing, "--format", "csv", "--output", target])
            #expect(clash.exitCode == 64, "\(target): \(clash)")
        }
        #expect(try String(contentsOfFile: events, encoding: .utf8) == "person_id,service,event,date\nP1,A&E,attendance,2023-01-01\n")
        let compareClash = try CofRunner.run(["validate", "--project", listing, "--output", directory.path("interventions.csv")])
        #expect(compareClash.exitCode == 64, "\(compareClash)")
    }

    @Test("the README's illustrative fixture gives the figures Fixtures/README.md states")
    func illustrativeFixture() throws {
        func fixture(_ name: String) -> String {
            CofRunner.repositoryRoot.appendingPathComponent("Fixtures/unit-costs").appendingPathComponent(name).path
        }
        let result = try CofRunner.run(["compare", "--events", fixture("tariff_events.csv"), "--interventions", fixture("interventions.csv"),
                                        "--unit-costs", fixture("illustrative_tariff_and_units.csv"), "--before", "6m", "--after", "6m",
                                        "--observation-end", "2023-11-30", "--by", "service", "--format", "csv", "--disclosure", "none"])
        try #require(result.exitCode == 0, "\(result)")
        let rows = try CSV.records(result.out).rows
        #expect(rows.map { [$0["service"], $0["before_cost"], $0["after_cost"]] } == [
            ["A&E", "273.00", "0.00"], ["Hospital", "2300.00", "2000.00"], ["Temporary accommodation", "478.50", "143.55"],
        ])
    }
}

