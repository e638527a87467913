import Testing
@testable import CostOfFailure

/// The bootstrap's sums against a plain reference: every person's figures added in 128 bits,
/// on generated people whose figures are small (the 64-bit sums) or near the limits (the 128-bit
/// ones, and the overflow error), drawn with repeats, exact and rounded.
@Suite("Person-year sums")
struct PersonYearSumsTests {
    /// The plain reference: the sums the difference in differences made before they were laid out flat.
    static func reference(_ people: [DifferenceInDifferences.Person], _ indices: [Int], columns: Int,
                          rounding: CountRounding) throws(CostResolver.Overflow) -> [Pence?] {
        var beforeDays = Int128(0), afterDays = Int128(0)
        var before = [Int128](repeating: 0, count: columns), after = before
        for i in indices {
            beforeDays += Int128(people[i].beforeDays)
            afterDays += Int128(people[i].afterDays)
            for k in 0..<columns {
                before[k] += Int128(people[i].before[k])
                after[k] += Int128(people[i].after[k])
            }
        }
        if rounding.base > 1 {
            beforeDays = Int128(rounding.exposure(Int(clamping: beforeDays), people: indices.count))
            afterDays = Int128(rounding.exposure(Int(clamping: afterDays), people: indices.count))
        }
        func perYear(_ pence: Int128, _ days: Int128) throws(CostResolver.Overflow) -> Pence? {
            guard days > 0 else { return nil }
            guard let rate = CohortSummary.roundedQuotient(pence * 365, days) else { throw CostResolver.Overflow(figure: "a group's cost per person-year") }
            return rate
        }
        var result: [Pence?] = []
        for k in 0..<columns {
            guard let b = try perYear(before[k], beforeDays), let a = try perYear(after[k], afterDays) else {
                result.append(nil)
                continue
            }
            result.append(try CostResolver.Overflow.pence(Int128(a) - Int128(b), "a group's change in cost per person-year"))
        }
        return result
    }

    /// The result or the error, comparable.
    static func outcome(_ body: () throws(CostResolver.Overflow) -> [Pence?]) -> String {
        do { return String(describing: try body()) } catch { return "overflow: \(error)" }
    }

    @Test("Generated people, drawn with repeats: the same changes, or the same error, as the 128-bit reference", arguments: 0..<60)
    func againstReference(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let columns = Int.random(in: 1...6, using: &random)
        let people = Int.random(in: 0...40, using: &random)
        // Figures: small, near the 64-bit limit, or at the engine's ceiling; days including 0.
        let scale: Int64 = [1_000, 1_000_000_000, CostResolver.maximumTotal, Int64.max / 4][Int(seed % 4)]
        func figure() -> Pence { Int64.random(in: -scale...scale, using: &random) }
        func days() -> Int { Bool.random(using: &random) && seed % 7 == 0 ? 0 : Int.random(in: 0...1_000, using: &random) }
        let group = (0..<people).map { _ in
            DifferenceInDifferences.Person(beforeDays: days(), afterDays: days(),
                                           before: (0..<columns).map { _ in figure() }, after: (0..<columns).map { _ in figure() })
        }
        let sums = PersonYearSums(group, columns: columns)
        for draw in 0..<4 {
            let indices = people == 0 ? [] : (0..<Int.random(in: 0...(people * 3), using: &random)).map { _ in Int.random(in: 0..<people, using: &random) }
            for rounding in [CountRounding.exact, CountRounding(base: 5)] {
                let expected = Self.outcome { () throws(CostResolver.Overflow) in try Self.reference(group, indices, columns: columns, rounding: rounding) }
                let got = Self.outcome { () throws(CostResolver.Overflow) in try sums.changes(indices, rounding: rounding) }
                #expect(got == expected, "seed \(seed), draw \(draw), rounding \(rounding.base)")
            }
        }
    }

    @Test("People added one by one (a matched group's records) sum as people laid out at once")
    func appended() throws {
        let group = (0..<5).map { n in
            DifferenceInDifferences.Person(beforeDays: 100 + n, afterDays: 200, before: [Pence(n) * 1_000, 7], after: [Pence(n), -3])
        }
        var grown = PersonYearSums(columns: 2)
        for person in group { grown.append(person) }
        let indices = [0, 4, 4, 2, 1, 3, 3, 3]
        #expect(try grown.changes(indices) == PersonYearSums(group, columns: 2).changes(indices))
        #expect(try grown.changes(indices) == Self.reference(group, indices, columns: 2, rounding: .exact))
    }
}
