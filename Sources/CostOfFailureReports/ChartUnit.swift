import CostOfFailure

/// What a chart's numbers are, and so how its labels and axis ticks read.
public enum ChartUnit: Sendable, Equatable {
    /// Money in pence, labelled in whole pounds (`£12,345`); ticks fall on whole pounds.
    case pence
    /// A count, labelled with separators (`1,234`).
    case count

    /// `value` as a label.
    public func label(_ value: Int64) -> String {
        switch self {
        case .pence: return MoneyFormat.wholePounds(value)
        case .count: return MoneyFormat.count(value)
        }
    }

    /// The smallest step between axis ticks: a pound, or one.
    var smallestStep: Int64 {
        switch self {
        case .pence: return 100
        case .count: return 1
        }
    }
}
