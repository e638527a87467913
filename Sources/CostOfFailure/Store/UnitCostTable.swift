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
        /// What the events' `quantity` of this pair counts (`quantity_unit`), when it is not the
        /// cost's own unit (``UnitOfMeasure/init(unitText:)`` of ``unit``): the price is
        /// converted to it once (see ``UnitOfMeasure``). `nil`: the cost's own unit.
        public var quantityUnit: UnitOfMeasure?
        /// For a tariff (a base price plus a price per unit beyond a trim point, as NHS HRG
        /// admissions with excess bed days): the units the base price covers. `nil`: a plain
        /// unit cost, priced ``unitCostPence`` × quantity.
        public var trimPoint: Int32?
        /// For a tariff: the price of each unit beyond ``trimPoint``, in pence, in the prices of
        /// ``priceYear``; ``unitCostPence`` is then the base price of one event.
        public var excessPerUnitPence: Pence?
        /// Whether the entry is one of the engine's shipped reference figures (``ReferenceData``)
        /// rather than the study's own.
        public var isShipped = false

        /// Creates an entry.
        public init(service: String, event: String, unitCostPence: Pence, unit: String? = nil,
                    priceYear: String? = nil, code: String? = nil, source: String? = nil, licence: String? = nil,
                    valueType: String? = nil, agency: String? = nil, confidence: String? = nil, cashable: Bool? = nil,
                    quantityUnit: UnitOfMeasure? = nil, trimPoint: Int32? = nil, excessPerUnitPence: Pence? = nil) {
            self.quantityUnit = quantityUnit
            self.trimPoint = trimPoint
            self.excessPerUnitPence = excessPerUnitPence
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

    /// The prices, in file order (a study's own, then the shipped ones it did not replace).
    public let entries: [Entry]
    /// Shipped entries the study's own file replaced by (service, event), in shipped order (see
    /// ``UnitCostCatalogue``): said on standard error and in the provenance.
    public let replacedShipped: [Entry]
    /// Shipped entries left out because their price year is outside the price index a study
    /// restates prices with (a study's own deflator may cover fewer years than the shipped one);
    /// an event one of them would price is unpriced. Said on standard error.
    public let shippedOutsideIndex: [Entry]

    /// Creates a table; (service, event) pairs must be unique (the loader checks this for files).
    public init(entries: [Entry], replacedShipped: [Entry] = [], shippedOutsideIndex: [Entry] = []) {
        self.entries = entries
        self.replacedShipped = replacedShipped
        self.shippedOutsideIndex = shippedOutsideIndex
    }
}
