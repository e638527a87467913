/// People's exposure and costs by column, laid out flat for the sums the difference in
/// differences and the use change make of them again and again: each bootstrap replicate adds
/// up the people it drew (with repeats) and turns the sums into each column's change in cost per
/// person-year.
///
/// Each person's figures sit in one run of `columns` values, so a replicate's sums are one pass
/// front to back over the people it drew (each with the times drawn), with no reference counting. While the people drawn times the largest
/// figure's magnitude fits in 64 bits no sum can wrap, and the sums are 64-bit; past that they are
/// 128-bit, as they always were (n people of 64-bit costs, days and their × 365 cannot overflow
/// them). Both give the same changes: the plain 128-bit reference in the tests checks it.
struct PersonYearSums: Sendable {
    /// Columns per person.
    let columns: Int
    /// Exposure in days, by person.
    private(set) var beforeDays: [Int64] = [], afterDays: [Int64] = []
    /// Cost in pence, person by person, `columns` each.
    private(set) var before: [Int64] = [], after: [Int64] = []
    /// The largest magnitude of any figure added (days and costs).
    private(set) var largest: UInt64 = 0

    /// No people yet, `columns` figures each.
    init(columns: Int) {
        self.columns = columns
    }

    /// The figures of `people`, each with `columns` costs before and after.
    init(_ people: [DifferenceInDifferences.Person], columns: Int) {
        self.init(columns: columns)
        reserve(people.count)
        for person in people { append(person) }
    }

    /// Number of people.
    var count: Int { beforeDays.count }

    /// Adds `person` after the others.
    mutating func append(_ person: DifferenceInDifferences.Person) {
        precondition(person.before.count == columns && person.after.count == columns, "a person's figures, one per column")
        appendExposure(beforeDays: person.beforeDays, afterDays: person.afterDays)
        before += person.before
        after += person.after
        for k in 0..<columns { largest = max(largest, person.before[k].magnitude, person.after[k].magnitude) }
    }

    /// Adds a person of one column, `before` and `after` their costs, after the others (without
    /// an array a person, which a cohort's hundred thousand members paid for in allocations).
    mutating func append(beforeDays: Int, afterDays: Int, before: Pence, after: Pence) {
        precondition(columns == 1, "a person's figures, one per column")
        appendExposure(beforeDays: beforeDays, afterDays: afterDays)
        self.before.append(before)
        self.after.append(after)
        largest = max(largest, before.magnitude, after.magnitude)
    }

    /// Adds a person's exposure (their costs follow).
    private mutating func appendExposure(beforeDays: Int, afterDays: Int) {
        self.beforeDays.append(Int64(beforeDays))
        self.afterDays.append(Int64(afterDays))
        largest = max(largest, UInt64(beforeDays.magnitude), UInt64(afterDays.magnitude))
    }

    /// Room for `people` more people.
    mutating func reserve(_ people: Int) {
        beforeDays.reserveCapacity(beforeDays.count + people)
        afterDays.reserveCapacity(afterDays.count + people)
        before.reserveCapacity(before.count + people * columns)
        after.reserveCapacity(after.count + people * columns)
    }

    /// Each column's change in cost per person-year over the people at `indices` (with repeats),
    /// exposure counted under `rounding` (see ``CountRounding/exposure(_:people:)``).
    ///
    /// - Throws: ``CostResolver/Overflow`` when a rate or a change does not come back to 64 bits.
    func changes(_ indices: [Int], rounding: CountRounding = .exact) throws(CostResolver.Overflow) -> [Pence?] {
        let (bound, overflow) = UInt64(indices.count).multipliedReportingOverflow(by: largest)
        var sums: (beforeDays: Int128, afterDays: Int128, before: [Int128], after: [Int128])
        if !overflow && bound <= UInt64(Int64.max) {
            sums = narrowSums(indices)
        } else {
            sums = wideSums(indices)
        }
        if rounding.base > 1 {
            sums.beforeDays = Int128(rounding.exposure(Int(clamping: sums.beforeDays), people: indices.count))
            sums.afterDays = Int128(rounding.exposure(Int(clamping: sums.afterDays), people: indices.count))
        }
        var result: [Pence?] = []
        result.reserveCapacity(columns)
        for k in 0..<columns {
            guard let b = try Self.perYear(sums.before[k], days: sums.beforeDays),
                  let a = try Self.perYear(sums.after[k], days: sums.afterDays) else {
                result.append(nil)
                continue
            }
            result.append(try CostResolver.Overflow.pence(Int128(a) - Int128(b), "a group's change in cost per person-year"))
        }
        return result
    }

    /// The sums in 64 bits: the caller checked that none can wrap (so the adds wrap, and the
    /// loop over a person's run of columns vectorises). The people drawn are counted first and
    /// then read in order, each once with its count: a replicate reads the figures front to back,
    /// where reading them in the order drawn missed the cache on almost every person.
    private func narrowSums(_ indices: [Int]) -> (beforeDays: Int128, afterDays: Int128, before: [Int128], after: [Int128]) {
        var drawn = [Int64](repeating: 0, count: count)
        for i in indices { drawn[i] += 1 }
        var beforeDays: Int64 = 0, afterDays: Int64 = 0
        var beforeSums = [Int64](repeating: 0, count: columns), afterSums = beforeSums
        let columns = self.columns
        before.withUnsafeBufferPointer { before in
            after.withUnsafeBufferPointer { after in
                beforeSums.withUnsafeMutableBufferPointer { beforeSums in
                    afterSums.withUnsafeMutableBufferPointer { afterSums in
                        for (person, times) in drawn.enumerated() where times != 0 {
                            beforeDays &+= times &* self.beforeDays[person]
                            afterDays &+= times &* self.afterDays[person]
                            // Sound: `person` is below `count`, so its run `person × columns ..<
                            // (person + 1) × columns` is inside both arrays.
                            let run = person * columns
                            for k in 0..<columns {
                                beforeSums[k] &+= times &* before[run + k]
                                afterSums[k] &+= times &* after[run + k]
                            }
                        }
                    }
                }
            }
        }
        return (Int128(beforeDays), Int128(afterDays), beforeSums.map { Int128($0) }, afterSums.map { Int128($0) })
    }

    /// The sums in 128 bits, which no number of 64-bit figures a machine can hold overflows.
    private func wideSums(_ indices: [Int]) -> (beforeDays: Int128, afterDays: Int128, before: [Int128], after: [Int128]) {
        var beforeDays = Int128(0), afterDays = Int128(0)
        var beforeSums = [Int128](repeating: 0, count: columns), afterSums = beforeSums
        for i in indices {
            beforeDays += Int128(self.beforeDays[i])
            afterDays += Int128(self.afterDays[i])
            for k in 0..<columns {
                beforeSums[k] += Int128(before[i * columns + k])
                afterSums[k] += Int128(after[i * columns + k])
            }
        }
        return (beforeDays, afterDays, beforeSums, afterSums)
    }

    /// A cost per person-year, rounded half away from zero (`nil` over no days).
    private static func perYear(_ pence: Int128, days: Int128) throws(CostResolver.Overflow) -> Pence? {
        guard days > 0 else { return nil }
        guard let rate = CohortSummary.roundedQuotient(pence * 365, days) else {
            throw CostResolver.Overflow(figure: "a group's cost per person-year")
        }
        return rate
    }
}
