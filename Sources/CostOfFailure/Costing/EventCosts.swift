/// Every event's resolved cost: a pence column with validity (invalid = unpriced), and a summary
/// of what could not be priced.
public struct EventCosts: Sendable {
    /// Cost of each event in pence; 0 where ``priced`` is false.
    public let pence: [Pence]
    /// Which events have a cost (explicit, or from a unit cost).
    public let priced: ValidityBitmap
    /// (service, event) pairs with no explicit cost and no unit cost, with counts; sorted by
    /// service then event, byte-wise.
    public let unpriced: [UnpricedPair]

    /// A (service, event) pair that no unit cost covers.
    public struct UnpricedPair: Sendable, Equatable {
        /// Service name.
        public var service: String
        /// Event type.
        public var event: String
        /// Events of this pair left unpriced.
        public var events: Int

        /// Creates a pair's count.
        public init(service: String, event: String, events: Int) {
            self.service = service
            self.event = event
            self.events = events
        }
    }

    /// `pairs` sorted by service, then event, byte-wise.
    public static func inOutputOrder(_ pairs: [UnpricedPair]) -> [UnpricedPair] {
        pairs.sorted {
            $0.service.utf8.lexicographicallyPrecedes($1.service.utf8)
                || ($0.service == $1.service && $0.event.utf8.lexicographicallyPrecedes($1.event.utf8))
        }
    }

    /// Total number of unpriced events.
    public var unpricedEvents: Int { unpriced.reduce(0) { $0 + $1.events } }
}
