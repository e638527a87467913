import Foundation

/// A project file (`cof.json`): everything one analysis reads, with one event source per agency
/// export and how each is written. Paths are relative to the project file.
///
/// ```json
/// {
///   "sources": [
///     { "name": "ED attendances", "file": "agencies/ed.csv", "encoding": "utf-8", "delimiter": ",",
///       "date_format": "DD/MM/YYYY HH:MM", "columns": { "person_id": "NHS Number", "date": "Arrival Date" },
///       "service": "A&E", "event": "attendance", "extract_date": "31/03/2024",
///       "person_id": { "remove_spaces": true, "nhs_number": true } }
///   ],
///   "unit_costs": "unit-costs.csv", "interventions": "interventions.csv", "services": "services.csv",
///   "before": "6m", "after": "12m", "observation_end": "2024-03-31", "price_base": "2024-25",
///   "on_error": "reject", "rejects": "rejects.csv", "max_rejects": 100
/// }
/// ```
public struct ProjectFile: Sendable {
    /// The event sources, in order.
    public var sources: [EventSource]
    /// The unit-cost file.
    public var unitCosts: InputSource?
    /// Whether the unit-cost file replaces the shipped table whole (`replace_shipped_unit_costs`)
    /// rather than laying over it by (service, event) (``UnitCostCatalogue``).
    public var replaceShippedUnitCosts = false
    /// The interventions file.
    public var interventions: InputSource?
    /// How the interventions file writes person IDs (`"interventions": {"path": …, "person_id": {…}}`).
    public var interventionsPersonID = PersonIDNormalisation.none
    /// The services file.
    public var services: InputSource?
    /// The before window.
    public var before: WindowSpan?
    /// The after window.
    public var after: WindowSpan?
    /// The observation end.
    public var observationEnd: CivilDate?
    /// The financial year every figure is stated in.
    public var priceBase: FinancialYear?
    /// The price index file (default: the shipped GDP deflator).
    public var deflator: InputSource?
    /// The comparison group file (`person_id, start_date`: pseudo index dates).
    public var comparison: InputSource?
    /// How the comparison group file writes person IDs (`"comparison": {"path": …, "person_id": {…}}`).
    public var comparisonPersonID = PersonIDNormalisation.none
    /// How each table besides the events is written, by its key (see ``InputMapping``).
    public var mappings: [StudyInputs.Table: InputMapping] = [:]
    /// Fail or reject.
    public var onError: ErrorPolicy.Mode?
    /// Where rejected rows are written (resolved against the project's folder).
    public var rejects: String?
    /// The most rejected rows one source may have.
    public var maxRejects: Int?

    /// A project file that cannot be used, with the key path of the problem.
    public struct Failure: Error, Sendable, CustomStringConvertible, Equatable {
        /// The project file.
        public var file: String
        /// Where in it (`sources[2].date_format`), when known.
        public var keyPath: String?
        /// What is wrong and what was expected.
        public var detail: String
        /// Whether the file itself is missing (exit 66) rather than wrong (exit 65).
        public var isMissing: Bool = false
        /// Whether a setting cannot be used as written (a person ID setting: exit 64, usage)
        /// rather than the file being wrong.
        public var isUnusableSetting: Bool = false

        /// `file: key: detail`.
        public var description: String {
            "\(file): " + (keyPath.map { "\($0): " } ?? "") + detail
        }
    }

    static let topKeys: Set<String> = ["sources", "unit_costs", "interventions", "services", "before", "after",
                                       "observation_end", "on_error", "rejects", "max_rejects", "title",
                                       "price_base", "deflator", "comparison", "replace_shipped_unit_costs"]
    static let sourceKeys: Set<String> = ["name", "file", "encoding", "delimiter", "date_format", "columns", "service", "event",
                                          "extract_date", "person_id"]

