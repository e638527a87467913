/// The text form of a partial, format version 5: UTF-8 lines ending in LF, fields separated by a
/// tab, and in text fields `\` written `\\`, a tab `\t`, a line feed `\n`, a carriage return `\r`.
/// Numbers are plain decimal integers (money in pence). The records, in this order:
///
/// ```
/// cof-partial  2
/// engine       <engine version>
/// parameter    <name>  <value>                              (each, in a fixed order)
/// fingerprint  <digest of the parameters and engine>
/// prices       <what prices the money is in>
/// partials     <how many cof partial runs this merges>
/// service      <service>  <category>  [<agency>]            (the services table, by name)
/// source       <file>  <read>  <loaded>  <rejected>  <blank>
/// rejected     <kind>  <rows>
/// unpriced     <service>  <event>  <events>
/// days         <earliest>  <latest>                         (of any row read, of anyone; or none)
/// totals       <cost magnitudes>  <quantities>              (every row's, of anyone: EventTotals)
/// events       kept | not kept                              (whether event records follow rows)
/// person       <person_id>  <before_days>  <after_days>     (by ID, byte-wise)
/// row          <service>  <before: events  quantity  cost  unpriced>  <after: the same four>
/// event        <service>  <event>  <date>  <quantity>  <cost>  <priced: 1 or 0>   (the person's rows, any date)
/// quiet        <person_id>  <before_days>  <after_days>     (treated, no row here; by ID)
/// top_users    <pairs>  <cost magnitudes>  <events counted> (only with the top_users parameter)
/// user         <person_id>  <service>  <events>  <cost>  <before>  <after>  <treated: 1 or 0>
/// candidates   <people>  <events>                           (only with the comparison_candidates parameter)
/// candidate    <person_id>                                  (untreated, with events; by ID, byte-wise)
/// c            <service>  <date>  <cost>  <priced: 1 or 0>  (the candidate's rows, by date)
/// end          <people>  <rows>  sha256:<hex>
/// ```
///
/// `end` counts the `person` and the `quiet` records together.
///
/// With the `top_users` parameter (the period, see ``BeforeAfterPartial/topUsersParameter(period:)``)
/// the partial carries the top users' state (``TopUsersTally``): its checked totals, then a
/// `user` record per person and service with figures (everyone in the events, treated or not),
/// by ID, then service, byte-wise; `top_users` counts them.
///
/// With the `comparison_candidates` parameter the partial carries the comparison group's
/// candidates (see `BeforeAfterPartial+ComparisonCandidates.swift`): everyone without an
/// intervention who has events, by ID, each followed by their rows as the match reads them (day,
/// service, priced cost: 0 when unpriced), by date; `candidates` counts them and their rows.
///
/// A person's rows follow their `person` record, by service, then their events (every row of
/// theirs, priced, in the order read: what the per-person analyses fold); the `end` record's counts let a
/// reader tell a complete partial from one cut short, and its checksum (the SHA-256 of every
/// byte before it, see `BeforeAfterPartial+Checksum.swift`) one that was edited or damaged.
/// Version 1 had no checksum, version 2 no `quiet` records (the treated people without
/// events), version 3 no events and version 4 no top users' state; this engine refuses them (remake the partial, or merge with the cof that wrote it). The figures must stay within ``BeforeAfterPartial/FigureTotals``.
extension BeforeAfterPartial {
    /// The format version this engine writes and reads.
    public static let formatVersion = 5

    /// The first field of the first line.
    static let magic = "cof-partial"

