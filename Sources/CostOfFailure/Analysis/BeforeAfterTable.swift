import Dispatch

/// The person × service before/after table: `cof compare`'s result.
///
/// One row per (person, service) with at least one event in either window, for people with an
/// intervention only; sorted by person ID, then service, byte-wise.
public struct BeforeAfterTable: Sendable {
    /// One (person, service) pair's figures (its rates: ``BeforeAfterFigures``).
    public struct Row: Sendable, Equatable, BeforeAfterFigures {
        /// Person ID.
        public var personID: String
        /// Service name.
        public var service: String
        /// Figures in the before window.
        public var before: PeriodFigures
        /// Figures in the after window.
        public var after: PeriodFigures
        /// The person's before exposure in days.
        public var beforeDays: Int
        /// The person's after exposure in days (cut at the observation end).
        public var afterDays: Int

        /// Creates a row.
        public init(personID: String, service: String, before: PeriodFigures, after: PeriodFigures, beforeDays: Int, afterDays: Int) {
            self.personID = personID
            self.service = service
            self.before = before
            self.after = after
            self.beforeDays = beforeDays
            self.afterDays = afterDays
        }
    }

    /// Rows in output order.
    public let rows: [Row]

    /// Computes the comparison for `study` (the table path): its events handed in morsels to the
    /// streaming kernel (``BeforeAfterScan``), on the study's workers, and the rows laid out as
    /// the streaming path lays them out (``init(scan:persons:services:)``), so the two paths
    /// share every rule: pricing, windows, time at risk, overflow checks.
    ///
    /// - Throws: ``CostResolver/Overflow`` when a cost sum does not fit in 64-bit pence (only
    ///   possible with tens of millions of events near the per-event cap).
    public init(study: Study) throws(CostResolver.Overflow) {
        try self.init(study: study, morselRows: 1 << 16, parallelThreshold: 1 << 16)
    }

    /// ``init(study:)`` with the scan's morsels of `morselRows` rows, split over the study's
    /// workers from `parallelThreshold` rows (tests vary both).
    init(study: Study, morselRows: Int, parallelThreshold: Int) throws(CostResolver.Overflow) {
        try self.init(table: study.events, cohort: study.cohortPeople, indexDates: study.cohortIndexDates, windows: study.windows,
                      resolver: study.resolver, services: study.services, workers: study.workers, morselRows: morselRows,
                      parallelThreshold: parallelThreshold)
    }

    /// The comparison of `table`'s rows for `cohort` (as ``BeforeAfterScan/init(table:following:indexDates:windows:resolver:services:workers:morselRows:parallelThreshold:)``
    /// takes them), with the streaming pass's checks: the first implausible event cost, then
    /// the windowed costs taken together (``BeforeAfterScan/checkWindowedCosts()``), then each
    /// sum. A study has passed all three on loading; tests hand it tables a study refuses.
    init(table: EventTable, cohort: StringDictionary, indexDates: [CivilDate], windows: StudyWindows, resolver: CostResolver,
         services: ServiceCatalog, workers: Int, morselRows: Int = 1 << 16, parallelThreshold: Int = 1 << 16) throws(CostResolver.Overflow) {
        let scan = BeforeAfterScan(table: table, following: cohort, indexDates: indexDates, windows: windows, resolver: resolver,
                                   services: services, workers: workers, morselRows: morselRows, parallelThreshold: parallelThreshold)
        if let overflow = scan.overflow { throw overflow }
        try scan.checkWindowedCosts()
        try self.init(scan: scan, persons: cohort, services: table.services)
    }

    /// Computes the comparison from a finished one-pass scan (the streaming path): `persons`
    /// is the dictionary the scan followed (codes in byte order of the IDs), `services` the
    /// load's service names.
    ///
    /// - Throws: ``CostResolver/Overflow`` for the first implausible event cost the scan met, or
    ///   a sum that does not fit in 64-bit pence.
    public init(scan: BeforeAfterScan, persons: StringDictionary, services: StringDictionary) throws(CostResolver.Overflow) {
        var rows: [Row] = []
        do {
            try Self.forEachBlock(scan: scan, persons: persons, services: services) { rows += $0.rows }
        } catch let error as CostResolver.Overflow {
            throw error
        } catch {
            // Unreachable: the body throws nothing. The message names no data, should it be reached.
            preconditionFailure("an error from a body that throws none")
        }
        self.rows = rows
    }

    /// The comparison of a finished one-pass scan in blocks of rows, about `people` people
    /// each, in output order: a large result can be rendered and written as it is made, without
    /// ever holding all of its rows.
    ///
    /// - Throws: ``CostResolver/Overflow`` for the first implausible event cost the scan met
    ///   (before any block), or a sum that does not fit in 64-bit pence (when the block holding
    ///   it is reached: call ``BeforeAfterScan/checkWindowedCosts()`` first if nothing may be
    ///   handed on before such an error); or what `body` throws.
    public static func forEachBlock(scan: BeforeAfterScan, persons: StringDictionary, services: StringDictionary,
                                    people: Int = 4_096, _ body: (BeforeAfterTable) throws -> Void) throws {
        if let overflow = scan.overflow { throw overflow }
        let maker = ScanRows(scan: scan, persons: persons, services: services)
        var rows: [CodedBeforeAfterTable.Row] = []
        var peopleInBlock = 0
        try scan.forEachPerson(services: services.count) { person, totals in
            try maker.append(person: person, totals: totals, to: &rows)
            peopleInBlock += 1
            if peopleInBlock == people {
                try body(BeforeAfterTable(CodedBeforeAfterTable(rows: rows, persons: persons, services: services)))
                rows.removeAll(keepingCapacity: true)
                peopleInBlock = 0
            }
        }
        if !rows.isEmpty { try body(BeforeAfterTable(CodedBeforeAfterTable(rows: rows, persons: persons, services: services))) }
    }

