/// How many terminal columns text takes, and text broken into lines that fit a number of them.
///
/// A column is a character cell on the screen, not a byte or a Unicode scalar: `£` is two
/// bytes and one column, `é` written as `e` and a combining accent is two scalars and one
/// column, an East Asian wide character (`漢`) or an emoji is one character and two columns.
/// The widths follow Unicode's East Asian Width (wide and fullwidth ranges) and emoji
/// presentation, as terminals do; a character is measured by its first scalar. Text shown on a
/// terminal has been through ``VisibleText/terminal(_:)`` first, so no control characters are
/// measured.
public enum DisplayWidth {
    /// The columns `text` takes on a terminal.
    /// An ANSI escape sequence (`ESC [ … m`, the renderers' bold and dim) takes none: text from
    /// the data has none (``VisibleText``), so any there is the renderer's own.
    public static func of(_ text: some StringProtocol) -> Int {
        var columns = 0
        var inEscape = false
        for character in text {
            if inEscape {
                // A control sequence ends with its final byte, `@` to `~`, after the `[`.
                if character != "[", let ascii = character.asciiValue, (0x40...0x7E).contains(ascii) { inEscape = false }
                continue
            }
            if character == "\u{1B}" {
                inEscape = true
                continue
            }
            columns += of(character)
        }
        return columns
    }

    /// The columns one character takes: 2 for a wide or fullwidth character or an emoji shown as
    /// one, else 1.
    public static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        if scalar.value < 0x1100 { return 1 }   // Latin, Greek, Cyrillic, £, €: the common case, quickly
        if scalar.properties.isEmojiPresentation { return 2 }
        // An emoji written with a variation selector 16 (U+FE0F) is shown as an emoji, two wide.
        if character.unicodeScalars.contains("\u{FE0F}") && scalar.properties.isEmoji { return 2 }
        return isWide(scalar.value) ? 2 : 1
    }

    /// Whether `value` is in one of the East Asian Wide (W) or Fullwidth (F) ranges.
    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F,      // Hangul Jamo initial consonants
             0x2E80...0x303E,      // CJK radicals, Kangxi, CJK symbols and punctuation
             0x3041...0x33FF,      // Hiragana, Katakana, Bopomofo, Hangul compatibility, CJK compatibility
             0x3400...0x4DBF,      // CJK unified ideographs extension A
             0x4E00...0x9FFF,      // CJK unified ideographs
             0xA000...0xA4CF,      // Yi
             0xA960...0xA97F,      // Hangul Jamo extended A
             0xAC00...0xD7A3,      // Hangul syllables
             0xF900...0xFAFF,      // CJK compatibility ideographs
             0xFE10...0xFE19,      // vertical forms
             0xFE30...0xFE6F,      // CJK compatibility forms, small form variants
             0xFF00...0xFF60,      // fullwidth forms
             0xFFE0...0xFFE6,      // fullwidth signs
             0x1F300...0x1F64F,    // pictographs and emoticons
             0x1F900...0x1F9FF,    // supplemental symbols and pictographs
             0x20000...0x2FFFD,    // CJK extensions B to F
             0x30000...0x3FFFD:    // CJK extension G and beyond
            return true
        default:
            return false
        }
    }

    /// `text` as lines of at most `columns` columns: broken after a space, an underscore, a
    /// hyphen or a slash where it can be (a space at a break is dropped), and within a word only
    /// when the word alone is wider than a line. Every line holds at least one character, so a
    /// character wider than `columns` (a wide one in a one-column line) is the only overflow.
    /// Empty text is one empty line.
    public static func lines(_ text: String, fitting columns: Int) -> [String] {
        lines(text, fitting: columns, breakingAfter: { $0 == " " || $0 == "_" || $0 == "-" || $0 == "/" })
    }

    /// ``lines(_:fitting:)`` breaking only after the characters `breaksAfter` allows.
    private static func lines(_ text: String, fitting columns: Int, breakingAfter breaksAfter: (Character) -> Bool) -> [String] {
        let columns = max(1, columns)
        guard of(text) > columns else { return [text] }
        // Pieces that end where a line may be broken.
        var pieces: [String] = []
        var piece = ""
        for character in text {
            piece.append(character)
            if breaksAfter(character) {
                pieces.append(piece)
                piece = ""
            }
        }
        if !piece.isEmpty { pieces.append(piece) }

        var lines: [String] = []
        var line = ""
        func finish() {
            while line.hasSuffix(" ") { line.removeLast() }
            if !line.isEmpty { lines.append(line) }
            line = ""
        }
        for piece in pieces {
            if of(trimmed(line + piece)) <= columns {
                line += piece
                continue
            }
            finish()
            if of(trimmed(piece)) <= columns {
                line = piece
                continue
            }
            // A word wider than a line: cut it by columns, keep the rest for the next piece.
            for character in piece {
                if !line.isEmpty && of(line) + of(character) > columns {
                    finish()
                }
                if line.isEmpty && character == " " { continue }
                line.append(character)
            }
        }
        finish()
        return lines.isEmpty ? [""] : lines
    }

    /// `text` without its trailing spaces.
    private static func trimmed(_ text: String) -> Substring {
        var end = text.endIndex
        while end > text.startIndex, text[text.index(before: end)] == " " { end = text.index(before: end) }
        return text[..<end]
    }

    /// `text` with each line wider than `columns` wrapped at its spaces (a word wider than a
    /// line cut as ``lines(_:fitting:)`` cuts it), the lines after the first indented as the line was (and past a
    /// `- ` that begins it), so that prose beside fitted tables fits too. Lines that fit, and so
    /// every fitted table's, are left exactly as they are.
    public static func wrapped(_ text: String, fitting columns: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard of(line) > columns, !line.contains("\u{1B}") else { return String(line) }
            var indent = String(line.prefix { $0 == " " })
            let body = line.dropFirst(indent.count)
            let bullet = body.hasPrefix("- ") ? "  " : ""
            if indent.count + bullet.count > columns / 2 { indent = "" }
            // Sentences break at spaces only: `YYYY-MM-DD` or a file's path stays whole while it fits.
            let wrapped = lines(String(body), fitting: columns - indent.count - bullet.count, breakingAfter: { $0 == " " })
            return ([indent + wrapped[0]] + wrapped.dropFirst().map { indent + bullet + $0 }).joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
