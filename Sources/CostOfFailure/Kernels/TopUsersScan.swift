/// The streaming pass's scan when it also ranks the top users: morsels that code everyone in
/// the extract (``EventLoader/scan(_:codingEveryoneKnowing:into:)``) go to a ``TopUsersTally``
/// by their own person codes, and, coded by the cohort as a following read codes them, to the
/// pass's ``BeforeAfterScan``, which sees exactly the rows and codes it sees in any other pass.
///
/// Each morsel is priced for the tally by the same ``CostResolver`` the before/after scan prices
/// it with. Threads' scans join by the recoding of their dictionaries into the load's: the
/// tally maps people by ID and services by name, the before/after scan as it always does.
struct TopUsersScan: EventScan, Sendable {
    /// The pass's before/after scan, fed the morsels coded by the cohort.
    var beforeAfter: BeforeAfterScan
    /// The top users' figures, by the load's person and service codes.
    var tally: TopUsersTally

    /// A morsel of the same rows coded by the cohort, for ``beforeAfter`` (reused).
    private var cohortMorsel = EventTableBuilder()
    /// Each row's cost and whether it is priced, for the tally (reused).
    private var cost: [Pence] = []
    private var priced: [Bool] = []
    /// Whether each row has an explicit cost, for ``cohortMorsel`` (reused).
    private var present: [Bool] = []
    private var grid: PriceGrid?
    private var gridShape = (services: -1, events: -1)

    /// A scan feeding `beforeAfter` (laid out for the cohort) and `tally`.
    init(beforeAfter: BeforeAfterScan, tally: TopUsersTally) {
        self.beforeAfter = beforeAfter
        self.tally = tally
    }

    func empty() -> TopUsersScan {
        TopUsersScan(beforeAfter: beforeAfter.empty(), tally: tally.empty())
    }

    var hasStopped: Bool { beforeAfter.hasStopped }

    mutating func take(_ morsel: borrowing EventTableBuilder) {
        guard !hasStopped else { return }
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
        // An implausible cost ends the pass with an error: the tally takes nothing more.
        guard !hasStopped else { return }
        price(morsel)
        morsel.withColumns { rows in
            morsel.withCohortPersons { cohortPerson in
                cost.withUnsafeBufferPointer { cost in
                    priced.withUnsafeBufferPointer { priced in
                        tally.update(TopUsersTally.Rows(person: rows.person, service: rows.service, day: rows.day, cost: cost, priced: priced,
                                                        windowPerson: cohortPerson, windows: beforeAfter.windows), services: morsel.services)
                    }
                }
            }
        }
    }

    /// Prices `morsel`'s rows into ``cost`` and ``priced`` (every cost is plausible: the
    /// before/after scan, which prices the same rows, has not stopped).
    private mutating func price(_ morsel: borrowing EventTableBuilder) {
        if gridShape != (morsel.services.count, morsel.events.count) {
            grid = PriceGrid(unitCosts: beforeAfter.resolver.unitCosts, services: morsel.services, events: morsel.events)
            gridShape = (morsel.services.count, morsel.events.count)
        }
        guard let grid else { return }
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

    mutating func append(_ later: consuming TopUsersScan, recoding: EventTableBuilder.Recoding) {
        // Moved out, not copied: a copy alive during the join would share the scan's lists, and
        // recoding their services in place would copy each of them first.
        var later = later
        var laterScan = later.beforeAfter.empty()
        swap(&laterScan, &later.beforeAfter)
        beforeAfter.append(consume laterScan, recoding: recoding)
        tally.merge(later.tally, persons: recoding.persons, services: recoding.services)
    }
}
