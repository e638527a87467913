/// Collects events row by row into growing columns; ``finish()`` turns them into an immutable
/// ``EventTable``.
public struct EventTableBuilder: Sendable {
    /// Person IDs seen so far.
    public internal(set) var persons = StringDictionary()
    /// Service names seen so far.
    public internal(set) var services = StringDictionary()
    /// Event types seen so far.
    public internal(set) var events = StringDictionary()
    var person: [Int32] = []
    var service: [Int32] = []
    var event: [Int32] = []
    var day: [Int32] = []
    var quantity: [Int32] = []
    var explicitCost: [Pence] = []
    var explicitCostValidity = ValidityBitmap()
    /// A streaming scan's morsel only: for each row of a person not followed (code -1), the
    /// ``StringDictionary/hash(_:)`` of their trimmed, normalised ID, so that a scan can tell
    /// such people apart (`cof validate` counts them); for other rows, any value. Empty in a
    /// table load.
    var personHash: [UInt64] = []
    var sources: [SourceReconciliation] = []
    /// One past each noted source's last row (a spell's nights make a source's rows outnumber
    /// the data records it loaded).
    var sourceRowEnds: [Int] = []
    /// Rows set aside, in file order.
    public internal(set) var rejects: [IngestError] = []

    /// Whether person IDs missing from ``persons`` are left out (code -1) instead of added.
    public private(set) var followsKnownPersonsOnly = false

    /// Creates an empty builder.
    public init() {}

    /// The people coded when following known people only.
    private var followed: FollowedPeople?

    /// A builder that codes only the people in `persons` (by their codes there) and gives every
    /// other person code -1: a streaming scan that follows a known set of people (the treated
    /// cohort) neither stores nor looks up anyone else in its dictionary, and every part of a
    /// parallel read codes those people alike.
    public init(following persons: FollowedPeople) {
        self.persons = persons.dictionary
        followed = persons
        followsKnownPersonsOnly = true
        coverageTally = SourceCoverageTally(cohortSize: persons.count)
    }

    /// A builder that codes everyone, as a table load does, and still knows the cohort `cohort`:
    /// for a streaming scan that needs every person's ID (the top users). It tallies each
    /// source's coverage of the cohort as a builder following `cohort` does, and gives each row
    /// of a morsel its cohort code (``withCohortPersons(_:)``).
    init(codingEveryoneKnowing cohort: FollowedPeople) {
        self.cohort = cohort
        coverageTally = SourceCoverageTally(cohortSize: cohort.count)
    }

    /// When coding everyone but knowing the cohort: the cohort, each person code's cohort code
    /// (-1: someone else) and, for someone else, the hash of their ID for the coverage tally
    /// (grown as codes are added), and each held row's cohort code.
    private var cohort: FollowedPeople?
    private var cohortCodeOfPerson: [Int32] = []
    private var outsideHashOfPerson: [UInt64] = []
    private var cohortPerson: [Int32] = []

    /// Whether a part of a file needs a builder made by ``emptyFollowingSamePeople()``.
    var knowsCohort: Bool { followed != nil || cohort != nil }

    /// An empty builder following the same people as this one (for another part of a file).
    func emptyFollowingSamePeople() -> EventTableBuilder {
        if let cohort { return EventTableBuilder(codingEveryoneKnowing: cohort) }
        return followed.map(EventTableBuilder.init(following:)) ?? EventTableBuilder()
    }

    /// Calls `body` with each held row's cohort code (-1: someone outside the cohort), for a
    /// builder coding everyone but knowing the cohort; valid for a morsel handed to a scan
    /// (its coverage is tallied first).
    func withCohortPersons<R>(_ body: (UnsafeBufferPointer<Int32>) throws -> R) rethrows -> R {
        precondition(cohort != nil && cohortPerson.count == count, "the cohort codes of a morsel of a builder that knows the cohort")
        return try cohortPerson.withUnsafeBufferPointer(body)
    }

    /// When following known people: each source's coverage of them so far (see
    /// ``SourceCoverageTally``; the table path measures it from the table instead).
    private(set) var coverageTally: SourceCoverageTally?

    /// Notes a loaded row of someone not followed, whose trimmed, normalised ID hashes to `hash`.
    @inline(__always)
    mutating func noteOutsidePerson(hash: UInt64) {
        coverageTally?.noteOutside(hash: hash)
    }

