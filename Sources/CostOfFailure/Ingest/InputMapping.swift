/// How one input file is written, as a project file describes it: which of its header names
/// hold the engine's columns, how its dates are written, its delimiter and its encoding.
///
/// Every input is described the same way (the `columns`, `date_format`, `delimiter` and
/// `encoding` keys of a project file's event sources, interventions, unit costs, services,
/// price index and comparison group), read by one rule (``ProjectFile``) and applied by one
/// header rule (``HeaderMap/init(header:columns:required:mapping:file:line:showValues:)``).
public struct InputMapping: Sendable, Hashable {
    /// This file's header name for each engine column it renames (`person_id` → `Client Ref`),
    /// by the engine's column name; columns not named here are looked up under their own name.
    public var columns: [String: String]
    /// How dates are written.
    public var dateFormat: DateFormat
    /// Delimiter and quote.
    public var dialect: CSVDialect
    /// Character encoding.
    public var encoding: TextEncoding
    /// Where the project file describes this input (`interventions`, `sources[2]`), for
    /// messages about a mapped column; `nil` when no project file does.
    public var keyPath: String?

    /// Creates a mapping; by default the engine's own column names, any date format, commas, UTF-8.
    public init(columns: [String: String] = [:], dateFormat: DateFormat = .auto, dialect: CSVDialect = .standard,
                encoding: TextEncoding = .utf8, keyPath: String? = nil) {
        self.columns = columns
        self.dateFormat = dateFormat
        self.dialect = dialect
        self.encoding = encoding
        self.keyPath = keyPath
    }

    /// The engine's names, commas, UTF-8, any date format: a file as the README's inputs describe it.
    public static let standard = InputMapping()

    /// The header name the file uses for the engine column `column`.
    public func headerName(of column: String) -> String {
        columns[column] ?? column
    }

    /// Where the project file maps `column` (`interventions.columns.person_id`), for a message.
    func keyPath(of column: String) -> String? {
        keyPath.map { $0 + ".columns." + column }
    }
}

extension EventSource {
    /// This source's columns, date format, delimiter and encoding as an ``InputMapping``: the
    /// form every other input is described in.
    public var mapping: InputMapping {
        get {
            InputMapping(columns: Dictionary(uniqueKeysWithValues: columns.map { ($0.key.name, $0.value) }),
                         dateFormat: dateFormat, dialect: dialect, encoding: encoding, keyPath: keyPath)
        }
        set {
            columns = [:]
            for (name, header) in newValue.columns {
                if let column = EventLoader.Column(name: name) { columns[column] = header }
            }
            dateFormat = newValue.dateFormat
            dialect = newValue.dialect
            encoding = newValue.encoding
            keyPath = newValue.keyPath
        }
    }
}
