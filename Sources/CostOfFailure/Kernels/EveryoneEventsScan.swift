/// The streaming pass's scan when a comparison group is asked for: morsels that code everyone
/// in the extract (``EventLoader/scan(_:codingEveryoneKnowing:into:)``) have every row priced
/// and kept by its own person code (``CohortEvents`` with everyone as a member, once the
/// pass knows how many people there are: ``everyonesEvents(people:)``), and, coded by the
/// cohort as a following read codes them, go to the pass's ``BeforeAfterScan``, which sees
/// exactly the rows and codes it sees in any other pass.
///
/// Each row is priced by the same ``CostResolver`` (the same ``PriceGrid``) the before/after
/// scan prices it with, so a comparison person's costs follow the cohort's rule; what the
/// comparison group's analysis reads of them is laid out by ``MatchingFeatures``. Threads'
/// scans join by the recoding of their dictionaries into the load's.
struct EveryoneEventsScan: EventScan, Sendable {
    /// The pass's before/after scan, fed the morsels coded by the cohort.
    var beforeAfter: BeforeAfterScan
    /// Every row taken, priced, by the load's person, service and event-type codes, in the
    /// order taken.
    private(set) var events: [CohortEvent] = []

    /// A morsel of the same rows coded by the cohort, for ``beforeAfter`` (reused).
    private var cohortMorsel = EventTableBuilder()
    /// Whether each row has an explicit cost, for ``cohortMorsel`` (reused).
    private var present: [Bool] = []
    private var grid: PriceGrid?
    private var gridShape = (services: -1, events: -1)

    /// A scan feeding `beforeAfter` (laid out for the cohort) and keeping everyone's rows.
    init(beforeAfter: BeforeAfterScan) {
        self.beforeAfter = beforeAfter
    }

    func empty() -> EveryoneEventsScan {
        EveryoneEventsScan(beforeAfter: beforeAfter.empty())
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
        // An implausible cost ends the pass with an error: nothing more is kept.
        guard !hasStopped else { return }
        keep(morsel)
    }

    /// Prices `morsel`'s rows and keeps them (every cost is plausible: the before/after scan,
    /// which prices the same rows, has not stopped).
    private mutating func keep(_ morsel: borrowing EventTableBuilder) {
        if gridShape != (morsel.services.count, morsel.events.count) {
            grid = PriceGrid(unitCosts: beforeAfter.resolver.unitCosts, services: morsel.services, events: morsel.events)
            gridShape = (morsel.services.count, morsel.events.count)
        }
        guard let grid else { return }
        let resolver = beforeAfter.resolver
        morsel.withColumns { rows in
            events.reserveCapacity(events.count + rows.person.count)
            for i in 0..<rows.person.count {
                var cost: Pence = 0, priced = false
                switch resolver.price(hasExplicitCost: rows.hasExplicitCost(i), explicitCost: rows.explicitCost[i], service: rows.service[i],
                                      event: rows.event[i], quantity: rows.quantity[i], day: rows.day[i], grid: grid) {
                case .cost(let price): (cost, priced) = (price, true)
                case .unpriced, .implausible: break
                }
                events.append(CohortEvent(person: rows.person[i], service: rows.service[i], event: rows.event[i], day: rows.day[i],
                                          quantity: rows.quantity[i], cost: cost, priced: priced))
            }
        }
    }

    mutating func append(_ later: consuming EveryoneEventsScan, recoding: EventTableBuilder.Recoding) {
        // Moved out, not copied: a copy alive during the join would share the scan's lists.
        var later = later
        var laterScan = later.beforeAfter.empty()
        swap(&laterScan, &later.beforeAfter)
        beforeAfter.append(consume laterScan, recoding: recoding)
        var laterEvents: [CohortEvent] = []
        swap(&laterEvents, &later.events)
        events.reserveCapacity(events.count + laterEvents.count)
        for var event in laterEvents {
            event.person = recoding.persons[Int(event.person)]
            event.service = recoding.services[Int(event.service)]
            event.event = recoding.events[Int(event.event)]
            events.append(event)
        }
    }

    /// Every row kept, by person (`people`: the load's people, every code below it), handed over
    /// as the list the cohort's events are kept in, grouped by the same kernel.
    mutating func everyonesEvents(people: Int) -> CohortEvents {
        var list = CohortEvents(cohortSize: people)
        var taken: [CohortEvent] = []
        swap(&taken, &events)
        for event in taken { list.append(event) }
        return list
    }
}
