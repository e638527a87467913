import Foundation
// Implementation-only, not `internal import`: TOMLKit makes String, Array and Dictionary
// conform to its TOMLValueConvertible and gives every conformer a `subscript(key: String)`;
// loaded by this module's clients (as an internal import of a non-resilient module still is),
// that subscript won over Dictionary's own in `cof`'s and the tests' code (`[String: String]`
// assignments became no-ops: ExitCodeTests caught it). No TOMLKit type appears in any
// declaration here, only inside function bodies, so no client needs its layout.
@_implementationOnly import TOMLKit

/// A project file written as TOML (`cof.toml`), the way people write project files by hand:
///
/// ```toml
/// interventions = { file = "interventions.csv", columns = { person_id = "Client Ref", start_date = "Referral Date" }, date_format = "DD/MM/YYYY" }
/// before = "6m"
/// after = "12m"
/// observation_end = 2024-03-31
///
/// [[sources]]
/// file = "agencies/ed.csv"
/// service = "A&E"
/// columns = { person_id = "NHS Number", date = "Arrival Date" }
/// ```
extension ProjectFile {
    /// The TOML text's top-level table as the tree the JSON parser would give (objects, lists,
    /// strings, integers, numbers, booleans), so that one set of rules reads both formats.
    /// TOML's dates become `YYYY-MM-DD` text, as a JSON project writes them; a date-time is its
    /// day (the engine counts civil days), a time of day its `HH:MM:SS` text.
    static func tomlRoot(_ data: Data, path: String, showValues: Bool) throws(Failure) -> [String: Any] {
        func fail(_ key: String?, _ detail: String) -> Failure { Failure(file: path, keyPath: key, detail: detail) }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        // Checked here: the parser reads a C string, which would end at a NUL, and its message
        // for other bytes would not say where.
        var line = 1, lineStart = 0
        for (offset, byte) in bytes.enumerated() where byte == 0 || byte == 0x0A {
            if byte == 0x0A { line += 1; lineStart = offset + 1; continue }
            throw fail(nil, "not valid TOML (read as TOML: the name ends in .toml): a NUL byte at line \(line), column \(offset - lineStart + 1); expected text")
        }
        // toml++ 3.4 asserts (a trap in a debug build, undefined behaviour in a release build)
        // on a table header whose key starts with anything but a key character: refused here.
        if let (line, column) = firstBadTableHeader(in: bytes) {
            throw fail(nil, "not valid TOML (read as TOML: the name ends in .toml) at line \(line), column \(column): expected a key (letters, digits, _, - or a quoted key) in a table header [key]")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = bytes.withUnsafeBytes { TextEncoding.firstInvalidUTF8($0) } ?? 0
            let line = bytes[..<offset].count { $0 == 0x0A } + 1
            throw fail(nil, "not valid TOML (read as TOML: the name ends in .toml): invalid UTF-8 at line \(line); expected UTF-8 text")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let position = error.source.begin
            if let duplicate = TOMLDuplicateKeys.find(in: text, atLine: position.line, message: error.description) {
                throw fail(duplicate.keyPath.map { keyPath(steps(of: $0), showValues: showValues) },
                           "duplicate key on line \(position.line)" + (duplicate.firstLine.map { ", already set on line \($0)" } ?? "")
                           + "; expected each key once in a table")
            }
            let explanation = showValues ? error.description : withoutQuotes(error.description)
            throw fail(nil, "not valid TOML (read as TOML: the name ends in .toml) at line \(position.line), column \(position.column): \(explanation)")
        } catch {
            throw fail(nil, "not valid TOML (read as TOML: the name ends in .toml): \(error)")
        }
        return object(table)
    }

