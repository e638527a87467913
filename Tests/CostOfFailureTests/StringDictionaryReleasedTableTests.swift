import Testing
@testable import CostOfFailure

@Suite("A dictionary in byte order without its table: lookups by binary search")
struct StringDictionaryReleasedTableTests {
    /// Distinct IDs: numbered ones of every length up to 60 bytes sharing long prefixes,
    /// non-ASCII ones, and pairs differing only in their last byte or in a byte past 16 or 27.
    private func ids(_ random: inout SplitMix64, count: Int) -> [[UInt8]] {
        let stems = ["", "P", "P0000000", "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP", "Zoë-", "É", "日本-", "\u{7F}"]
        var all = Set<[UInt8]>()
        for n in 0..<count {
            let stem = stems[Int.random(in: 0..<stems.count, using: &random)]
            let id = Array((stem + String(n * 7919, radix: Int.random(in: 2...36, using: &random))).utf8)
            all.insert(id)
            all.insert(id + [0x41])
            all.insert(id + [0x42])
            all.insert(id + [0xC3, 0xA9])
        }
        return Array(all)
    }

    /// The values in byte order, interned in that order (as the cohort is).
    private func ordered(_ values: [[UInt8]]) -> (dictionary: StringDictionary, sorted: [[UInt8]]) {
        let sorted = values.sorted { $0.lexicographicallyPrecedes($1) }
        var dictionary = StringDictionary()
        for value in sorted { _ = value.withUnsafeBytes { dictionary.intern($0) } }
        return (dictionary, sorted)
    }

    @Test("Finds exactly what a table finds, and nothing else", arguments: [1, 2, 3] as [UInt64])
    func sameAsTable(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let all = ids(&random, count: 1_500)
        let (withTable, sorted) = ordered(all)
        var released = withTable
        released.releaseTable()
        #expect(!released.holdsTable && withTable.holdsTable)
        // The reference: a plain dictionary of the byte strings (spaces at the edges are no one's,
        // and no ID here has them).
        let reference = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, Int32($0)) })
        var probes = all
        for id in all.prefix(500) {
            probes.append(Array(id.dropLast()))
            probes.append(id + [0x00])
            if let last = id.last { probes.append(Array(id.dropLast()) + [last ^ 0x01]) }
        }
        probes.append([])
        for probe in probes {
            let expected = reference[probe] ?? -1
            #expect(probe.withUnsafeBytes { released.lookup($0) } == expected)
            #expect(probe.withUnsafeBytes { withTable.lookup($0) } == expected)
            let text = String(decoding: probe, as: UTF8.self)
            if Array(text.utf8) == probe {
                #expect(released.code(of: text) == withTable.code(of: text))
                #expect(released.code(of: "  " + text + "\t") == withTable.code(of: "  " + text + "\t"))
            }
        }
        // The followed people's lookup reads a released dictionary's bytes for long IDs.
        let followed = FollowedPeople(released)
        for probe in probes {
            #expect(probe.withUnsafeBytes { followed.code(of: $0) } == reference[probe] ?? -1)
        }
    }

    @Test("Interning after the release makes the table again; out of byte order, the table is kept")
    func internAgain() {
        var (dictionary, sorted) = ordered([Array("A".utf8), Array("B".utf8), Array("Bé".utf8)])
        dictionary.releaseTable()
        #expect(dictionary.intern("C") == 3)
        #expect(dictionary.holdsTable)
        #expect(dictionary.intern("B") == 1)
        #expect(dictionary.code(of: "A") == 0 && dictionary.code(of: "Bé") == 2 && dictionary.code(of: "D") == nil)
        #expect(sorted.count == 3)
        var unordered = StringDictionary()
        _ = unordered.intern("B")
        _ = unordered.intern("A")
        unordered.releaseTable()
        #expect(unordered.holdsTable && unordered.code(of: "A") == 1)
        var empty = StringDictionary()
        empty.releaseTable()
        #expect(empty.code(of: "A") == nil && empty.code(of: "") == nil)
        #expect(empty.intern("A") == 0)
    }
}
