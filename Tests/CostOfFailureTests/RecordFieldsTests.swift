import Testing
@testable import CostOfFailure

@Suite("A record's fields kept until its end")
struct RecordFieldsTests {
    @Test("Every field comes back exactly, whatever its length and however much of its source may be read")
    func fieldsComeBackExactly() {
        var random = SplitMix64(seed: 12)
        let fields = RecordFields(capacity: 4)
        // A source buffer with bytes after every field, as libcsv's is.
        let source = (0..<4_096).map { _ in UInt8.random(in: 0...255, using: &random) }
        source.withUnsafeBytes { source in
            for round in 0..<2_000 {
                var expected: [[UInt8]] = []
                for position in 0..<4 {
                    // Lengths around the block (32), the slot (64) and far past it, in any order.
                    let length = [0, 1, 7, 31, 32, 33, 63, 64, 65, 200, 1_000][Int.random(in: 0..<11, using: &random)]
                    let start = Int.random(in: 0...(source.count - length), using: &random)
                    let bytes = UnsafeRawBufferPointer(rebasing: source[start..<(start + length)])
                    let readable = [length, source.count - start][Int.random(in: 0..<2, using: &random)]
                    fields.store(bytes, readable: readable, at: position)
                    expected.append(Array(bytes))
                }
                for position in 0..<4 {
                    #expect(Array(fields[position]) == expected[position], "round \(round), field \(position)")
                    #expect(fields.count(position) == expected[position].count)
                }
            }
        }
        // An empty field from nowhere.
        fields.store(UnsafeRawBufferPointer(start: nil, count: 0), readable: 0, at: 0)
        #expect(fields[0].isEmpty)
    }
}
