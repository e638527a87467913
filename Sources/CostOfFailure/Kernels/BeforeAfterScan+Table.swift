extension BeforeAfterScan {
    /// The scan of a loaded table (the table path): `table`'s rows handed to the scan in
    /// morsels, exactly as a streaming pass hands it the rows it parses, so a study's
    /// before/after table is summed, priced and checked by the one kernel the stream uses.
    ///
    /// The scan follows `cohort` (coded in byte order of the IDs, with `indexDates` by code, as
    /// ``InterventionTable/cohort()`` makes them); a row of anyone else is priced but not kept,
    /// as in a stream. `windows` are final (their observation end already decided, as a
    /// ``Study``'s are), so the scan's windows are not cut again, and the days out of exposure
    /// (``TimeAtRisk``) are taken out once every row has been taken. The rows are split into
    /// `workers` runs of morsels, each scanned on its own thread and joined in row order
    /// (``append(_:recoding:)``: integer sums, so the split changes nothing, and the first
    /// implausible cost in row order is the one kept).
    ///
    /// - Parameters:
    ///   - morselRows: rows per morsel (tests vary it).
    ///   - parallelThreshold: fewer rows than this are scanned on the calling thread alone.
    public init(table: EventTable, following cohort: StringDictionary, indexDates: [CivilDate], windows: StudyWindows,
                resolver: CostResolver, services: ServiceCatalog = .empty, workers: Int = 2,
                morselRows: Int = 1 << 16, parallelThreshold: Int = 1 << 16) {
        self.init(windows: PersonWindows(indexDates: indexDates, windows: windows), resolver: resolver, services: services)
        // Each of the table's person codes as a cohort code (-1: someone the scan does not follow),
        // as a streaming morsel codes its rows.
        var cohortCode = [Int32](repeating: -1, count: table.persons.count)
        for member in 0..<Int32(cohort.count) {
            if let code = table.persons.code(of: cohort[member]) { cohortCode[Int(code)] = member }
        }
        let rows = table.count
        let parts = rows < max(1, parallelThreshold) ? 1 : max(1, min(workers, rows))
        let template = empty()
        let scanPart: @Sendable (Range<Int>) -> BeforeAfterScan = { [cohortCode] range in
            var scan = template.empty()
            scan.take(table, rows: range, cohortCode: cohortCode, morselRows: morselRows)
            return scan
        }
        var scans = Processors.inParallel(parts) { part in scanPart((rows * part / parts)..<(rows * (part + 1) / parts)) }
        // Every part's morsels carry the table's own dictionaries: the codes join unchanged.
        let identity = EventTableBuilder.Recoding(persons: [], services: Array(0..<Int32(table.services.count)),
                                                  events: Array(0..<Int32(table.events.count)))
        self = scans.removeFirst()
        // Each part handed over whole (removed from the list first), so its lists have one owner.
        while !scans.isEmpty { append(scans.removeFirst(), recoding: identity) }
        applyTimeAtRisk()
    }

    /// Takes `table`'s rows `rows` in morsels of `morselRows`, each person coded by
    /// `cohortCode` (by the table's person code): the morsels carry the table's service and
    /// event dictionaries, so the scan prices them as it would the table's own rows.
    private mutating func take(_ table: EventTable, rows: Range<Int>, cohortCode: [Int32], morselRows: Int) {
        let size = max(1, morselRows)
        var morsel = EventTableBuilder()
        morsel.services = table.services
        morsel.events = table.events
        var person: [Int32] = [], hasExplicitCost: [Bool] = []
        person.reserveCapacity(min(size, rows.count))
        hasExplicitCost.reserveCapacity(min(size, rows.count))
        for start in stride(from: rows.lowerBound, to: rows.upperBound, by: size) {
            if hasStopped { return }
            let part = start..<min(rows.upperBound, start + size)
            person.removeAll(keepingCapacity: true)
            hasExplicitCost.removeAll(keepingCapacity: true)
            for row in part {
                person.append(cohortCode[Int(table.person[row])])
                hasExplicitCost.append(table.explicitCostValidity[row])
            }
            table.service.withUnsafeBufferPointer { service in
                table.event.withUnsafeBufferPointer { event in
                    table.day.withUnsafeBufferPointer { day in
                        table.quantity.withUnsafeBufferPointer { quantity in
                            table.explicitCost.withUnsafeBufferPointer { explicitCost in
                                person.withUnsafeBufferPointer { person in
                                    hasExplicitCost.withUnsafeBufferPointer { hasExplicitCost in
                                        morsel.replaceRows(person: person, service: UnsafeBufferPointer(rebasing: service[part]),
                                                           event: UnsafeBufferPointer(rebasing: event[part]),
                                                           day: UnsafeBufferPointer(rebasing: day[part]),
                                                           quantity: UnsafeBufferPointer(rebasing: quantity[part]),
                                                           explicitCost: UnsafeBufferPointer(rebasing: explicitCost[part]),
                                                           explicitCostPresent: hasExplicitCost, personHash: UnsafeBufferPointer(start: nil, count: 0))
                                    }
                                }
                            }
                        }
                    }
                }
            }
            take(morsel)
        }
    }
}
