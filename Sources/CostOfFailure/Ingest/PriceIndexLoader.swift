/// Loads a price index file: `financial_year, index` plus optional `is_forecast` (as the shipped
/// GDP deflator series is written).
public struct PriceIndexLoader: Sendable {
    /// The CSV reader to use.
    public var reader: CSVReader
    /// How the file is written: header names, date format, delimiter, encoding.
    public var mapping: InputMapping

    /// The engine's names of the file's columns (a project file's `columns` may rename them).
    public static let columns = ["financial_year", "index", "is_forecast"]

    /// Creates a loader.
    public init(reader: CSVReader = CSVReader(), mapping: InputMapping = .standard) {
        self.reader = reader
        self.mapping = mapping
    }

    /// Reads `source`; its vintage is `vintage`, or the file's name.
    public func load(_ source: InputSource, vintage: String? = nil) throws(IngestError) -> PriceIndex {
        var entries: [PriceIndex.Entry] = []
        var seen: [FinancialYear: Int] = [:]
        _ = try SmallTableReader(reader: reader).read(source, wanted: Self.columns,
                                                      required: ["financial_year", "index"], mapping: mapping) { (row) throws(IngestError) in
            let yearText = try row.required(0), indexText = try row.required(1)
            guard let year = FinancialYear(yearText) else {
                throw row.error(0, .badDate, "bad financial year: expected a year such as 2023-24")
            }
            guard let value = Self.tenThousandths(indexText), value > 0 else {
                throw row.error(1, .badNumber, "bad index: expected a positive number with at most four decimal places, such as 96.1117")
            }
            if let line = seen[year] {
                throw row.error(0, .duplicateKey, "duplicate year: \(year) is already on line \(line); expected one value per year")
            }
            seen[year] = row.line
            let forecast = row.text(2).map { ["true", "yes", "1"].contains($0.lowercased()) } ?? false
            entries.append(.init(year: year, tenThousandths: value, isForecast: forecast))
        }
        return PriceIndex(entries: entries, vintage: vintage ?? source.displayName)
    }

    /// `96.1117` as 961117; `nil` for anything but digits with an optional point and up to four
    /// decimals.
    static func tenThousandths(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0]), whole >= 0, parts[0].allSatisfy(\.isASCII) else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(digits) else { return nil }
            fraction = value * [1000, 100, 10, 1][digits.count - 1]
        }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: 10_000)
        return overflow ? nil : scaled + fraction
    }
}
