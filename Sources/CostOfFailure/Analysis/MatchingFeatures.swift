#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a comparison group is matched on, measured for any person as if a given day were their
/// index date: age of record, before-window use by category and prior-year use.
///
/// Built once per study from everyone's events as the kernel groups them
/// (``CohortEvents/grouped()``): each person's events sorted by day (with their service,
/// category and priced cost), so that measuring a person at a date is a binary search and a loop over the
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
/// Costs leave out the intervention's own services and follow ``PricedCells``' rule: a
/// (person, service) window cell with an unpriced event has no cost. The variables look at one
/// window each (the before window, the prior year) and never at the after window — matching on
/// what happens after the index date would match on the outcome — so a cell is left out of a
/// variable when it has an unpriced event in that window (``PricedCells/hasCost(_:)``). The
/// costs a matched person brings to the difference in differences (``windowCosts(person:index:columns:column:isIntervention:)``)
/// take the whole rule, as the before/after table does (``PricedCells/pricedPart(before:after:)``),
/// so the bootstrap replicates add up what the point estimate adds up. A negative cost
/// (refunds) counts as no use. The logarithm keeps a few very costly people from deciding
/// every match, as a person's use is heavy-tailed.
public final class MatchingFeatures: Sendable {
    /// The variables' names, in the order ``measure(person:index:)`` gives them.
    public let names: [String]
    /// The study's windows (the before window's length sets what "before" is).
    let windows: StudyWindows
    /// The people measured: their codes are the `person` of every measurement.
    public let persons: StringDictionary
    /// The service names by code.
    let serviceNames: [String]
    /// Per person: a slot range into the sorted columns below (`starts[p]..<starts[p + 1]`).
    let starts: [Int]
    /// Per slot, sorted by day within a person: the day, the service code, the feature column
    /// (the category's place, or -1 for the intervention's own services) and the priced cost
    /// (0 when unpriced), and whether it is priced.
    let days: [Int32], services: [Int32], categories: [Int8], pence: [Pence], priced: [Bool]

    /// Per service code: how its events bear on exposure (custody, death; ``TimeAtRisk``).
    let exposure: [ServiceCatalog.Exposure]
    /// Whether any service marks exposure (else no person's windows lose days).
    let marksExposure: Bool

    /// Measures `study`'s people.
    public convenience init(study: Study) {
        let events = study.events
        // Everyone's events grouped by person by the kernel that groups the cohort's (the table's
        // people as its members, so a member's code is the person's).
        let grouped = CohortEvents(table: events, costs: study.costs, cohort: events.persons).grouped()
        self.init(grouped: grouped, persons: events.persons, serviceNames: events.services.values, services: study.services,
                  windows: study.windows)
        // Every row is grouped under its person: the table's people, as members, code themselves.
        assert(days.count == events.count, "every row grouped under its person")
    }

