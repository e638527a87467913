/// The fields of the record being read, copied as libcsv hands them over, so that the record is
/// decoded in one go at its end instead of field by field.
///
/// Decoding each field as it arrived meant choosing what to do from the field's position: an
/// indirect jump on every field, which the CPU mispredicted most of the time, since what comes
/// just before it is libcsv's scan of bytes of varying length. Measured on 10M rows with each
/// role's work replaced by a trivial call, that jump alone cost 0.11 s of the job's 1.5 s. At
/// the record's end the roles are visited in a fixed order, with no jump to predict.
///
/// Each field has a 64-byte slot. A field of up to 32 bytes whose source has 32 readable bytes
/// (libcsv's field buffer, which is kilobytes long) is copied as one 32-byte block, with no
/// branch on its length; a longer field, or one whose source ends with it, is copied exactly,
/// into its slot or, past 64 bytes, into a buffer of its own. A slot's bytes after the field's
/// end are whatever was there before: only the field's `count` bytes are the field.
final class RecordFields {
    /// The most fields a record keeps (the header's width).
    let capacity: Int
    static let slotBytes = 64
    /// Fields of up to this many bytes are copied as one block when the source allows.
    static let blockBytes = 32

    private let slots: UnsafeMutableRawPointer
    private let lengths: UnsafeMutablePointer<Int>
    /// For each field position, a buffer for fields longer than a slot (allocated when needed).
    private let spills: UnsafeMutablePointer<(base: UnsafeMutableRawPointer?, capacity: Int)>

    /// Room for records of up to `capacity` fields.
    init(capacity: Int) {
        self.capacity = capacity
        slots = .allocate(byteCount: max(1, capacity) * Self.slotBytes, alignment: 64)
        lengths = .allocate(capacity: max(1, capacity))
        lengths.initialize(repeating: 0, count: max(1, capacity))
        spills = .allocate(capacity: max(1, capacity))
        spills.initialize(repeating: (nil, 0), count: max(1, capacity))
    }

    deinit {
        for index in 0..<max(1, capacity) { spills[index].base?.deallocate() }
        spills.deallocate()
        lengths.deallocate()
        slots.deallocate()
    }

    /// Keeps `bytes` as field `index` (below ``capacity``); `readable` is how many bytes from
    /// the field's start may be read (at least its count; more inside libcsv's buffer).
    @inline(__always)
    func store(_ bytes: UnsafeRawBufferPointer, readable: Int, at index: Int) {
        let count = bytes.count
        if count <= Self.blockBytes, readable >= Self.blockBytes, let base = bytes.baseAddress {
            // Sound: `readable` bytes from `base` may be read and the slot has 64 bytes.
            (slots + index &* Self.slotBytes).copyMemory(from: base, byteCount: Self.blockBytes)
            lengths[index] = count
        } else {
            storeExactly(bytes, at: index)
        }
    }

    @inline(never)
    private func storeExactly(_ bytes: UnsafeRawBufferPointer, at index: Int) {
        let count = bytes.count
        lengths[index] = count
        guard count > 0, let base = bytes.baseAddress else { return }
        if count <= Self.slotBytes {
            // Sound: the slot has room for `count` bytes.
            (slots + index * Self.slotBytes).copyMemory(from: base, byteCount: count)
            return
        }
        if spills[index].capacity < count {
            spills[index].base?.deallocate()
            let capacity = max(count, spills[index].capacity * 2)
            spills[index] = (.allocate(byteCount: capacity, alignment: 16), capacity)
        }
        // Sound: the field's buffer was just made at least `count` bytes long.
        spills[index].base!.copyMemory(from: base, byteCount: count)
    }

    /// Field `index` of the record (valid until the next ``store(_:readable:at:)`` of that
    /// position). When its count is at most ``slotBytes``, that many bytes from its start may be
    /// read (the slot's).
    @inline(__always)
    subscript(index: Int) -> UnsafeRawBufferPointer {
        let count = lengths[index]
        if count <= Self.slotBytes {
            return UnsafeRawBufferPointer(start: slots + index &* Self.slotBytes, count: count)
        }
        // Sound: a field longer than a slot was copied into its own buffer of `count` bytes or more.
        return UnsafeRawBufferPointer(start: spills[index].base, count: count)
    }

    /// The length of field `index`.
    @inline(__always)
    func count(_ index: Int) -> Int { lengths[index] }
}
