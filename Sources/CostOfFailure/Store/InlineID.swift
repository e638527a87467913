/// A person ID of up to 32 bytes held in four words, zero after its end.
///
/// The followed-people scan keeps the row's ID from its person field to the end of the row, and
/// stages it for the morsel's batched lookups: held in words, it is staged without an array
/// append and keyed for the slot table by shifts, without a second copy. Longer IDs take the
/// general path.
struct InlineID {
    /// The most bytes an inline ID holds.
    static let capacity = 32
    /// Bytes 0–31, little-endian in each word, zero after ``count``.
    private(set) var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// The ID's length in bytes.
    private(set) var count = 0

    /// An empty ID.
    init() {}

    /// The bytes of `value`, which has at most ``capacity`` bytes.
    @inline(__always)
    init(_ value: UnsafeRawBufferPointer) {
        assert(value.count <= Self.capacity)
        count = value.count
        // Sound: at most 32 bytes are copied into the 32-byte tuple (zero beyond them).
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: value) }
    }

    /// Makes this the ID `value` (at most ``capacity`` bytes), in place: the sink holds the
    /// row's ID in its own memory, so the field callback keeps no ID on its stack (which made
    /// the compiler guard every call's stack frame, whichever field it was called for).
    @inline(__always)
    mutating func assign(_ value: UnsafeRawBufferPointer) {
        assert(value.count <= Self.capacity)
        count = value.count
        words = (0, 0, 0, 0)
        // Sound: at most 32 bytes are copied into the 32-byte tuple.
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: value) }
    }

    /// Calls `body` with the ID's bytes.
    @inline(__always)
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeBytes(of: words) { body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }
}
