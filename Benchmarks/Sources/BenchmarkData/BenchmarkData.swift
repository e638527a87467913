import Benchmark
import CostOfFailure
import Foundation

/// A generated dataset on disk for the benchmarks: `cof generate`'s files, made once per size
/// in the system's temporary folder and reused.
public struct BenchmarkData: Sendable {
    /// Events in the dataset: `COF_BENCH_EVENTS`, or 1,000,000.
    public static let events: Int = Int(ProcessInfo.processInfo.environment["COF_BENCH_EVENTS"] ?? "") ?? 1_000_000

    /// The size for benchmark names: `1M`, `10M`, `250k`.
    public static var label: String {
        events % 1_000_000 == 0 ? "\(events / 1_000_000)M" : events % 1_000 == 0 ? "\(events / 1_000)k" : "\(events)"
    }

    /// The folder holding events.csv, interventions.csv, unit-costs.csv, services.csv.
    public let folder: String

    /// The dataset with `events` rows (seed 1), generated if it is not there yet.
    public static func prepare(events: Int = BenchmarkData.events) throws -> BenchmarkData {
        let folder = NSTemporaryDirectory() + "cof-bench-\(events)"
        let dataset = SyntheticDataset(options: .init(events: events, seed: 1))
        let manager = FileManager.default
        if !manager.fileExists(atPath: folder + "/complete") {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            _ = manager.createFile(atPath: folder + "/events.csv", contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/events.csv"))
            dataset.writeEvents { handle.write(Data($0)) }
            try handle.close()
            try dataset.interventionsCSV().write(toFile: folder + "/interventions.csv", atomically: true, encoding: .utf8)
            try dataset.unitCostsCSV().write(toFile: folder + "/unit-costs.csv", atomically: true, encoding: .utf8)
            try dataset.servicesCSV().write(toFile: folder + "/services.csv", atomically: true, encoding: .utf8)
            _ = manager.createFile(atPath: folder + "/complete", contents: nil)
        }
        return BenchmarkData(folder: folder)
    }

    /// The inputs of the compare job (12 months either side of each index date).
    public func inputs(workers: Int = Processors.online) -> StudyInputs {
        StudyInputs(events: [EventSource(.file(folder + "/events.csv"))], interventions: .file(folder + "/interventions.csv"),
                    unitCosts: .file(folder + "/unit-costs.csv"), services: .file(folder + "/services.csv"),
                    windows: StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(12, .months),
                                          observationEnd: CivilDate(year: 2024, month: 3, day: 31)),
                    workers: workers)
    }

    /// The configuration every benchmark here uses: wall clock, throughput, mallocs and peak
    /// memory, a few iterations (each one reads or walks the whole dataset).
    public static func configuration(maxIterations: Int, seconds: Int = 20) -> Benchmark.Configuration {
        .init(metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
              scalingFactor: .one, maxDuration: .seconds(seconds), maxIterations: maxIterations)
    }

    /// Bytes of the events file.
    public var eventBytes: Int {
        (try? FileManager.default.attributesOfItem(atPath: folder + "/events.csv")[.size] as? Int) ?? 0
    }
}
