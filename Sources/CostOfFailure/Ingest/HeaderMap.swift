/// Finds the engine's columns in a file's header row by name, in any order, ignoring extras.
///
/// Names match after trimming spaces and ignoring ASCII case (`Person_ID` finds `person_id`).
struct HeaderMap {
    /// The header cells as the file spells them.
    let names: [String]
    /// For each wanted column (in the order asked), its position in the file, or `nil`.
    let positions: [Int?]

    /// Maps `wanted` columns onto the header record `header` of `file`.
    ///
    /// - Throws: ``IngestError/Kind/duplicateHeader`` when two header cells share a name, and
    ///   ``IngestError/Kind/missingColumn`` when a column in `required` is absent.
    init(header: [String], wanted: [String], required: Set<String>, file: String, line: Int) throws(IngestError) {
        names = header
        let normalised = header.map(HeaderMap.normalise)
        var seen: [String: Int] = [:]
        for (index, name) in normalised.enumerated() where !name.isEmpty {
            if let first = seen[name] {
                throw IngestError(file: file, line: line, record: 1, column: header[index], kind: .duplicateHeader,
                                  detail: "duplicate header: columns \(first + 1) and \(index + 1) are both named '\(name)'; expected unique column names")
            }
            seen[name] = index
        }
        positions = wanted.map { seen[HeaderMap.normalise($0)] }
        for (index, name) in wanted.enumerated() where positions[index] == nil && required.contains(name) {
            throw IngestError(file: file, line: line, record: 1, column: name, kind: .missingColumn,
                              detail: "missing column: expected a column named '\(name)' in the header; found \(HeaderMap.describe(header))")
        }
    }

    /// The header's names for a message, unless the first line looks like data (a file with no
    /// header row), whose cells must not be echoed.
    static func describe(_ header: [String]) -> String {
        let looksLikeData = header.contains { cell in
            var bytes = Array(cell.utf8)
            return bytes.withUnsafeMutableBytes { raw in
                let field = UnsafeRawBufferPointer(raw)
                return FieldDecoder.date(field) != nil || FieldDecoder.money(field) != nil
            } || cell.filter(\.isNumber).count >= 4
        }
        if looksLikeData {
            return "\(header.count) cells that look like data, not names (a file without a header row?)"
        }
        return header.map { "'\($0)'" }.joined(separator: ", ")
    }

    static func normalise(_ name: String) -> String {
        name.trimmingSpaces.lowercased()
    }
}
