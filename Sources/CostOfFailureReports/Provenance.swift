#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CostOfFailure
import Crypto

/// Where a report's figures come from, as ordered (name, value) entries: the engine's version,
/// every input file with its SHA-256 and what was read from it, the parameters, the prices and
/// the deflator, and the sources and licences of the unit costs. The HTML report's footer shows
/// it; a spreadsheet's cover sheet can list the same entries.
public struct Provenance: Sendable {
    /// The entries, in the order they were added.
    public private(set) var entries: [(name: String, value: String)] = []

    /// An empty provenance.
    public init() {}

    /// Adds an entry.
    public mutating func add(_ name: String, _ value: String) {
        entries.append((name, value))
    }

    /// Adds an input: its name as given, its SHA-256 and, when given, what was read from it
    /// (a reconciliation, a row count). Standard input cannot be read twice, so it is not hashed.
    /// A file among `hashes`' is taken from them (the same hash, worked out earlier).
    public mutating func addInput(_ name: String, _ source: InputSource, rows: String? = nil, hashes: InputHashes? = nil) {
        var value = source.displayName
        switch source {
        case .file(let path) where path == "-":
            value += " (not hashed: read once from standard input)"
        case .file(let path):
            if let hash = hashes.map({ $0.sha256(file: path) }) ?? Self.sha256(file: path) {
                value += "; SHA-256 \(hash)"
            } else {
                value += Self.isStreamed(path) ? " (not hashed: read once from a pipe or device)" : " (could not be read again to hash)"
            }
        case .bytes(_, let bytes, _):
            value += "; SHA-256 \(HexDigits.lowercase(SHA256.hash(data: bytes)))"
        }
        if let rows { value += "; \(rows)" }
        add(name, value)
    }

    /// Adds one entry per licence of the unit costs in `table`, each naming how many figures are
    /// under it and their sources (in the table's order); figures that state no licence or
    /// source say so.
    public mutating func addUnitCostSources(_ table: UnitCostTable) {
        var licences: [String] = []
        var byLicence: [String: (figures: Int, sources: [String])] = [:]
        for entry in table.entries {
            let licence = entry.licence.flatMap { $0.isEmpty ? nil : $0 } ?? "no licence stated"
            if byLicence[licence] == nil { licences.append(licence) }
            var group = byLicence[licence] ?? (0, [])
            group.figures += 1
            let source = entry.source.flatMap { $0.isEmpty ? nil : $0 } ?? "no source stated"
            if !group.sources.contains(source) { group.sources.append(source) }
            byLicence[licence] = group
        }
        for licence in licences {
            let group = byLicence[licence]!
            add("unit costs under \(licence)", "\(group.figures) figure\(group.figures == 1 ? "" : "s") from: \(group.sources.joined(separator: "; "))")
        }
    }

    /// Whether `path` names something that is there but is not a regular file (following
    /// links): a pipe or a device, whose bytes the study's read took.
    private static func isStreamed(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG
    }

    /// The SHA-256 of the file at `path` as 64 lowercase hex digits, read in 64 KiB blocks;
    /// `nil` when it cannot be read, or is not a regular file: a pipe read again after the study
    /// read it gives nothing (its hash would be that of no bytes at all), and is not opened at
    /// all (see ``ReadDigest/hashAhead(file:)``: opening it lets a waiting writer start).
    public static func sha256(file path: String) -> String? {
        guard ReadDigest.isRegularFile(path: path) else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { _ = close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
        return HexDigits.lowercase(hasher.finalize())
    }
}
