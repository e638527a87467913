import CostOfFailure
import CostOfFailureReports
import Foundation
import Testing

@Suite("JSONRenderer")
struct JSONRendererTests {
    static let golden = #"""
        [
          {"name": "Smith, John", "events": 3, "cost": 1234.50, "rate": 233.92, "day": "2023-05-01"},
          {"name": "say \"hi\"", "events": 0, "cost": -0.07, "rate": 7.60, "day": "1970-01-01"},
          {"name": "two\nlines", "events": -2, "cost": null, "rate": "[c]", "day": "2024-02-29"},
          {"name": "tab\there\\back\u0001", "events": "[c]", "cost": "[c]", "rate": 0.00, "day": null},
          {"name": "£ café", "events": 1234567, "cost": 1000000.00, "rate": -1.25, "day": "1999-12-31"}
        ]

        """#

    @Test("golden output: nulls, escapes, money with two decimals, markers")
    func goldenOutput() {
        #expect(JSONRenderer().render(SampleTables.mixed) == Self.golden)
    }

    @Test("a pack is an array of table objects: name, title and the rows as for one table")
    func pack() throws {
        let small = ResultTable(name: "small", title: "A \"small\" one", columns: [ResultColumn("n", .integer([1, 2]))])
        let empty = ResultTable(name: "empty", title: "Nothing", columns: [ResultColumn("n", .integer([]))])
        let text = JSONRenderer().render(pack: [small, empty])
        #expect(text == """
            [
              {"name": "small", "title": "A \\"small\\" one", "rows": [
                {"n": 1},
                {"n": 2}
              ]},
              {"name": "empty", "title": "Nothing", "rows": []}
            ]

            """)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(parsed.map { $0["name"] as? String } == ["small", "empty"])
        let rows = try #require(parsed[0]["rows"] as? [[String: Any]])
        #expect(rows.map { ($0["n"] as? NSNumber)?.intValue } == [1, 2])
        #expect(JSONRenderer().render(pack: []) == "[]\n")
    }

    @Test("the output parses with JSONSerialization and holds the table's values")
    func parses() throws {
        let text = JSONRenderer().render(SampleTables.mixed)
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let rows = try #require(parsed as? [[String: Any]])
        try #require(rows.count == 5)

        #expect(rows.map { $0.count } == [5, 5, 5, 5, 5])
        #expect(rows[0]["name"] as? String == "Smith, John")
        #expect(rows[1]["name"] as? String == "say \"hi\"")
        #expect(rows[2]["name"] as? String == "two\nlines")
        #expect(rows[3]["name"] as? String == "tab\there\\back\u{01}")
        #expect(rows[4]["name"] as? String == "£ café")

        #expect((rows[0]["cost"] as? NSNumber)?.doubleValue == 1234.5)
        #expect((rows[1]["cost"] as? NSNumber)?.doubleValue == -0.07)
        #expect((rows[4]["cost"] as? NSNumber)?.doubleValue == 1_000_000)
        #expect(rows[2]["cost"] is NSNull)
        #expect(rows[3]["cost"] as? String == "[c]")

        #expect((rows[0]["events"] as? NSNumber)?.int64Value == 3)
        #expect((rows[2]["events"] as? NSNumber)?.int64Value == -2)
        #expect(rows[3]["events"] as? String == "[c]")

        #expect((rows[0]["rate"] as? NSNumber)?.doubleValue == 233.92)
        #expect(rows[2]["rate"] as? String == "[c]")

        #expect(rows[0]["day"] as? String == "2023-05-01")
        #expect(rows[3]["day"] is NSNull)
    }

    @Test("every control character is escaped and parses back", arguments: Array(0..<0x20) + [0x22, 0x5C, 0x7F])
    func controlCharacters(code: UInt32) throws {
        let scalar = try #require(Unicode.Scalar(code))
        let text = "a" + String(Character(scalar)) + "b"
        let table = ResultTable(name: "t", title: "t", columns: [ResultColumn("k", .text([text]))])
        let json = JSONRenderer().render(table)
        // No raw control character in the output (JSON forbids them inside strings).
        #expect(!json.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(json.split(separator: "\n").count == 3)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(rows.first?["k"] as? String == text)
    }

    @Test("rates that are not finite become null; money keeps two decimals whatever its size", arguments: [
        (Pence(0), "0.00"), (1, "0.01"), (-1, "-0.01"), (1_000_000_00, "1000000.00"), (Pence.max, "92233720368547758.07"),
    ])
    func numbers(pence: Pence, expected: String) throws {
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("money", .money([pence])),
            ResultColumn("rate", .rate([.infinity], decimals: 2)),
            ResultColumn("nan", .rate([.nan], decimals: 2)),
        ])
        let json = JSONRenderer().render(table)
        #expect(json == "[\n  {\"money\": \(expected), \"rate\": null, \"nan\": null}\n]\n")
        _ = try JSONSerialization.jsonObject(with: Data(json.utf8))
    }

    @Test("an empty table is an empty array")
    func emptyTable() throws {
        let table = ResultTable(name: "t", title: "t", columns: [ResultColumn("person_id", .text([]))])
        let json = JSONRenderer().render(table)
        #expect(json == "[]\n")
        #expect((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [Any])?.isEmpty == true)
    }

    @Test("keys are escaped too and keep column order")
    func keys() {
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("z \"quoted\"", .integer([1])), ResultColumn("a", .integer([2])),
        ])
        #expect(JSONRenderer(suppressedMarker: "x").render(table) == "[\n  {\"z \\\"quoted\\\"\": 1, \"a\": 2}\n]\n")
    }
}