    /// Measures everyone whose events `grouped` holds: member `p` is the person `persons[p]`,
    /// services are coded as `serviceNames`, grouped by `services`' categories, and windows
    /// are `windows` (with the observation end the events were read to). The streaming pass
    /// and a study group everyone's events by the same kernel (``CohortEvents``), priced once.
    public init(grouped: GroupedCohortEvents, persons: StringDictionary, serviceNames: [String], services catalog: ServiceCatalog,
                windows: StudyWindows) {
        self.windows = windows
        self.serviceNames = serviceNames
        self.persons = persons
        let categoryOfService = serviceNames.map { catalog.category(of: $0) ?? "Other" }
        let categoryNames = Set(categoryOfService.filter { $0 != ServiceCatalog.interventionCategory })
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let categoryIndex = Dictionary(uniqueKeysWithValues: categoryNames.enumerated().map { ($0.element, Int8($0.offset)) })
        let column = categoryOfService.map { categoryIndex[$0] ?? -1 }
        names = ["age of record (years)"] + categoryNames.map { "before-window use: \($0) (ln(1 + £))" } + ["prior-year use (ln(1 + £))"]
        exposure = serviceNames.map(catalog.exposure(of:))
        marksExposure = exposure.contains { $0 != .counts }
        // Each person's events put in day order, ties in the order taken (row order).
        let people = persons.count
        var starts = [Int](repeating: 0, count: people + 1)
        var days = [Int32](), services = [Int32](), categories = [Int8](), pence = [Pence](), priced = [Bool]()
        let total = grouped.events.count
        days.reserveCapacity(total)
        services.reserveCapacity(total)
        categories.reserveCapacity(total)
        pence.reserveCapacity(total)
        priced.reserveCapacity(total)
        var order: [UInt64] = []
        for p in 0..<people {
            grouped.withEvents(of: p) { member in
                // (day, place) in one integer: the day with its sign bit flipped sorts as the day.
                order.removeAll(keepingCapacity: true)
                var sorted = true
                for (place, event) in member.enumerated() {
                    order.append(UInt64(UInt32(bitPattern: event.day) ^ 0x8000_0000) << 32 | UInt64(place))
                    if place > 0, order[place] < order[place - 1] { sorted = false }
                }
                if !sorted { order.sort() }
                for key in order {
                    let event = member[Int(truncatingIfNeeded: key & 0xFFFF_FFFF)]
                    days.append(event.day)
                    services.append(event.service)
                    categories.append(column[Int(event.service)])
                    pence.append(event.priced ? event.cost : 0)
                    priced.append(event.priced)
                }
            }
            starts[p + 1] = days.count
        }
        self.starts = starts
        self.days = days
        self.services = services
        self.categories = categories
        self.pence = pence
        self.priced = priced
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
        var values: [Double] = []
        values.reserveCapacity(names.count)
        measure(person: person, at: span, appendingTo: &values)
        return values
    }

    /// Person `person`'s variables over `span`, appended to `values` (a match measures
    /// millions of candidates: no array of its own for each).
    func measure(person: Int32, at span: Span, appendingTo values: inout [Double]) {
        let p = Int(person)
        let bounds = span.bounds, priorStart = span.priorStart, index = bounds.index
        // The variables' places: age, then each category's before-window cost, then the prior year's.
        let base = values.count, categoriesStart = base + 1
        values.append(contentsOf: repeatElement(0, count: names.count))
        var prior: Double = 0
        let first = slot(p, from: priorStart)
        // The services with an unpriced event in each window: their cells have no cost there
        // (``PricedCells/hasCost(_:)``: a window cell with an unpriced event has none). Few
        // people have any, so the sums below mostly skip the set lookup.
        var unpricedBefore: Set<Int32> = [], unpricedPrior: Set<Int32> = []
        var slot = first
        while slot < starts[p + 1] && days[slot] < bounds.beforeEnd {
            if !priced[slot] && categories[slot] >= 0 {
                if days[slot] < bounds.beforeStart { unpricedPrior.insert(services[slot]) } else { unpricedBefore.insert(services[slot]) }
            }
            slot += 1
        }
        slot = first
        // Summed in Double: features, not published money; a person's costs fit in 64 bits anyway.
        while slot < starts[p + 1] && days[slot] < bounds.beforeEnd {
            let category = Int(categories[slot])
            if category >= 0 {
                if days[slot] < bounds.beforeStart {
                    if unpricedPrior.isEmpty || !unpricedPrior.contains(services[slot]) { prior += Double(pence[slot]) }
                } else if unpricedBefore.isEmpty || !unpricedBefore.contains(services[slot]) {
                    values[categoriesStart + category] += Double(pence[slot])
                }
            }
            slot += 1
        }
        values[base] = firstDay(person).map { max(0, Double(index.daysSinceEpoch - $0)) / 365.25 } ?? 0
        for place in categoriesStart..<(base + names.count - 1) { values[place] = Self.use(values[place]) }
        values[base + names.count - 1] = Self.use(prior)
    }

    /// `ln(1 + £)` of a cost in pence; a negative cost counts as none.
    static func use(_ pence: Double) -> Double { log(1 + max(0, pence) / 100) }

