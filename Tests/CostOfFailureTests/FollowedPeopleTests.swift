import Testing
@testable import CostOfFailure

@Suite("Followed people: the cohort lookup of a one-pass scan")
struct FollowedPeopleTests {
    /// IDs of every length around the slot's 27 inline bytes, some sharing long prefixes.
    private func ids(_ random: inout SplitMix64, count: Int) -> [String] {
        (0..<count).map { n in
            let length = Int.random(in: 0...60, using: &random)
            let stem = String(repeating: "X", count: max(0, length - 8))
            return String((stem + "-\(n)-" + String(n * 7919)).suffix(max(1, length)))
        }
    }

    @Test("Finds exactly the followed IDs, whatever their length, and no one else", arguments: [1, 2, 3] as [UInt64])
    func exactness(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let all = Array(Set(ids(&random, count: 4_000)))
        var followed = StringDictionary()
        for id in all.prefix(all.count / 3) { _ = followed.intern(id) }
        let people = FollowedPeople(followed)
        for id in all {
            var bytes = Array(id.utf8)
            let expected = followed.code(of: id) ?? -1
            #expect(bytes.withUnsafeMutableBytes { people.code(of: UnsafeRawBufferPointer($0)) } == expected, "\(id)")
            // Held inline (IDs of up to 32 bytes), keyed by shifts: the same answer.
            if bytes.count <= InlineID.capacity {
                let inline = bytes.withUnsafeBytes { raw in
                    let hash = StringDictionary.hash(raw)
                    return people.mayFollow(hash: hash) ? people.code(InlineID(raw), hash: hash) : -1
                }
                #expect(inline == expected, "\(id)")
            }
            // One byte changed at the end (past the inline bytes for long IDs) is someone else.
            if !bytes.isEmpty {
                bytes[bytes.count - 1] ^= 0x01
                let other = String(decoding: bytes, as: UTF8.self)
                let otherExpected = followed.code(of: other) ?? -1
                #expect(bytes.withUnsafeMutableBytes { people.code(of: UnsafeRawBufferPointer($0)) } == otherExpected)
            }
        }
    }

    @Test("Spaces around an ID are not part of it; an empty cohort follows no one")
    func edges() {
        var followed = StringDictionary()
        _ = followed.intern("P1")
        let people = FollowedPeople(followed)
        var padded = Array("  P1\t".utf8)
        #expect(padded.withUnsafeMutableBytes { people.code(of: UnsafeRawBufferPointer($0)) } == 0)
        var other = Array("P10".utf8)
        #expect(other.withUnsafeMutableBytes { people.code(of: UnsafeRawBufferPointer($0)) } == -1)
        let nobody = FollowedPeople(StringDictionary())
        #expect(padded.withUnsafeMutableBytes { nobody.code(of: UnsafeRawBufferPointer($0)) } == -1)
    }
}

@Suite("String dictionary keys of every short length")
struct StringDictionaryKeyTests {
    @Test("Values of 0–20 bytes differing in any one byte get their own codes, and are found again")
    func shortKeys() {
        var random = SplitMix64(seed: 9)
        var dictionary = StringDictionary()
        var values: [[UInt8]] = []
        for length in 1...20 {
            let base = (0..<length).map { _ in UInt8.random(in: 0x21...0x7E, using: &random) }
            values.append(base)
            for position in 0..<length {  // the same value with one byte changed
                var other = base
                other[position] = other[position] == 0x41 ? 0x42 : 0x41
                values.append(other)
            }
        }
        var codes: [[UInt8]: Int32] = [:]
        for value in values {
            let code = value.withUnsafeBytes { dictionary.intern($0) }
            if let known = codes[value] { #expect(code == known) } else { codes[value] = code }
        }
        #expect(Set(codes.values).count == codes.count)
        for (value, code) in codes { #expect(value.withUnsafeBytes { dictionary.lookup($0) } == code) }
    }
}

@Suite("An ID held inline")
struct InlineIDTests {
    @Test("Assigning in place holds the same words as making the ID, for every length up to 32, over any earlier ID")
    func assignMatchesInit() {
        var random = SplitMix64(seed: 77)
        var held = InlineID()
        for _ in 0..<20 {
            for length in 0...InlineID.capacity {
                let bytes = (0..<length).map { _ in UInt8.random(in: 1...255, using: &random) }
                bytes.withUnsafeBytes { raw in
                    let made = InlineID(raw)
                    held.assign(raw)
                    #expect(held.count == made.count)
                    #expect(held.words == made.words, "length \(length)")
                    held.withBytes { #expect(Array($0) == bytes) }
                }
            }
        }
    }
}