    /// The line and column (of bytes, 1-based) of the first table header (`[` or `[[` starting
    /// a statement) whose key does not start with a key character or a quote, skipping strings,
    /// comments and the brackets of values (arrays and inline tables, which may span lines).
    static func firstBadTableHeader(in bytes: [UInt8]) -> (Int, Int)? {
        func isKeyStart(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
                || byte == UInt8(ascii: "]")
        }
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
        let quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'"), newline = UInt8(0x0A)
        var i = 0, line = 1, lineStart = 0, depth = 0
        var atStatementStart = true
        while i < bytes.count {
            let byte = bytes[i]
            if byte == newline {
                line += 1; lineStart = i + 1; i += 1
                if depth == 0 { atStatementStart = true }
                continue
            }
            if isBlank(byte) { i += 1; continue }
            if atStatementStart && depth == 0 && byte == UInt8(ascii: "[") {
                var j = i + 1
                while j < bytes.count, isBlank(bytes[j]) { j += 1 }
                if j < bytes.count, bytes[j] == UInt8(ascii: "[") {
                    j += 1
                    while j < bytes.count, isBlank(bytes[j]) { j += 1 }
                }
                if j < bytes.count, !isKeyStart(bytes[j]) { return (line, j - lineStart + 1) }
                // The rest of a header line holds no value: on to the next line.
                while i < bytes.count, bytes[i] != newline { i += 1 }
                continue
            }
            atStatementStart = false
            switch byte {
            case UInt8(ascii: "#"):
                while i < bytes.count, bytes[i] != newline { i += 1 }
                continue
            case quote, apostrophe:
                let multiline = i + 2 < bytes.count && bytes[i + 1] == byte && bytes[i + 2] == byte
                i += multiline ? 3 : 1
                while i < bytes.count {
                    let c = bytes[i]
                    if c == newline {
                        if !multiline { break }
                        line += 1; lineStart = i + 1
                    }
                    if c == UInt8(ascii: "\\") && byte == quote {
                        if i + 1 < bytes.count, bytes[i + 1] == newline { line += 1; lineStart = i + 2 }
                        i += 2
                        continue
                    }
                    if c == byte {
                        if !multiline { i += 1; break }
                        if i + 2 < bytes.count, bytes[i + 1] == byte, bytes[i + 2] == byte {
                            i += 3
                            // Up to two more quotes belong to the string's text.
                            var extra = 0
                            while extra < 2, i < bytes.count, bytes[i] == byte { i += 1; extra += 1 }
                            break
                        }
                    }
                    i += 1
                }
                continue
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// A key path as written (`sources[1].columns.date`) as steps, each key to be checked on its own.
    private static func steps(of keyPath: String) -> [JSONDuplicateKeys.Step] {
        keyPath.split(separator: ".", omittingEmptySubsequences: false).flatMap { part -> [JSONDuplicateKeys.Step] in
            guard part.hasSuffix("]"), let open = part.lastIndex(of: "["), let index = Int(part[part.index(after: open)..<part.index(before: part.endIndex)]) else {
                return [.key(String(part))]
            }
            return [.key(String(part[..<open])), .index(index)]
        }
    }

    /// `table` as a JSON parser's dictionary.
    private static func object(_ table: TOMLTable) -> [String: Any] {
        var object: [String: Any] = [:]
        for key in table.keys {
            if let value = table[key] { object[key] = plain(value.tomlValue) }
        }
        return object
    }

    /// `value` as the JSON parser would give it.
    private static func plain(_ value: TOMLValue) -> Any {
        switch value.type {
        case .table: return value.table.map(object) ?? [String: Any]()
        case .array: return value.array.map { array in array.map { plain($0.tomlValue) } } ?? [Any]()
        case .string: return value.string ?? ""
        case .int: return value.int ?? 0
        case .double: return value.double ?? 0
        case .bool: return value.bool ?? false
        case .date: return value.date.map(isoText) ?? ""
        case .dateTime: return value.dateTime.map { isoText($0.date) } ?? ""
        case .time:
            guard let time = value.time else { return "" }
            return [time.hour, time.minute, time.second].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
        }
    }

    /// `YYYY-MM-DD`.
    private static func isoText(_ date: TOMLDate) -> String {
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return padded(date.year, 4) + "-" + padded(date.month, 2) + "-" + padded(date.day, 2)
    }
}
