/// One file of events as an agency exported it: where it is, which of its columns hold the
/// engine's fields, constants for fields it lacks, and how it is written.
public struct EventSource: Sendable, Hashable {
    /// Where the bytes come from.
    public var input: InputSource
    /// A label for messages (the agency), when set.
    public var name: String?
    /// The file's header name for each engine column it maps (`person_id` → `NHS Number`);
    /// engine columns not named here are looked up under their own name.
    public var columns: [EventLoader.Column: String]
    /// A service for every row, for a file that has no service column.
    public var constantService: String?
    /// An event type for every row, for a file that has no event column.
    public var constantEvent: String?
    /// How dates are written.
    public var dateFormat: DateFormat
    /// Delimiter and quote.
    public var dialect: CSVDialect
    /// Character encoding.
    public var encoding: TextEncoding
    /// Whether the first record must be a header row.
    public var header: HeaderRow
    /// The day the agency extracted the file (inclusive), when the project file says
    /// (`extract_date`): the source covers up to it, whatever its latest event (see
    /// ``ObservationEnd``).
    public var extractDate: CivilDate? = nil
    /// How this source's person IDs are brought to the cohort's form (none by default).
    public var personID: PersonIDNormalisation = .none
    /// Where the project file describes this source (`sources[2]`), for messages about its
    /// mapped columns; `nil` when no project file does.
    public var keyPath: String? = nil

    /// Whether a source starts with a header row.
    public enum HeaderRow: Sendable, Hashable {
        /// The first record names the columns (every agency export).
        case required
        /// The first record names the columns when any of its cells is one of the column names
        /// looked for (``EventSource/headerName(of:)``); otherwise there is no header, and the
        /// fields are the engine's columns in order: `person_id, service, event, date` and
        /// optionally `quantity`, then `cost` (4 to 6 fields, as the first record has). No input
        /// at all is then zero rows rather than an empty-file error. For streams a program
        /// writes, such as `cof partial`'s standard input.
        case optional
    }

    /// Creates a source; by default the engine's own column names, any date format, commas, UTF-8,
    /// a header row.
    public init(_ input: InputSource, name: String? = nil, columns: [EventLoader.Column: String] = [:],
                constantService: String? = nil, constantEvent: String? = nil, dateFormat: DateFormat = .auto,
                dialect: CSVDialect = .standard, encoding: TextEncoding = .utf8, header: HeaderRow = .required) {
        self.input = input
        self.name = name
        self.columns = columns
        self.constantService = constantService
        self.constantEvent = constantEvent
        self.dateFormat = dateFormat
        self.dialect = dialect
        self.encoding = encoding
        self.header = header
    }

    /// The header name the file uses for `column`.
    public func headerName(of column: EventLoader.Column) -> String {
        columns[column] ?? column.name
    }

    /// The constant value for `column`, when the source sets one.
    public func constant(for column: EventLoader.Column) -> String? {
        switch column {
        case .service: return constantService
        case .event: return constantEvent
        default: return nil
        }
    }
}
