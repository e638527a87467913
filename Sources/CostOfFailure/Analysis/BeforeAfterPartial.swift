/// `cof compare`'s result for some set of people, in a form that merges exactly: what
/// `cof partial` writes for one partition of the events and `cof merge` combines.
///
/// Every figure of `cof compare` depends on one person's rows only, and the cohort's are sums or
/// order statistics over people, so a partial keeps each person's own figures — their rows of the
/// ``BeforeAfterTable`` (events, quantity, integer pence and unpriced counts per service and window) and
/// their exposure — rather than pre-summed totals: medians and percentiles then come exactly from
/// the merged people. Beside them it keeps what the load reports about its rows (reconciliation,
/// rejected rows by kind, unpriced pairs), which merge by addition.
///
/// Merging (``merging(_:names:)``) is exact, associative and commutative: the merge of partials
/// over disjoint sets of people whose union is everyone is the single-process result, row for
/// row. Partials made with different parameters (windows, prices, inputs, engine) refuse to
/// merge, as does a person found in two of them. The text form is in `BeforeAfterPartial+Text.swift`.
public struct BeforeAfterPartial: Sendable {
    /// One named parameter the figures depend on (a window, the price base, an input's SHA-256).
    public struct Parameter: Sendable, Equatable {
        /// The name (`before`, `unit_costs`).
        public var name: String
        /// The value as text.
        public var value: String

        /// Creates a parameter.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// How many rows were rejected for one reason.
    public struct RejectCount: Sendable, Equatable {
        /// The reason's stable name (``IngestError/Kind``'s raw value, `bad_date`).
        public var kind: String
        /// Rows rejected for it.
        public var rows: Int

        /// Creates a count.
        public init(kind: String, rows: Int) {
            self.kind = kind
            self.rows = rows
        }
    }

    /// The version of the engine that computed the figures (``EngineVersion/current``).
    public var engineVersion: String
    /// Everything the figures depend on besides the events, in a fixed order; partials merge only
    /// when these are equal.
    public var parameters: [Parameter]
    /// A digest of ``parameters`` and ``engineVersion`` (computed by whoever writes the partial,
    /// usually a SHA-256), compared first when merging.
    public var fingerprint: String
    /// What prices the money is in (``Study/pricesDescription``).
    public var prices: String
    /// How many `cof partial` runs were merged into this one (1 for a partial of its own).
    public var partials: Int
    /// Service categories and agencies.
    public var services: ServiceCatalog
    /// Each event source's reconciliation (sources of the same name summed), by name.
    public var sources: [SourceReconciliation]
    /// Rejected rows by kind, in byte order of the kind.
    public var rejected: [RejectCount]
    /// Events (all people, all dates) with neither an explicit cost nor a unit cost, by pair, in
    /// output order.
    public var unpriced: [EventCosts.UnpricedPair]
    /// Every treated person with any row in these events, and their exposure, in byte order of
    /// their IDs (a person with no event in either window is here and has no row).
    public var members: [CohortSummary.Member]
    /// The treated people (the whole interventions file's, which every partial reads) with no row
    /// in these events, in byte order of their IDs: their rows may be in another partial. A merge
    /// keeps those with rows in no partial, once (see ``cohortMembers``).
    public var membersWithoutEvents: [CohortSummary.Member] = []
    /// The comparison's rows of these people, in output order.
    public var rows: [BeforeAfterTable.Row]
    /// For a partial read from text: the line of each member's `person` record (for messages).
    var memberLines: [Int] = []
    /// Every row of ``members`` (any date), priced, member by member in member order, for the
    /// per-person analyses (``cohortAnalyses(_:)``): `person` is the member's place in
    /// ``members``, `service` and `event` are codes in ``eventServices`` and ``eventTypes``.
    public var events: [CohortEvent] = []
    /// Whether the partial carries its members' events (``events``): a partial of `cof partial`
    /// does; one made from a pass that did not keep them (``StreamingPass/init(_:keepingCohortEvents:)``)
    /// merges into the before/after and cohort tables only.
    public var keepsEvents = false
    /// The names of the events' service codes.
    public var eventServices = StringDictionary()
    /// The names of the events' event-type codes.
    public var eventTypes = StringDictionary()
    /// The earliest and latest day of any row read, of anyone (`Int32.max` and `Int32.min`: none).
    public var days: (earliest: Int32, latest: Int32) = (Int32.max, Int32.min)
    /// Every row's cost and quantity, of anyone, taken together (see ``EventTotals``): a merge
    /// checks the sum of every partial's against the engine's ceiling, as one process checks its own.
    public var totals = EventTotals()
    /// The top users' state over the period the ``topUsersParameterName`` parameter states,
    /// when the partial carries it (see `BeforeAfterPartial+TopUsers.swift`).
    var topUsersState: TopUsersState?
    /// The comparison group's candidates, when the partial carries them (see
    /// `BeforeAfterPartial+ComparisonCandidates.swift`).
    var comparisonCandidates: ComparisonCandidates?

