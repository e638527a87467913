/// A compression an input may come in, told by its first bytes (not by its name: an extract
/// called `.csv` may be gzip, and a `.gz` may be plain text).
public enum CompressionFormat: String, Sendable, Hashable {
    /// gzip (RFC 1952), one member or several concatenated (as `cat a.gz b.gz` makes).
    case gzip
    /// Zstandard (RFC 8878), one frame or several.
    case zstd

    /// The bytes a stream must start with to be read as compressed (see ``init(magic:)``).
    static let magicLength = 4

    /// The format whose magic number `bytes` starts with: 1f 8b (gzip), 28 b5 2f fd (zstd), or
    /// a zstd skippable frame, 5x 2a 4d 18 (what `pzstd` writes first); `nil` for anything else
    /// (read as plain text: no text starts with those control bytes).
    init?(magic bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(Self.magicLength))
        if head.starts(with: [0x1F, 0x8B]) {
            self = .gzip
        } else if head.starts(with: [0x28, 0xB5, 0x2F, 0xFD])
                    || (head.count == 4 && head[0] & 0xF0 == 0x50 && head[1] == 0x2A && head[2] == 0x4D && head[3] == 0x18) {
            self = .zstd
        } else {
            return nil
        }
    }
}
