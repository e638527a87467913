/// Finds the engine's columns in a file's header row by name, in any order, ignoring extras.
///
/// Names match after trimming spaces and ignoring ASCII case (`Person_ID` finds `person_id`).
struct HeaderMap {
    /// The header cells as the file spells them.
    let names: [String]
    /// For each wanted column (in the order asked), its position in the file, or `nil`.
    let positions: [Int?]

    /// Maps `wanted` columns onto the header record `header` of `file`. With `showValues`,
    /// a message about a first row that looks like data (a file without a header row) quotes
    /// its cells; without, it gives only their count (the cells are personal data).
    ///
    /// - Throws: ``IngestError/Kind/duplicateHeader`` when two header cells share a name, and
    ///   ``IngestError/Kind/missingColumn`` when a column in `required` is absent.
    init(header: [String], wanted: [String], required: Set<String>, file: String, line: Int, showValues: Bool = false) throws(IngestError) {
        names = header
        let normalised = header.map(HeaderMap.normalise)
        var seen: [String: Int] = [:]
        for (index, name) in normalised.enumerated() where !name.isEmpty {
            if let first = seen[name] {
                guard !HeaderMap.looksLikeData(header) else {
                    // Two equal cells of a data row (a service and an event both "Police") are not
                    // column names: say what the row looks like, not what it holds.
                    throw IngestError(file: file, line: line, record: 1, kind: .duplicateHeader,
                                      detail: "duplicate header: columns \(first + 1) and \(index + 1) are the same; \(HeaderMap.describe(header, wanted: wanted, showValues: showValues))")
                }
                throw IngestError(file: file, line: line, record: 1, column: header[index], kind: .duplicateHeader,
                                  detail: "duplicate header: columns \(first + 1) and \(index + 1) are both named '\(name)'; expected unique column names")
            }
            seen[name] = index
        }
        positions = wanted.map { seen[HeaderMap.normalise($0)] }
        for (index, name) in wanted.enumerated() where positions[index] == nil && required.contains(name) {
            throw IngestError(file: file, line: line, record: 1, column: name, kind: .missingColumn,
                              detail: "missing column: expected a column named '\(name)' in the header; \(HeaderMap.describe(header, wanted: wanted, showValues: showValues))")
        }
    }

    /// Finds the engine's `columns` (by engine name, in order) in the header record `header`
    /// of `file` under the names `mapping` gives them: the one rule every input's header is
    /// read by (event sources and the other tables alike). Columns the project renames are
    /// placed first, so a column found by its own name never takes a cell the project gave to
    /// another (each cell feeds one column); an optional column whose name is so taken is
    /// absent. `positions` is in the order of `columns`.
    ///
    /// - Throws: ``IngestError/Kind/duplicateHeader`` when two header cells share a name,
    ///   ``IngestError/Kind/unknownColumn`` when a renamed column is not in the header (naming
    ///   the project's key path, `interventions.columns.person_id`),
    ///   ``IngestError/Kind/ambiguousColumn`` when two columns would read one cell, and
    ///   ``IngestError/Kind/missingColumn`` when a column in `required` is absent.
    init(header: [String], columns: [String], required: Set<String>, mapping: InputMapping,
         file: String, line: Int, showValues: Bool) throws(IngestError) {
        let names = columns.map(mapping.headerName(of:))
        let found = try HeaderMap(header: header, wanted: names, required: [], file: file, line: line, showValues: showValues)
        var positions = [Int?](repeating: nil, count: columns.count)
        var claimedBy: [Int: String] = [:]
        let ordered = columns.indices.filter { mapping.columns[columns[$0]] != nil } + columns.indices.filter { mapping.columns[columns[$0]] == nil }
        for index in ordered {
            let column = columns[index], name = names[index], isMapped = mapping.columns[column] != nil
            guard let position = found.positions[index] else {
                if isMapped {
                    let at = mapping.keyPath(of: column).map { " (\($0))" } ?? ""
                    throw IngestError(file: file, line: line, record: 1, column: name, kind: .unknownColumn,
                                      detail: "unknown column: the project maps \(column) to '\(name)'\(at), which is not in the header; \(HeaderMap.describe(header, wanted: names, showValues: showValues))")
                }
                if required.contains(column) {
                    throw IngestError(file: file, line: line, record: 1, column: name, kind: .missingColumn,
                                      detail: "missing column: expected a column named '\(name)' in the header; \(HeaderMap.describe(header, wanted: names, showValues: showValues))")
                }
                continue
            }
            if let other = claimedBy[position] {
                if isMapped {
                    throw IngestError(file: file, line: line, record: 1, column: name, kind: .ambiguousColumn,
                                      detail: "ambiguous column: the project maps both \(other) and \(column) to '\(name)'; expected one column each")
                }
                if !required.contains(column) { continue }  // optional: not in this file
                throw IngestError(file: file, line: line, record: 1, column: name, kind: .ambiguousColumn,
                                  detail: "ambiguous column: '\(name)' is mapped to \(other) by the project, so there is no column for \(column); expected the project to map \(column) too")
            }
            positions[index] = position
            claimedBy[position] = column
        }
        self.names = header
        self.positions = positions
    }

    /// What the header holds, for a message that follows `expected a column named ...;`: its
    /// names (`found 'a', 'b'`), unless the first line looks like data (a file with no header
    /// row), whose cells are not echoed unless `showValues`: then it says so, gives the number
    /// of fields and the columns expected (`wanted`, in order).
    static func describe(_ header: [String], wanted: [String], showValues: Bool) -> String {
        guard looksLikeData(header) else {
            return "found " + listed(header)
        }
        let shown = showValues ? ": " + listed(header) : ""
        let hint = showValues ? "" : "; give --show-values to see it"
        return "the first row does not look like a header (\(header.count) fields)\(shown); expected columns: \(wanted.joined(separator: ", "))\(hint)"
    }

    /// The most fields a header row may have (a line of delimiters is refused, not kept).
    public static let mostColumns = 4_096
    /// The most names a message lists.
    static let mostListed = 20

    /// `names` quoted for a message: the first ``mostListed``, then how many more.
    static func listed(_ names: [String]) -> String {
        let shown = names.prefix(mostListed).map { "'\($0)'" }.joined(separator: ", ")
        return names.count > mostListed ? shown + " and \(names.count - mostListed) more" : shown
    }

    /// Whether a first record is probably data rather than column names: a cell reads as a
    /// date or an amount, holds four digits or more, an `@` or a control character, or is
    /// longer than a column name would be (64 characters). Column names of a real header are
    /// not personal data; a data row is.
    static func looksLikeData(_ header: [String]) -> Bool {
        header.contains { cell in
            var bytes = Array(cell.utf8)
            return bytes.withUnsafeMutableBytes { raw in
                let field = UnsafeRawBufferPointer(raw)
                return FieldDecoder.date(field) != nil || FieldDecoder.money(field) != nil
            } || cell.filter(\.isNumber).count >= 4 || cell.count > 64
                || cell.unicodeScalars.contains { $0 == "@" || $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
        }
    }

    static func normalise(_ name: String) -> String {
        name.trimmingSpaces.lowercased()
    }
}
