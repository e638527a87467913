/// Use in event time: for each month relative to each person's index date (−24 … +12 by
/// default), the mean cost and events per person-month among the people observed for the whole
/// of that month — the chart that shows whether use was already falling before the intervention.
///
/// Month `k` of a person is `[index + k months, index + k + 1 months)` (calendar months, clamped
/// to the month's last day, as the windows are). A person is observed in a month when it lies
/// wholly inside the data: from the first event day of the whole extract to the observation end
/// (or, without one, the last event day). A person whose data ends leaves the denominator.
///
/// Time at risk (``TimeAtRisk``, its rule reused through ``PersonWindows/daysRemoved(person:from:to:)``):
/// an observed person counts in a month for the share of its days they were at risk — a month
/// with 10 of its 30 days in custody is two thirds of a person-month, a month wholly after their
/// death none. ``Point/people`` counts those with at least one day at risk; the means are per
/// person-month at risk (``Point/personMonths``), as the windows' rates are per day at risk.
/// Events in days out of exposure (the custody itself, events dated after a death) still count
/// in their month, as they do in the windows. The
/// intervention's own services are left out (they are the response, not the use). Cost follows
/// ``PricedCells``: a (person, service) cell left out of the before/after money (an unpriced
/// event in either window) puts no cost in any month either, so the chart and the headline tell
/// the same story; its events are counted beside (`left_out_events`).
public struct Trajectory: Sendable {
    /// One month of event time.
    public struct Point: Sendable, Equatable {
        /// Months from the index date (0: the month starting on it).
        public var month: Int
        /// People observed for the whole month with at least one day of it at risk.
        public var people: Int
        /// Their person-months at risk, in units of 1/``monthUnit`` of a month: each person adds
        /// their days at risk × ``monthUnit`` ÷ the month's days (exact: every month has 28 to 31 days).
        public var personMonthUnits: Int64 = 0
        /// Their events in the month.
        public var events: Int64
        /// Their cost in the month (priced events).
        public var cost: Pence
        /// Their unpriced events.
        public var unpriced: Int64
        /// People with an event in the month, and with a priced one (what the cost rests on).
        public var peopleWithEvents = 0, peopleWithCost = 0
        /// The largest cost one person has in the month.
        public var largestCost: Pence = 0
        /// Events of (person, service) cells left out of the money (``PricedCells``), and the
        /// people they belong to.
        public var leftOutEvents: Int64 = 0, leftOutPeople = 0

        /// Person-months at risk (``people`` when no one lost a day).
        public var personMonths: Double { Double(personMonthUnits) / Double(Trajectory.monthUnit) }

        /// Mean cost per person-month at risk, rounded to the penny; `nil` with no one at risk.
        public var meanCost: Pence? { meanCost(publishedPeople: people) }

        /// Mean events per person-month at risk; `nil` with no one at risk.
        public var meanEvents: Double? { meanEvents(publishedPeople: people, publishedEvents: events) }

        /// Mean cost per person-month at risk over the person-months scaled by `publishedPeople`
        /// ÷ ``people`` (the people count as published; see ``CountRounding``): with no day lost,
        /// cost ÷ `publishedPeople`.
        func meanCost(publishedPeople: Int?) -> Pence? {
            guard let published = publishedPeople, published > 0, people > 0, personMonthUnits > 0 else { return nil }
            if personMonthUnits == Int64(people) * Trajectory.monthUnit {
                return CohortSummary.roundedQuotient(Int128(cost), Int128(published))
            }
            return CohortSummary.roundedQuotient(Int128(cost) * Int128(people) * Int128(Trajectory.monthUnit),
                                                 Int128(personMonthUnits) * Int128(published))
        }

        /// Mean events per person-month at risk, as ``meanCost(publishedPeople:)``, of the events
        /// as they are published (`publishedEvents`, rounded under a rounding rule): a mean of the
        /// exact count over the published people would give the exact count back (mean × people).
        func meanEvents(publishedPeople: Int?, publishedEvents: Int64) -> Double? {
            guard let published = publishedPeople, published > 0, people > 0, personMonthUnits > 0 else { return nil }
            if personMonthUnits == Int64(people) * Trajectory.monthUnit { return Double(publishedEvents) / Double(published) }
            return Double(publishedEvents) * Double(people) * Double(Trajectory.monthUnit) / (Double(personMonthUnits) * Double(published))
        }
    }

    /// The unit person-months are counted in: the least common multiple of 28, 29, 30 and 31
    /// (a month's possible lengths), so that any share of days at risk is a whole number of units.
    public static let monthUnit: Int64 = 377_580

    /// The table's name.
    public static let tableName = "trajectory"

    /// The months every report and table shows: two years before the index date to a year after.
    public static let defaultMonths = -24...12

    /// The months, in order.
    public let points: [Point]
    /// What prices the money is in.
    public let prices: String
    /// Members by index date (day number): where each month falls in the calendar.
    public let indexDays: [Int32: Int]

    /// The trajectory of `study`'s cohort (or of one treated person, `person`) over `months`
    /// (relative to each index date); its events read by the same fold as the stream's.
    public init(study: Study, months: ClosedRange<Int> = Trajectory.defaultMonths, person only: String? = nil) {
        self = study.cohortAnalyses.trajectory(months: months, person: only)
    }

    /// The trajectory from a finished ``Fold``.
    public init(fold: Fold, prices: String) {
        points = fold.points.map { point in
            var point = point
            point.largestCost = fold.largest[point.month - fold.months.lowerBound] ?? 0
            return point
        }
        self.prices = prices
        indexDays = fold.indexDays
    }

    /// The trajectory as a table; means per person-month at risk are over the person-months
    /// scaled to the people count as `rounding` publishes it.
    public func resultTable(rounding: CountRounding = .exact) -> ResultTable {
        let means = points.map { point in point.meanCost(publishedPeople: rounding.denominator(point.people)) }
        let eventMeans = points.map { point in
            point.meanEvents(publishedPeople: rounding.denominator(point.people), publishedEvents: rounding.rounded(point.events))
        }
        let people = points.map { Int64($0.people) }
        let count = DisclosureBasis(role: .count, people: points.map { Int64($0.peopleWithEvents) }, family: "month")
        let money = DisclosureBasis(role: .magnitude, people: points.map { Int64($0.peopleWithCost) }, largestContribution: points.map(\.largestCost), family: "month")
        return ResultTable(name: Self.tableName, title: "Mean use per person-month around the index date (\(prices))", columns: [
            ResultColumn("month", .integer(points.map { Int64($0.month) })).asLabel(),
            ResultColumn("people", .integer(people)).resting(on: DisclosureBasis(role: .count, people: people)),
            ResultColumn("events", .integer(points.map(\.events))).resting(on: count),
            ResultColumn("cost", .money(points.map(\.cost))).resting(on: money),
            ResultColumn("mean_cost_per_person", money: means).resting(on: money),
            ResultColumn("mean_events_per_person", rates: eventMeans, decimals: 3).resting(on: count),
            ResultColumn("unpriced", .integer(points.map(\.unpriced))).resting(on: count),
            ResultColumn("left_out_events", .integer(points.map(\.leftOutEvents)))
                .resting(on: DisclosureBasis(role: .count, people: points.map { Int64($0.leftOutPeople) }, family: "month")),
        ], peopleColumn: "people")
    }
}
