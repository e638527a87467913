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

        /// Creates an entry.
        public init(service: String, category: String, agency: String? = nil) {
            self.service = service
            self.category = category
            self.agency = agency
        }
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
