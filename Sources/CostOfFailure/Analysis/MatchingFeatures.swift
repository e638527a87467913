#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a comparison group is matched on, measured for any person as if a given day were their
/// index date: age of record, before-window use by category and prior-year use.
///
/// Built once per study: each person's events sorted by day (with their service, category and
/// priced cost), so that measuring a person at a date is a binary search and a loop over the
/// events of the two years before it — cheap enough to measure thousands of candidates at
/// each treated person's index date, and again inside every bootstrap replicate's re-match.
///
/// The variables, for index date `I` and the study's before window `[B, I)`:
/// - age of record: years from the person's first event (any date, any service) to `I`
///   (0 for someone with no event before `I`);
/// - before-window use by category: `ln(1 + £)` of the priced cost in `[B, I)` of each
///   category of the service catalog (services it does not list form one category, `Other`);
/// - prior-year use: `ln(1 + £)` of the priced cost in the year before the before window,
///   `[B − 12 months, B)`.
///
/// A class: measuring reads six columns, and a reference is not copied per measurement.
///
/// Costs leave out the intervention's own services and unpriced events; a negative cost
/// (refunds) counts as no use. The logarithm keeps a few very costly people from deciding
/// every match, as a person's use is heavy-tailed.
public final class MatchingFeatures: Sendable {
    /// The variables' names, in the order ``measure(person:index:)`` gives them.
    public let names: [String]
    /// The study's windows (the before window's length sets what "before" is).
    let windows: StudyWindows
    /// The people (codes index it) and the service names by code.
    let persons: StringDictionary, serviceNames: [String]
    /// Per person: a slot range into the sorted columns below (`starts[p]..<starts[p + 1]`).
    let starts: [Int]
    /// Per slot, sorted by day within a person: the day, the service code, the feature column
    /// (the category's place, or -1 for the intervention's own services) and the priced cost
    /// (0 when unpriced).
    let days: [Int32], services: [Int32], categories: [Int8], pence: [Pence]

    /// Measures `study`'s people.
    public init(study: Study) {
        let events = study.events
        windows = study.windows
        let serviceNames = events.services.values
        self.serviceNames = serviceNames
        persons = events.persons
        let categoryOfService = serviceNames.map { study.services.category(of: $0) ?? "Other" }
        let categoryNames = Set(categoryOfService.filter { $0 != ServiceCatalog.interventionCategory })
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let categoryIndex = Dictionary(uniqueKeysWithValues: categoryNames.enumerated().map { ($0.element, Int8($0.offset)) })
        let column = categoryOfService.map { categoryIndex[$0] ?? -1 }
        names = ["age of record (years)"] + categoryNames.map { "before-window use: \($0) (ln(1 + £))" } + ["prior-year use (ln(1 + £))"]
        let people = events.persons.count
        var starts = [Int](repeating: 0, count: people + 1)
        for person in events.person { starts[Int(person) + 1] += 1 }
        for p in 0..<people { starts[p + 1] += starts[p] }
        var next = starts
        var order = [Int](repeating: 0, count: events.count)
        for i in 0..<events.count {
            order[next[Int(events.person[i])]] = i
            next[Int(events.person[i])] += 1
        }
        for p in 0..<people { order[starts[p]..<starts[p + 1]].sort { events.day[$0] < events.day[$1] || (events.day[$0] == events.day[$1] && $0 < $1) } }
        self.starts = starts
        days = order.map { events.day[$0] }
        services = order.map { events.service[$0] }
        categories = order.map { column[Int(events.service[$0])] }
        pence = order.map { study.costs.priced[$0] ? study.costs.pence[$0] : 0 }
    }

    /// Whether person `person` has any event.
    public func hasEvents(_ person: Int32) -> Bool { starts[Int(person) + 1] > starts[Int(person)] }

    /// The first day of person `person`'s record (`nil`: no events).
    public func firstDay(_ person: Int32) -> Int32? { hasEvents(person) ? days[starts[Int(person)]] : nil }

