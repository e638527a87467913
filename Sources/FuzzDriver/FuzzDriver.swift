// What every fuzz target of this package shares (IngestFuzzer, PartialFuzzer, ProjectFileFuzzer):
// the entry point, built two ways, and the way a broken promise is reported.
//
// - `scripts/fuzz` passes `-sanitize=fuzzer,address -DCOF_LIBFUZZER`: libFuzzer drives the
//   target's check with coverage feedback (`LLVMFuzzerRunDriver`).
// - A plain `swift build` gives a deterministic loop instead (seeded mutations of the target's
//   built-in seeds and of any files named on the command line), so every target always builds
//   and runs.
//
// Either way, `TARGET --make-seeds DIR` writes the target's built-in seeds into DIR (as
// `seed-N`) and exits: libFuzzer's corpus starts from them.

import Foundation
import CostOfFailure

/// One fuzz target: what it checks of an input, and where its mutations start.
public struct FuzzTarget: Sendable {
    /// The target's name, for messages.
    public var name: String
    /// Inputs the deterministic loop starts from besides the files it is given.
    public var builtInSeeds: [[UInt8]]
    /// Bytes that matter to this input format, favoured when the loop inserts or overwrites.
    public var interestingBytes: [UInt8]
    /// Checks the promises made for one input; a broken one calls ``FuzzDriver/fail(_:)``.
    public var check: @Sendable ([UInt8]) -> Void

    /// Creates a target.
    public init(name: String, builtInSeeds: [[UInt8]], interestingBytes: [UInt8], check: @escaping @Sendable ([UInt8]) -> Void) {
        self.name = name
        self.builtInSeeds = builtInSeeds
        self.interestingBytes = interestingBytes
        self.check = check
    }
}

/// The running target, for libFuzzer's C callback (which can capture nothing).
nonisolated(unsafe) private var runningTarget: FuzzTarget?

/// libFuzzer's entry point: one input, checked by the running target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    runningTarget?.check(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

