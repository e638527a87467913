/// Text from the data made harmless to show: every character that would act on a reader's
/// screen instead of being read is replaced by a visible escape.
///
/// The characters are C0 controls and DEL (ESC starts a terminal escape sequence, `ESC[2J`
/// clears the screen; NUL and most C0 controls are not allowed in XML 1.0), C1 controls (U+0080
/// to U+009F: U+009B is CSI, a one-character ESC `[`), the bidirectional embeddings, overrides,
/// isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C: they reorder
/// what follows, so `P1<U+202E>321` reads as another ID — "Trojan Source"), the line and
/// paragraph separators U+2028 and U+2029, the byte-order mark U+FEFF and the noncharacters
/// U+FFFE and U+FFFF (illegal in XML 1.0). A Swift `String` holds no lone surrogate.
///
/// One scheme everywhere: `\x1B` (two hex digits) for a character up to U+00FF, `\u{202E}`
/// (four) above it. It is the same in the terminal, the HTML report and the workbook, so that
/// what a reader sees in one can be searched for in another. A backslash in the data is left
/// as it is: the escape is for a person's eyes, and names with a backslash (`DOMAIN\user`) stay
/// readable. CSV keeps the data's bytes (a file for programs) and JSON writes the same
/// characters as `\uXXXX`, which keeps the value exact.
public enum VisibleText {
    /// Whether `scalar` is one of the characters that are shown as an escape.
    @inlinable
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 || (0x7F...0x9F).contains(value) { return true }
        if value < 0x061C { return false }
        switch value {
        case 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069, 0xFEFF, 0xFFFE, 0xFFFF: return true
        default: return false
        }
    }

    /// Appends the visible escape of `scalar`: `\x1B`, or `\u{202E}` above U+00FF.
    public static func appendEscape(of scalar: Unicode.Scalar, to text: inout String) {
        let value = scalar.value
        let hex = String(value, radix: 16, uppercase: true)
        let width = value <= 0xFF ? 2 : 4
        let digits = String(repeating: "0", count: max(0, width - hex.count)) + hex
        text += value <= 0xFF ? "\\x" + digits : "\\u{" + digits + "}"
    }

    /// `text` for a terminal line or a plain-text message: every unsafe character escaped, tab
    /// and line breaks included (one cell or one message stays one line). Text with none is
    /// returned as it is, after one pass over its bytes.
    public static func terminal(_ text: String) -> String {
        escaping(text) { isUnsafe($0) }
    }

    /// `text` for markup (HTML, XML): as ``terminal(_:)``, but tab, line feed and carriage
    /// return stay, since markup treats them as white space. Not escaped for markup: the HTML
    /// and XML writers do that in the same pass (see `HTMLRenderer.escape` and `XMLText`).
    static func markup(_ text: String) -> String {
        escaping(text) { isUnsafeInMarkup($0) }
    }

    /// Whether `scalar` is escaped in markup: ``isUnsafe(_:)`` less tab, line feed and
    /// carriage return.
    @inlinable
    static func isUnsafeInMarkup(_ scalar: Unicode.Scalar) -> Bool {
        isUnsafe(scalar) && scalar != "\t" && scalar != "\n" && scalar != "\r"
    }

    /// `text` with every scalar `unsafe` says is unsafe escaped.
    private static func escaping(_ text: String, _ unsafe: (Unicode.Scalar) -> Bool) -> String {
        guard mayHoldUnsafe(text) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if unsafe(scalar) { appendEscape(of: scalar, to: &out) } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// Whether `text` has a byte below 0x20, DEL, or any non-ASCII byte (every unsafe character
    /// is one of these): `false` proves the text clean without decoding it.
    static func mayHoldUnsafe(_ text: String) -> Bool {
        text.utf8.contains { $0 < 0x20 || $0 >= 0x7F }
    }
}