    /// The first slot of person `p` on or after `day`.
    func slot(_ p: Int, from day: Int32) -> Int {
        var low = starts[p], high = starts[p + 1]
        while low < high {
            let middle = (low + high) / 2
            if days[middle] < day { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Person `person`'s variables (see the type's summary) with `index` as their index date.
    public func measure(person: Int32, index: CivilDate) -> [Double] {
        measure(person: person, at: span(index: index))
    }

    /// The days a measurement at `index` reads: the year before the before window, the before
    /// window, and the index date.
    struct Span {
        var bounds: StudyWindows.Bounds, priorStart: Int32
    }

    /// The span of a measurement at `index` (worked out once for every candidate measured there).
    func span(index: CivilDate) -> Span {
        let bounds = windows.bounds(index: index)
        return Span(bounds: bounds, priorStart: WindowSpan(1, .years).subtracted(from: CivilDate(daysSinceEpoch: bounds.beforeStart)).daysSinceEpoch)
    }

    /// Person `person`'s variables over `span`.
    func measure(person: Int32, at span: Span) -> [Double] {
        let p = Int(person)
        let bounds = span.bounds, priorStart = span.priorStart, index = bounds.index
        var before = [Double](repeating: 0, count: names.count - 2)
        var prior: Double = 0
        var slot = slot(p, from: priorStart)
        // Summed in Double: features, not published money; a person's costs fit in 64 bits anyway.
        while slot < starts[p + 1] && days[slot] < bounds.beforeEnd {
            let category = Int(categories[slot])
            if category >= 0 {
                if days[slot] < bounds.beforeStart { prior += Double(pence[slot]) } else { before[category] += Double(pence[slot]) }
            }
            slot += 1
        }
        let age = firstDay(person).map { max(0, Double(index.daysSinceEpoch - $0)) / 365.25 } ?? 0
        return [age] + before.map(Self.use) + [Self.use(prior)]
    }

    /// `ln(1 + £)` of a cost in pence; a negative cost counts as none.
    static func use(_ pence: Double) -> Double { log(1 + max(0, pence) / 100) }

    /// The matching distance between two people's variables: Euclidean over the variables each
    /// divided by its `scale` (the pooled standard deviation of the treated people's and the
    /// candidates' values: the units of the balance table's SMD), so that each variable weighs
    /// by how much it varies, not by its unit; a variable with no spread (scale 0) is left out.
    public static func distance(_ a: [Double], _ b: [Double], scale: [Double]) -> Double {
        var sum: Double = 0
        for k in a.indices where scale[k] > 0 {
            let d = (a[k] - b[k]) / scale[k]
            sum += d * d
        }
        return sum.squareRoot()
    }

    /// Each variable's pooled standard deviation, `√((s²_treated + s²_candidates) / 2)` (sample
    /// variances; 0 for a group of fewer than two).
    public static func scale(treated: [[Double]], candidates: [[Double]], variables: Int) -> [Double] {
        func variance(_ rows: [[Double]], _ k: Int) -> Double {
            guard rows.count >= 2 else { return 0 }
            let mean = rows.reduce(0) { $0 + $1[k] } / Double(rows.count)
            return rows.reduce(0) { $0 + ($1[k] - mean) * ($1[k] - mean) } / Double(rows.count - 1)
        }
        return (0..<variables).map { k in ((variance(treated, k) + variance(candidates, k)) / 2).squareRoot() }
    }

    /// Person `person`'s exposure and priced costs in the windows around `index`, by column:
    /// column 0 every service but the intervention's, then `column[service code]` (when not
    /// `nil`) — the same figures the before/after table gives a person with that index date.
    func windowCosts(person: Int32, index: CivilDate, columns: Int, column: [Int?], isIntervention: [Bool]) -> DifferenceInDifferences.Person {
        let p = Int(person)
        let bounds = windows.bounds(index: index)
        var record = DifferenceInDifferences.Person(beforeDays: bounds.beforeDays, afterDays: bounds.afterDays,
                                                    before: [Pence](repeating: 0, count: columns), after: [Pence](repeating: 0, count: columns))
        var slot = slot(p, from: bounds.beforeStart)
        // Unchecked: sums of some of the study's costs, which fit together (see ``Study``).
        while slot < starts[p + 1] && days[slot] < bounds.afterEnd {
            let service = Int(services[slot])
            switch bounds.period(of: days[slot]) {
            case .before:
                if let c = column[service] { record.before[c] += pence[slot] }
                if !isIntervention[service] { record.before[0] += pence[slot] }
            case .after:
                if let c = column[service] { record.after[c] += pence[slot] }
                if !isIntervention[service] { record.after[0] += pence[slot] }
            default:
                break
            }
            slot += 1
        }
        return record
    }
}
