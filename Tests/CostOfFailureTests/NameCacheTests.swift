import Testing
@testable import CostOfFailure

@Suite("Name cache: service and event codes in front of their dictionaries")
struct NameCacheTests {
    @Test("Never gives a wrong code: names of 0–40 bytes, and each one changed in any one byte")
    func neverWrong() {
        var random = SplitMix64(seed: 7)
        var names: [[UInt8]] = []
        for length in 0...40 {
            for _ in 0..<3 { names.append((0..<length).map { _ in UInt8.random(in: 0x20...0x7E, using: &random) }) }
        }
        var dictionary = StringDictionary()
        for name in names { name.withUnsafeBytes { _ = dictionary.intern($0) } }
        var cache = NameCache()
        func lookUp(_ bytes: [UInt8]) -> Int32 {
            bytes.withUnsafeBytes { cache.code(of: $0, key: NameCache.Key($0), in: dictionary) }
        }
        // Remember every name (later ones may take earlier ones' slots), then ask again.
        for name in names {
            name.withUnsafeBytes { raw in
                let trimmed = StringDictionary.trim(raw)
                cache.remember(NameCache.Key(trimmed), code: dictionary.lookup(raw))
            }
        }
        for name in names {
            let expected = name.withUnsafeBytes { dictionary.lookup($0) }
            let found = lookUp(Array(name.withUnsafeBytes { StringDictionary.trim($0) }))
            #expect(found == -1 || found == expected, "\(name)")
            for position in name.indices {
                var changed = name
                changed[position] ^= 0x01
                let code = lookUp(changed)
                let own = changed.withUnsafeBytes { dictionary.lookup($0) }
                #expect(code == -1 || code == own, "\(changed)")
            }
        }
    }
}
