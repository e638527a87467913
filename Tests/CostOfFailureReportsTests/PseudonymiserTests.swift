import CostOfFailure
import CostOfFailureReports
import Testing

@Suite("Pseudonymiser")
struct PseudonymiserTests {
    @Test("HMAC-SHA256 under the key, first 16 hex digits: checked against Python's hmac module")
    func knownValues() throws {
        let pseudonymiser = try #require(Pseudonymiser(key: Array("0123456789abcdef-test-key".utf8)))
        #expect(pseudonymiser.pseudonym("JOHN-0001") == "a0e458965c980a82")
        let other = try #require(Pseudonymiser(key: Array("another key of 16+ bytes".utf8)))
        #expect(other.pseudonym("JOHN-0001") == "42660ef300cb31f2")
        #expect(Pseudonymiser(key: Array("too short".utf8)) == nil)
    }

    @Test("Only the person_id column changes, and the same ID always gets the same pseudonym")
    func table() throws {
        let pseudonymiser = try #require(Pseudonymiser(key: Array("0123456789abcdef-test-key".utf8)))
        let table = ResultTable(name: "t", title: "t", columns: [
            ResultColumn("person_id", .text(["JOHN-0001", "P2", "JOHN-0001"])),
            ResultColumn("service", .text(["A&E", "GP", "Police"])),
        ])
        let result = pseudonymiser.pseudonymise(table)
        guard case .text(let ids) = result.columns[0].values, case .text(let services) = result.columns[1].values else {
            Issue.record("columns changed type")
            return
        }
        #expect(ids[0] == "a0e458965c980a82" && ids[2] == ids[0] && ids[1] != ids[0])
        #expect(services == ["A&E", "GP", "Police"])
    }

    @Test("A pseudonymised table still says which column counts its people, so suppression still hides its money")
    func keepsPeopleColumn() throws {
        let pseudonymiser = try #require(Pseudonymiser(key: Array("0123456789abcdef-test-key".utf8)))
        let table = ResultTable(name: "top_users", title: "t", columns: [
            ResultColumn("person_id", .text(["JOHN-0001"])),
            ResultColumn("cost", .money([2_000_000_00])),
            ResultColumn("people", .integer([1])),
        ], peopleColumn: "people")
        let result = DisclosureControl(rule: .nhsEngland).protect(pseudonymiser.pseudonymise(table))
        #expect(result.peopleColumn == "people")
        #expect(result.column("cost")?.state(0) == .suppressed)
    }
}
