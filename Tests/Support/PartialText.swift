import CostOfFailure

/// A partial's text edited by a test: re-sealed with a fresh checksum, as by someone who knows
/// the format, so that the reader's other checks can be reached.
public enum PartialText {
    /// `text` (a partial, ending in a line feed, its last line an `end` record) with the `end`
    /// record's checksum set to the SHA-256 of every line before it: replaced, or added when
    /// the record has only its two counts.
    public static func sealed(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        precondition(lines.last == "" && lines.count >= 2, "a partial ends in a line feed")
        lines.removeLast()
        let body = lines.dropLast().map { $0 + "\n" }.joined()
        let end = lines[lines.count - 1].split(separator: "\t").prefix(3).joined(separator: "\t")
        return body + end + "\t" + BeforeAfterPartial.checksum(ofBody: Array(body.utf8)[...]) + "\n"
    }
}
