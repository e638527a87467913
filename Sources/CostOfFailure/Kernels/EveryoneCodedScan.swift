/// The before/after scan of a pass whose morsels code everyone in the extract
/// (``EventLoader/scan(_:codingEveryoneKnowing:into:)``), for the scans that keep something of
/// everyone's rows (``TopUsersScan``, ``EveryoneEventsScan``): each morsel goes to the pass's
/// ``BeforeAfterScan`` coded by the cohort, as a following read codes it, so that scan sees
/// exactly the rows and codes it sees in any other pass; then every row is priced by the same
/// ``CostResolver`` (the same ``PriceGrid``), so everyone's costs follow the cohort's rule.
struct EveryoneCodedScan: Sendable {
    /// The pass's before/after scan, fed the morsels coded by the cohort.
    var beforeAfter: BeforeAfterScan
    /// The last morsel's rows' costs and whether each is priced, by row (reused).
    private(set) var cost: [Pence] = []
    private(set) var priced: [Bool] = []

    /// A morsel of the same rows coded by the cohort, for ``beforeAfter`` (reused).
    private var cohortMorsel = EventTableBuilder()
    /// Whether each row has an explicit cost, for ``cohortMorsel`` (reused).
    private var present: [Bool] = []
    private var grid: PriceGrid?
    private var gridShape = (services: -1, events: -1)

    /// A scan feeding `beforeAfter` (laid out for the cohort).
    init(beforeAfter: BeforeAfterScan) {
        self.beforeAfter = beforeAfter
    }

    /// An empty scan of the same shape (another thread's part).
    func empty() -> EveryoneCodedScan {
        EveryoneCodedScan(beforeAfter: beforeAfter.empty())
    }

    /// Whether the before/after scan met an implausible cost and stopped.
    var hasStopped: Bool { beforeAfter.hasStopped }

    /// Feeds `morsel` to the before/after scan coded by the cohort, then, unless that scan
    /// stopped (an implausible cost ends the pass with an error, so nothing more is taken),
    /// prices its rows into ``cost`` and ``priced``. Returns whether it priced them.
    mutating func take(_ morsel: borrowing EventTableBuilder) -> Bool {
        guard !hasStopped else { return false }
        if cohortMorsel.services.count != morsel.services.count { cohortMorsel.services = morsel.services }
        if cohortMorsel.events.count != morsel.events.count { cohortMorsel.events = morsel.events }
        morsel.withColumns { rows in
            morsel.withCohortPersons { cohortPerson in
                present.removeAll(keepingCapacity: true)
                for i in 0..<rows.person.count { present.append(rows.hasExplicitCost(i)) }
                present.withUnsafeBufferPointer { present in
                    cohortMorsel.replaceRows(person: cohortPerson, service: rows.service, event: rows.event, day: rows.day,
                                             quantity: rows.quantity, explicitCost: rows.explicitCost, explicitCostPresent: present,
                                             personHash: UnsafeBufferPointer(start: nil, count: 0))
                }
            }
        }
        beforeAfter.take(cohortMorsel)
        guard !hasStopped else { return false }
        price(morsel)
        return true
    }

    /// Prices `morsel`'s rows into ``cost`` and ``priced`` (every cost is plausible: the
    /// before/after scan, which prices the same rows, has not stopped).
    private mutating func price(_ morsel: borrowing EventTableBuilder) {
        // The grid of the morsel's dictionaries, made again only when they have grown.
        let grid: PriceGrid
        if let made = self.grid, gridShape == (morsel.services.count, morsel.events.count) {
            grid = made
        } else {
            grid = PriceGrid(unitCosts: beforeAfter.resolver.unitCosts, services: morsel.services, events: morsel.events)
            self.grid = grid
            gridShape = (morsel.services.count, morsel.events.count)
        }
        cost.removeAll(keepingCapacity: true)
        priced.removeAll(keepingCapacity: true)
        let resolver = beforeAfter.resolver
        morsel.withColumns { rows in
            for i in 0..<rows.person.count {
                switch resolver.price(hasExplicitCost: rows.hasExplicitCost(i), explicitCost: rows.explicitCost[i], service: rows.service[i],
                                      event: rows.event[i], quantity: rows.quantity[i], day: rows.day[i], grid: grid) {
                case .cost(let price):
                    cost.append(price)
                    priced.append(true)
                case .unpriced, .implausible:
                    cost.append(0)
                    priced.append(false)
                }
            }
        }
    }

    /// Joins `later`'s before/after scan (another thread's part) after this one's.
    mutating func append(_ later: consuming EveryoneCodedScan, recoding: EventTableBuilder.Recoding) {
        // Moved out, not copied: a copy alive during the join would share the scan's lists.
        var later = later
        var laterScan = later.beforeAfter.empty()
        swap(&laterScan, &later.beforeAfter)
        beforeAfter.append(consume laterScan, recoding: recoding)
    }
}
