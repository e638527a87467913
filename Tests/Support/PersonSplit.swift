import CostOfFailure

/// An events file split by person at random, as the partial-and-merge tests need it (and as Spark
/// partitions it): every row of a person in one part, parts chosen from a seed.
public enum PersonSplit {
    /// `lines` (CSV rows without the header, the person ID first) in `parts` texts: even parts
    /// with the `header` row, odd ones without, the second with CRLF line ends.
    public static func texts(header: String, lines: [Substring], parts: Int, seed: UInt64) -> [String] {
        var random = SyntheticRandom(seed: seed)
        var partOfPerson: [Substring: Int] = [:]
        var texts = [[Substring]](repeating: [], count: parts)
        for line in lines {
            let person = line.prefix { $0 != "," }
            let part = partOfPerson[person] ?? Int(random.next() % UInt64(parts))
            partOfPerson[person] = part
            texts[part].append(line)
        }
        return texts.enumerated().map { index, lines in
            let end = index == 1 ? "\r\n" : "\n"
            let body = lines.map { $0 + end }.joined()
            return index % 2 == 0 ? header + end + body : body
        }
    }
}
