import Foundation

/// How one input writes its person IDs, and how to bring them to the form every other input
/// uses, so that one agency's `"083 016 6130"` and another's `0830166130` are the same person.
///
/// Steps run in a fixed order: ``trim`` (whitespace at the edges beyond spaces and tabs, which
/// are always trimmed), ``remove`` (characters dropped wherever they are: spaces, dashes),
/// ``letterCase`` (ASCII letters only), ``pattern`` (the ID becomes its one capture group), then
/// the ``nhsNumber`` check. The default does nothing, and an input whose normalisation
/// ``isIdentity`` is read exactly as before (the hot path takes one branch more per row).
/// Set per event source in the project file (`"person_id": {…}`), and for the interventions and
/// comparison group files (`"interventions": {"path": …, "person_id": {…}}`).
public struct PersonIDNormalisation: Sendable, Hashable, CustomStringConvertible {
    /// Upper or lower case.
    public enum LetterCase: String, Sendable, Hashable {
        case upper, lower
    }

    /// Whether whitespace at either edge (CR, LF, vertical tab, form feed and no-break spaces as
    /// well as spaces and tabs) is trimmed.
    public var trim = false
    /// ASCII characters removed wherever they are in the ID (`" "` for inner spaces, `" -"` for
    /// spaces and dashes). A space here also removes tabs and no-break spaces.
    public var remove: Set<UInt8> = []
    /// ASCII letters brought to one case, when set.
    public var letterCase: LetterCase?
    /// A regular expression (ICU syntax, as `NSRegularExpression`) with exactly one capture
    /// group; the ID is what that group matched at the first match. Not anchored: write `^…$`
    /// to match the whole ID.
    public var pattern: String?
    /// Whether the (normalised) ID must be a valid NHS number (see ``NHSNumber``).
    public var nhsNumber = false

    /// Does nothing.
    public static let none = PersonIDNormalisation()

    /// Creates a normalisation (by default, none).
    public init(trim: Bool = false, remove: Set<UInt8> = [], letterCase: LetterCase? = nil, pattern: String? = nil,
                nhsNumber: Bool = false) {
        self.trim = trim
        self.remove = remove
        self.letterCase = letterCase
        self.pattern = pattern
        self.nhsNumber = nhsNumber
    }

    /// Whether IDs are taken as they are (apart from spaces and tabs at the edges).
    public var isIdentity: Bool { self == .none }

    /// The settings in a fixed order (for the parameters of a partial result), e.g.
    /// `trim, remove " -", case upper, nhs_number`.
    public var description: String {
        var parts: [String] = []
        if trim { parts.append("trim") }
        if !remove.isEmpty { parts.append("remove \"\(String(decoding: remove.sorted(), as: UTF8.self))\"") }
        if let letterCase { parts.append("case \(letterCase.rawValue)") }
        if let pattern { parts.append("pattern \(pattern)") }
        if nhsNumber { parts.append("nhs_number") }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }

    /// Why a pattern cannot be used (it does not compile, or has not exactly one capture group),
    /// or `nil` when it can.
    public static func problem(withPattern pattern: String) -> String? {
        guard let expression = try? NSRegularExpression(pattern: pattern) else {
            return "the pattern is not a valid regular expression; expected ICU regular expression syntax with one capture group, such as \"^ID-(\\\\d+)$\""
        }
        guard expression.numberOfCaptureGroups == 1 else {
            return "the pattern has \(expression.numberOfCaptureGroups) capture groups; expected exactly one (the part that is the ID), other groups written (?:…)"
        }
        return nil
    }
}
