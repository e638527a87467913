#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte inside an ID or a name that would make it another person, service or event while it
/// reads the same: a NUL (0x00), or a UTF-8 byte-order mark (EF BB BF) that is not the file's
/// first three bytes (files joined end to end, a cell pasted from a BOM-prefixed export).
///
/// Such a row is a bad row (``IngestError/Kind/nulByte``, ``IngestError/Kind/byteOrderMark``),
/// rejected like any other under the reject policy. The test is made only on text the
/// dictionaries do not already hold (a name or ID seen for the first time, which a rejected row
/// never adds), so a file's repeated values cost nothing: one `memchr` for the NUL, and a scan
/// for 0xEF only when the field has a byte of 0x80 or more.
enum StrayMark {
    /// The first stray mark in `field` and its offset, or `nil`.
    static func first(in field: UnsafeRawBufferPointer) -> (kind: IngestError.Kind, offset: Int)? {
        guard let base = field.baseAddress, field.count > 0 else { return nil }
        // Sound: memchr reads the field's `count` bytes and returns a pointer inside them or nil.
        if let nul = memchr(base, 0, field.count) {
            return (.nulByte, base.distance(to: UnsafeRawPointer(nul)))
        }
        guard !FieldDecoder.isASCII(field), field.count >= 3 else { return nil }
        var i = 0
        while i + 2 < field.count {
            if field[i] == 0xEF, field[i + 1] == 0xBB, field[i + 2] == 0xBF { return (.byteOrderMark, i) }
            i += 1
        }
        return nil
    }

    /// What a message says of a stray mark of `kind` at `offset` in the field.
    static func detail(_ kind: IngestError.Kind, offset: Int) -> String {
        if kind == .nulByte {
            return "NUL byte at byte \(offset + 1) of the field: expected text with no NUL (0x00) bytes (the row would otherwise name another person, service or event)"
        }
        return "byte-order mark (EF BB BF) at byte \(offset + 1) of the field: expected one only at the start of the file (files joined end to end? give each as its own source)"
    }
}
