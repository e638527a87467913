/// One priced event of a cohort member, as the per-person fold reads it (see ``CohortEvents``):
/// the member's code in the cohort (the interventions' people in byte order of their IDs), the
/// event's service and event-type codes in the load's dictionaries, its day, quantity and cost.
public struct CohortEvent: Sendable, Equatable {
    /// The cost in pence (0 when unpriced).
    public var cost: Pence
    /// The member's cohort code.
    public var person: Int32
    /// Service code.
    public var service: Int32
    /// Event-type code.
    public var event: Int32
    /// Days since the epoch.
    public var day: Int32
    /// Units.
    public var quantity: Int32
    /// Whether the event has a price (``CostResolver/Price``).
    public var priced: Bool

    /// Creates an event.
    public init(person: Int32, service: Int32, event: Int32, day: Int32, quantity: Int32, cost: Pence, priced: Bool) {
        self.cost = cost
        self.person = person
        self.service = service
        self.event = event
        self.day = day
        self.quantity = quantity
        self.priced = priced
    }
}
