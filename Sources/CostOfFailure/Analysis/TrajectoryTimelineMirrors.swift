/// What ties the trajectory (months around each index date) to the quarterly timeline (calendar
/// quarters) when the index dates cluster: with everyone's index date on the first of a
/// quarter's month, three trajectory months are one quarter, and a month withheld in one table
/// is the quarter's total less the other two months; a few days off, nearly so.
///
/// So for each trajectory month, the members' days of it in each calendar quarter (from the
/// index dates, ``Trajectory/indexDays``); where one quarter holds at least ``dominantShare`` of
/// them, the month's events and that quarter's total are declared mirrors of each other (each
/// withheld whenever the other is), for disclosure control of the cohort report.
public enum TrajectoryTimelineMirrors {
    /// The share of a month's member-days a quarter must hold: past two thirds, the month is
    /// mostly that quarter's.
    public static let dominantShare = 2.0 / 3.0

    /// The mirrored cells of `trajectory` and the cohort's `timeline` (none for a person's).
    public static func of(_ trajectory: Trajectory, _ timeline: QuarterlyTimeline) -> [(source: CellReference, mirror: CellReference)] {
        guard timeline.person == nil else { return [] }
        var rowOfQuarter: [Int: Int] = [:]
        for (row, quarter) in timeline.quarters.enumerated() { rowOfQuarter[quarter.ordinal] = row }
        var mirrors: [(source: CellReference, mirror: CellReference)] = []
        for (row, point) in trajectory.points.enumerated() {
            // Member-days of this month, in all and by quarter.
            var total: Int64 = 0
            var byQuarter: [Int: Int64] = [:]
            for (day, members) in trajectory.indexDays {
                let (year, month, dayOfMonth) = CivilDate(daysSinceEpoch: day).components
                var from = Int32(CivilDate.days(year: year, month: month, day: dayOfMonth, addingMonths: point.month))
                let end = Int32(CivilDate.days(year: year, month: month, day: dayOfMonth, addingMonths: point.month + 1))
                total += Int64(end - from) * Int64(members)
                while from < end {
                    let quarter = QuarterlyTimeline.Quarter(containing: CivilDate(daysSinceEpoch: from))
                    let next = min(QuarterlyTimeline.Quarter(ordinal: quarter.ordinal + 1).firstDay, end)
                    byQuarter[quarter.ordinal, default: 0] += Int64(next - from) * Int64(members)
                    from = next
                }
            }
            guard total > 0 else { continue }
            for (ordinal, days) in byQuarter where Double(days) >= dominantShare * Double(total) {
                guard let quarterRow = rowOfQuarter[ordinal] else { continue }
                let month = CellReference(table: Trajectory.tableName, column: "events", row: row)
                let quarter = CellReference(table: QuarterlyTimeline.tableName, column: "total", row: quarterRow)
                mirrors += [(month, quarter), (quarter, month)]
            }
        }
        return mirrors
    }
}
