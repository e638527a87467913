/// A person's ID compared byte for byte, as the event store compares it.
///
/// Swift's `String` treats canonically equivalent texts as equal (`é` precomposed and `e` with
/// a combining accent), which would merge two people whose IDs differ only in their bytes; maps
/// keyed by person use this type instead. Ordering is byte-wise, the engine's output order.
public struct PersonID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The ID's UTF-8 bytes.
    public let utf8: [UInt8]

    /// The ID `text` (its UTF-8 bytes, not normalised).
    public init(_ text: String) {
        utf8 = Array(text.utf8)
    }

    /// The ID as text.
    public var description: String { String(decoding: utf8, as: UTF8.self) }

    public static func < (lhs: PersonID, rhs: PersonID) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
