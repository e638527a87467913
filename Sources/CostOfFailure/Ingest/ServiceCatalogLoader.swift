/// Loads a services file: `service, category` plus optional `agency` and `exposure`
/// (`removes` or `ends`, blank for an ordinary service; see ``ServiceCatalog/Exposure``).
public struct ServiceCatalogLoader: Sendable {
    /// The CSV reader to use.
    public var reader: CSVReader
    /// How the file is written: header names, date format, delimiter, encoding.
    public var mapping: InputMapping

    /// The engine's names of the file's columns (a project file's `columns` may rename them).
    public static let columns = ["service", "category", "agency", "exposure"]

    /// Creates a loader.
    public init(reader: CSVReader = CSVReader(), mapping: InputMapping = .standard) {
        self.reader = reader
        self.mapping = mapping
    }

    /// Reads `source`; a service listed twice is an error.
    public func load(_ source: InputSource) throws(IngestError) -> ServiceCatalog {
        var entries: [ServiceCatalog.Entry] = []
        var firstLine: [String: Int] = [:]
        _ = try SmallTableReader(reader: reader).read(
            source, wanted: Self.columns, required: ["service", "category"], mapping: mapping
        ) { (row) throws(IngestError) in
            let service = try row.required(0)
            if let line = firstLine[service] {
                throw row.error(0, .duplicateKey, "duplicate service: already listed on line \(line); expected one row per service")
            }
            firstLine[service] = row.line
            var exposure = ServiceCatalog.Exposure.counts
            if let text = row.text(3) {
                guard let mark = ServiceCatalog.Exposure(rawValue: text.lowercased()), mark != .counts else {
                    throw row.error(3, .unknownValue, "unknown exposure mark: expected removes (custody: the days of its events leave exposure), ends (death: the days after it leave exposure) or blank")
                }
                exposure = mark
            }
            entries.append(.init(service: service, category: try row.required(1), agency: row.text(2), exposure: exposure))
        }
        return ServiceCatalog(entries: entries)
    }
}
