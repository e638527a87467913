/// Text made safe for the XML parts of an OOXML package.
enum XMLText {
    /// Appends `text` escaped for element content or a double-quoted attribute: `&`, `<`, `>`
    /// and `"` as entities, a carriage return as `&#13;` (a parser would turn a raw one into a
    /// line feed). Characters XML 1.0 cannot carry at all (C0 controls other than tab, line
    /// feed and carriage return; U+FFFE and U+FFFF) are dropped: no reader could open the
    /// file otherwise. With `ooxmlEscapes`, an `_` that starts something shaped like OOXML's
    /// own escape `_xHHHH_` is written as `_x005F_`, so that a reader shows the text as it was
    /// instead of decoding it (ECMA-376 Part 1, 22.9.2.19, ST_Xstring).
    static func append(_ text: String, ooxmlEscapes: Bool = false, to bytes: inout [UInt8]) {
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            switch byte {
            case UInt8(ascii: "&"): bytes += "&amp;".utf8
            case UInt8(ascii: "<"): bytes += "&lt;".utf8
            case UInt8(ascii: ">"): bytes += "&gt;".utf8
            case UInt8(ascii: "\""): bytes += "&quot;".utf8
            case 0x0D: bytes += "&#13;".utf8
            case 0x09, 0x0A: bytes.append(byte)
            case ..<0x20: break
            case UInt8(ascii: "_") where ooxmlEscapes && looksLikeEscape(utf8, at: index):
                bytes += "_x005F_".utf8
            case 0xEF where index + 2 < utf8.count && utf8[index + 1] == 0xBF && (utf8[index + 2] == 0xBE || utf8[index + 2] == 0xBF):
                index += 2  // U+FFFE or U+FFFF
            default: bytes.append(byte)
            }
            index += 1
        }
    }

    /// Whether `utf8[index...]` starts with `_x`, four hex digits and `_`.
    private static func looksLikeEscape(_ utf8: [UInt8], at index: Int) -> Bool {
        guard index + 6 < utf8.count, utf8[index + 1] == UInt8(ascii: "x") || utf8[index + 1] == UInt8(ascii: "X"),
              utf8[index + 6] == UInt8(ascii: "_") else { return false }
        return utf8[(index + 2)..<(index + 6)].allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
        }
    }
}