    /// The matching distance between two people's variables: Euclidean over the variables each
    /// divided by its `scale` (the pooled standard deviation of the treated people's and the
    /// candidates' values: the units of the balance table's SMD), so that each variable weighs
    /// by how much it varies, not by its unit; a variable with no spread (scale 0) is left out.
    public static func distance(_ a: [Double], _ b: some RandomAccessCollection<Double>, scale: [Double]) -> Double {
        var sum: Double = 0
        for (k, y) in zip(a.indices, b) where scale[k] > 0 {
            let d = (a[k] - y) / scale[k]
            sum += d * d
        }
        return sum.squareRoot()
    }

    /// Each variable's pooled standard deviation, `√((s²_treated + s²_candidates) / 2)` (sample
    /// variances; 0 for a group of fewer than two).
    public static func scale(treated: [[Double]], candidates: [[Double]], variables: Int) -> [Double] {
        scale(treated: treated, candidates: [(candidates.flatMap { $0 }, variables)], variables: variables)
    }

    /// ``scale(treated:candidates:variables:)`` with the candidates' values laid out flat, in
    /// blocks of rows of `width` values each (a match's candidates' variables, draw by draw).
    static func scale(treated: [[Double]], candidates blocks: [(values: [Double], width: Int)], variables: Int) -> [Double] {
        func variance(_ rows: [[Double]], _ k: Int) -> Double {
            guard rows.count >= 2 else { return 0 }
            let mean = rows.reduce(0) { $0 + $1[k] } / Double(rows.count)
            return rows.reduce(0) { $0 + ($1[k] - mean) * ($1[k] - mean) } / Double(rows.count - 1)
        }
        // The same sums in the same order as over one array of rows: row after row, block after block.
        func flatVariance(_ k: Int) -> Double {
            let count = blocks.reduce(0) { $0 + $1.values.count / max(1, $1.width) }
            guard count >= 2 else { return 0 }
            var sum: Double = 0
            for block in blocks { for row in stride(from: 0, to: block.values.count, by: block.width) { sum += block.values[row + k] } }
            let mean = sum / Double(count)
            var squares: Double = 0
            for block in blocks {
                for row in stride(from: 0, to: block.values.count, by: block.width) {
                    let d = block.values[row + k] - mean
                    squares += d * d
                }
            }
            return squares / Double(count - 1)
        }
        return (0..<variables).map { k in ((variance(treated, k) + flatVariance(k)) / 2).squareRoot() }
    }

    /// Person `person`'s windows around `index` with their time at risk: the days of custody
    /// and after death their own events mark (``TimeAtRisk/Removal``, the rule the before/after
    /// table's exposure follows) taken out of each window. `nil`: a person with no events (no
    /// code), whose windows lose no day.
    public func bounds(person: Int32?, index: CivilDate) -> StudyWindows.Bounds {
        var bounds = windows.bounds(index: index)
        guard marksExposure, let person else { return bounds }
        let p = Int(person)
        var marks: [TimeAtRisk.Mark] = []
        for slot in starts[p]..<starts[p + 1] {
            switch exposure[Int(services[slot])] {
            case .counts: continue
            case .removes: marks.append(TimeAtRisk.Mark(person: person, day: days[slot], ends: false))
            case .ends: marks.append(TimeAtRisk.Mark(person: person, day: days[slot], ends: true))
            }
        }
        guard !marks.isEmpty else { return bounds }
        marks.sort()
        let removal = TimeAtRisk.Removal(sorted: marks)
        bounds.beforeRemoved = removal.days(from: bounds.beforeStart, to: bounds.beforeEnd)
        bounds.afterRemoved = removal.days(from: bounds.index.daysSinceEpoch, to: bounds.afterEnd)
        return bounds
    }

    /// One (person, service) cell's figures in each window.
    struct WindowCell {
        var service: Int32
        var before: PeriodFigures, after: PeriodFigures
    }

