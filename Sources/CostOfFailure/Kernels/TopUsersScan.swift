/// The streaming pass's scan when it also ranks the top users: morsels that code everyone in
/// the extract (``EventLoader/scan(_:codingEveryoneKnowing:into:)``) go to a ``TopUsersTally``
/// by their own person codes, and, coded by the cohort as a following read codes them, to the
/// pass's ``BeforeAfterScan``, which sees exactly the rows and codes it sees in any other pass.
///
/// Each morsel is priced for the tally by the same ``CostResolver`` the before/after scan prices
/// it with (``EveryoneCodedScan``). Threads' scans join by the recoding of their dictionaries into the load's: the
/// tally maps people by ID and services by name, the before/after scan as it always does.
struct TopUsersScan: EventScan, Sendable {
    /// The pass's before/after scan, fed the morsels coded by the cohort, and each morsel priced.
    private var scan: EveryoneCodedScan
    /// The top users' figures, by the load's person and service codes.
    var tally: TopUsersTally

    /// A scan feeding `beforeAfter` (laid out for the cohort) and `tally`.
    init(beforeAfter: BeforeAfterScan, tally: TopUsersTally) {
        scan = EveryoneCodedScan(beforeAfter: beforeAfter)
        self.tally = tally
    }

    /// The pass's before/after scan.
    var beforeAfter: BeforeAfterScan {
        get { scan.beforeAfter }
        set { scan.beforeAfter = newValue }
    }

    func empty() -> TopUsersScan {
        TopUsersScan(beforeAfter: scan.beforeAfter.empty(), tally: tally.empty())
    }

    var hasStopped: Bool { scan.hasStopped }

    mutating func take(_ morsel: borrowing EventTableBuilder) {
        guard scan.take(morsel) else { return }
        morsel.withColumns { rows in
            morsel.withCohortPersons { cohortPerson in
                scan.cost.withUnsafeBufferPointer { cost in
                    scan.priced.withUnsafeBufferPointer { priced in
                        tally.update(TopUsersTally.Rows(person: rows.person, service: rows.service, day: rows.day, cost: cost, priced: priced,
                                                        windowPerson: cohortPerson, windows: scan.beforeAfter.windows), services: morsel.services)
                    }
                }
            }
        }
    }

    mutating func append(_ later: consuming TopUsersScan, recoding: EventTableBuilder.Recoding) {
        // Moved out, not copied: a copy alive during the join would share the scan's lists, and
        // recoding their services in place would copy each of them first.
        var later = later
        var laterScan = later.scan.empty()
        swap(&laterScan, &later.scan)
        scan.append(consume laterScan, recoding: recoding)
        tally.merge(later.tally, persons: recoding.persons, services: recoding.services)
    }
}
