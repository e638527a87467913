/// One bit per row saying whether a nullable column holds a value there.
public struct ValidityBitmap: Sendable, Equatable {
    private var words: [UInt64] = []
    /// Number of rows.
    public private(set) var count = 0

    /// Creates an empty bitmap.
    public init() {}

    /// Appends one row.
    @inline(__always)
    public mutating func append(_ valid: Bool) {
        if count & 63 == 0 { words.append(0) }
        if valid { words[count >> 6] |= 1 << UInt64(count & 63) }
        count += 1
    }

    /// Appends one row for each of `valid`, a word at a time where the rows so far fill words.
    public mutating func append(contentsOf valid: UnsafeBufferPointer<Bool>) {
        var index = 0
        if count & 63 == 0 {
            words.reserveCapacity((count + valid.count + 63) / 64)
            while index + 64 <= valid.count {
                var word: UInt64 = 0
                for bit in 0..<64 where valid[index + bit] { word |= 1 << UInt64(bit) }
                words.append(word)
                index += 64
                count += 64
            }
        }
        while index < valid.count {
            append(valid[index])
            index += 1
        }
    }

    /// Whether row `index` holds a value.
    @inline(__always)
    public subscript(index: Int) -> Bool {
        words[index >> 6] & (1 << UInt64(index & 63)) != 0
    }

    /// Calls `body` with the bitmap's words: row `i` is bit `i & 63` of word `i >> 6`.
    @inline(__always)
    public func withWords<R>(_ body: (UnsafeBufferPointer<UInt64>) throws -> R) rethrows -> R {
        try words.withUnsafeBufferPointer(body)
    }

    /// Removes every row, keeping the memory when asked.
    public mutating func removeAll(keepingCapacity keep: Bool = false) {
        words.removeAll(keepingCapacity: keep)
        count = 0
    }

    /// Reserves room for `rows` rows in total.
    public mutating func reserveCapacity(_ rows: Int) {
        words.reserveCapacity((rows + 63) / 64)
    }
}
