/// How a CSV source is written: the delimiter and quote bytes libcsv splits on.
public struct CSVDialect: Sendable, Hashable {
    /// The field delimiter byte (`,` by default; `;` and tab are common in European exports).
    public var delimiter: UInt8
    /// The quote byte (`"`).
    public var quote: UInt8

    /// Creates a dialect.
    public init(delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8 = UInt8(ascii: "\"")) {
        self.delimiter = delimiter
        self.quote = quote
    }

    /// Comma-separated, double-quoted (RFC 4180).
    public static let standard = CSVDialect()
}
