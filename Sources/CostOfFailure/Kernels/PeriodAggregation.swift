import Dispatch

/// The before/after kernel: classifies every event against its person's windows and sums it
/// into `(group, period)`, where the group is `groupOfPerson[person] * services + service`.
///
/// Rows are split into ranges, one per worker; each worker fills its own ``PeriodTotals`` and
/// the states are merged by integer addition, so the result does not depend on the split.
public struct PeriodAggregation: Sendable {
    /// Dense group number of each person code, or -1 for people to leave out.
    public let groupOfPerson: [Int32]
    /// Number of person groups.
    public let personGroups: Int
    /// Number of services (the inner dimension of the group key).
    public let serviceCount: Int
    /// How many workers to use (1 = run on the calling thread).
    public var workers: Int

    /// Creates the kernel.
    public init(groupOfPerson: [Int32], personGroups: Int, serviceCount: Int, workers: Int = 2) {
        self.groupOfPerson = groupOfPerson
        self.personGroups = personGroups
        self.serviceCount = serviceCount
        self.workers = max(1, workers)
    }

    /// Runs over all events of `table`.
    public func run(_ table: EventTable, costs: EventCosts, windows: PersonWindows) -> PeriodTotals {
        let rows = table.count
        let parts = rows < 1 << 16 ? 1 : workers
        if parts == 1 { return run(table, costs: costs, windows: windows, rows: 0..<rows) }
        let states = UnsafeMutableBufferPointer<PeriodTotals>.allocate(capacity: parts)
        defer {
            _ = states.deinitialize()
            states.deallocate()
        }
        states.initialize(repeating: PeriodTotals(groups: 0))
        // Sound: each worker writes only its own slot `part`; the buffer outlives the call.
        nonisolated(unsafe) let slots = states
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = (rows * part / parts)..<(rows * (part + 1) / parts)
            slots[part] = run(table, costs: costs, windows: windows, rows: range)
        }
        var total = states[0]
        for part in 1..<parts { total.merge(states[part]) }
        return total
    }

    /// Runs over the events in `rows`.
    public func run(_ table: EventTable, costs: EventCosts, windows: PersonWindows, rows: Range<Int>) -> PeriodTotals {
        var totals = PeriodTotals(groups: personGroups * serviceCount)
        for i in rows {
            let person = table.person[i]
            let group = groupOfPerson[Int(person)]
            if group < 0 { continue }
            let period = windows.period(person: person, day: table.day[i])
            if period == .outside { continue }
            totals.add(group: Int(group) * serviceCount + Int(table.service[i]), period: period,
                       quantity: table.quantity[i], cost: costs.pence[i], priced: costs.priced[i])
        }
        return totals
    }
}
