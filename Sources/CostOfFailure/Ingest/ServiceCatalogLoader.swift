/// Loads a services file: `service, category` plus optional `agency`.
public struct ServiceCatalogLoader: Sendable {
    /// The CSV reader to use.
    public var reader: CSVReader

    /// Creates a loader.
    public init(reader: CSVReader = CSVReader()) { self.reader = reader }

    /// Reads `source`; a service listed twice is an error.
    public func load(_ source: InputSource) throws(IngestError) -> ServiceCatalog {
        var entries: [ServiceCatalog.Entry] = []
        var firstLine: [String: Int] = [:]
        _ = try SmallTableReader(reader: reader).read(
            source, wanted: ["service", "category", "agency"], required: ["service", "category"]
        ) { (row) throws(IngestError) in
            let service = try row.required(0)
            if let line = firstLine[service] {
                throw row.error(0, .duplicateKey, "duplicate service: already listed on line \(line); expected one row per service")
            }
            firstLine[service] = row.line
            entries.append(.init(service: service, category: try row.required(1), agency: row.text(2)))
        }
        return ServiceCatalog(entries: entries)
    }
}
