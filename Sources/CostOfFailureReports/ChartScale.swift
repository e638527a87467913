/// A linear axis from a round lower bound to a round upper bound, with ticks at a round step
/// (1, 2 or 5 times a power of ten, at least the unit's smallest step), always including zero.
struct ChartScale: Sendable, Equatable {
    /// The axis's ends and the distance between ticks.
    let lower: Int64, upper: Int64, step: Int64

    /// An axis covering `minimum...maximum` and zero in about `ticks` steps.
    init(minimum: Int64, maximum: Int64, unit: ChartUnit, ticks: Int = 5) {
        let low = min(0, minimum), high = max(0, maximum)
        let span = high.subtractingReportingOverflow(low).overflow ? Int64.max : high - low
        let raw = max(unit.smallestStep, span / Int64(max(1, ticks)))
        var magnitude: Int64 = 1
        while magnitude <= raw / 10 { magnitude *= 10 }
        var step = magnitude * 10
        for multiple: Int64 in [1, 2, 5] where multiple * magnitude >= raw {
            step = multiple * magnitude
            break
        }
        step = max(step, unit.smallestStep)
        self.step = step
        lower = low < 0 ? -(((-low) + step - 1) / step) * step : 0
        upper = high > 0 ? ((high + step - 1) / step) * step : (low < 0 ? 0 : step)
    }

    /// The tick values from the lower bound to the upper.
    var ticks: [Int64] { Array(stride(from: lower, through: upper, by: Int(step))) }

    /// Where `value` falls along an axis `length` long (0 at the lower bound).
    func position(_ value: Int64, length: Double) -> Double {
        Double(value - lower) / Double(upper - lower) * length
    }
}
