#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Interns byte strings (person IDs, service and event names) into dense `Int32` codes.
///
/// Codes are assigned in first-seen order, 0, 1, 2, ...; the strings are kept end to end in one
/// byte buffer and found through an open-addressing hash table, so interning a value that is
/// already known allocates nothing. Leading and trailing spaces are not part of a value.
public struct StringDictionary: Sendable {
    /// All values' bytes, end to end.
    private var storage: [UInt8] = []
    /// For each code, the offset in `storage` one past its last byte.
    private var ends: [Int] = []
    /// Each code's hash, kept so that growing the table never rehashes bytes.
    private var hashes: [UInt64] = []
    /// Open-addressing table of `code + 1`; 0 marks an empty slot. Its size is a power of two.
    private var slots: [Int32] = Array(repeating: 0, count: 64)

    /// Creates an empty dictionary.
    public init() {}

    /// Number of distinct values.
    public var count: Int { ends.count }

    /// The code of `value`, adding it if new.
    @inlinable
    public mutating func intern(_ value: String) -> Int32 {
        var utf8 = Array(value.utf8)
        return utf8.withUnsafeMutableBytes { intern(UnsafeRawBufferPointer($0)) }
    }

    /// The code of the bytes in `field` (spaces around them ignored), adding them if new.
    public mutating func intern(_ field: UnsafeRawBufferPointer) -> Int32 {
        let value = Self.trim(field)
        let hash = Self.hash(value)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let code = Int(entry - 1)
            if hashes[code] == hash, equals(code, value) { return Int32(code) }
            slot = (slot + 1) & mask
        }
        let code = Int32(ends.count)
        if let base = value.baseAddress, value.count > 0 {
            storage.append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: value.count))
        }
        ends.append(storage.count)
        hashes.append(hash)
        slots[slot] = code + 1
        if ends.count * 2 > slots.count { grow() }
        return code
    }

    /// The code of `value` when it is present.
    public func code(of value: String) -> Int32? {
        var utf8 = Array(value.utf8)
        return utf8.withUnsafeMutableBytes { buffer -> Int32? in
            let bytes = Self.trim(UnsafeRawBufferPointer(buffer))
            let hash = Self.hash(bytes)
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 {
                let code = Int(slots[slot] - 1)
                if hashes[code] == hash, equals(code, bytes) { return Int32(code) }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    /// The value with `code`.
    public subscript(code: Int32) -> String {
        let range = byteRange(of: Int(code))
        return storage.withUnsafeBytes { String(decoding: UnsafeRawBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// All values in code order.
    public var values: [String] { (0..<count).map { self[Int32($0)] } }

    /// Codes in byte-wise order of their values (the engine's output order).
    public func codesInByteOrder() -> [Int32] {
        storage.withUnsafeBytes { bytes in
            var codes = (0..<Int32(count)).map { $0 }
            codes.sort { a, b in
                let ra = byteRange(of: Int(a)), rb = byteRange(of: Int(b))
                return Self.lexicographicallyPrecedes(UnsafeRawBufferPointer(rebasing: bytes[ra]),
                                                      UnsafeRawBufferPointer(rebasing: bytes[rb]))
            }
            return codes
        }
    }

    private func byteRange(of code: Int) -> Range<Int> {
        (code == 0 ? 0 : ends[code - 1])..<ends[code]
    }

    private func equals(_ code: Int, _ value: UnsafeRawBufferPointer) -> Bool {
        let range = byteRange(of: code)
        guard range.count == value.count else { return false }
        if value.count == 0 { return true }
        return storage.withUnsafeBytes { stored in
            memcmp(stored.baseAddress! + range.lowerBound, value.baseAddress!, value.count) == 0
        }
    }

    private mutating func grow() {
        var newSlots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = newSlots.count - 1
        for code in 0..<ends.count {
            var slot = Int(truncatingIfNeeded: hashes[code]) & mask
            while newSlots[slot] != 0 { slot = (slot + 1) & mask }
            newSlots[slot] = Int32(code + 1)
        }
        slots = newSlots
    }

    static func trim(_ field: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0, end = field.count
        while start < end, field[start] == 0x20 || field[start] == 0x09 { start += 1 }
        while end > start, field[end - 1] == 0x20 || field[end - 1] == 0x09 { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: field[start..<end])
    }

    /// A 64-bit hash that reads eight bytes at a time (keys are short IDs and names).
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 32
        return h
    }

    static func lexicographicallyPrecedes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let common = min(a.count, b.count)
        if common > 0 {
            let order = memcmp(a.baseAddress!, b.baseAddress!, common)
            if order != 0 { return order < 0 }
        }
        return a.count < b.count
    }
}
