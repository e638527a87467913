/// Published prices of one unit of (service, event), with their provenance.
///
/// `event` may be `*`: the service-wide default used when no row matches the event type.
public struct UnitCostTable: Sendable {
    /// The event name that marks a service-wide default.
    public static let anyEvent = "*"

    /// One price and where it comes from.
    public struct Entry: Sendable, Equatable {
        /// Service the price applies to.
        public var service: String
        /// Event type, or `*` for every event type of the service without its own price.
        public var event: String
        /// Price of one unit, in pence, in the prices of ``priceYear``.
        public var unitCostPence: Pence
        /// What one unit is (per attendance, per night, ...).
        public var unit: String?
        /// UK financial year of the price, e.g. `2023-24`.
        public var priceYear: String?
        /// Stable identifier of the figure (source prefix and the source's code).
        public var code: String?
        /// Where the figure was published.
        public var source: String?
        /// Licence of the figure.
        public var licence: String?
        /// Whose cost it is in the Green Book's sense: `fiscal` (the public purse), `economic`
        /// or `social`.
        public var valueType: String?
        /// Who bears the cost (NHS, Police, Local authority, ...).
        public var agency: String?
        /// How far the figure can be trusted, as its source grades it (green, amber, red).
        public var confidence: String?
        /// Whether avoiding the activity releases cash (`nil`: not stated).
        public var cashable: Bool?

        /// Creates an entry.
        public init(service: String, event: String, unitCostPence: Pence, unit: String? = nil,
                    priceYear: String? = nil, code: String? = nil, source: String? = nil, licence: String? = nil,
                    valueType: String? = nil, agency: String? = nil, confidence: String? = nil, cashable: Bool? = nil) {
            self.valueType = valueType
            self.agency = agency
            self.confidence = confidence
            self.cashable = cashable
            self.service = service
            self.event = event
            self.unitCostPence = unitCostPence
            self.unit = unit
            self.priceYear = priceYear
            self.code = code
            self.source = source
            self.licence = licence
        }
    }

    /// The prices, in file order.
    public let entries: [Entry]

    /// Creates a table; (service, event) pairs must be unique (the loader checks this for files).
    public init(entries: [Entry]) {
        self.entries = entries
    }
}
