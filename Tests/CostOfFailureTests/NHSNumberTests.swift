import Testing
@testable import CostOfFailure

@Suite("The NHS number's modulus 11 check digit")
struct NHSNumberTests {
    @Test("Valid numbers, the check digit worked by hand: 9434765919 (sum 299, 11 − 299 mod 11 = 9), 4010232137, and 1000000060 (11 read as 0)",
          arguments: ["9434765919", "4010232137", "1000000060"])
    func valid(id: String) {
        #expect(NHSNumber.isValid(id))
    }

    @Test("Mangled numbers are refused, each with its reason and no digit of it", arguments: [
        ("9434765991", "check digit"),          // the last two digits transposed
        ("9434765929", "check digit"),          // one wrong digit
        ("9434756919", "its first nine digits give none"),  // 6 and 5 transposed: the check would be 10
        ("1000000010", "its first nine digits give none"),  // nine digits whose check is 10
        ("943476591", "expected 10 digits, found 9 characters"),
        ("94347659190", "expected 10 digits, found 11 characters"),
        ("943476591X", "expected digits only"),
        ("", "expected 10 digits, found 0 characters"),
    ] as [(String, String)])
    func mangled(id: String, reason: String) throws {
        var bytes = id
        let problem = try #require(bytes.withUTF8 { NHSNumber.problem(UnsafeRawBufferPointer($0)) })
        #expect(problem.hasPrefix("not a valid NHS number: ") && problem.contains(reason), "\(problem)")
        #expect(id.isEmpty || !problem.contains(id.prefix(4)))
    }
}