    /// The comparison of a finished one-pass scan in blocks of `1 << blockBits` people, in codes
    /// (see ``CodedBeforeAfterTable``), each block built and handed to `transform` (rendering it, say)
    /// on `workers` threads at once; `body` gets the results in output order. Building the rows
    /// is then no longer a step one thread takes alone while the others wait (measured: a third
    /// of the time the 10M-row compare spent on its result).
    ///
    /// - Throws: as ``forEachBlock(scan:persons:services:people:_:)``; an overflow in a block is
    ///   thrown before that block's result would be handed on.
    static func forEachCodedBlock<T>(scan: BeforeAfterScan, persons: StringDictionary, services: StringDictionary, blockBits: Int,
                                     workers: Int, transform: @Sendable (CodedBeforeAfterTable) -> T, _ body: (T) throws -> Void) throws {
        if let overflow = scan.overflow { throw overflow }
        let maker = ScanRows(scan: scan, persons: persons, services: services)
        let blocks = scan.personBlocks(services: services.count, blockBits: blockBits)
        try BlockPipeline(workers: workers).run(count: blocks.count, make: { (block) throws(CostResolver.Overflow) in
            var rows: [CodedBeforeAfterTable.Row] = []
            try blocks.forEachPerson(inBlock: block) { (person, totals) throws(CostResolver.Overflow) in
                try maker.append(person: person, totals: totals, to: &rows)
            }
            return rows.isEmpty ? nil : transform(CodedBeforeAfterTable(rows: rows, persons: persons, services: services))
        }, handOn: body)
    }

    /// Builds blocks `0..<count` with `build` and hands each to `transform` on `workers`
    /// threads; `body` gets the results of blocks with rows, in order, while the next blocks are
    /// built (see ``BlockPipeline``). A block whose build throws stops everything before its
    /// result would be handed on.
    public static func forEachBlock<T>(count: Int, workers: Int, transform: @Sendable (BeforeAfterTable) -> T,
                                       _ body: (T) throws -> Void,
                                       build: @Sendable (Int) throws(CostResolver.Overflow) -> BeforeAfterTable) throws {
        try BlockPipeline(workers: workers).run(count: count, make: { block in
            let comparison = try build(block)
            return comparison.rows.isEmpty ? nil : transform(comparison)
        }, handOn: body)
    }

    /// Turns a scan's per-person totals into coded rows: one per service with an event in
    /// either window, services in byte order of their names.
    private struct ScanRows: Sendable {
        let serviceOrder: [Int32]
        let windows: PersonWindows

        init(scan: BeforeAfterScan, persons: StringDictionary, services: StringDictionary) {
            precondition(persons.codesAreInByteOrder, "the cohort must be coded in byte order of its IDs")
            serviceOrder = services.codesInByteOrder()
            windows = scan.windows
        }

        func append(person: Int32, totals: PeriodTotals, to rows: inout [CodedBeforeAfterTable.Row]) throws(CostResolver.Overflow) {
            if totals.overflowed { throw CostResolver.Overflow(figure: "a person's cost of a service in a window") }
            let bounds = windows.bounds(of: person)
            for service in serviceOrder {
                let before = totals.figures(group: Int(service), period: .before)
                let after = totals.figures(group: Int(service), period: .after)
                guard before.events + after.events > 0 else { continue }
                rows.append(CodedBeforeAfterTable.Row(person: person, service: service, before: before, after: after,
                                                beforeDays: bounds.beforeDays, afterDays: bounds.afterDays))
            }
        }
    }

    /// The rows that satisfy `keep`.
    public func filtered(_ keep: (Row) -> Bool) -> BeforeAfterTable {
        BeforeAfterTable(rows: rows.filter(keep))
    }

    /// A comparison with no rows (its table has the columns and no rows).
    public static let empty = BeforeAfterTable(rows: [])

    /// A comparison of the given rows, which must already be in output order (by person ID,
    /// then service, byte-wise; checked in debug builds): for rows computed elsewhere, such as
    /// merged partial results (``BeforeAfterPartial``).
    public init(rows: [Row]) {
        assert(zip(rows, rows.dropFirst()).allSatisfy { Self.precedes($0, $1) }, "rows out of output order")
        self.rows = rows
    }

    /// Whether `a` comes before `b` in output order: by person ID, then service, byte-wise.
    static func precedes(_ a: Row, _ b: Row) -> Bool {
        if a.personID.utf8.elementsEqual(b.personID.utf8) {
            return a.service.utf8.lexicographicallyPrecedes(b.service.utf8)
        }
        return a.personID.utf8.lexicographicallyPrecedes(b.personID.utf8)
    }

    /// The names of the first ten columns, the contract other tools rely on.
    public static let contractColumns = [
        "person_id", "service", "before_events", "before_quantity", "before_cost",
        "after_events", "after_quantity", "after_cost", "before_days", "after_days",
    ]

    /// The comparison as a result table: the ten contract columns, then rates per year of
    /// exposure, the change in cost per year, and unpriced event counts.
    public func resultTable() -> ResultTable {
        let columns = [
            ResultColumn(BeforeAfterColumns.keys.person, .text(rows.map(\.personID))),
            ResultColumn(BeforeAfterColumns.keys.service, .text(rows.map(\.service))),
        ] + BeforeAfterColumns.resultColumns(rows)
        return ResultTable(name: "comparison", title: "Before and after, by person and service", columns: columns)
    }
}
