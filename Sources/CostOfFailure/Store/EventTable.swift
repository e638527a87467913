/// Person-level events as immutable, equal-length typed columns: the engine's central store.
///
/// Row `i` is one contact of person `person[i]` with service `service[i]`: an A&E attendance, an
/// arrest, a stay of `quantity[i]` nights. Strings are dictionary codes into ``persons``,
/// ``services`` and ``events``; days are ``CivilDate`` day numbers. There are no per-row objects.
public struct EventTable: Sendable {
    /// Person IDs; `person` holds codes into it.
    public let persons: StringDictionary
    /// Service names (A&E, Police, ...); `service` holds codes into it.
    public let services: StringDictionary
    /// Event types (attendance, arrest, ...); `event` holds codes into it.
    public let events: StringDictionary

    /// Person code of each event.
    public let person: [Int32]
    /// Service code of each event.
    public let service: [Int32]
    /// Event-type code of each event.
    public let event: [Int32]
    /// Day of each event, as days since 1970-01-01.
    public let day: [Int32]
    /// Units of each event (nights, hours, ...); 1 when the file gave none.
    public let quantity: [Int32]
    /// Explicit cost of each event in pence, valid where ``explicitCostValidity`` says so.
    public let explicitCost: [Pence]
    /// Which events carry an explicit cost.
    public let explicitCostValidity: ValidityBitmap
    /// What happened to each source's rows, in the order the sources were read.
    public let sources: [SourceReconciliation]
    /// Rows set aside under a reject policy, each with its position and reason, in file order.
    public let rejects: [IngestError]

    /// One past each source's last row, when the load noted them (rows are events, so a
    /// source with spells has more rows than it loaded data records).
    private let sourceRowEnds: [Int]

    /// Number of events.
    public var count: Int { person.count }

    init(persons: StringDictionary, services: StringDictionary, events: StringDictionary,
         person: [Int32], service: [Int32], event: [Int32], day: [Int32], quantity: [Int32],
         explicitCost: [Pence], explicitCostValidity: ValidityBitmap, sources: [SourceReconciliation],
         rejects: [IngestError], sourceRowEnds: [Int] = []) {
        self.sourceRowEnds = sourceRowEnds
        self.persons = persons
        self.services = services
        self.events = events
        self.person = person
        self.service = service
        self.event = event
        self.day = day
        self.quantity = quantity
        self.explicitCost = explicitCost
        self.explicitCostValidity = explicitCostValidity
        self.sources = sources
        self.rejects = rejects
    }

    /// The rows that came from source number `index` (sources fill the table one after another).
    public func rows(ofSource index: Int) -> Range<Int> {
        if sourceRowEnds.count == sources.count {
            return (index == 0 ? 0 : sourceRowEnds[index - 1])..<sourceRowEnds[index]
        }
        let start = sources[..<index].reduce(0) { $0 + $1.loaded }
        return start..<(start + sources[index].loaded)
    }
}
