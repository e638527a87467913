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
    var sources: [SourceReconciliation] = []
    var rejects: [IngestError] = []

    /// Creates an empty builder.
    public init() {}

    /// Number of events appended.
    public var count: Int { person.count }

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
    }

    /// Records a rejected row.
    public mutating func noteReject(_ reject: IngestError) {
        rejects.append(reject)
    }

    /// The finished, immutable table.
    public func finish() -> EventTable {
        EventTable(persons: persons, services: services, events: events, person: person,
                   service: service, event: event, day: day, quantity: quantity,
                   explicitCost: explicitCost, explicitCostValidity: explicitCostValidity,
                   sources: sources, rejects: rejects)
    }
}