    /// Tallies the followed people of the rows held (their deferred lookups resolved first).
    mutating func tallyCoverage() {
        guard coverageTally != nil else { return }
        resolveDeferredPersons()
        if let cohort {
            // Everyone is coded: each new code is looked up in the cohort once, and the rows of
            // people outside it are noted by the hash a following builder notes them by. (A
            // builder holding no rows, such as the load's after joining a file's parts, looks
            // up no one.)
            guard !person.isEmpty else { return }
            for code in Int32(cohortCodeOfPerson.count)..<Int32(persons.count) {
                let found = persons.withBytes(of: code) { cohort.code(of: $0) }
                cohortCodeOfPerson.append(found)
                outsideHashOfPerson.append(found >= 0 ? 0 : persons.withBytes(of: code) { StringDictionary.hash($0) })
            }
            cohortPerson.removeAll(keepingCapacity: true)
            for code in person {
                let found = cohortCodeOfPerson[Int(code)]
                cohortPerson.append(found)
                if found < 0 { coverageTally!.noteOutside(hash: outsideHashOfPerson[Int(code)]) }
            }
            cohortPerson.withUnsafeBufferPointer { coverageTally!.noteRows(persons: $0) }
            return
        }
        person.withUnsafeBufferPointer { coverageTally!.noteRows(persons: $0) }
    }

    /// Each source's coverage of the followed people, in source order, when following them:
    /// rows, people covered and people outside, as ``SourceCoverage/measure(events:cohort:)``
    /// finds them in a table of the same rows.
    public var streamedCoverage: [SourceCoverage]? {
        guard let coverageTally else { return nil }
        return zip(sources, coverageTally.finished).map { source, counts in
            SourceCoverage(file: source.file, rows: source.loaded, cohortPeople: counts.cohortPeople,
                           cohortSize: cohort?.count ?? persons.count, peopleOutsideCohort: counts.outside)
        }
    }

    /// The code of the person ID in `field`: interned, or when following known people only,
    /// looked up (-1 for anyone else).
    @inline(__always)
    mutating func personCode(_ field: UnsafeRawBufferPointer) -> Int32 {
        followed.map { $0.code(of: field) } ?? persons.intern(field)
    }

    /// The code of a followed person, or -1 (never adds).
    @inline(__always)
    func followedPersonCode(_ field: UnsafeRawBufferPointer) -> Int32 {
        followed?.code(of: field) ?? -1
    }

    // Followed-person lookups put off to the end of the morsel. A lookup that passes the filter
    // is one cache miss in the slot table; done one per row as the row is read, those misses
    // come one after another, while a batch of them at the end of a morsel has many in flight
    // at once (measured: the lookup was 14% of a 10M-row run, most of it that miss).

    /// Marks, in the person column, a row whose person is looked up at the end of the morsel.
    static let deferredPerson: Int32 = -2
    private struct DeferredPerson {
        var row: Int32
        var hash: UInt64
        /// An ID of up to 32 bytes; a longer one is in ``deferredBytes`` at `offset`, `length` long.
        var id: InlineID
        var offset: Int
        var length: Int
    }
    private var deferred: [DeferredPerson] = []
    private var deferredBytes: [UInt8] = []
    /// The ID staged for the row being read, until the row is appended or dropped.
    private var staged: DeferredPerson?

