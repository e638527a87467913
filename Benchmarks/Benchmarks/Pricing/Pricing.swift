import Benchmark
import BenchmarkData
import CostOfFailure

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = BenchmarkData.configuration(maxIterations: 10)

    Benchmark("pricing_\(BenchmarkData.label)_rows") { (benchmark: Benchmark, state: PricingInput) in
        for _ in benchmark.scaledIterations {
            blackHole(try CostResolver(unitCosts: state.unitCosts).resolve(state.events))
        }
    } setup: {
        let data = try BenchmarkData.prepare()
        return PricingInput(events: try EventLoader(workers: Processors.online).load([EventSource(.file(data.folder + "/events.csv"))]),
                            unitCosts: try UnitCostLoader().load(.file(data.folder + "/unit-costs.csv")))
    }
}

/// What the pricing benchmark prices: a loaded table and its unit costs.
struct PricingInput: Sendable {
    let events: EventTable
    let unitCosts: UnitCostTable
}
