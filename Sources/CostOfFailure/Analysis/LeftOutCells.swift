/// The (person, service) cells of a before/after table that ``PricedCells`` leaves out of the
/// money (an unpriced event in either window), looked up by the codes of a study's events: for
/// an analysis that sums cost event by event (the appraisal's split by cashability) to follow
/// the same rule as the table's totals.
public struct LeftOutCells: Sendable {
    /// `person << 32 | service`, in the events' codes.
    private let cells: Set<Int64>

    /// The cells of `comparison` left out, coded as in `events` (the table it was made from).
    public init(comparison: BeforeAfterTable, events: EventTable) {
        cells = Set(comparison.rows.compactMap { row -> Int64? in
            guard !PricedCells.counts(before: row.before, after: row.after),
                  let person = events.persons.code(of: row.personID), let service = events.services.code(of: row.service)
            else { return nil }
            return Self.key(person, service)
        })
    }

    /// The cells of `study`'s before/after table left out (one pass over its events; a study's
    /// costs fit together, so no sum overflows).
    public init(study: Study) {
        let events = study.events
        let treated = study.treatedPersonCodesInOrder()
        var groupOfPerson = [Int32](repeating: -1, count: events.persons.count)
        for (group, person) in treated.enumerated() { groupOfPerson[Int(person)] = Int32(group) }
        let serviceCount = events.services.count
        let totals = PeriodAggregation(groupOfPerson: groupOfPerson, personGroups: treated.count, serviceCount: serviceCount,
                                       workers: study.workers).run(events, costs: study.costs, windows: study.personWindows)
        var cells = Set<Int64>()
        for (group, person) in treated.enumerated() {
            for service in 0..<serviceCount {
                let key = group * serviceCount + service
                if !PricedCells.counts(before: totals.figures(group: key, period: .before), after: totals.figures(group: key, period: .after)) {
                    cells.insert(Self.key(person, Int32(service)))
                }
            }
        }
        self.cells = cells
    }

    /// Whether the cell of person `person` and service `service` (codes) is left out.
    @inline(__always)
    public func contains(person: Int32, service: Int32) -> Bool {
        !cells.isEmpty && cells.contains(Self.key(person, service))
    }

    private static func key(_ person: Int32, _ service: Int32) -> Int64 {
        Int64(person) << 32 | Int64(UInt32(bitPattern: service))
    }
}