    /// Whether the (trimmed, ASCII) ID `value` with `hash` may be followed; if so it is staged
    /// for a lookup at the end of the morsel, should the row be appended.
    @inline(__always)
    mutating func stageFollowedPerson(trimmed value: UnsafeRawBufferPointer, hash: UInt64) -> Bool {
        guard let followed, followed.mayFollow(hash: hash) else { return false }
        if value.count <= InlineID.capacity { return stageFollowedPerson(InlineID(value), hash: hash) }
        dropStagedPerson()
        let offset = deferredBytes.count
        if let base = value.baseAddress, value.count > 0 {
            deferredBytes.append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: value.count))
        }
        staged = DeferredPerson(row: Int32(count), hash: hash, id: InlineID(), offset: offset, length: value.count)
        return true
    }

    /// ``stageFollowedPerson(trimmed:hash:)`` for an ID already held inline: nothing is copied
    /// but its words.
    @inline(__always)
    mutating func stageFollowedPerson(_ id: InlineID, hash: UInt64) -> Bool {
        guard let followed, followed.mayFollow(hash: hash) else { return false }
        dropStagedPerson()
        staged = DeferredPerson(row: Int32(count), hash: hash, id: id, offset: 0, length: id.count)
        return true
    }

    /// Starts loading the followed people's filter word for an ID with `hash` (see
    /// ``FollowedPeople/prefetchFilter(hash:)``); nothing when following no one.
    @inline(__always)
    func prefetchFollowedFilter(hash: UInt64) {
        followed?.prefetchFilter(hash: hash)
    }

    /// Forgets the staged ID of a row that is not appended.
    @inline(__always)
    mutating func dropStagedPerson() {
        guard let staged else { return }
        if staged.length > InlineID.capacity { deferredBytes.removeSubrange(staged.offset...) }
        self.staged = nil
    }

    /// The person code to append for a row whose ID was staged (resolved later), the row being
    /// row `row` of the morsel (by default the next row of this builder).
    @inline(__always)
    mutating func commitStagedPerson(row: Int? = nil) -> Int32 {
        guard var staged else { return -1 }
        staged.row = Int32(row ?? count)
        deferred.append(staged)
        self.staged = nil
        return Self.deferredPerson
    }

    /// The staged person's code looked up at once (or -1), for the nights of a spell, which
    /// all carry it: a lookup put off to the end of the morsel fills in one row only. Someone
    /// the filter let through who is not followed after all is counted for the source's
    /// coverage here, as a deferred lookup's is when it resolves.
    mutating func takeStagedPersonCode() -> Int32 {
        guard let staged, let followed else { return -1 }
        self.staged = nil
        let code: Int32
        if staged.length <= InlineID.capacity {
            code = followed.code(staged.id, hash: staged.hash)
        } else {
            let range = staged.offset..<(staged.offset + staged.length)
            code = deferredBytes.withUnsafeBytes { followed.code(trimmed: UnsafeRawBufferPointer(rebasing: $0[range]), hash: staged.hash) }
            deferredBytes.removeSubrange(staged.offset...)
        }
        if code < 0 { noteOutsidePerson(hash: staged.hash) }
        return code
    }

    /// Looks up every person put off since the last call, in batches whose first probes are
    /// read before any lookup so that their misses overlap.
    public mutating func resolveDeferredPersons() {
        guard let followed, !deferred.isEmpty else { return }
        let batch = 32
        var touched: UInt64 = 0
        deferredBytes.withUnsafeBytes { bytes in
            person.withUnsafeMutableBufferPointer { person in
                deferred.withUnsafeBufferPointer { deferred in
                    for start in stride(from: 0, to: deferred.count, by: batch) {
                        let end = min(deferred.count, start + batch)
                        for i in start..<end { touched ^= followed.firstSlotWord(hash: deferred[i].hash) }
                        for i in start..<end {
                            let item = deferred[i]
                            if item.length <= InlineID.capacity {
                                person[Int(item.row)] = followed.code(item.id, hash: item.hash)
                            } else {
                                // Sound: each long staged ID's bytes were appended at its offset.
                                let value = UnsafeRawBufferPointer(rebasing: bytes[item.offset..<(item.offset + item.length)])
                                person[Int(item.row)] = followed.code(trimmed: value, hash: item.hash)
                            }
                        }
                    }
                }
            }
        }
        deferredTouch = touched
        if coverageTally != nil {
            for item in deferred where person[Int(item.row)] < 0 { coverageTally!.noteOutside(hash: item.hash) }
        }
        deferred.removeAll(keepingCapacity: true)
        deferredBytes.removeAll(keepingCapacity: true)
    }

    /// Keeps the batch's first reads from being optimised away.
    private var deferredTouch: UInt64 = 0

    /// The rows' columns as buffers, for a kernel's loop over a morsel (valid during the call
    /// to ``withColumns(_:)`` only).
    struct Columns {
        let person: UnsafeBufferPointer<Int32>
        let service: UnsafeBufferPointer<Int32>
        let event: UnsafeBufferPointer<Int32>
        let day: UnsafeBufferPointer<Int32>
        let quantity: UnsafeBufferPointer<Int32>
        let explicitCost: UnsafeBufferPointer<Pence>
        /// ``explicitCostValidity``'s words: row `i` has an explicit cost when bit `i & 63` of
        /// word `i >> 6` is set.
        let explicitCostWords: UnsafeBufferPointer<UInt64>
        /// ``personHash`` (a streaming scan's morsel only).
        let personHash: UnsafeBufferPointer<UInt64>

        /// Whether row `i` has an explicit cost.
        @inline(__always)
        func hasExplicitCost(_ i: Int) -> Bool {
            explicitCostWords[i >> 6] & (1 << UInt64(i & 63)) != 0
        }
    }

    /// Calls `body` with the rows' columns as buffers (no copy).
    func withColumns<R>(_ body: (Columns) throws -> R) rethrows -> R {
        try person.withUnsafeBufferPointer { person in
            try service.withUnsafeBufferPointer { service in
                try event.withUnsafeBufferPointer { event in
                    try day.withUnsafeBufferPointer { day in
                        try quantity.withUnsafeBufferPointer { quantity in
                            try explicitCost.withUnsafeBufferPointer { explicitCost in
                                try explicitCostValidity.withWords { words in
                                    try personHash.withUnsafeBufferPointer { personHash in
                                        try body(Columns(person: person, service: service, event: event, day: day, quantity: quantity,
                                                         explicitCost: explicitCost, explicitCostWords: words, personHash: personHash))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Replaces the rows with the given columns (a streaming scan's morsel), keeping the
    /// columns' capacity, the dictionaries, sources and rejects.
    mutating func replaceRows(person: UnsafeBufferPointer<Int32>, service: UnsafeBufferPointer<Int32>,
                              event: UnsafeBufferPointer<Int32>, day: UnsafeBufferPointer<Int32>,
                              quantity: UnsafeBufferPointer<Int32>, explicitCost: UnsafeBufferPointer<Pence>,
                              explicitCostPresent: UnsafeBufferPointer<Bool>, personHash: UnsafeBufferPointer<UInt64>) {
        removeAllRows()
        self.person.append(contentsOf: person)
        self.service.append(contentsOf: service)
        self.event.append(contentsOf: event)
        self.day.append(contentsOf: day)
        self.quantity.append(contentsOf: quantity)
        self.explicitCost.append(contentsOf: explicitCost)
        explicitCostValidity.append(contentsOf: explicitCostPresent)
        self.personHash.append(contentsOf: personHash)
    }

    /// Empties the columns, keeping their capacity, the dictionaries, sources and rejects: the
    /// next morsel of a streaming scan goes into the same memory.
    public mutating func removeAllRows() {
        person.removeAll(keepingCapacity: true)
        service.removeAll(keepingCapacity: true)
        event.removeAll(keepingCapacity: true)
        day.removeAll(keepingCapacity: true)
        quantity.removeAll(keepingCapacity: true)
        explicitCost.removeAll(keepingCapacity: true)
        explicitCostValidity.removeAll(keepingCapacity: true)
        personHash.removeAll(keepingCapacity: true)
        cohortPerson.removeAll(keepingCapacity: true)
    }

    /// How the codes of one builder map into another's after ``append(draining:)``: entry `c`
    /// of each array is the new code of old code `c`.
    public struct Recoding: Sendable {
        /// New person codes.
        public var persons: [Int32]
        /// New service codes.
        public var services: [Int32]
        /// New event-type codes.
        public var events: [Int32]
    }

    /// Number of events appended.
    public var count: Int { person.count }

    /// Makes room for `rows` more events, so that the columns are not regrown (and copied) as
    /// they fill.
    public mutating func reserveCapacity(forMore rows: Int) {
        let total = count + rows
        person.reserveCapacity(total)
        service.reserveCapacity(total)
        event.reserveCapacity(total)
        day.reserveCapacity(total)
        quantity.reserveCapacity(total)
        explicitCost.reserveCapacity(total)
        explicitCostValidity.reserveCapacity(total)
    }

    /// Appends one event whose strings are already codes of this builder's dictionaries.
    @inline(__always)
    public mutating func append(person: Int32, service: Int32, event: Int32, day: Int32,
                                quantity: Int32, explicitCost: Pence?) {
        self.person.append(person)
        self.service.append(service)
        self.event.append(event)
        self.day.append(day)
        self.quantity.append(quantity)
        self.explicitCost.append(explicitCost ?? 0)
        self.explicitCostValidity.append(explicitCost != nil)
    }

    /// Appends one event given as strings (for tests and programmatic use).
    public mutating func append(person: String, service: String, event: String, date: CivilDate,
                                quantity: Int32 = 1, explicitCost: Pence? = nil) {
        append(person: persons.intern(person), service: services.intern(service),
               event: events.intern(event), day: date.daysSinceEpoch, quantity: quantity,
               explicitCost: explicitCost)
    }

    /// Records what happened to one source's rows.
    public mutating func noteSource(_ reconciliation: SourceReconciliation) {
        sources.append(reconciliation)
        sourceRowEnds.append(count)
        tallyCoverage()
        coverageTally?.finishSource()
    }

    /// Records a rejected row.
    public mutating func noteReject(_ reject: IngestError) {
        rejects.append(reject)
    }

    /// Appends every row of `other` (whose dictionaries are its own), re-coding its strings into
    /// this builder's dictionaries; rejects are taken as they are. Rows keep their order, and
    /// new strings get codes in the order `other` first saw them — so loading a file in parts and
    /// appending them in order gives exactly the table of loading it whole.
    public mutating func append(contentsOf other: EventTableBuilder) {
        var other = other
        append(draining: &other)
    }

    /// Like ``append(contentsOf:)``, but empties `other` column by column as it goes, so that
    /// joining two halves of a large load never holds the second half twice.
    /// Returns how `other`'s codes map into this builder's.
    @discardableResult
    public mutating func append(draining other: inout EventTableBuilder) -> Recoding {
        other.resolveDeferredPersons()
        if other.coverageTally != nil {
            // The other's rows still held, then its tally (of the same source) joined to this one's.
            other.tallyCoverage()
            let tally = other.coverageTally!
            other.coverageTally = nil
            coverageTally?.merge(tally)
        }
        func recode(_ from: StringDictionary, into to: inout StringDictionary) -> [Int32] {
            (0..<Int32(from.count)).map { code in from.bytes(of: code).withUnsafeBytes { to.intern($0) } }
        }
        // Builders following the same people code them alike (and never add any): no recoding.
        let persons = followed != nil && followed?.identity == other.followed?.identity
            ? Array(0..<Int32(persons.count)) : recode(other.persons, into: &self.persons)
        let services = recode(other.services, into: &self.services)
        let events = recode(other.events, into: &self.events)
        let total = count + other.count
        func move(_ codes: inout [Int32], into column: inout [Int32], recoding map: [Int32]) {
            column.reserveCapacity(total)
            // Code -1 (a person a streaming scan does not follow) stays -1.
            for code in codes { column.append(code < 0 ? code : map[Int(code)]) }
            codes = []
        }
        move(&other.person, into: &person, recoding: persons)
        move(&other.service, into: &service, recoding: services)
        move(&other.event, into: &event, recoding: events)
        day.append(contentsOf: other.day)
        other.day = []
        quantity.append(contentsOf: other.quantity)
        other.quantity = []
        explicitCost.append(contentsOf: other.explicitCost)
        other.explicitCost = []
        explicitCostValidity.reserveCapacity(total)
        for i in 0..<other.explicitCostValidity.count { explicitCostValidity.append(other.explicitCostValidity[i]) }
        other.explicitCostValidity = ValidityBitmap()
        rejects.append(contentsOf: other.rejects)
        other = EventTableBuilder()
        return Recoding(persons: persons, services: services, events: events)
    }

    /// Whether nothing has been added yet (no row, string, source or reject).
    public var isEmpty: Bool {
        count == 0 && persons.count == 0 && services.count == 0 && events.count == 0 && sources.isEmpty && rejects.isEmpty
    }

    /// Takes over `other`'s rows, strings and rejects (this builder must be empty); unlike
    /// ``append(contentsOf:)`` it copies nothing.
    public mutating func adopt(_ other: consuming EventTableBuilder) {
        precondition(isEmpty, "adopting into a builder that has rows")
        let sources = self.sources, sourceRowEnds = self.sourceRowEnds
        let finished = coverageTally?.finished
        self = other
        self.sources = sources
        self.sourceRowEnds = sourceRowEnds
        if let finished { coverageTally?.adoptFinished(finished) }
    }

    /// The finished, immutable table.
    public func finish() -> EventTable {
        var builder = self
        builder.resolveDeferredPersons()
        return builder.table()
    }

    private func table() -> EventTable {
        EventTable(persons: persons, services: services, events: events, person: person,
                   service: service, event: event, day: day, quantity: quantity,
                   explicitCost: explicitCost, explicitCostValidity: explicitCostValidity,
                   sources: sources, rejects: rejects, sourceRowEnds: sourceRowEnds)
    }
}
