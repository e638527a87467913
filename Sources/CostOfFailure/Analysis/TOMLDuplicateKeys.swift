/// The key path and first line of a key the TOML parser refused as written twice.
///
/// toml++ (under TOMLKit) rejects a redefined key or table, with the line of the second one
/// and the key as written there (`'person_id'`), but not the table it is in nor where the
/// first one is. This reads the text's table headers (`[x]`, `[[sources]]`, counted into
/// `sources[1]`) and `key = value` lines up to that line to say both. It reads lines as a
/// person writes a project file: a key inside a multi-line string can mislead it, and then
/// the message only lacks the first line.
struct TOMLDuplicateKeys {
    /// The key path (`sources[1].columns`) and the line of the key's first occurrence, when found.
    var keyPath: String?
    /// The line the key was first set on, when found.
    var firstLine: Int?

    /// What the parser's `message` about `line` of `text` refers to, or `nil` when the message
    /// is not about a key written twice.
    static func find(in text: String, atLine line: Int, message: String) -> TOMLDuplicateKeys? {
        guard message.contains("cannot redefine existing") else { return nil }
        // The key as the parser quotes it: `... 'columns.person_id'`.
        let quoted = message.split(separator: "'", omittingEmptySubsequences: false).dropFirst().first.map { normalise(String($0)) }
        var table = "", arrayCounts: [String: Int] = [:]
        var firstSeen: [String: Int] = [:]
        var inMultiline = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let trimmed = raw.drop { $0 == " " || $0 == "\t" }
            if raw.components(separatedBy: "\"\"\"").count % 2 == 0 || raw.components(separatedBy: "'''").count % 2 == 0 {
                let wasIn = inMultiline
                inMultiline.toggle()
                if wasIn { continue }
            } else if inMultiline {
                continue
            }
            if trimmed.hasPrefix("#") || trimmed.isEmpty { continue }
            var path: String
            if trimmed.hasPrefix("[[") {
                let name = normalise(String(trimmed.dropFirst(2).prefix { $0 != "]" }))
                let count = arrayCounts[name, default: 0]
                arrayCounts[name] = count + 1
                table = "\(name)[\(count)]"
                path = name
                if number == line { return TOMLDuplicateKeys(keyPath: name, firstLine: firstSeen[name]) }
            } else if trimmed.hasPrefix("[") {
                let name = normalise(String(trimmed.dropFirst().prefix { $0 != "]" }))
                table = name
                path = name
            } else if let equals = trimmed.firstIndex(of: "=") {
                let key = normalise(String(trimmed[..<equals]))
                path = table.isEmpty ? key : table + "." + key
                if number == line, let quoted, quoted != key, !quoted.isEmpty {
                    // A key inside an inline table on this line (`x = { a = 1, a = 2 }`).
                    return TOMLDuplicateKeys(keyPath: path + "." + quoted, firstLine: line)
                }
            } else {
                continue
            }
            if number == line { return TOMLDuplicateKeys(keyPath: path, firstLine: firstSeen[path]) }
            if firstSeen[path] == nil { firstSeen[path] = number }
        }
        return TOMLDuplicateKeys(keyPath: quoted, firstLine: nil)
    }

    /// A key as written (`"a" . b `) as a key path (`a.b`).
    private static func normalise(_ key: String) -> String {
        key.split(separator: ".").map { part in
            var text = part.trimmingCharacters(in: " \t")
            if text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first {
                text = String(text.dropFirst().dropLast())
            }
            return text
        }.joined(separator: ".")
    }
}

private extension Substring {
    /// The text without leading and trailing characters in `set`.
    func trimmingCharacters(in set: String) -> String {
        String(self.drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
