import Testing
@testable import CostOfFailure

/// The one saturating total every ceiling check rests on: exact within the ceiling, one past it
/// at and beyond, never wrapped, whatever the order of adds and merges.
@Suite("Ceiling sums")
struct CeilingSumTests {
    @Test("Exact up to the ceiling, one past it beyond, and never back within once past")
    func boundaries() {
        var sum = CeilingSum(ceiling: 100)
        sum.add(60)
        sum.add(40)
        #expect(sum.held == 100 && sum.isWithinCeiling)
        sum.add(1)
        #expect(sum.held == 101 && !sum.isWithinCeiling)
        sum.add(UInt64.max)
        #expect(sum.held == 101 && !sum.isWithinCeiling)
        sum.add(0)
        #expect(!sum.isWithinCeiling)
    }

    @Test("The engine's ceilings: costs at £40 trillion, counts at Int64.max")
    func engineCeilings() {
        var costs = CeilingSum.costs
        costs.add(CostResolver.maximumTotal.magnitude)
        #expect(costs.isWithinCeiling)
        costs.add(1)
        #expect(!costs.isWithinCeiling)
        var counts = CeilingSum.counts
        counts.add(UInt64(Int64.max))
        #expect(counts.isWithinCeiling)
        counts.add(1)
        #expect(!counts.isWithinCeiling && counts.held == UInt64(Int64.max) + 1)
    }

    @Test("Held sums read back are clamped; merging in any order gives the same total", arguments: 0..<40)
    func mergeOrder(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        let ceiling = UInt64.random(in: 1...(UInt64.max - 1), using: &generator)
        let parts = (0..<8).map { _ in
            Bool.random(using: &generator) ? UInt64.random(in: 0...ceiling / 4, using: &generator) : UInt64.random(in: 0...UInt64.max, using: &generator)
        }
        var inOrder = CeilingSum(ceiling: ceiling)
        for part in parts { inOrder.add(part) }
        var merged = CeilingSum(ceiling: ceiling)
        for part in parts.reversed() {
            var one = CeilingSum(ceiling: ceiling)
            one.add(part)
            merged.merge(CeilingSum(held: one.held, ceiling: ceiling))
        }
        let exact = parts.reduce(UInt128(0)) { $0 + UInt128($1) }
        #expect(inOrder == merged)
        #expect(inOrder.isWithinCeiling == (exact <= UInt128(ceiling)))
        #expect(inOrder.held == (exact <= UInt128(ceiling) ? UInt64(exact) : ceiling + 1))
        #expect(CeilingSum(held: .max, ceiling: ceiling).held == ceiling + 1)
    }
}
