import Foundation

extension ProjectFile {
    /// The keys that say how any input is written, the same for every input.
    static let mappingKeys: Set<String> = ["columns", "date_format", "delimiter", "encoding"]

    /// How the input described by `object` (at key path `at`) is written: its `columns`,
    /// `date_format`, `delimiter` and `encoding`, each optional. The one rule for every input:
    /// event sources and the other tables read these keys here and nowhere else. `columns` are
    /// the engine's names the input has; a problem is a ``Failure`` naming its key path.
    static func inputMapping(_ object: [String: Any], at: String, columns: [String], path: String,
                             showValues: Bool) throws(Failure) -> InputMapping {
        func fail(_ key: String, _ detail: String) -> Failure { Failure(file: path, keyPath: key, detail: detail) }
        func string(_ key: String) throws(Failure) -> String? {
            guard let value = object[key] else { return nil }
            guard let text = value as? String else { throw fail(at + "." + key, "expected a string") }
            return text
        }
        var mapping = InputMapping(keyPath: at)
        if let encoding = try string("encoding") {
            guard let value = TextEncoding(name: encoding) else {
                throw fail(at + ".encoding", "unknown encoding; expected utf-8 or windows-1252 (latin-1 files are read as windows-1252)")
            }
            mapping.encoding = value
        }
        if let delimiter = try string("delimiter") {
            let byte: UInt8
            switch delimiter {
            case ",", ";", "|": byte = delimiter.utf8.first!
            case "\t", "tab", "\\t": byte = 0x09
            default: throw fail(at + ".delimiter", "expected one of \",\", \";\", \"|\" or \"tab\"")
            }
            mapping.dialect = CSVDialect(delimiter: byte)
        }
        if let format = try string("date_format") {
            guard let value = DateFormat(pattern: format) else {
                throw fail(at + ".date_format", "unknown date format; expected auto, YYYY-MM-DD or DD/MM/YYYY, optionally followed by \" HH:MM\", \" HH:MM:SS\" or \"THH:MM:SS\"")
            }
            mapping.dateFormat = value
        }
        if let value = object["columns"] {
            guard let map = value as? [String: Any] else {
                throw fail(at + ".columns", "expected an object mapping engine columns to this file's header names")
            }
            for key in map.keys.sorted() {
                guard columns.contains(key) else {
                    throw fail(ProjectFile.key(at + ".columns.", key, showValues: showValues),
                               "unknown engine column; expected one of \(columns.joined(separator: ", "))")
                }
                guard let header = map[key] as? String, !header.trimmingSpaces.isEmpty else {
                    throw fail(at + ".columns." + key, "expected the header name of this file's column")
                }
                mapping.columns[key] = header
            }
        }
        return mapping
    }

    /// A table's file setting at key `table`: a path (`"interventions": "file.csv"`), or an
    /// object with the path (`file`, or `path` as earlier versions wrote it), the keys every
    /// input takes (``mappingKeys``) and, for a table of people, `person_id` settings.
    static func tableInput(_ value: Any, table: StudyInputs.Table, columns: [String], hasPeople: Bool, path: String,
                           showValues: Bool) throws(Failure) -> (file: String, mapping: InputMapping, personID: PersonIDNormalisation) {
        let at = table.rawValue
        func fail(_ key: String, _ detail: String) -> Failure { Failure(file: path, keyPath: key, detail: detail) }
        if let file = value as? String { return (file, InputMapping(keyPath: at), .none) }
        let keys = mappingKeys.union(["file", "path"]).union(hasPeople ? ["person_id"] : [])
        guard let object = value as? [String: Any] else {
            throw fail(at, "expected a path, or an object {\"file\": …} with any of \(keys.subtracting(["file", "path"]).sorted().joined(separator: ", "))")
        }
        if let unknown = object.keys.sorted().first(where: { !keys.contains($0) }) {
            throw fail(ProjectFile.key(at + ".", unknown, showValues: showValues), "unknown key; expected one of \(keys.sorted().joined(separator: ", "))")
        }
        if object["file"] != nil && object["path"] != nil {
            throw fail(at + ".path", "both file and path; expected one (path is the older name of file)")
        }
        let fileKey = object["path"] != nil ? "path" : "file"
        guard let file = object[fileKey] as? String, !file.isEmpty else {
            throw fail(at + "." + fileKey, object[fileKey] == nil ? "missing: expected the path of the CSV file" : "expected a path")
        }
        let mapping = try inputMapping(object, at: at, columns: columns, path: path, showValues: showValues)
        let personID = try object["person_id"].map { (settings) throws(Failure) in
            try personIDNormalisation(settings, at: at + ".person_id", path: path, showValues: showValues)
        } ?? .none
        return (file, mapping, personID)
    }

    /// The engine's names of `table`'s columns, which its `columns` may rename.
    static func columns(of table: StudyInputs.Table) -> [String] {
        switch table {
        case .interventions, .comparison: return InterventionLoader.columns
        case .unitCosts: return UnitCostLoader.columns
        case .services: return ServiceCatalogLoader.columns
        case .deflator: return PriceIndexLoader.columns
        }
    }
}