    /// The partial as text (format ``formatVersion``).
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + members.count * 40 + rows.count * 80 + events.count * 48)
        func record(_ name: String, _ fields: [Field]) {
            out += name.utf8
            for field in fields {
                out.append(0x09)
                switch field {
                case .text(let text): Self.appendEscaped(text, to: &out)
                case .number(let number): out += String(number).utf8
                }
            }
            out.append(0x0A)
        }
        record(Self.magic, [.number(Int64(Self.formatVersion))])
        record("engine", [.text(engineVersion)])
        for parameter in parameters { record("parameter", [.text(parameter.name), .text(parameter.value)]) }
        record("fingerprint", [.text(fingerprint)])
        record("prices", [.text(prices)])
        record("partials", [.number(Int64(partials))])
        for entry in services.entries.values.sorted(by: { Self.bytesPrecede($0.service, $1.service) }) {
            record("service", [.text(entry.service), .text(entry.category)] + (entry.agency.map { [.text($0)] } ?? []))
        }
        for source in sources {
            record("source", [.text(source.file), .number(Int64(source.read)), .number(Int64(source.loaded)),
                              .number(Int64(source.rejected)), .number(Int64(source.blank))])
        }
        for count in rejected { record("rejected", [.text(count.kind), .number(Int64(count.rows))]) }
        for pair in unpriced { record("unpriced", [.text(pair.service), .text(pair.event), .number(Int64(pair.events))]) }
        if days.earliest <= days.latest {
            record("days", [.text(CivilDate(daysSinceEpoch: days.earliest).description), .text(CivilDate(daysSinceEpoch: days.latest).description)])
        } else {
            record("days", [.text("none"), .text("none")])
        }
        record("totals", [.text(String(totals.held.costMagnitude)), .text(String(totals.held.units))])
        record("events", [.text(keepsEvents ? "kept" : "not kept")])
        let serviceNames = eventServices.values, typeNames = eventTypes.values
        var row = 0, event = 0, memberPlace = 0
        for member in members {
            record("person", [.text(member.personID), .number(Int64(member.beforeDays)), .number(Int64(member.afterDays))])
            while row < rows.count, rows[row].personID.utf8.elementsEqual(member.personID.utf8) {
                let r = rows[row]
                record("row", [.text(r.service),
                               .number(r.before.events), .number(r.before.quantity), .number(r.before.cost), .number(r.before.unpriced),
                               .number(r.after.events), .number(r.after.quantity), .number(r.after.cost), .number(r.after.unpriced)])
                row += 1
            }
            let place = Int32(memberPlace)
            while event < events.count, events[event].person == place {
                let e = events[event]
                record("event", [.text(serviceNames[Int(e.service)]), .text(typeNames[Int(e.event)]),
                                 .text(CivilDate(daysSinceEpoch: e.day).description), .number(Int64(e.quantity)), .number(e.cost),
                                 .number(e.priced ? 1 : 0)])
                event += 1
            }
            memberPlace += 1
        }
        precondition(row == rows.count, "a partial's rows must belong to its members, in order")
        precondition(event == events.count, "a partial's events must belong to its members, in order")
        for member in membersWithoutEvents {
            record("quiet", [.text(member.personID), .number(Int64(member.beforeDays)), .number(Int64(member.afterDays))])
        }
        if let state = topUsersState {
            let pairs = state.pairsInOutputOrder(), held = state.tally.heldTotals
            record("top_users", [.number(Int64(pairs.count)), .text(String(held.costMagnitude)), .text(String(held.counted))])
            for (person, service, figures) in pairs {
                record("user", [.text(state.persons[person]), .text(state.services[service]), .number(figures.events), .number(figures.cost),
                                .number(figures.before), .number(figures.after), .number(figures.treated ? 1 : 0)])
            }
        }
        if let candidates = comparisonCandidates {
            record("candidates", [.number(Int64(candidates.persons.count)), .number(Int64(candidates.days.count))])
            for (c, person) in candidates.persons.enumerated() {
                record("candidate", [.text(person)])
                for slot in candidates.starts[c]..<candidates.starts[c + 1] {
                    record("c", [.text(serviceNames[Int(candidates.services[slot])]), .text(CivilDate(daysSinceEpoch: candidates.days[slot]).description),
                                 .number(candidates.costs[slot]), .number(candidates.priced[slot] ? 1 : 0)])
                }
            }
        }
        let checksum = Self.checksum(ofBody: out[...])
        record("end", [.number(Int64(members.count + membersWithoutEvents.count)), .number(Int64(rows.count)), .text(checksum)])
        return out
    }

    /// Reads a partial from `source` (a file, `-` for standard input, or bytes).
    ///
    /// - Throws: ``Failure/input(_:)`` when it cannot be opened or read,
    ///   ``Failure/malformed(file:line:detail:)`` when it is not a complete partial of this format.
    public static func load(_ source: InputSource) throws(Failure) -> BeforeAfterPartial {
        var bytes: [UInt8] = []
        do throws(IngestError) {
            let reader = try source.open()
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { chunk.deallocate() }
            while true {
                let count = try reader.read(into: chunk)
                if count == 0 { break }
                bytes += UnsafeRawBufferPointer(rebasing: chunk[..<count])
            }
        } catch {
            throw .input(error)
        }
        return try BeforeAfterPartial(decoding: bytes, file: source.displayName)
    }

    /// Decodes the text form; `file` names it in messages.
    ///
    /// - Throws: ``Failure/malformed(file:line:detail:)`` naming the line and what was expected:
    ///   not a partial, another format version, an `end` record without a checksum or with one
    ///   that does not match (checked before anything else is read), a record out of place, a
    ///   bad field, people or rows out of order, figures beyond ``FigureTotals``' limits, or no `end` record
    ///   (a partial cut short).
    public init(decoding bytes: [UInt8], file: String) throws(Failure) {
        var reader = TextReader(bytes: bytes, file: file)
        var fields = try reader.next(expecting: Self.magic)
        guard fields.count == 2, fields[1].elementsEqual("\(Self.formatVersion)".utf8) else {
            // Quoted only when it is a plain number: the line may hold anything, escapes included.
            let isNumber = fields.count == 2 && (1...9).contains(fields[1].count) && fields[1].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            let found = isNumber ? String(decoding: fields[1], as: UTF8.self) : fields.count == 2 ? "that is not a number" : "no version"
            let remake = found == "1" ? " (version 1 has no checksum): remake it with this cof's cof partial, or"
                : found == "2" ? " (version 2 leaves out the treated people without events): remake it with this cof's cof partial, or"
                : found == "3" ? " (version 3 leaves out the people's events, which the financial years and the appraisal are made from): remake it with this cof's cof partial, or"
                : found == "4" ? " (version 4 cannot carry the top users' state): remake it with this cof's cof partial, or" : ":"
            throw reader.failure("partial format version \(found); this cof (\(EngineVersion.current)) reads version \(Self.formatVersion)\(remake) merge with the cof that wrote it")
        }
        try Self.verifyChecksum(bytes, file: file)
        fields = try reader.next(expecting: "engine", fields: 1)
        let engineVersion = try reader.text(fields[1])
        var parameters: [Parameter] = []
        // The top users' period when the partial carries their state (the inner `nil`: every date).
        var topUsersPeriod: ClosedRange<CivilDate>??
        while reader.peek() == "parameter" {
            fields = try reader.next(expecting: "parameter", fields: 2)
            parameters.append(Parameter(try reader.text(fields[1]), try reader.text(fields[2])))
            if parameters[parameters.count - 1].name == Self.topUsersParameterName {
                guard topUsersPeriod == nil, let period = Self.topUsersPeriod(parameterValue: parameters[parameters.count - 1].value) else {
                    throw reader.failure("a top_users parameter that is not one period: expected it once, 'every date' or FROM to TO (each a YYYY-MM-DD date or open)")
                }
                topUsersPeriod = .some(period)
            }
        }
        let fingerprint = try reader.text(try reader.next(expecting: "fingerprint", fields: 1)[1])
        let prices = try reader.text(try reader.next(expecting: "prices", fields: 1)[1])
        let partials = try reader.number(try reader.next(expecting: "partials", fields: 1)[1], "a count of partials", minimum: 1)

        var services: [ServiceCatalog.Entry] = []
        while reader.peek() == "service" {
            fields = try reader.next(expecting: "service")
            guard fields.count == 3 || fields.count == 4 else { throw reader.failure("expected a service record with a service, a category and optionally an agency") }
            services.append(ServiceCatalog.Entry(service: try reader.text(fields[1]), category: try reader.text(fields[2]),
                                                 agency: fields.count == 4 ? try reader.text(fields[3]) : nil))
        }
        var sources: [SourceReconciliation] = []
        while reader.peek() == "source" {
            fields = try reader.next(expecting: "source", fields: 5)
            let source = SourceReconciliation(file: try reader.text(fields[1]), read: Int(try reader.number(fields[2], "a row count")),
                                              loaded: Int(try reader.number(fields[3], "a row count")),
                                              rejected: Int(try reader.number(fields[4], "a row count")),
                                              blank: Int(try reader.number(fields[5], "a line count")))
            guard source.balances else { throw reader.failure("the source's counts do not add up: expected read = loaded + rejected + blank") }
            sources.append(source)
        }
        var rejected: [RejectCount] = []
        var rejectedRows = 0
        while reader.peek() == "rejected" {
            fields = try reader.next(expecting: "rejected", fields: 2)
            rejected.append(RejectCount(kind: try reader.text(fields[1]), rows: Int(try reader.number(fields[2], "a row count", minimum: 1))))
            // ``rejectedRows`` adds them up: that sum must fit too.
            let (sum, overflow) = rejectedRows.addingReportingOverflow(rejected[rejected.count - 1].rows)
            if overflow { throw reader.failure("the sum of the rejected rows goes past what 64 bits hold: expected the counts of a real load") }
            rejectedRows = sum
        }
        var unpriced: [EventCosts.UnpricedPair] = []
        while reader.peek() == "unpriced" {
            fields = try reader.next(expecting: "unpriced", fields: 3)
            unpriced.append(EventCosts.UnpricedPair(service: try reader.text(fields[1]), event: try reader.text(fields[2]),
                                                    events: Int(try reader.number(fields[3], "an event count", minimum: 1))))
        }

        var days: (earliest: Int32, latest: Int32) = (Int32.max, Int32.min)
        fields = try reader.next(expecting: "days", fields: 2)
        if !(fields[1].elementsEqual("none".utf8) && fields[2].elementsEqual("none".utf8)) {
            days = (try reader.date(fields[1]), try reader.date(fields[2]))
            guard days.earliest <= days.latest else { throw reader.failure("the earliest day is after the latest: expected the first and last dates of the rows read") }
        }
        fields = try reader.next(expecting: "totals", fields: 2)
        let rowTotals = EventTotals(costMagnitude: UInt64(try reader.number(fields[1], "a sum of cost magnitudes")),
                                 units: UInt64(try reader.number(fields[2], "a sum of quantities")))
        fields = try reader.next(expecting: "events", fields: 1)
        let keepsEvents: Bool
        switch String(decoding: fields[1], as: UTF8.self) {
        case "kept": keepsEvents = true
        case "not kept": keepsEvents = false
        default: throw reader.failure("expected 'kept' or 'not kept'")
        }
        var events: [CohortEvent] = []
        var eventServices = StringDictionary(), eventTypes = StringDictionary()
        // The events' own sums, which the folds make unchecked: within the ceiling, as the totals above.
        var eventTotals = EventTotals()

        var members: [CohortSummary.Member] = []
        var memberLines: [Int] = []
        var rows: [BeforeAfterTable.Row] = []
        var serviceNames: [[UInt8]: String] = [:]
        var lastPerson: String?
        var totals = FigureTotals()
        func beyondLimits(_ overflow: FigureTotals.Overflow) -> Failure {
            reader.failure("\(overflow), over the records up to this one: expected the figures of a real cohort (was the partial edited?)")
        }
        // A `person` or `quiet` record's member: after the last one of its kind in byte order
        // of IDs, its exposure within the limits.
        func member(_ kind: String) throws(Failure) -> CohortSummary.Member {
            fields = try reader.next(expecting: kind, fields: 3)
            let person = try reader.text(fields[1])
            if let lastPerson, !Self.bytesPrecede(lastPerson, person) {
                throw reader.failure("people out of order: expected \(kind) records sorted by ID, byte-wise, each once")
            }
            lastPerson = person
            let member = CohortSummary.Member(personID: person, beforeDays: Int(try reader.number(fields[2], "a number of days")),
                                              afterDays: Int(try reader.number(fields[3], "a number of days")))
            do throws(FigureTotals.Overflow) { try totals.add(member) } catch { throw beyondLimits(error) }
            return member
        }
        while reader.peek() == "person" {
            let member = try member("person")
            members.append(member)
            memberLines.append(reader.line)
            var lastService: String?
            while reader.peek() == "row" {
                fields = try reader.next(expecting: "row", fields: 9)
                // Service names repeat on every person: decode each once.
                let serviceBytes = Array(fields[1])
                let service: String
                if let known = serviceNames[serviceBytes] {
                    service = known
                } else {
                    service = try reader.text(fields[1])
                    serviceNames[serviceBytes] = service
                }
                if let lastService, !Self.bytesPrecede(lastService, service) {
                    throw reader.failure("rows out of order: expected a person's rows sorted by service, byte-wise, each once")
                }
                lastService = service
                func window(_ at: Int) throws(Failure) -> PeriodFigures {
                    let figures = PeriodFigures(events: try reader.number(fields[at], "an event count"),
                                                quantity: try reader.number(fields[at + 1], "a quantity", minimum: Int64.min),
                                                cost: try reader.number(fields[at + 2], "an amount in pence", minimum: Int64.min),
                                                unpriced: try reader.number(fields[at + 3], "an event count"))
                    guard figures.unpriced <= figures.events else {
                        throw reader.failure("more unpriced events than events: expected unpriced at most events")
                    }
                    return figures
                }
                let before = try window(2), after = try window(6)
                guard before.events > 0 || after.events > 0 else {
                    throw reader.failure("a row with no events: expected a row only for a service with an event in either window")
                }
                let row = BeforeAfterTable.Row(personID: member.personID, service: service, before: before, after: after,
                                         beforeDays: member.beforeDays, afterDays: member.afterDays)
                do throws(FigureTotals.Overflow) { try totals.add(row) } catch { throw beyondLimits(error) }
                rows.append(row)
            }
            while reader.peek() == "event" {
                guard keepsEvents else { throw reader.failure("an event record in a partial whose events are 'not kept'") }
                fields = try reader.next(expecting: "event", fields: 6)
                let quantity = try reader.number(fields[4], "a quantity", minimum: Int64(Int32.min))
                guard quantity <= Int64(Int32.max) else { throw reader.failure("a quantity too large: expected one below 2^31") }
                let cost = try reader.number(fields[5], "an amount in pence", minimum: -CostResolver.maximumTotal)
                guard cost <= CostResolver.maximumTotal else { throw reader.failure("an amount past the engine's ceiling: expected the cost of one event") }
                let priced: Bool
                switch fields[6].first {
                case 0x31 where fields[6].count == 1: priced = true
                case 0x30 where fields[6].count == 1: priced = false
                default: throw reader.failure("expected 1 (priced) or 0 (unpriced)")
                }
                let event = CohortEvent(person: Int32(members.count - 1), service: try reader.interned(fields[1], into: &eventServices),
                                        event: try reader.interned(fields[2], into: &eventTypes), day: try reader.date(fields[3]),
                                        quantity: Int32(quantity), cost: cost, priced: priced)
                eventTotals.add(cost: cost, quantity: event.quantity)
                events.append(event)
            }
        }
        do throws(CostResolver.Overflow) {
            try eventTotals.check(interventions: InterventionTable(entries: []))
        } catch {
            throw reader.failure("the events' costs or quantities taken together go past the engine's ceiling: expected the figures of a real cohort (was the partial edited?)")
        }
        var membersWithoutEvents: [CohortSummary.Member] = []
        lastPerson = nil
        while reader.peek() == "quiet" {
            membersWithoutEvents.append(try member("quiet"))
        }
        var topUsersState: TopUsersState?
        if let topUsersPeriod {
            guard reader.peek() == "top_users" else {
                throw reader.failure("the partial has a top_users parameter and no top_users record after its people: expected the top users' state (was it cut short or edited?)")
            }
            let cohort = Set(members.map(\.personID) + membersWithoutEvents.map(\.personID))
            topUsersState = try Self.readTopUsers(&reader, period: topUsersPeriod, services: ServiceCatalog(entries: services), cohort: cohort)
        } else if reader.peek() == "top_users" {
            _ = try reader.next(expecting: "top_users")
            throw reader.failure("a top_users record in a partial without the top_users parameter: expected the parameter to state the period the state ranks over")
        }
        var comparisonCandidates: ComparisonCandidates?
        if parameters.contains(Self.comparisonCandidatesParameter) {
            // IDs as bytes: the engine tells people apart byte by byte, never by Unicode equivalence.
            let treated = Set((members.map(\.personID) + membersWithoutEvents.map(\.personID)).map { Array($0.utf8) })
            comparisonCandidates = try Self.readCandidates(&reader, treated: treated, services: &eventServices)
        } else if reader.peek() == "candidates" {
            _ = try reader.next(expecting: "candidates")
            throw reader.failure("a candidates record in a partial without the comparison_candidates parameter: expected the parameter to say the partial carries them")
        }
        fields = try reader.next(expecting: "end", fields: 3)
        guard try reader.number(fields[1], "a count of people") == members.count + membersWithoutEvents.count,
              try reader.number(fields[2], "a count of rows") == rows.count else {
            throw reader.failure("the end record counts \(String(decoding: fields[1], as: UTF8.self)) people and \(String(decoding: fields[2], as: UTF8.self)) rows; expected the \(members.count + membersWithoutEvents.count) people and \(rows.count) rows above it")
        }
        guard reader.atEnd else { throw reader.failure("text after the end record: expected the end record last") }

        self.init(engineVersion: engineVersion, parameters: parameters, fingerprint: fingerprint, prices: prices,
                  partials: Int(partials), services: ServiceCatalog(entries: services), sources: sources,
                  rejected: rejected, unpriced: unpriced, members: members, membersWithoutEvents: membersWithoutEvents, rows: rows)
        self.memberLines = memberLines
        self.keepsEvents = keepsEvents
        self.events = events
        self.eventServices = eventServices
        self.eventTypes = eventTypes
        self.days = days
        self.totals = rowTotals
        self.topUsersState = topUsersState
        self.comparisonCandidates = comparisonCandidates
    }

    /// Reads the comparison group's candidates: the `candidates` record, then each `candidate`
    /// with their `c` records.
    ///
    /// Every candidate is checked to be one a pass could write: an ID as the ingester leaves one
    /// (not empty, no space or tab at either end: a padded ID would be coded as the trimmed one,
    /// another person's), in byte order each once, not `treated` (IDs as bytes), with at least
    /// one row; their rows by date, a cost only when priced, each within one event's ceiling and
    /// all of them together within the engine's; the counts the `candidates` record states.
    /// Service names are interned into `services` (the events').
    private static func readCandidates(_ reader: inout TextReader, treated: Set<[UInt8]>,
                                       services: inout StringDictionary) throws(Failure) -> ComparisonCandidates {
        guard reader.peek() == "candidates" else {
            throw reader.failure("the partial has a comparison_candidates parameter and no candidates record after its people: expected the candidates (was it cut short or edited?)")
        }
        var fields = try reader.next(expecting: "candidates", fields: 2)
        let people = try reader.number(fields[1], "a count of people"), rows = try reader.number(fields[2], "a count of rows")
        var candidates = ComparisonCandidates()
        while reader.peek() == "candidate" {
            fields = try reader.next(expecting: "candidate", fields: 1)
            let person = try reader.text(fields[1])
            if let last = candidates.persons.last, !bytesPrecede(last, person) {
                throw reader.failure("people out of order: expected candidate records sorted by ID, byte-wise, each once")
            }
            guard let first = person.utf8.first, let last = person.utf8.last, ![0x20, 0x09].contains(first), ![0x20, 0x09].contains(last) else {
                throw reader.failure("a candidate ID that is empty or has a space or tab at either end: expected an ID as cof partial writes it")
            }
            if treated.contains(Array(person.utf8)) { throw reader.failure("a candidate who has an intervention: expected only people without one") }
            candidates.add(person)
            candidates.lines.append(reader.line)
            var lastDay = Int32.min
            while reader.peek() == "c" {
                fields = try reader.next(expecting: "c", fields: 4)
                let service = try reader.interned(fields[1], into: &services), day = try reader.date(fields[2])
                let cost = try reader.number(fields[3], "an amount in pence", minimum: -CostResolver.maximumTotal)
                guard cost <= CostResolver.maximumTotal else { throw reader.failure("an amount past the engine's ceiling: expected the cost of one event") }
                let priced: Bool
                switch (fields[4].count, fields[4].first) {
                case (1, 0x31): priced = true
                case (1, 0x30): priced = false
                default: throw reader.failure("expected 1 (priced) or 0 (unpriced)")
                }
                guard priced || cost == 0 else { throw reader.failure("a cost for an unpriced row: expected 0") }
                guard day >= lastDay else { throw reader.failure("rows out of order: expected a candidate's rows by date") }
                lastDay = day
                candidates.append(day: day, service: service, cost: cost, priced: priced)
            }
            guard candidates.starts[candidates.persons.count] > candidates.starts[candidates.persons.count - 1] else {
                throw reader.failure("a candidate with no rows: expected only people with events")
            }
        }
        guard people == candidates.persons.count, rows == candidates.days.count else {
            throw reader.failure("the candidates record counts \(people) people and \(rows) rows; expected the \(candidates.persons.count) people and \(candidates.days.count) rows after it")
        }
        do throws(CostResolver.Overflow) {
            try candidates.checkCosts()
        } catch {
            throw reader.failure("the candidates' costs taken together go past the engine's ceiling: expected the figures of real people (was the partial edited?)")
        }
        return candidates
    }

    /// Reads the top users' state: the `top_users` record, then its `user` records.
    ///
    /// Every figure is checked to be one ``TopUsersTally/update(_:services:)`` could make (a
    /// pair has an event in the period or a window, cost only with events in the period, window
    /// events only for a treated person, no service the `services` table names the
    /// intervention's own), people and services in byte order each once, and the figures' sums
    /// within the checked totals, themselves within the tally's ceilings: so no sum of a state the
    /// reader accepts wraps, alone or merged while the merged totals pass ``TopUsersTally/check()``.
    private static func readTopUsers(_ reader: inout TextReader, period: ClosedRange<CivilDate>?,
                                     services catalog: ServiceCatalog, cohort: Set<String>) throws(Failure) -> TopUsersState {
        var fields = try reader.next(expecting: "top_users", fields: 3)
        let pairs = try reader.number(fields[1], "a count of people's services")
        let ceilings = TopUsersTally.ceilings
        let costMagnitude = UInt64(try reader.number(fields[2], "a sum of cost magnitudes in pence"))
        let counted = UInt64(try reader.number(fields[3], "a count of events"))
        guard costMagnitude <= ceilings.costMagnitude, counted <= ceilings.counted else {
            throw reader.failure("the top users' costs or events taken together go past the engine's ceiling: expected the figures of a real extract (was the partial edited?)")
        }
        var state = TopUsersState(period: period, tally: TopUsersTally(period: period, services: catalog),
                                  persons: StringDictionary(), services: StringDictionary())
        state.tally.add(totals: (costMagnitude, counted))
        // The figures' sums, each at most its total above (so none past 64 bits).
        var costs: UInt64 = 0, periodEvents: UInt64 = 0, windowEvents: UInt64 = 0
        var lastPerson: [UInt8]?, lastService: [UInt8]?
        var person: Int32 = -1, personTreated = false
        var serviceCodes: [[UInt8]: Int32] = [:]
        var read: Int64 = 0
        while reader.peek() == "user" {
            fields = try reader.next(expecting: "user", fields: 7)
            // The order is the IDs' and names' own bytes, as written, not their escaped forms
            // (an escaped tab, `\t`, sorts after `!`; the tab itself before it): a field is
            // decoded for it only when it holds an escape.
            func ownBytes(_ field: ArraySlice<UInt8>) throws(Failure) -> [UInt8] {
                field.contains(0x5C) ? Array(try reader.text(field).utf8) : Array(field)
            }
            let personBytes = try ownBytes(fields[1]), serviceBytes = try ownBytes(fields[2])
            if personBytes != lastPerson {
                if let lastPerson, !lastPerson.lexicographicallyPrecedes(personBytes) {
                    throw reader.failure("people out of order: expected user records sorted by ID, byte-wise, then service")
                }
                let id = try reader.text(fields[1])
                guard let first = id.utf8.first, let last = id.utf8.last, ![0x20, 0x09].contains(first), ![0x20, 0x09].contains(last) else {
                    throw reader.failure("an ID that is empty or has a space or tab at either end: expected an ID as the load keeps it")
                }
                person = state.persons.intern(id)
                personTreated = cohort.contains(id)
                state.personLines.append(reader.line)
                lastPerson = personBytes
                lastService = nil
            } else if let lastService, !lastService.lexicographicallyPrecedes(serviceBytes) {
                throw reader.failure("services out of order: expected a person's user records sorted by service, byte-wise, each once")
            }
            lastService = serviceBytes
            let service: Int32
            if let known = serviceCodes[serviceBytes] {
                service = known
            } else {
                let name = try reader.text(fields[2])
                guard let first = name.utf8.first, let last = name.utf8.last, ![0x20, 0x09].contains(first), ![0x20, 0x09].contains(last) else {
                    throw reader.failure("a service name that is empty or has a space or tab at either end: expected a name as the load keeps it")
                }
                if catalog.isIntervention(name) {
                    throw reader.failure("a service the services table names the intervention's own: expected the top users to leave it out")
                }
                service = state.services.intern(name)
                serviceCodes[serviceBytes] = service
            }
            let ceiling = CostResolver.maximumTotal
            var figures = TopUsersTally.Figures()
            figures.events = try reader.number(fields[3], "an event count")
            figures.cost = try reader.number(fields[4], "an amount in pence", minimum: -ceiling)
            guard figures.cost <= ceiling else { throw reader.failure("an amount past the engine's ceiling: expected a person's cost for a service") }
            figures.before = try reader.number(fields[5], "an event count")
            figures.after = try reader.number(fields[6], "an event count")
            switch (fields[7].count, fields[7].first) {
            case (1, 0x31): figures.treated = true
            case (1, 0x30): figures.treated = false
            default: throw reader.failure("expected 1 (treated) or 0 (not treated)")
            }
            guard figures.events > 0 || figures.cost == 0 else {
                throw reader.failure("a cost with no events in the period: expected a cost only for events in the period")
            }
            guard figures.events > 0 || figures.before > 0 || figures.after > 0 else {
                throw reader.failure("a user record with no events: expected one only for a service with an event in the period or a window")
            }
            guard figures.treated == personTreated else {
                throw reader.failure("a treated flag that is not the partial's: expected 1 exactly for the people of its person and quiet records")
            }
            guard figures.treated || (figures.before == 0 && figures.after == 0) else {
                throw reader.failure("window events for someone not treated: expected events before and after only for a treated person")
            }
            // Each sum is held at most its total (below 2^63) and takes one figure (below 2^63)
            // at a time, so none can wrap.
            costs += figures.cost.magnitude
            periodEvents += UInt64(figures.events)
            windowEvents += UInt64(figures.before)
            let withinTotals = costs <= costMagnitude && periodEvents <= counted && windowEvents <= counted
            if withinTotals { windowEvents += UInt64(figures.after) }
            guard withinTotals, windowEvents <= counted else {
                throw reader.failure("the top users' figures up to this record add up to more than the top_users record's totals: expected the figures of a real extract (was the partial edited?)")
            }
            state.tally.add(person: person, service: service, figures: figures)
            read += 1
        }
        guard read == pairs else {
            throw reader.failure("the top_users record counts \(pairs) people's services; expected the \(read) user records after it (was the partial cut short or edited?)")
        }
        return state
    }

    /// One field to write.
    private enum Field {
        case text(String)
        case number(Int64)
    }

    /// Appends `text` with `\`, tab, LF and CR escaped.
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case 0x5C: out += [0x5C, 0x5C]
            case 0x09: out += [0x5C, 0x74]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            default: out.append(byte)
            }
        }
    }
}

