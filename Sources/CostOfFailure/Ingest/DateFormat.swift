/// How a source writes its dates: the order of day, month and year, and whether a time of day
/// may follow (Excel and case-management exports often add one; the engine keeps the day).
public struct DateFormat: Sendable, Hashable, CustomStringConvertible {
    /// The order of the date's parts.
    public enum Order: Sendable, Hashable {
        /// `YYYY-MM-DD`.
        case yearMonthDay
        /// `DD/MM/YYYY` (one or two digits for day and month).
        case dayMonthYear
        /// Either of the two, told apart by their separators.
        case either
    }

    /// The order of the date's parts.
    public var order: Order
    /// Whether a time of day (`HH:MM`, `HH:MM:SS`, optionally after `T`) may follow the date.
    public var allowsTime: Bool

    /// Creates a format.
    public init(order: Order, allowsTime: Bool) {
        self.order = order
        self.allowsTime = allowsTime
    }

    /// Either order, with or without a time: what the engine accepts when not told.
    public static let auto = DateFormat(order: .either, allowsTime: true)

    /// Parses a project file's `date_format`: `auto`, `YYYY-MM-DD` or `DD/MM/YYYY`, optionally
    /// followed by ` HH:MM`, ` HH:MM:SS` or `THH:MM:SS` (a format with a time accepts dates
    /// with or without one). `nil` for anything else.
    public init?(pattern: String) {
        let text = pattern.trimmingSpaces
        if text.lowercased() == "auto" { self = .auto; return }
        let datePart = String(text.prefix(10))
        let rest = String(text.dropFirst(10))
        switch datePart.uppercased() {
        case "YYYY-MM-DD": order = .yearMonthDay
        case "DD/MM/YYYY": order = .dayMonthYear
        default: return nil
        }
        switch rest.uppercased() {
        case "": allowsTime = false
        case " HH:MM", " HH:MM:SS", "THH:MM", "THH:MM:SS": allowsTime = true
        default: return nil
        }
    }

    /// The format as a project file writes it.
    public var description: String {
        switch order {
        case .either: return allowsTime ? "auto" : "YYYY-MM-DD or DD/MM/YYYY"
        case .yearMonthDay: return allowsTime ? "YYYY-MM-DD HH:MM:SS" : "YYYY-MM-DD"
        case .dayMonthYear: return allowsTime ? "DD/MM/YYYY HH:MM:SS" : "DD/MM/YYYY"
        }
    }

    /// What a field must look like, in the words error messages use.
    public var expectation: String {
        let date: String
        switch order {
        case .either: date = "a date as YYYY-MM-DD or DD/MM/YYYY"
        case .yearMonthDay: date = "a date as YYYY-MM-DD"
        case .dayMonthYear: date = "a date as DD/MM/YYYY"
        }
        return allowsTime ? date + ", optionally followed by a time" : date
    }
}

extension DateFormat {
    /// The civil day `text` holds in this format (as a data file's date field is read, time of
    /// day dropped), or `nil`: for dates given on the command line or in a project file, which
    /// accept whatever the data does.
    public func date(_ text: String) -> CivilDate? {
        var text = text
        return text.withUTF8 { bytes in
            FieldDecoder.date(UnsafeRawBufferPointer(bytes), format: self).map(CivilDate.init(daysSinceEpoch:))
        }
    }
}
