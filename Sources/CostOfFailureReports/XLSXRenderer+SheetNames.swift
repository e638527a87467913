extension XLSXRenderer {
    /// The most UTF-16 units Excel allows in a sheet name.
    static let sheetNameLimit = 31

    /// Sheet names for tables named `names`, in order: the characters Excel refuses in a sheet
    /// name (`[ ] : * ? / \` and control characters) removed, apostrophes trimmed from both
    /// ends (Excel refuses them there), at most 31 UTF-16 units (never splitting a character),
    /// `Sheet` for a name left empty, and unique without regard to case, as Excel compares
    /// them: a repeated name gets ` (2)`, ` (3)`… within the limit. `taken` names are in use
    /// already (the cover's); Excel reserves `History` too.
    public static func sheetNames(for names: [String], taken: [String] = []) -> [String] {
        var used = Set((taken + ["History"]).map { $0.lowercased() })
        return names.map { name in
            var base = String(name.unicodeScalars.filter { scalar in
                !"[]:*?/\\".unicodeScalars.contains(scalar) && scalar.value >= 0x20 && !(0x7F...0x9F).contains(scalar.value)
            }.map(Character.init))
            while base.hasPrefix("'") { base.removeFirst() }
            while base.hasSuffix("'") { base.removeLast() }
            if base.isEmpty { base = "Sheet" }
            var candidate = truncated(base, to: sheetNameLimit)
            var number = 2
            while used.contains(candidate.lowercased()) {
                let suffix = " (\(number))"
                candidate = truncated(base, to: sheetNameLimit - suffix.utf16.count) + suffix
                number += 1
            }
            used.insert(candidate.lowercased())
            return candidate
        }
    }

    /// The longest prefix of whole characters of `text` within `limit` UTF-16 units, without
    /// an apostrophe at its end.
    private static func truncated(_ text: String, to limit: Int) -> String {
        var out = "", units = 0
        for character in text {
            units += character.utf16.count
            if units > limit { break }
            out.append(character)
        }
        while out.hasSuffix("'") { out.removeLast() }
        return out
    }
}