/// Reads the text form line by line, knowing the line number for messages.
private struct TextReader {
    let bytes: [UInt8]
    let file: String
    /// Where the next line starts.
    private var offset = 0
    /// The line last returned by ``next(expecting:fields:)`` (1-based).
    private(set) var line = 0

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    var atEnd: Bool { offset == bytes.count }

    /// An error at the current line.
    func failure(_ detail: String) -> BeforeAfterPartial.Failure {
        .malformed(file: file, line: max(line, 1), detail: detail)
    }

    /// The name of the next record, without taking it.
    func peek() -> String? {
        guard offset < bytes.count else { return nil }
        var end = offset
        while end < bytes.count, bytes[end] != 0x09, bytes[end] != 0x0A { end += 1 }
        return String(decoding: bytes[offset..<end], as: UTF8.self)
    }

    /// The next record's fields (its name first), which must be a `name` record with `fields`
    /// fields after the name (any number when `nil`).
    mutating func next(expecting name: String, fields count: Int? = nil) throws(BeforeAfterPartial.Failure) -> [ArraySlice<UInt8>] {
        line += 1
        guard offset < bytes.count else {
            throw failure(line == 1 ? "empty: expected a partial written by cof partial or cof merge --partial"
                : "the partial ends before its '\(name)' record: expected a complete partial ending with an 'end' record (was it cut short?)")
        }
        guard let newline = bytes[offset...].firstIndex(of: 0x0A) else {
            throw failure("the last line has no line end: expected a complete partial ending with an 'end' record (was it cut short?)")
        }
        let fields = bytes[offset..<newline].split(separator: 0x09, omittingEmptySubsequences: false)
        offset = newline + 1
        guard let first = fields.first, first.elementsEqual(name.utf8) else {
            if line == 1 { throw failure("not a cof partial: expected the first line to be '\(BeforeAfterPartial.magic)', a tab and the format version") }
            // The unexpected text is not quoted: a stray line of events would show a person's ID.
            throw failure("expected a '\(name)' record here, found another line (\(fields.count) tab-separated fields)")
        }
        if let count, fields.count != count + 1 {
            throw failure("a '\(name)' record with \(fields.count - 1) fields: expected \(count)")
        }
        return fields
    }

