/// Bytes as lowercase hexadecimal digits (digests and pseudonyms).
enum HexDigits {
    private static let digits = Array("0123456789abcdef")

    /// Two digits a byte, most significant first.
    static func lowercase<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out = ""
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return out
    }
}
