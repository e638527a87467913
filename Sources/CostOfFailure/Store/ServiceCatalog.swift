/// What each service is: its category (Health, Criminal justice, Housing, Social care,
/// Intervention) and the agency that pays for it.
public struct ServiceCatalog: Sendable {
    /// The category of services that are the intervention's own work (the response, not the failure).
    public static let interventionCategory = "Intervention"

    /// One service's classification.
    public struct Entry: Sendable, Equatable {
        /// Service name, as in the events files.
        public var service: String
        /// Category, e.g. `Health`.
        public var category: String
        /// Paying agency, e.g. `NHS`.
        public var agency: String?
        /// What the service's events do to the person's exposure (time at risk).
        public var exposure: Exposure

        /// Creates an entry.
        public init(service: String, category: String, agency: String? = nil, exposure: Exposure = .counts) {
            self.service = service
            self.category = category
            self.agency = agency
            self.exposure = exposure
        }
    }

    /// Whether a service's events take days out of a person's exposure (the services file's
    /// optional `exposure` column; see the README's inputs section).
    public enum Exposure: String, Sendable, Hashable, CaseIterable {
        /// An ordinary service (the column blank): its events are use, the person stays exposed.
        case counts = ""
        /// Custody and the like: every day the service has an event for the person (each night
        /// of a spell) leaves the person's exposure; overlapping spells count once.
        case removes
        /// Death: every day after the date of the person's earliest event of the service leaves
        /// the person's exposure (the day itself stays in it).
        case ends
    }

    /// Whether some service of the catalog takes days out of exposure.
    public var marksExposure: Bool { entries.values.contains { $0.exposure != .counts } }

    /// What the service called `service` does to exposure (``Exposure/counts`` when unlisted).
    public func exposure(of service: String) -> Exposure { entries[service]?.exposure ?? .counts }

    /// What each service of `services` does to exposure, by its code there: what a kernel reads
    /// for each row (``TimeAtRisk``).
    public func exposure(byCode services: StringDictionary) -> [Exposure] {
        (0..<Int32(services.count)).map { exposure(of: services[$0]) }
    }

    /// Rows by service name.
    public let entries: [String: Entry]

    /// Creates a catalog; later rows for the same service replace earlier ones.
    public init(entries: [Entry]) {
        var byName: [String: Entry] = [:]
        for entry in entries { byName[entry.service] = entry }
        self.entries = byName
    }

    /// An empty catalog: every service uncategorised.
    public static let empty = ServiceCatalog(entries: [])

    /// The category of `service`, or `nil` when the catalog does not list it.
    public func category(of service: String) -> String? { entries[service]?.category }

    /// Whether `service` is the intervention's own work.
    public func isIntervention(_ service: String) -> Bool {
        category(of: service) == Self.interventionCategory
    }
}