    /// Creates a partial from its parts; `members` and `rows` must be in output order.
    public init(engineVersion: String = EngineVersion.current, parameters: [Parameter], fingerprint: String,
                prices: String, partials: Int = 1, services: ServiceCatalog, sources: [SourceReconciliation],
                rejected: [RejectCount], unpriced: [EventCosts.UnpricedPair],
                members: [CohortSummary.Member], membersWithoutEvents: [CohortSummary.Member] = [], rows: [BeforeAfterTable.Row]) {
        self.engineVersion = engineVersion
        self.parameters = parameters
        self.fingerprint = fingerprint
        self.prices = prices
        self.partials = partials
        self.services = services
        self.sources = sources
        self.rejected = rejected
        self.unpriced = unpriced
        self.members = members
        self.membersWithoutEvents = membersWithoutEvents
        self.rows = rows
    }

    /// The partial of a finished one-pass comparison over some people's events, with the
    /// `parameters` it was computed under and their `fingerprint`.
    ///
    /// When the pass ranked the top users (`rankingTopUsers`), the partial carries their state,
    /// and its parameters end with ``topUsersParameter(period:)`` (added when `parameters` lack
    /// it: the fingerprint is the caller's, so a caller that fingerprints should add it first).
    /// Likewise, when the pass kept everyone's events (`keepingEveryonesEvents`), the partial
    /// carries the comparison group's candidates, and its parameters end with
    /// ``comparisonCandidatesParameter``.
    public init(pass: StreamingPass, parameters: [Parameter], fingerprint: String) {
        var rows: [BeforeAfterTable.Row] = []
        do {
            try pass.forEachBlock { rows += $0.rows }
        } catch {
            preconditionFailure("an error from a body that throws none")  // unreachable; a trap message shows no data
        }
        var rejected: [String: Int] = [:]
        for reject in pass.events.rejects { rejected[reject.kind.rawValue, default: 0] += 1 }
        let sources: [SourceReconciliation]
        do {
            sources = try Self.summed(pass.events.sources)
        } catch {
            // One load's row counts are bounded by the bytes it read: far below 2^63.
            preconditionFailure("a load's row counts do not fit in 64 bits")
        }
        self.init(parameters: parameters, fingerprint: fingerprint, prices: pass.prices, services: pass.services,
                  sources: sources,
                  rejected: rejected.map { RejectCount(kind: $0.key, rows: $0.value) }.sorted { Self.bytesPrecede($0.kind, $1.kind) },
                  unpriced: pass.unpriced, members: pass.membersWithEvents, membersWithoutEvents: pass.membersWithoutEvents,
                  rows: rows)
        if let tally = pass.topUsersTally {
            let parameter = Self.topUsersParameter(period: pass.topUsersPeriod)
            if let given = self.parameters.first(where: { $0.name == Self.topUsersParameterName }) {
                precondition(given == parameter, "a partial's top_users parameter must state the period its pass ranked")
            } else {
                self.parameters.append(parameter)
            }
            topUsersState = TopUsersState(period: pass.topUsersPeriod, tally: tally, persons: pass.events.persons, services: pass.events.services)
        } else {
            precondition(!self.parameters.contains { $0.name == Self.topUsersParameterName }, "a top_users parameter for a pass that did not rank the top users")
        }
        if let features = pass.matchingFeatures {
            if !self.parameters.contains(Self.comparisonCandidatesParameter) { self.parameters.append(Self.comparisonCandidatesParameter) }
            let treated = pass.persons
            comparisonCandidates = Self.candidates(of: features, isTreated: { treated.code(of: features.persons[$0]) != nil })
        } else {
            precondition(!self.parameters.contains { $0.name == Self.comparisonCandidatesParameterName }, "a comparison_candidates parameter for a pass that did not keep everyone's events")
        }
        if let kept = pass.keptEvents {
            keepsEvents = true
            (events, eventServices, eventTypes) = (kept.events, kept.services, kept.types)
            days = kept.days
            totals = kept.totals
        }
    }

