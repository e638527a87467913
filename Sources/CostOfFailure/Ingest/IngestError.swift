/// A problem reading an input file, with enough position to find it and no cell values.
///
/// Messages name the file, the physical line, the record number, the column and what was
/// expected; they never include the offending value, because inputs are health and police
/// records.
public struct IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a stable name (used in rejects files and tests).
    public enum Kind: String, Sendable {
        /// The input file does not exist or cannot be opened.
        case missingFile = "missing_file"
        /// Reading failed part-way (an I/O error).
        case unreadable
        /// A gzip or zstd file that is corrupt or cut short (see ``CompressionFormat``).
        case badCompression = "bad_compression"
        /// The file has no header row.
        case emptyFile = "empty_file"
        /// A required column is not in the header.
        case missingColumn = "missing_column"
        /// Two header cells have the same name.
        case duplicateHeader = "duplicate_header"
        /// A record has more or fewer fields than the header.
        case wrongFieldCount = "wrong_field_count"
        /// Quotes that do not follow RFC 4180 (a quote inside an unquoted field, text after a closing quote).
        case badQuoting = "bad_quoting"
        /// A quoted field that never ends.
        case unterminatedQuote = "unterminated_quote"
        /// A date that is not a valid day in an accepted format.
        case badDate = "bad_date"
        /// An amount or number that cannot be read.
        case badNumber = "bad_number"
        /// A quantity that is not a whole number above zero.
        case badQuantity = "bad_quantity"
        /// A required cell is empty.
        case missingValue = "missing_value"
        /// The same key appears twice where keys must be unique (unit costs, services).
        case duplicateKey = "duplicate_key"
        /// A field longer than the limit (1 MiB by default), usually a quote that never closes.
        case fieldTooLarge = "field_too_large"
        /// The project maps an engine column to a header name the file does not have.
        case unknownColumn = "unknown_column"
        /// Two engine columns would read the same header cell (the project maps one of them to
        /// a column another takes by name, or maps two to one column).
        case ambiguousColumn = "ambiguous_column"
        /// An ID that Excel turned into scientific notation (`6.01884E+15`): its digits are lost.
        case excelMangledID = "excel_mangled_id"
        /// Bytes that are not valid in the source's encoding.
        case badEncoding = "bad_encoding"
        /// A NUL byte (0x00) inside an ID or a name (see ``StrayMark``).
        case nulByte = "nul_byte"
        /// A UTF-8 byte-order mark (EF BB BF) inside an ID or a name, not at the file's start.
        case byteOrderMark = "byte_order_mark"
        /// A person ID the source's `person_id` pattern does not match (see ``PersonIDNormalisation``).
        case idPatternMiss = "id_pattern_miss"
        /// A person ID that is not a valid NHS number where the source says they all are.
        case badNHSNumber = "bad_nhs_number"
        /// A source has more rejected rows than `--max-rejects` allows.
        case tooManyRejects = "too_many_rejects"
        /// A spell whose end date comes before its start date, or that is longer than
        /// ``Spell/maximumNights`` (see ``Spell``).
        case badSpell = "bad_spell"
        /// A cell that must be one of a few words holds another (a services file's `exposure`).
        case unknownValue = "unknown_value"
    }

    /// The file as the user named it (`-` is shown as `<stdin>`).
    public var file: String
    /// Physical line (1-based) where the record starts, when known.
    public var line: Int?
    /// Record number (1-based, the header is record 1), when known.
    public var record: Int?
    /// The column name as the file's header spells it, when the problem is in one column.
    public var column: String?
    /// What went wrong.
    public var kind: Kind
    /// What was expected and what was found, without the cell's value.
    public var detail: String

    /// Creates an error.
    public init(file: String, line: Int? = nil, record: Int? = nil, column: String? = nil,
                kind: Kind, detail: String) {
        self.file = file
        self.line = line
        self.record = record
        self.column = column
        self.kind = kind
        self.detail = detail
    }

    /// One line: `file:line: record N, column 'x': detail`.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ":"
        var place: [String] = []
        if let record { place.append("record \(record)") }
        if let column { place.append("column '\(column)'") }
        if !place.isEmpty { text += " " + place.joined(separator: ", ") + ":" }
        return text + " " + detail
    }
}
