/// A linear axis from a round lower bound to a round upper bound, with ticks at a round step
/// (1, 2 or 5 times a power of ten, at least the unit's smallest step), always including zero.
struct ChartScale: Sendable, Equatable {
    /// The axis's ends and the distance between ticks.
    let lower: Int64, upper: Int64, step: Int64

    /// An axis covering `minimum...maximum` and zero in about `ticks` steps.
    ///
    /// Worked in 128 bits, so that no value traps: near the ends of 64 bits a round bound can lie
    /// past them, and is then held at the end (the axis still covers every value).
    init(minimum: Int64, maximum: Int64, unit: ChartUnit, ticks: Int = 5) {
        let low = Int128(min(0, minimum)), high = Int128(max(0, maximum))
        let smallest = Int128(unit.smallestStep)
        let raw = max(smallest, (high - low) / Int128(max(1, ticks)))
        var magnitude: Int128 = 1
        while magnitude <= raw / 10 { magnitude *= 10 }
        var step = magnitude * 10
        for multiple: Int128 in [1, 2, 5] where multiple * magnitude >= raw {
            step = multiple * magnitude
            break
        }
        step = max(step, smallest)
        func clamped(_ value: Int128) -> Int64 { Int64(min(Int128(Int64.max), max(Int128(Int64.min), value))) }
        self.step = clamped(step)
        lower = low < 0 ? clamped(-((-low + step - 1) / step) * step) : 0
        upper = high > 0 ? clamped(((high + step - 1) / step) * step) : (low < 0 ? 0 : clamped(step))
    }

    /// The tick values from the lower bound to the upper (stepped in 128 bits: no overflow past
    /// a bound held at the end of 64 bits).
    var ticks: [Int64] {
        var ticks: [Int64] = []
        var tick = Int128(lower)
        while tick <= Int128(upper) {
            ticks.append(Int64(tick))
            tick += Int128(step)
        }
        return ticks
    }

    /// Where `value` falls along an axis `length` long (0 at the lower bound); any 128-bit value
    /// (a stack of bars, say) is placed without overflow.
    func position(_ value: Int128, length: Double) -> Double {
        Double(value - Int128(lower)) / Double(Int128(upper) - Int128(lower)) * length
    }

    /// Where `value` falls along an axis `length` long (0 at the lower bound).
    func position(_ value: Int64, length: Double) -> Double {
        position(Int128(value), length: length)
    }
}
