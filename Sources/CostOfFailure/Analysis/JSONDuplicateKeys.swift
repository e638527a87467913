/// Finds a key written twice in one object of a JSON text, which `JSONSerialization` silently
/// resolves to the last value (a project file's second `"before"` would win without a word).
///
/// A single forward scan over the bytes, with a stack of the objects and arrays it is inside:
/// strings are read with their escapes decoded (so `"a"` and `"\u0061"` are one key, as the
/// parser sees them) and compared as Swift strings (as the parser's dictionary compares them);
/// a key's text inside a string value is not a key. Meant for text the JSON parser accepted;
/// on anything else it stops quietly without a finding.
struct JSONDuplicateKeys {
    /// One step of a key path: an object's key or an array's index.
    enum Step: Equatable {
        case key(String)
        case index(Int)
    }

    /// A key written twice in one object.
    struct Duplicate: Equatable {
        /// The steps down to the key, the key last.
        var path: [Step]
        /// The 1-based line of the key's first occurrence.
        var firstLine: Int
        /// The 1-based line of its second occurrence.
        var line: Int
    }

    /// An object or array being read: the keys seen so far with their lines, and the key or
    /// index of the value being read now.
    private enum Frame {
        case object(keys: [String: Int], current: String?, expectingKey: Bool)
        case array(index: Int)
    }

    /// The first key written twice in one object of `text` (in the order of the text), or `nil`.
    static func first(in text: some Collection<UInt8>) -> Duplicate? {
        let bytes = Array(text)
        var stack: [Frame] = []
        var line = 1
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\n"):
                line += 1
            case UInt8(ascii: "{"):
                stack.append(.object(keys: [:], current: nil, expectingKey: true))
            case UInt8(ascii: "["):
                stack.append(.array(index: 0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if stack.popLast() == nil { return nil }
            case UInt8(ascii: ","):
                switch stack.last {
                case .object(let keys, _, _): stack[stack.count - 1] = .object(keys: keys, current: nil, expectingKey: true)
                case .array(let index): stack[stack.count - 1] = .array(index: index + 1)
                case nil: return nil
                }
            case UInt8(ascii: "\""):
                let start = line
                guard let (string, end, lines) = readString(bytes, from: i + 1) else { return nil }
                line += lines
                i = end
                if case .object(var keys, _, true) = stack.last {
                    if let first = keys[string] {
                        return Duplicate(path: path(stack) + [.key(string)], firstLine: first, line: start)
                    }
                    keys[string] = start
                    stack[stack.count - 1] = .object(keys: keys, current: string, expectingKey: false)
                }
                continue
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// The steps down to the value being read in `stack`'s innermost container.
    private static func path(_ stack: [Frame]) -> [Step] {
        stack.dropLast().compactMap { frame in
            switch frame {
            case .object(_, let current, _): return current.map(Step.key)
            case .array(let index): return .index(index)
            }
        }
    }

    /// The string starting at `start` (just after its opening quote), escapes decoded; the
    /// index just after its closing quote; and the line breaks inside it. `nil` when it never
    /// ends.
    private static func readString(_ bytes: [UInt8], from start: Int) -> (String, Int, Int)? {
        var utf8: [UInt8] = []
        var lines = 0
        var i = start
        // A high surrogate waiting for its low half (`\ud83d\ude00`).
        var pendingHigh: UInt32?
        func append(_ scalar: UInt32) {
            if let high = pendingHigh {
                pendingHigh = nil
                if (0xDC00...0xDFFF).contains(scalar) {
                    append(0x10000 + ((high - 0xD800) << 10) + (scalar - 0xDC00))
                    return
                }
                utf8 += Array(String(Character(Unicode.Scalar(0xFFFD)!)).utf8)
            }
            if (0xD800...0xDBFF).contains(scalar) { pendingHigh = scalar; return }
            let value = Unicode.Scalar(scalar) ?? Unicode.Scalar(0xFFFD)!
            utf8 += Array(String(Character(value)).utf8)
        }
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                if pendingHigh != nil { pendingHigh = nil; utf8 += [0xEF, 0xBF, 0xBD] }
                return (String(decoding: utf8, as: UTF8.self), i + 1, lines)
            }
            if byte == UInt8(ascii: "\n") { lines += 1 }
            guard byte == UInt8(ascii: "\\") else {
                if pendingHigh != nil { pendingHigh = nil; utf8 += [0xEF, 0xBF, 0xBD] }
                utf8.append(byte)
                i += 1
                continue
            }
            guard i + 1 < bytes.count else { return nil }
            let escaped = bytes[i + 1]
            switch escaped {
            case UInt8(ascii: "u"):
                guard i + 6 <= bytes.count, let code = UInt32(String(decoding: bytes[i + 2..<i + 6], as: UTF8.self), radix: 16) else { return nil }
                append(code)
                i += 6
                continue
            case UInt8(ascii: "n"): append(0x0A)
            case UInt8(ascii: "t"): append(0x09)
            case UInt8(ascii: "r"): append(0x0D)
            case UInt8(ascii: "b"): append(0x08)
            case UInt8(ascii: "f"): append(0x0C)
            default: append(UInt32(escaped))  // \" \\ \/
            }
            i += 2
        }
        return nil
    }
}