    /// Reads and checks the project file at `path`. A message never quotes the file's text
    /// unless `showValues` (`--show-values`): the path given may be a data file by mistake
    /// (the events CSV given as the project file), whose lines are personal data.
    public static func load(path: String, showValues: Bool = false) throws(Failure) -> ProjectFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw Failure(file: path, keyPath: nil, detail: "cannot read the project file: \((error as NSError).localizedDescription)",
                          isMissing: !FileManager.default.fileExists(atPath: path))
        }
        return try parse(data, path: path, showValues: showValues)
    }

    /// Whether a project file at `path` is TOML (`cof.toml`: its name ends in `.toml`) rather
    /// than JSON (any other name, such as `cof.json`).
    public static func isTOML(_ path: String) -> Bool {
        path.lowercased().hasSuffix(".toml")
    }

    /// Parses a project file, TOML when `path` ends in `.toml` and JSON otherwise: the text
    /// becomes the same tree of objects, lists, strings, numbers and booleans either way,
    /// checked by one set of rules. A key written twice in one table, or the same file listed
    /// as two inputs, is an error. `path` names the file in messages and anchors relative
    /// paths. Messages quote the file's text (its first line, a key that is not a setting name,
    /// what the parser found) only with `showValues`.
    public static func parse(_ data: Data, path: String, showValues: Bool = false) throws(Failure) -> ProjectFile {
        let root = isTOML(path) ? try tomlRoot(data, path: path, showValues: showValues) : try jsonRoot(data, path: path, showValues: showValues)
        let project = try project(from: root, path: path, showValues: showValues)
        try project.checkDistinctFiles(path: path)
        return project
    }

    /// The JSON text's top-level object, or the problem; a key written twice in one object
    /// (which the JSON parser would resolve to the last) is one.
    static func jsonRoot(_ data: Data, path: String, showValues: Bool) throws(Failure) -> [String: Any] {
        func fail(_ key: String?, _ detail: String) -> Failure { Failure(file: path, keyPath: key, detail: detail) }
        let root: [String: Any]
        guard let start = data.first(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }), start == UInt8(ascii: "{") || start == UInt8(ascii: "[")
                || data.starts(with: [0xEF, 0xBB, 0xBF]) else {
            // Not JSON at all: most likely a data file named as the project file.
            throw fail(nil, "not a project file: expected a JSON object ({ \"sources\": [...] }), found text that does not start with '{' (a CSV given as --project?; a project file whose name does not end in .toml is read as JSON)"
                + (showValues ? "; its first line: '\(firstLine(of: data))'" : "; give --show-values to see its first line"))
        }
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw fail(nil, "expected a JSON object at the top level")
            }
            root = object
        } catch let failure as Failure {
            throw failure
        } catch {
            let explanation = "\((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error)"
            throw fail(nil, "not valid JSON (read as JSON: the name does not end in .toml): " + (showValues ? explanation : withoutQuotes(explanation)))
        }
        if let duplicate = JSONDuplicateKeys.first(in: data) {
            throw fail(keyPath(duplicate.path, showValues: showValues),
                       "duplicate key on line \(duplicate.line), already set on line \(duplicate.firstLine); expected each key once in an object (a JSON reader keeps only one of them)")
        }
        return root
    }

    /// `steps` written as a key path (`sources[1].columns.date`), each key that does not look
    /// like a setting name hidden unless `showValues`.
    static func keyPath(_ steps: [JSONDuplicateKeys.Step], showValues: Bool) -> String {
        var text = ""
        for step in steps {
            switch step {
            case .index(let index): text += "[\(index)]"
            case .key(let name): text = key(text.isEmpty ? "" : text + ".", name, showValues: showValues)
            }
        }
        return text
    }

    /// The project the tree `root` (a JSON object, or a TOML table made into one) describes.
    static func project(from root: [String: Any], path: String, showValues: Bool) throws(Failure) -> ProjectFile {
        let folder = (path as NSString).deletingLastPathComponent
        func fail(_ key: String?, _ detail: String) -> Failure { Failure(file: path, keyPath: key, detail: detail) }
        func resolve(_ file: String, at key: String) throws(Failure) -> String {
            // A NUL ends a path where the system reads it: "a.csv\u{0}.gz" would open a.csv.
            if file.utf8.contains(0) { throw fail(key, "a path holding a NUL character; expected a file's path") }
            // The first byte, not the first Character: "/" and a combining mark after it are one
            // Character, and that path is absolute all the same (found by ProjectFileFuzzer).
            return file == "-" || file.utf8.first == UInt8(ascii: "/") || folder.isEmpty ? file : folder + "/" + file
        }
        if let unknown = root.keys.sorted().first(where: { !topKeys.contains($0) }) {
            throw fail(ProjectFile.key("", unknown, showValues: showValues), "unknown key; expected one of \(topKeys.sorted().joined(separator: ", "))")
        }
        func string(_ object: [String: Any], _ key: String, at path: String) throws(Failure) -> String? {
            guard let value = object[key] else { return nil }
            guard let text = value as? String else { throw fail(path, "expected a string") }
            return text
        }

        var project = ProjectFile(sources: [])
        guard let sources = root["sources"] as? [Any] else {
            throw fail("sources", root["sources"] == nil ? "missing: expected a list of event sources" : "expected a list of event sources")
        }
        for (index, item) in sources.enumerated() {
            let at = "sources[\(index)]"
            guard let object = item as? [String: Any] else { throw fail(at, "expected an object with at least a \"file\"") }
            if let unknown = object.keys.sorted().first(where: { !sourceKeys.contains($0) }) {
                throw fail(ProjectFile.key(at + ".", unknown, showValues: showValues), "unknown key; expected one of \(sourceKeys.sorted().joined(separator: ", "))")
            }
            guard let file = try string(object, "file", at: at + ".file") else { throw fail(at + ".file", "missing: expected the path of the CSV file") }
            var source = EventSource(.file(try resolve(file, at: at + ".file")), name: try string(object, "name", at: at + ".name"))
            source.mapping = try inputMapping(object, at: at, columns: EventLoader.Column.allCases.map(\.name), path: path, showValues: showValues)
            // The day the agency extracted the file: in the source's date format, or ISO.
            if let text = try string(object, "extract_date", at: at + ".extract_date") {
                guard let date = source.dateFormat.date(text) ?? CivilDate(iso: text) else {
                    throw fail(at + ".extract_date", "expected a date as \(source.dateFormat.description == "auto" ? "YYYY-MM-DD or DD/MM/YYYY" : source.dateFormat.description + " or YYYY-MM-DD")")
                }
                source.extractDate = date
            }
            if let settings = object["person_id"] {
                source.personID = try personIDNormalisation(settings, at: at + ".person_id", path: path, showValues: showValues)
            }
            source.constantService = try string(object, "service", at: at + ".service")
            source.constantEvent = try string(object, "event", at: at + ".event")
            for column in [EventLoader.Column.service, .event] where source.constant(for: column) != nil && source.columns[column] != nil {
                throw fail(at + "." + column.name, "both a constant \(column.name) and a column for it; expected one or the other")
            }
            project.sources.append(source)
        }
        if let value = root["replace_shipped_unit_costs"] {
            guard let flag = Self.boolean(value) else { throw fail("replace_shipped_unit_costs", "expected true or false") }
            project.replaceShippedUnitCosts = flag
        }
        // Every table besides the events: a path, or an object mapped as an event source is.
        for table in StudyInputs.Table.allCases {
            guard let value = root[table.rawValue] else { continue }
            let hasPeople = table == .interventions || table == .comparison
            let (file, mapping, personID) = try tableInput(value, table: table, columns: columns(of: table), hasPeople: hasPeople,
                                                           path: path, showValues: showValues)
            let source = InputSource.file(try resolve(file, at: table.rawValue))
            project.mappings[table] = mapping
            switch table {
            case .interventions: (project.interventions, project.interventionsPersonID) = (source, personID)
            case .comparison: (project.comparison, project.comparisonPersonID) = (source, personID)
            case .unitCosts: project.unitCosts = source
            case .services: project.services = source
            case .deflator: project.deflator = source
            }
        }
        for key in ["before", "after"] {
            guard let text = try string(root, key, at: key) else { continue }
            guard let span = WindowSpan(text) else { throw fail(key, "expected a span such as 6m, 12m, 10y or 90d") }
            if key == "before" { project.before = span } else { project.after = span }
        }
        if let text = try string(root, "observation_end", at: "observation_end") {
            guard let date = DateFormat.auto.date(text) else { throw fail("observation_end", "expected a date as YYYY-MM-DD or DD/MM/YYYY, as the data's dates") }
            project.observationEnd = date
        }
        if let text = try string(root, "price_base", at: "price_base") {
            guard let year = FinancialYear(text) else { throw fail("price_base", "expected a financial year such as 2024-25") }
            project.priceBase = year
        }
        if let text = try string(root, "on_error", at: "on_error") {
            guard let mode = ErrorPolicy.Mode(rawValue: text) else { throw fail("on_error", "expected \"fail\" or \"reject\"") }
            project.onError = mode
        }
        project.rejects = try string(root, "rejects", at: "rejects").map { (file) throws(Failure) in try resolve(file, at: "rejects") }
        if let value = root["max_rejects"] {
            guard let number = Self.wholeNumber(value), number >= 0 else { throw fail("max_rejects", "expected a whole number, 0 or more") }
            project.maxRejects = number
        }
        return project
    }

    /// `path` + `key` for a message, or a placeholder for a key that does not look like a
    /// setting name (it may be an ID from a data file given as the project file).
    static func key(_ path: String, _ key: String, showValues: Bool) -> String {
        showValues || looksLikeSettingName(key) ? path + key : path + "<a key that is not a setting name; give --show-values to see it>"
    }

    /// Whether `key` could be a misspelt setting (`date_formt`): letters, digits, `_`, `-` and
    /// spaces, at most 40, fewer than four digits. Anything else is not echoed by default.
    static func looksLikeSettingName(_ key: String) -> Bool {
        key.count <= 40 && key.unicodeScalars.filter { $0.properties.numericType != nil }.count < 4
            && key.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "_- ".unicodeScalars.contains($0)) }
    }

    /// The JSON parser's explanation with anything it quotes from the file (`'x'`, `"x"`)
    /// replaced by a placeholder.
    static func withoutQuotes(_ text: String) -> String {
        var out = "", quote: Character?
        var hid = false
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            if character == "'" || character == "\"" {
                quote = character
                out += "…"
                hid = true
                continue
            }
            out.append(character)
        }
        return hid ? out + " (give --show-values to see what was found)" : out
    }

    /// The first line of `data` (at most 200 bytes), for a message under `--show-values`.
    static func firstLine(of data: Data) -> String {
        let line = data.prefix(200).prefix { $0 != 0x0A && $0 != 0x0D }
        return String(decoding: line, as: UTF8.self)
    }
}

extension ProjectFile {
    /// `value` when it is a boolean. JSONSerialization gives booleans and numbers alike as
    /// NSNumber, and `as? Bool` takes `1` for true: a boolean's type code is `c`. (TOML's come
    /// as Swift's own Bool and Int.)
    static func boolean(_ value: Any) -> Bool? {
        if type(of: value) == Bool.self { return value as? Bool }
        guard let number = value as? NSNumber, isBoolean(number) else { return nil }
        return number.boolValue
    }

    /// `value` when it is a whole number, not a boolean (`as? Int` takes `true` for 1).
    static func wholeNumber(_ value: Any) -> Int? {
        if type(of: value) == Int.self { return value as? Int }
        guard let number = value as? NSNumber, !isBoolean(number) else { return nil }
        return value as? Int
    }

    private static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }
}
