/// The streaming pass's scan when a comparison group is asked for: morsels that code everyone
/// in the extract (``EventLoader/scan(_:codingEveryoneKnowing:into:)``) have every row priced
/// and kept by its own person code (``CohortEvents`` with everyone as a member, once the
/// pass knows how many people there are: ``everyonesEvents(people:)``), and, coded by the
/// cohort as a following read codes them, go to the pass's ``BeforeAfterScan``, which sees
/// exactly the rows and codes it sees in any other pass.
///
/// Each row is priced by the same ``CostResolver`` (the same ``PriceGrid``) the before/after
/// scan prices it with (``EveryoneCodedScan``), so a comparison person's costs follow the cohort's rule; what the
/// comparison group's analysis reads of them is laid out by ``MatchingFeatures``. Threads'
/// scans join by the recoding of their dictionaries into the load's.
struct EveryoneEventsScan: EventScan, Sendable {
    /// The pass's before/after scan, fed the morsels coded by the cohort, and each morsel priced.
    private var scan: EveryoneCodedScan
    /// Every row taken, priced, by the load's person, service and event-type codes, in the
    /// order taken.
    private(set) var events: [CohortEvent] = []

    /// A scan feeding `beforeAfter` (laid out for the cohort) and keeping everyone's rows.
    init(beforeAfter: BeforeAfterScan) {
        scan = EveryoneCodedScan(beforeAfter: beforeAfter)
    }

    /// The pass's before/after scan.
    var beforeAfter: BeforeAfterScan {
        get { scan.beforeAfter }
        set { scan.beforeAfter = newValue }
    }

    func empty() -> EveryoneEventsScan {
        EveryoneEventsScan(beforeAfter: scan.beforeAfter.empty())
    }

    var hasStopped: Bool { scan.hasStopped }

    mutating func take(_ morsel: borrowing EventTableBuilder) {
        guard scan.take(morsel) else { return }
        morsel.withColumns { rows in
            // No reserve per morsel: reserving exactly what one more morsel needs sets the
            // list's size each time, so it was copied whole at every morsel instead of growing
            // by doubling (a 10M-row read spent a fifth of its time copying and faulting in pages).
            for i in 0..<rows.person.count {
                events.append(CohortEvent(person: rows.person[i], service: rows.service[i], event: rows.event[i], day: rows.day[i],
                                          quantity: rows.quantity[i], cost: scan.cost[i], priced: scan.priced[i]))
            }
        }
    }

    mutating func append(_ later: consuming EveryoneEventsScan, recoding: EventTableBuilder.Recoding) {
        // Moved out, not copied: a copy alive during the join would share the scan's lists.
        var later = later
        var laterScan = later.scan.empty()
        swap(&laterScan, &later.scan)
        scan.append(consume laterScan, recoding: recoding)
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