    /// The person × service comparison of these people.
    public var beforeAfter: BeforeAfterTable { BeforeAfterTable(rows: rows) }

    /// The cohort: ``members`` and ``membersWithoutEvents`` together, in byte order of their IDs
    /// (for a whole merge, every treated person once, as ``StreamingPass/cohortMembers``).
    public var cohortMembers: [CohortSummary.Member] {
        var all: [CohortSummary.Member] = []
        all.reserveCapacity(members.count + membersWithoutEvents.count)
        var i = 0, j = 0
        while i < members.count || j < membersWithoutEvents.count {
            if j == membersWithoutEvents.count
                || (i < members.count && Self.bytesPrecede(members[i].personID, membersWithoutEvents[j].personID)) {
                all.append(members[i])
                i += 1
            } else {
                all.append(membersWithoutEvents[j])
                j += 1
            }
        }
        return all
    }

    /// The cohort summary of these people, the treated people without events included.
    public var cohortSummary: CohortSummary {
        get throws(CostResolver.Overflow) {
            try CohortSummary(beforeAfter: beforeAfter, members: cohortMembers, services: services, prices: prices)
        }
    }

    /// The comparison in blocks of about `people` people each, in output order (as
    /// ``StreamingPass/forEachBlock(people:_:)``), for rendering a large result on several cores.
    public func forEachBlock(people: Int = 4_096, _ body: (BeforeAfterTable) throws -> Void) throws {
        let bounds = blockBounds(people: people)
        for block in 0..<bounds.count - 1 {
            try body(BeforeAfterTable(rows: Array(rows[bounds[block]..<bounds[block + 1]])))
        }
    }

    /// The comparison in blocks of up to 4,096 people, each passed through `transform` on
    /// `workers` threads at once, the results handed to `body` in output order (as
    /// ``StreamingPass/forEachCodedBlock(workers:transform:_:)``).
    public func forEachBlock<T>(workers: Int, transform: @Sendable (BeforeAfterTable) -> T, _ body: (T) throws -> Void) throws {
        let bounds = blockBounds(people: 4_096), rows = self.rows
        try BeforeAfterTable.forEachBlock(count: bounds.count - 1, workers: workers, transform: transform, body) { block in
            BeforeAfterTable(rows: Array(rows[bounds[block]..<bounds[block + 1]]))
        }
    }

    /// Where blocks of `people` people start in ``rows``, and where the last ends.
    private func blockBounds(people: Int) -> [Int] {
        var bounds = [0]
        var peopleInBlock = 0
        for index in rows.indices where index == rows.count - 1 || !rows[index + 1].personID.utf8.elementsEqual(rows[index].personID.utf8) {
            peopleInBlock += 1
            if peopleInBlock == people || index == rows.count - 1 {
                bounds.append(index + 1)
                peopleInBlock = 0
            }
        }
        return bounds
    }

    /// Rejected rows in all (a sum the reader and the merge check fits).
    public var rejectedRows: Int { rejected.reduce(0) { $0 + $1.rows } }

    /// Sources of the same name summed into one, in byte order of the names.
    ///
    /// - Throws: ``FigureTotals/Overflow`` when a count of a source, summed, does not fit.
    static func summed(_ sources: [SourceReconciliation]) throws(FigureTotals.Overflow) -> [SourceReconciliation] {
        func add(_ a: Int, _ b: Int) throws(FigureTotals.Overflow) -> Int {
            let (sum, overflow) = a.addingReportingOverflow(b)
            if overflow { throw FigureTotals.Overflow(figure: "the rows counted for an event source") }
            return sum
        }
        var byName: [String: SourceReconciliation] = [:]
        for source in sources {
            var sum = byName[source.file] ?? SourceReconciliation(file: source.file, read: 0, loaded: 0, rejected: 0, blank: 0)
            sum.read = try add(sum.read, source.read)
            sum.loaded = try add(sum.loaded, source.loaded)
            sum.rejected = try add(sum.rejected, source.rejected)
            sum.blank = try add(sum.blank, source.blank)
            byName[source.file] = sum
        }
        return byName.values.sorted { bytesPrecede($0.file, $1.file) }
    }

    /// Byte-wise order of UTF-8 text (the engine's output order).
    static func bytesPrecede(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
