/// Text made safe for the XML parts of an OOXML package.
enum XMLText {
    /// Appends `text` escaped for element content or a double-quoted attribute: `&`, `<`, `>`
    /// and `"` as entities, a carriage return as `&#13;` (a parser would turn a raw one into a
    /// line feed). The characters of ``VisibleText`` other than tab and line breaks become its
    /// visible escapes (`\x1B`, `\u{202E}`): the C0 controls XML 1.0 cannot carry at all (no
    /// reader could open the file otherwise) and U+FFFE and U+FFFF with them, and the C1
    /// controls and bidirectional overrides it can carry but a reader should not be shown raw.
    /// With `ooxmlEscapes`, an `_` that starts something shaped like OOXML's own escape
    /// `_xHHHH_` is written as `_x005F_`, so that a reader shows the text as it was instead of
    /// decoding it (ECMA-376 Part 1, 22.9.2.19, ST_Xstring). The one function every text of a
    /// workbook goes through.
    static func append(_ text: String, ooxmlEscapes: Bool = false, to bytes: inout [UInt8]) {
        let scalars = Array(text.unicodeScalars)
        var pending = ""
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "&": bytes += "&amp;".utf8
            case "<": bytes += "&lt;".utf8
            case ">": bytes += "&gt;".utf8
            case "\"": bytes += "&quot;".utf8
            case "\r": bytes += "&#13;".utf8
            case "_" where ooxmlEscapes && looksLikeEscape(scalars, at: index):
                bytes += "_x005F_".utf8
            case _ where VisibleText.isUnsafeInMarkup(scalar):
                pending.removeAll(keepingCapacity: true)
                VisibleText.appendEscape(of: scalar, to: &pending)
                bytes += pending.utf8
            default:
                if scalar.isASCII {
                    bytes.append(UInt8(scalar.value))
                } else {
                    bytes += UTF8.encode(scalar)!
                }
            }
        }
    }

    /// `text` as a workbook cell will show it: the visible escapes of ``append(_:ooxmlEscapes:to:)``
    /// applied (the XML entities and `_x005F_` are undone by the reader, so they do not count).
    static func shown(_ text: String) -> String {
        VisibleText.markup(text)
    }

    /// Whether `scalars[index...]` starts with `_x`, four hex digits and `_`.
    private static func looksLikeEscape(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + 6 < scalars.count, scalars[index + 1] == "x" || scalars[index + 1] == "X",
              scalars[index + 6] == "_" else { return false }
        return scalars[(index + 2)..<(index + 6)].allSatisfy { $0.properties.isASCIIHexDigit }
    }
}
