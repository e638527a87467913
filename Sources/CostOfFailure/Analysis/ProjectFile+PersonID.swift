import Foundation

extension ProjectFile {
    static let personIDKeys: Set<String> = ["trim", "remove_spaces", "remove", "case", "pattern", "nhs_number"]

    /// A source's `person_id` settings at key path `at`:
    /// `{"trim": true, "remove_spaces": true, "remove": "-", "case": "upper", "pattern": "^ID-(\\d+)$", "nhs_number": true}`.
    /// A setting that cannot be used is a ``Failure`` naming its key path (exit 64).
    static func personIDNormalisation(_ value: Any, at: String, path: String, showValues: Bool) throws(Failure) -> PersonIDNormalisation {
        func fail(_ key: String, _ detail: String) -> Failure { Failure(file: path, keyPath: key, detail: detail, isUnusableSetting: true) }
        guard let object = value as? [String: Any] else {
            throw fail(at, "expected an object of ID settings (\(personIDKeys.sorted().joined(separator: ", ")))")
        }
        if let unknown = object.keys.sorted().first(where: { !personIDKeys.contains($0) }) {
            throw fail(key(at + ".", unknown, showValues: showValues), "unknown key; expected one of \(personIDKeys.sorted().joined(separator: ", "))")
        }
        func flag(_ name: String) throws(Failure) -> Bool {
            guard let value = object[name] else { return false }
            guard let flag = ProjectFile.boolean(value) else { throw fail(at + "." + name, "expected true or false") }
            return flag
        }
        var rule = PersonIDNormalisation()
        rule.trim = try flag("trim")
        if try flag("remove_spaces") { rule.remove.insert(0x20) }
        if let value = object["remove"] {
            guard let characters = value as? String, !characters.isEmpty, characters.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
                throw fail(at + ".remove", "expected a string of the ASCII characters to remove from IDs, such as \"-\" or \" -/\"")
            }
            rule.remove.formUnion(characters.utf8)
        }
        if let value = object["case"] {
            guard let text = value as? String, let letterCase = PersonIDNormalisation.LetterCase(rawValue: text) else {
                throw fail(at + ".case", "expected \"upper\" or \"lower\"")
            }
            rule.letterCase = letterCase
        }
        if let value = object["pattern"] {
            guard let pattern = value as? String, !pattern.isEmpty else {
                throw fail(at + ".pattern", "expected a regular expression with one capture group, such as \"^ID-(\\\\d+)$\"")
            }
            if let problem = PersonIDNormalisation.problem(withPattern: pattern) { throw fail(at + ".pattern", problem) }
            rule.pattern = pattern
        }
        rule.nhsNumber = try flag("nhs_number")
        return rule
    }
}
