private import Crypto

/// The checksum a partial's text form carries in its `end` record: the SHA-256 of every byte
/// before that record, as `sha256:` and 64 lowercase hex digits.
///
/// The `end` record's counts catch a partial cut short; the checksum catches one that was edited
/// or damaged anywhere else (a digit changed in a row, a parameter altered, a row added with the
/// counts fixed up), which would otherwise be read as good figures. It is checked before the
/// records are read, so a damaged partial gets this one diagnosis, at the `end` record's line,
/// rather than whatever its damage happens to look like. It guards against accidents, not a
/// forger: anyone who edits a partial can compute a new SHA-256 (a keyed MAC would be needed for
/// that, and a key to share between the machines that write and merge partials).
extension BeforeAfterPartial {
    /// The prefix of the checksum field.
    static let checksumPrefix = "sha256:"

    /// `sha256:` and the SHA-256 of `body` (a partial's bytes before its `end` record) in
    /// lowercase hex: the last field of the `end` record. For tools that write partials.
    public static func checksum(ofBody body: ArraySlice<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = Array(checksumPrefix.utf8)
        out.reserveCapacity(checksumPrefix.utf8.count + 64)
        body.withUnsafeBytes { bytes in
            for byte in SHA256.hash(data: bytes) {
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Checks the checksum in the last line of `bytes` when that line is an `end` record; a
    /// partial whose last line is something else is left for the reader, which says it was cut
    /// short or has text after its end.
    ///
    /// - Throws: ``Failure/malformed(file:line:detail:)`` at the `end` record's line when it has
    ///   no checksum or one that does not match the bytes before it (never quoting either).
    static func verifyChecksum(_ bytes: [UInt8], file: String) throws(Failure) {
        guard bytes.last == 0x0A else { return }
        let lineStart = bytes[..<(bytes.count - 1)].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let fields = bytes[lineStart..<(bytes.count - 1)].split(separator: 0x09, omittingEmptySubsequences: false)
        guard let name = fields.first, name.elementsEqual("end".utf8) else { return }
        // The line number is counted only for a message.
        var line: Int { bytes[..<lineStart].count(where: { $0 == 0x0A }) + 1 }
        guard fields.count == 4, fields[3].starts(with: checksumPrefix.utf8) else {
            throw .malformed(file: file, line: line, detail: "the end record has no checksum: expected 'end', the people, the rows and sha256:<64 hex digits> (a partial of this version is written with one; was it edited?)")
        }
        guard fields[3].elementsEqual(checksum(ofBody: bytes[..<lineStart]).utf8) else {
            throw .malformed(file: file, line: line, detail: "the partial's checksum does not match its content: the file was edited or damaged")
        }
    }
}
