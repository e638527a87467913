import CostOfFailure

/// One value of a chart's series: a number to draw (pence or a count), or why there is none.
/// A chart draws no mark for a suppressed or missing value; it labels the gap instead, so that
/// a withheld figure is never mistaken for a zero.
public enum ChartValue: Sendable, Equatable {
    /// A number: pence or a count, as the chart's ``ChartUnit`` says.
    case value(Int64)
    /// Withheld by small-number suppression.
    case suppressed
    /// There is none (a rate over no exposure).
    case missing

    /// The number, when there is one.
    public var number: Int64? {
        if case .value(let number) = self { return number }
        return nil
    }
}

extension ResultColumn {
    /// The column's cells as chart values: counts and money as they are, suppressed and missing
    /// cells as such; `nil` for a column of text, dates or rates.
    public var chartValues: [ChartValue]? {
        let numbers: [Int64]
        switch values {
        case .integer(let values): numbers = values
        case .money(let values): numbers = values
        case .text, .date, .rate: return nil
        }
        return numbers.indices.map { row in
            switch state(row) {
            case .value: return .value(numbers[row])
            case .suppressed: return .suppressed
            case .missing: return .missing
            }
        }
    }
}
