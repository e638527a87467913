import Foundation

/// Applies a ``PersonIDNormalisation`` to ID fields as they are read: trims, removes and folds
/// case on the bytes into a buffer the caller reuses (nothing allocated per ID once it has
/// grown), and only with a ``PersonIDNormalisation/pattern`` makes a `String` for the
/// regular expression.
struct PersonIDNormaliser {
    /// Why an ID was refused: the kind and a reason that quotes nothing of the ID.
    struct Failure: Error, Equatable {
        var kind: IngestError.Kind
        var detail: String
    }

    let rule: PersonIDNormalisation
    /// Bytes of the file are Windows-1252 (a no-break space is A0; the pattern reads each byte
    /// as one character, which keeps the bytes as they are).
    private let windows1252: Bool
    private let expression: NSRegularExpression?
    /// Removed bytes, as a 256-entry table.
    private let removes: [Bool]
    private let removesSpaces: Bool

    /// A normaliser for `rule` on fields of a file in `encoding`. The rule's pattern must be
    /// usable (see ``PersonIDNormalisation/problem(withPattern:)``; the project file checks it).
    init(_ rule: PersonIDNormalisation, encoding: TextEncoding = .utf8) {
        self.rule = rule
        windows1252 = encoding == .windows1252
        expression = rule.pattern.flatMap { try? NSRegularExpression(pattern: $0) }
        var removes = [Bool](repeating: false, count: 256)
        for byte in rule.remove { removes[Int(byte)] = true }
        removesSpaces = rule.remove.contains(0x20)
        if removesSpaces { removes[0x09] = true }
        self.removes = removes
    }

    /// Normalises `field` into `output` (emptied first), or throws why the ID is refused.
    func normalise(_ field: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(Failure) {
        output.removeAll(keepingCapacity: true)
        var value = StringDictionary.trim(field)
        if rule.trim { value = trimmedWhitespace(value) }
        var i = 0
        while i < value.count {
            let byte = value[i]
            if removes[Int(byte)] {
                i += 1
                continue
            }
            if removesSpaces, let width = noBreakSpaceWidth(value, at: i) {
                i += width
                continue
            }
            switch rule.letterCase {
            case .upper? where byte >= 0x61 && byte <= 0x7A: output.append(byte - 0x20)
            case .lower? where byte >= 0x41 && byte <= 0x5A: output.append(byte + 0x20)
            default: output.append(byte)
            }
            i += 1
        }
        if let expression { try extract(expression, from: &output) }
        if output.isEmpty {
            throw Failure(kind: .missingValue, detail: "missing value: the person ID is empty once normalised as the project file says; expected an ID in every row")
        }
        if rule.nhsNumber, let problem = output.withUnsafeBytes({ NHSNumber.problem($0) }) {
            throw Failure(kind: .badNHSNumber, detail: problem + " (after the source's person_id normalisation)")
        }
    }

    /// Replaces `output` by what the pattern's capture group matched at its first match.
    private func extract(_ expression: NSRegularExpression, from output: inout [UInt8]) throws(Failure) {
        let text: String
        if windows1252 {
            // Each byte as the character of that number: the match's characters map back to
            // the same bytes, so the ID is transcoded later like any other.
            text = String(String.UnicodeScalarView(output.map { Unicode.Scalar($0) }))
        } else {
            // Invalid UTF-8 is left as it is, for the encoding check to report.
            if output.withUnsafeBytes({ TextEncoding.firstInvalidUTF8($0) }) != nil { return }
            text = String(decoding: output, as: UTF8.self)
        }
        let whole = NSRange(text.startIndex..., in: text)
        guard let match = expression.firstMatch(in: text, range: whole), match.range(at: 1).location != NSNotFound,
              let range = Range(match.range(at: 1), in: text) else {
            throw Failure(kind: .idPatternMiss, detail: "person ID does not match the source's person_id pattern; expected an ID the pattern's capture group can take")
        }
        let captured = text[range]
        output.removeAll(keepingCapacity: true)
        if windows1252 {
            output.append(contentsOf: captured.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        } else {
            output.append(contentsOf: captured.utf8)
        }
    }

    /// The length of a no-break space at `i` (C2 A0 in UTF-8, A0 in Windows-1252), or `nil`.
    @inline(__always)
    private func noBreakSpaceWidth(_ value: UnsafeRawBufferPointer, at i: Int) -> Int? {
        if windows1252 { return value[i] == 0xA0 ? 1 : nil }
        return value[i] == 0xC2 && i + 1 < value.count && value[i + 1] == 0xA0 ? 2 : nil
    }

    /// `value` without whitespace at its edges: spaces, tabs, line ends, vertical tabs, form
    /// feeds and no-break spaces.
    private func trimmedWhitespace(_ value: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
        var start = 0, end = value.count
        while start < end {
            if isSpace(value[start]) { start += 1 } else if let width = noBreakSpaceWidth(value, at: start) { start += width } else { break }
        }
        while end > start {
            if isSpace(value[end - 1]) {
                end -= 1
            } else if windows1252 ? value[end - 1] == 0xA0 : end - 2 >= start && value[end - 2] == 0xC2 && value[end - 1] == 0xA0 {
                end -= windows1252 ? 1 : 2
            } else {
                break
            }
        }
        return UnsafeRawBufferPointer(rebasing: value[start..<end])
    }
}
