/// Refuses, before toml++ sees it, TOML text that toml++ 3.4 (under TOMLKit 0.6.0) asserts on
/// rather than reporting: an assertion is a trap in a debug build and undefined behaviour in a
/// release one. ProjectFileFuzzer found two such shapes within seconds — a table header whose
/// key starts with another character (`[}`) and a bare value that looks like a date-time but
/// is not one (`2024-03-30T-10:00`) — and toml++ has dozens of asserts on its input in its
/// value parser. So every table header's first key character is checked, and every bare
/// (unquoted) value must be a well-formed TOML boolean, number, date, time or date-time;
/// strings, comments, arrays and inline tables (which may span lines) are stepped through.
struct TOMLGuard {
    /// Where the first unsafe shape is (1-based line, and column in bytes) and what was expected there.
    struct Finding: Equatable {
        var line: Int
        var column: Int
        var expected: String
    }

    /// The first shape in `bytes` toml++ must not be given, or `nil`.
    static func firstUnsafe(in bytes: [UInt8]) -> Finding? {
        if let finding = firstControlCharacter(in: bytes) { return finding }
        var guardScan = TOMLGuard(bytes: bytes)
        return guardScan.scan()
    }

    /// The first control character TOML does not allow anywhere (every one but tab and line
    /// feed; a carriage return only before a line feed), or `nil`. toml++ asserts on some of
    /// them (a carriage return alone in a table header: `[ \r2`, found by ProjectFileFuzzer),
    /// so none reaches it.
    static func firstControlCharacter(in bytes: [UInt8]) -> Finding? {
        var line = 1, lineStart = 0
        for (offset, byte) in bytes.enumerated() {
            if byte == newline {
                line += 1
                lineStart = offset + 1
                continue
            }
            let allowed = byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
                || (byte == 0x0D && offset + 1 < bytes.count && bytes[offset + 1] == newline)
            if !allowed {
                return Finding(line: line, column: offset - lineStart + 1,
                               expected: "no control character here (TOML allows only tab, line feed and carriage return before line feed)")
            }
        }
        return nil
    }

    private let bytes: [UInt8]
    private var i = 0, line = 1, lineStart = 0
    /// The open arrays (`[`) and inline tables (`{`) of values.
    private var open: [UInt8] = []
    /// Whether the next token is a value (after `=`, `[` or a `,` in an array) rather than a key.
    private var expectingValue = false
    private var atStatementStart = true
    /// The dots of the key being read (`a.b.c` has two).
    private var keyDots = 0

    /// The most parts a dotted key or a table header's key may have. toml++ and the conversion
    /// of its tables recurse once a part: thousands of parts (`[a.a.a…]`, 12 KB) ran out of stack.
    static let mostKeyParts = 64

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private static func isKeyCharacter(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }

    private static let quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'"), newline = UInt8(0x0A)

    private func finding(at offset: Int, _ expected: String) -> Finding {
        Finding(line: line, column: offset - lineStart + 1, expected: expected)
    }

    private mutating func scan() -> Finding? {
        while i < bytes.count {
            let byte = bytes[i]
            if byte == Self.newline {
                line += 1; lineStart = i + 1; i += 1
                if open.isEmpty { atStatementStart = true; expectingValue = false; keyDots = 0 }
                continue
            }
            if Self.isBlank(byte) { i += 1; continue }
            if atStatementStart && open.isEmpty && byte == UInt8(ascii: "[") {
                if let finding = tableHeader() { return finding }
                continue
            }
            atStatementStart = false
            switch byte {
            case UInt8(ascii: "#"):
                while i < bytes.count, bytes[i] != Self.newline { i += 1 }
            case Self.quote, Self.apostrophe:
                string(byte)
                expectingValue = false
            case UInt8(ascii: "="):
                expectingValue = true
                keyDots = 0
                i += 1
            case UInt8(ascii: "["):
                open.append(byte)
                expectingValue = true
                i += 1
            case UInt8(ascii: "{"):
                open.append(byte)
                expectingValue = false
                keyDots = 0
                i += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                _ = open.popLast()
                expectingValue = false
                i += 1
            case UInt8(ascii: ","):
                expectingValue = open.last == UInt8(ascii: "[")
                keyDots = 0
                i += 1
            default:
                if expectingValue {
                    if let finding = bareValue() { return finding }
                    expectingValue = false
                } else {
                    if byte == UInt8(ascii: ".") {
                        keyDots += 1
                        if keyDots >= Self.mostKeyParts { return finding(at: i, "a key of at most \(Self.mostKeyParts) dotted parts") }
                    }
                    i += 1
                }
            }
        }
        return nil
    }