    /// A text field, unescaped and checked to be UTF-8.
    func text(_ field: ArraySlice<UInt8>) throws(BeforeAfterPartial.Failure) -> String {
        guard field.contains(0x5C) else {
            guard let text = String(validating: field, as: UTF8.self) else { throw failure("invalid UTF-8 in a text field: expected UTF-8 text") }
            return text
        }
        var out: [UInt8] = []
        out.reserveCapacity(field.count)
        var escaped = false
        for byte in field {
            if escaped {
                switch byte {
                case 0x5C: out.append(0x5C)
                case 0x74: out.append(0x09)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                default: throw failure("a bad escape in a text field: expected \\\\, \\t, \\n or \\r after a backslash")
                }
                escaped = false
            } else if byte == 0x5C {
                escaped = true
            } else {
                out.append(byte)
            }
        }
        if escaped { throw failure("a text field ends in a lone backslash: expected \\\\, \\t, \\n or \\r") }
        guard let text = String(validating: out, as: UTF8.self) else { throw failure("invalid UTF-8 in a text field: expected UTF-8 text") }
        return text
    }

    /// A text field, decoded once per distinct value: its code in `names`.
    func interned(_ field: ArraySlice<UInt8>, into names: inout StringDictionary) throws(BeforeAfterPartial.Failure) -> Int32 {
        let code = field.withUnsafeBytes { names.lookup($0) }
        if code >= 0, !field.contains(0x5C) { return code }
        return names.intern(try text(field))
    }