    /// Person `person`'s (person, service) cells with an event in either window of `bounds`, in
    /// service-code order: the before/after table's rows of that person (``BeforeAfterTable``
    /// lays out a row for every service with an event in either window).
    ///
    /// - Throws: ``CostResolver/Overflow`` when a cell's cost does not fit in 64-bit pence.
    func windowCells(person: Int32, bounds: StudyWindows.Bounds) throws(CostResolver.Overflow) -> [WindowCell] {
        let p = Int(person)
        var cells: [Int32: (before: PeriodFigures, after: PeriodFigures)] = [:]
        var slot = slot(p, from: bounds.beforeStart)
        while slot < starts[p + 1] && days[slot] < bounds.afterEnd {
            let period = bounds.period(of: days[slot])
            if period == .before || period == .after {
                let figures = PeriodFigures(events: 1, cost: pence[slot], unpriced: priced[slot] ? 0 : 1)
                var cell = cells[services[slot]] ?? (PeriodFigures(), PeriodFigures())
                let figure = period == .before ? "a person's cost of a service in the before window" : "a person's cost of a service in the after window"
                let old = period == .before ? cell.before : cell.after
                let sum = PeriodFigures(events: old.events + 1, cost: try CostResolver.Overflow.sum(old.cost, figures.cost, figure),
                                        unpriced: old.unpriced + figures.unpriced)
                if period == .before { cell.before = sum } else { cell.after = sum }
                cells[services[slot]] = cell
            }
            slot += 1
        }
        // In service order, so that the sums do not depend on a hash.
        return cells.keys.sorted().map { WindowCell(service: $0, before: cells[$0]!.before, after: cells[$0]!.after) }
    }

    /// The exposure of `bounds` and the costs of `cells` by column: column 0 every service but
    /// the intervention's, then `column[service code]` (when not `nil`) — under the before/after
    /// table's rule: a (person, service) cell with an unpriced event in either window adds no
    /// cost to either (``PricedCells/pricedPart(before:after:)``); the intervention's own
    /// services are kept whole, as ``DifferenceInDifferences`` keeps them.
    ///
    /// - Throws: ``CostResolver/Overflow`` when a person's cost does not fit in 64-bit pence.
    static func record(bounds: StudyWindows.Bounds, cells: [WindowCell], columns: Int, column: [Int?],
                       isIntervention: [Bool]) throws(CostResolver.Overflow) -> DifferenceInDifferences.Person {
        var record = DifferenceInDifferences.Person(beforeDays: bounds.beforeDays, afterDays: bounds.afterDays,
                                                    before: [Pence](repeating: 0, count: columns), after: [Pence](repeating: 0, count: columns))
        let before = "a person's cost in the before window", after = "a person's cost in the after window"
        for whole in cells {
            let s = Int(whole.service)
            let cell = isIntervention[s] ? (before: whole.before, after: whole.after) : PricedCells.pricedPart(before: whole.before, after: whole.after)
            if let c = column[s] {
                record.before[c] = try CostResolver.Overflow.sum(record.before[c], cell.before.cost, before)
                record.after[c] = try CostResolver.Overflow.sum(record.after[c], cell.after.cost, after)
            }
            if !isIntervention[s] {
                record.before[0] = try CostResolver.Overflow.sum(record.before[0], cell.before.cost, before)
                record.after[0] = try CostResolver.Overflow.sum(record.after[0], cell.after.cost, after)
            }
        }
        return record
    }

    /// Person `person`'s exposure and costs in the windows around `index`, by column (see
    /// ``record(bounds:cells:columns:column:isIntervention:)``): the same figures the
    /// before/after table gives a person with that index date, exposure after their time at
    /// risk (``bounds(person:index:)``).
    ///
    /// - Throws: ``CostResolver/Overflow`` when a person's cost does not fit in 64-bit pence.
    func windowCosts(person: Int32, index: CivilDate, columns: Int, column: [Int?],
                     isIntervention: [Bool]) throws(CostResolver.Overflow) -> DifferenceInDifferences.Person {
        let bounds = bounds(person: person, index: index)
        return try Self.record(bounds: bounds, cells: try windowCells(person: person, bounds: bounds), columns: columns, column: column,
                               isIntervention: isIntervention)
    }
}
