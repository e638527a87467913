/// A small direct-mapped cache in front of a service or event dictionary, for the ingest's hot
/// path: a file names a few dozen services and events over millions of rows, so most rows'
/// names were seen a moment ago, and finding them again should not cost a full hash of every
/// byte and a probe of the dictionary's table.
///
/// A slot holds the name's length, its first and last 16 bytes as four words, and its code; it
/// is chosen from the length and two of the words (one multiply). A name of up to 32 bytes is
/// wholly in those words, so a matching slot is the answer; a longer one's middle bytes are
/// compared with the dictionary's copy. A miss says nothing: the caller asks the dictionary and ``remember(_:code:)``s
/// what it found. Codes never change while a dictionary lives, so an entry never goes stale.
struct NameCache {
    private struct Slot {
        var key = Key()
        var code: Int32 = -1
    }

    /// The name's length and up to 32 of its bytes as four words: bytes 0–15 and the last 16
    /// (overlapping for shorter names; below eight bytes, overlapping four-byte loads or the
    /// first, middle and last bytes, with no call to copy). The words are a function of the
    /// bytes, and with the length they determine them all up to 32 bytes.
    struct Key: Equatable {
        var a: UInt64 = 0, b: UInt64 = 0, c: UInt64 = 0, d: UInt64 = 0
        var length = -1

        init() {}

        @inline(__always)
        init(_ value: UnsafeRawBufferPointer) {
            length = value.count
            if length >= 16 {
                a = value.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
                b = value.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                c = value.loadUnaligned(fromByteOffset: length - 16, as: UInt64.self)
                d = value.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
            } else if length >= 8 {
                a = value.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
                b = value.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
            } else if length >= 4 {
                // Two overlapping four-byte loads cover every byte (the length tells them apart).
                a = UInt64(value.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
                b = UInt64(value.loadUnaligned(fromByteOffset: length - 4, as: UInt32.self))
            } else if length > 0 {
                // The first, middle and last bytes (one to three of them) cover every byte.
                a = UInt64(value[0]) | UInt64(value[length / 2]) << 8 | UInt64(value[length - 1]) << 16
            }
        }

        /// Which of the cache's slots the name goes in.
        @inline(__always)
        var slot: Int {
            let mixed = (a ^ (d &<< 29 | d &>> 35) ^ UInt64(truncatingIfNeeded: length)) &* 0x9E37_79B9_7F4A_7C15
            return Int(truncatingIfNeeded: mixed >> (64 - NameCache.slotBits))
        }
    }

    static let slotBits = 8
    private var slots = [Slot](repeating: Slot(), count: 1 << slotBits)

    /// The code of `value` (already trimmed) if the cache holds it, or -1; `dictionary` is the
    /// one whose codes the cache holds (its copy settles names longer than 16 bytes).
    @inline(__always)
    func code(of value: UnsafeRawBufferPointer, key: Key, in dictionary: StringDictionary) -> Int32 {
        slots.withUnsafeBufferPointer { slots in
            let slot = slots[key.slot]
            guard slot.key == key else { return -1 }
            return key.length <= 32 || dictionary.holds(value, at: slot.code) ? slot.code : -1
        }
    }

    /// Remembers that the name with `key` has `code`, in place of whatever its slot held.
    @inline(__always)
    mutating func remember(_ key: Key, code: Int32) {
        slots[key.slot] = Slot(key: key, code: code)
    }
}