#if COF_LIBFUZZER
/// libFuzzer's driver (`int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*cb)(const uint8_t *, size_t))`).
/// The package links every executable with its own `main`, so a target hands over to libFuzzer
/// rather than using libFuzzer's `main`.
@_silgen_name("LLVMFuzzerRunDriver")
private func runLibFuzzer(_ argc: UnsafeMutablePointer<CInt>,
                          _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                          _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt
#endif

/// Runs fuzz targets and reports broken promises.
public enum FuzzDriver {
    /// The input being checked, printed in hex when a promise breaks (the deterministic loop
    /// saves no crash files; libFuzzer does, so it leaves this empty).
    nonisolated(unsafe) public static var inputToReport: [UInt8] = []

    /// Stops with `message` (and the input in hex, when known): libFuzzer reports it as a crash
    /// and keeps the input.
    public static func fail(_ message: String) -> Never {
        if !inputToReport.isEmpty {
            let hex = inputToReport.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            FileHandle.standardError.write(Data("input (\(inputToReport.count) bytes, hex): \(hex)\n".utf8))
        }
        fatalError("\(runningTarget?.name ?? "fuzz") invariant broken: \(message)")
    }

    /// With `--make-seeds DIR` as the arguments: writes the built-in seeds into DIR and exits.
    static func makeSeedsIfAsked(_ target: FuzzTarget) {
        let arguments = CommandLine.arguments
        guard arguments.count == 3, arguments[1] == "--make-seeds" else { return }
        for (n, seed) in target.builtInSeeds.enumerated() {
            guard FileManager.default.createFile(atPath: arguments[2] + "/seed-\(n)", contents: Data(seed)) else {
                FileHandle.standardError.write(Data("\(target.name): cannot write seeds into \(arguments[2])\n".utf8))
                exit(74)
            }
        }
        exit(0)
    }

    /// Fails with `message` unless `condition` holds.
    public static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fail(message()) }
    }

    #if COF_LIBFUZZER

    /// Hands `target` and the command line to libFuzzer; exits with its status.
    public static func run(_ target: FuzzTarget) -> Never {
        makeSeedsIfAsked(target)
        runningTarget = target
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runLibFuzzer(&argc, &argv) { data, size in fuzzOneInput(data, size) })
    }

    #else

    /// Without libFuzzer: `TARGET [--iterations N] [--seconds T] [--seed S] [--save-input PATH]
    /// [FILE|DIR ...]`. Runs N mutated inputs (20,000 by default) or stops after T seconds,
    /// whichever comes first; with `--save-input`, each input is written to PATH before it runs,
    /// so a crash leaves it there. Files are run once each (to replay a crash input); they and
    /// the files in directories also seed the mutations, with the target's built-in seeds. The
    /// same arguments always give the same inputs.
    public static func run(_ target: FuzzTarget) -> Never {
        makeSeedsIfAsked(target)
        runningTarget = target
        var iterations = 20_000
        var seconds = Double.infinity
        var seed: UInt64 = 1
        var savePath: String?
        var paths: [String] = []
        var arguments = CommandLine.arguments.dropFirst()
        while let argument = arguments.popFirst() {
            switch argument {
            case "--iterations": iterations = Int(arguments.popFirst() ?? "") ?? iterations
            case "--seconds": seconds = Double(arguments.popFirst() ?? "") ?? seconds
            case "--seed": seed = UInt64(arguments.popFirst() ?? "") ?? seed
            case "--save-input": savePath = arguments.popFirst()
            default: paths.append(argument)
            }
        }
        var pool = target.builtInSeeds
        let files = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard files.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                for name in (try? files.contentsOfDirectory(atPath: path))?.sorted() ?? [] {
                    if let data = files.contents(atPath: path + "/" + name) { pool.append(Array(data)) }
                }
            } else if let data = files.contents(atPath: path) {
                print("running \(path)")
                inputToReport = Array(data)
                target.check(Array(data))
                pool.append(Array(data))
            }
        }
        if pool.isEmpty { pool = [[]] }
        var random = SyntheticRandom(seed: seed)
        let deadline = Date().addingTimeInterval(seconds)
        var runs = 0
        for iteration in 0..<iterations {
            if iteration % 256 == 0, Date() > deadline { break }
            var input = pool[Int(random.next() % UInt64(pool.count))]
            if input.count > 4096 { input = Array(input.prefix(4096)) }
            for _ in 0...(random.next() % 8) { mutate(&input, interesting: target.interestingBytes, &random) }
            inputToReport = input
            if let savePath { _ = files.createFile(atPath: savePath, contents: Data(input)) }
            target.check(input)
            runs += 1
            if runs % 10_000 == 0 { print("\(runs) inputs") }
        }
        print("\(target.name) (no libFuzzer): \(runs) inputs from seed \(seed) and \(pool.count) seed files; no invariant broken")
        exit(0)
    }

    /// One random edit: overwrite, insert, delete, duplicate a run, truncate, or insert the
    /// first interesting byte (a quote, a tab), another and a CRLF line break.
    static func mutate(_ input: inout [UInt8], interesting: [UInt8], _ random: inout SyntheticRandom) {
        func byte() -> UInt8 {
            random.next() % 3 == 0 || interesting.isEmpty
                ? UInt8(truncatingIfNeeded: random.next()) : interesting[Int(random.next() % UInt64(interesting.count))]
        }
        let position = input.isEmpty ? 0 : Int(random.next() % UInt64(input.count + 1))
        switch random.next() % 6 {
        case 0 where position < input.count: input[position] = byte()
        case 1: input.insert(byte(), at: position)
        case 2 where position < input.count: input.remove(at: position)
        case 3 where position < input.count:
            let end = min(input.count, position + 1 + Int(random.next() % 64))
            input.insert(contentsOf: input[position..<end], at: Int(random.next() % UInt64(input.count + 1)))
        case 4: input.removeSubrange(position...)
        default: input.insert(contentsOf: [interesting.first ?? 0x0A, byte(), 0x0D, 0x0A], at: position)
        }
    }

    #endif
}