    /// A date field, `YYYY-MM-DD`: its day number.
    func date(_ field: ArraySlice<UInt8>) throws(BeforeAfterPartial.Failure) -> Int32 {
        let digits = Array(field)
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard digits[i] >= 0x30 && digits[i] <= 0x39 else { return nil }
                value = value * 10 + Int(digits[i] - 0x30)
            }
            return value
        }
        guard digits.count == 10, digits[4] == 0x2D, digits[7] == 0x2D, let year = number(0..<4), let month = number(5..<7),
              let day = number(8..<10), let date = CivilDate(year: year, month: month, day: day) else {
            throw failure("a field of \(field.count) bytes that is not a date: expected YYYY-MM-DD")
        }
        return date.daysSinceEpoch
    }

    /// A decimal integer field of at least `minimum`.
    func number(_ field: ArraySlice<UInt8>, _ what: String, minimum: Int64 = 0) throws(BeforeAfterPartial.Failure) -> Int64 {
        var digits = field[...]
        let negative = digits.first == 0x2D
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 19, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw failure("a field of \(field.count) bytes that is not a whole number: expected \(what)")
        }
        var magnitude: UInt64 = 0
        for digit in digits { magnitude = magnitude * 10 + UInt64(digit - 0x30) }
        let limit = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        guard magnitude <= limit else { throw failure("a number too large for 64 bits: expected \(what)") }
        let value = negative ? (magnitude == limit ? Int64.min : -Int64(magnitude)) : Int64(magnitude)
        guard value >= minimum else { throw failure("\(value) is below \(minimum): expected \(what)") }
        return value
    }
}
