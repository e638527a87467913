/// The workbook's shared strings (`xl/sharedStrings.xml`): every distinct text once, cells
/// pointing at it by index. Indices follow first use, so the same workbook gives the same
/// table byte for byte.
struct SharedStringTable {
    private var indices: [String: Int] = [:]
    private var strings: [String] = []
    /// How many cells refer to the table (the part's `count`).
    private(set) var references = 0

    /// The index of `text`, added on first use.
    mutating func index(of text: String) -> Int {
        references += 1
        if let index = indices[text] { return index }
        indices[text] = strings.count
        strings.append(text)
        return strings.count - 1
    }

    /// The `xl/sharedStrings.xml` part.
    func xml() -> [UInt8] {
        var out = Array(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#.utf8) + [0x0A]
        out += #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="\#(references)" uniqueCount="\#(strings.count)">"#.utf8
        for text in strings {
            // Leading or trailing white space, tabs and line breaks survive only when preserved.
            let preserve = text.first.map(\.isWhitespace) == true || text.last.map(\.isWhitespace) == true
                || text.utf8.contains { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
            out += (preserve ? #"<si><t xml:space="preserve">"# : "<si><t>").utf8
            XMLText.append(text, ooxmlEscapes: true, to: &out)
            out += "</t></si>".utf8
        }
        out += "</sst>".utf8
        return out
    }
}
