import Foundation
// Implementation-only, not `internal import`: TOMLKit makes String, Array and Dictionary
// conform to its TOMLValueConvertible and gives every conformer a `subscript(key: String)`;
// loaded by this module's clients (as an internal import of a non-resilient module still is),
// that subscript won over Dictionary's own in `cof`'s and the tests' code (`[String: String]`
// assignments became no-ops: ExitCodeTests caught it). No TOMLKit type appears in any
// declaration here, only inside function bodies, so no client needs its layout. (Enabling
// MemberImportVisibility for every target with an `internal import` instead does not keep the
// subscript out of the tests: ExitCodeTests fails the same way.)
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
        // Shapes toml++ asserts on instead of reporting them (see TOMLGuard).
        if let unsafe = TOMLGuard.firstUnsafe(in: bytes) {
            throw fail(nil, "not valid TOML (read as TOML: the name ends in .toml) at line \(unsafe.line), column \(unsafe.column): expected \(unsafe.expected)")
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