    /// A `[key]` or `[[key]]` header at `i`; moves to the end of its line.
    private mutating func tableHeader() -> Finding? {
        var j = i + 1
        while j < bytes.count, Self.isBlank(bytes[j]) { j += 1 }
        if j < bytes.count, bytes[j] == UInt8(ascii: "[") {
            j += 1
            while j < bytes.count, Self.isBlank(bytes[j]) { j += 1 }
        }
        if j < bytes.count, !(Self.isKeyCharacter(bytes[j]) || bytes[j] == Self.quote || bytes[j] == Self.apostrophe || bytes[j] == UInt8(ascii: "]")) {
            return finding(at: j, "a key (letters, digits, _, - or a quoted key) in a table header [key]")
        }
        // The rest of a header line holds no value; its key's dots (outside quoted parts) are counted.
        var dots = 0, quote: UInt8? = nil
        while i < bytes.count, bytes[i] != Self.newline {
            let c = bytes[i]
            if let open = quote {
                if c == open { quote = nil }
            } else if c == Self.quote || c == Self.apostrophe {
                quote = c
            } else if c == UInt8(ascii: "#") {
                while i < bytes.count, bytes[i] != Self.newline { i += 1 }
                break
            } else if c == UInt8(ascii: ".") {
                dots += 1
                if dots >= Self.mostKeyParts { return finding(at: i, "a table header of at most \(Self.mostKeyParts) dotted parts") }
            }
            i += 1
        }
        return nil
    }

    /// A string opened by `delimiter` at `i` (one-line or multi-line); moves past its end.
    private mutating func string(_ delimiter: UInt8) {
        let multiline = i + 2 < bytes.count && bytes[i + 1] == delimiter && bytes[i + 2] == delimiter
        i += multiline ? 3 : 1
        while i < bytes.count {
            let c = bytes[i]
            if c == Self.newline {
                if !multiline { return }
                line += 1; lineStart = i + 1
            }
            if c == UInt8(ascii: "\\") && delimiter == Self.quote {
                if i + 1 < bytes.count, bytes[i + 1] == Self.newline { line += 1; lineStart = i + 2 }
                i += 2
                continue
            }
            if c == delimiter {
                if !multiline { i += 1; return }
                if i + 2 < bytes.count, bytes[i + 1] == delimiter, bytes[i + 2] == delimiter {
                    i += 3
                    // Up to two more delimiters belong to the string's text.
                    var extra = 0
                    while extra < 2, i < bytes.count, bytes[i] == delimiter { i += 1; extra += 1 }
                    return
                }
            }
            i += 1
        }
    }

    /// A bare value at `i`: checked against TOML's scalars; moves past it.
    private mutating func bareValue() -> Finding? {
        let start = i
        func isTerminator(_ byte: UInt8) -> Bool {
            Self.isBlank(byte) || byte == Self.newline || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]")
                || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "#")
        }
        while i < bytes.count, !isTerminator(bytes[i]) { i += 1 }
        // A date-time may put a space between its date and its time (`2024-03-31 10:00:00`).
        if i - start == 10, i + 1 < bytes.count, bytes[i] == 0x20, (0x30...0x39).contains(bytes[i + 1]) {
            i += 1
            while i < bytes.count, !isTerminator(bytes[i]) { i += 1 }
        }
        let token = String(decoding: bytes[start..<i], as: UTF8.self)
        guard Self.isScalar(token) else {
            return finding(at: start, "a value: a \"string\", a number, true or false, a date (2024-03-31), a time or a date-time, an [array] or an { inline table }")
        }
        return nil
    }

    /// Whether `token` is a TOML boolean, integer, float, date, time or date-time.
    static func isScalar(_ token: String) -> Bool {
        token.wholeMatch(of: scalar) != nil
    }

    nonisolated(unsafe) private static let scalar: Regex<Substring> = {
        let decimal = #"(?:0|[1-9](?:_?[0-9])*)"#
        let digits = #"[0-9](?:_?[0-9])*"#
        let integer = #"[+-]?\#(decimal)|0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*|0o[0-7](?:_?[0-7])*|0b[01](?:_?[01])*"#
        let float = #"[+-]?\#(decimal)(?:\.\#(digits)(?:[eE][+-]?\#(digits))?|[eE][+-]?\#(digits))|[+-]?(?:inf|nan)"#
        let date = #"[0-9]{4}-[0-9]{2}-[0-9]{2}"#
        let time = #"[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"#
        let offset = #"(?:[Zz]|[+-][0-9]{2}:[0-9]{2})"#
        let pattern = #"(?:true|false|\#(integer)|\#(float)|\#(date)(?:[Tt ]\#(time)\#(offset)?)?|\#(time))"#
        // A pattern written here, tested by ProjectFileTOMLTests: it compiles.
        return try! Regex(pattern, as: Substring.self)
    }()
}
