import Testing
@testable import CostOfFailure

private struct Stop: Error, Equatable { var block: Int }

@Suite("Blocks made on several threads are handed on in order")
struct BlockPipelineTests {
    @Test("Every result, in block order, skipping blocks with none", arguments: [1, 2, 3, 4])
    func inOrder(workers: Int) throws {
        for count in [0, 1, 2, 7, 8, 9, 100, 1_000] {
            var handed: [Int] = []
            try BlockPipeline(workers: workers).run(count: count, make: { block in
                // Uneven work, so that threads overtake each other.
                var x = UInt64(block)
                for _ in 0..<(block % 7) * 2_000 { x = x &* 6364136223846793005 &+ 1 }
                return block % 5 == 3 && x != 0 ? nil : block
            }, handOn: { handed.append($0) })
            #expect(handed == (0..<count).filter { $0 % 5 != 3 }, "count \(count)")
        }
    }

    @Test("An error making a block stops the pipeline just before that block", arguments: [1, 2, 4])
    func makeError(workers: Int) throws {
        for failing in [0, 1, 5, 63] {
            var handed: [Int] = []
            #expect(throws: Stop(block: failing)) {
                try BlockPipeline(workers: workers).run(count: 64, make: { block in
                    if block == failing || block == failing + 3 { throw Stop(block: block) }
                    return block
                }, handOn: { handed.append($0) })
            }
            #expect(handed == Array(0..<failing))
        }
    }

    @Test("Stopping with blocks taken and never handed on, again and again, traps nowhere")
    func stopsCleanly() {
        // libdispatch traps when a semaphore is freed below the value it was made with; an
        // error leaves permits taken. This crashed within a few hundred runs before the fix.
        var stopped = 0
        for round in 0..<3_000 {
            do {
                try BlockPipeline(workers: 2 + round % 3).run(count: 64, make: { block in
                    if block == round % 64 { throw Stop(block: block) }
                    return block
                }, handOn: { _ in })
            } catch {
                stopped += 1
            }
        }
        #expect(stopped == 3_000)
    }

    @Test("An error handing a result on stops everything after it", arguments: [1, 2, 4])
    func handOnError(workers: Int) throws {
        var handed: [Int] = []
        #expect(throws: Stop(block: 10)) {
            try BlockPipeline(workers: workers).run(count: 200, make: { $0 }, handOn: { block in
                if block == 10 { throw Stop(block: block) }
                handed.append(block)
            })
        }
        #expect(handed == Array(0..<10))
    }
}
