/// One member's (service) cells in their windows, for ``PricedCells``' rule inside a
/// ``CohortFold``: which of the member's cells count in the money (priced in both windows).
/// Reused member after member (its memory kept).
public struct MemberCells: Sendable {
    private var totals: PeriodTotals

    /// Cells for events coded into `services` services.
    public init(services: Int) {
        totals = PeriodTotals(groups: services)
    }

    /// Takes `member`'s windowed events, forgetting the member before.
    public mutating func take(_ member: MemberEvents) {
        totals.reset()
        for event in member.events {
            let period = member.period(of: event.day)
            if period != .outside {
                totals.add(group: Int(event.service), period: period, quantity: event.quantity, cost: event.cost, priced: event.priced)
            }
        }
    }

    /// The member's figures for `service` in each window.
    public func figures(service: Int) -> (before: PeriodFigures, after: PeriodFigures) {
        (totals.figures(group: service, period: .before), totals.figures(group: service, period: .after))
    }

    /// Whether a sum of the member's went past 64 bits.
    public var overflowed: Bool { totals.overflowed }

    /// Whether the member's cell of `service` counts in the money (``PricedCells/counts(before:after:)``).
    @inline(__always)
    public func counts(service: Int32) -> Bool {
        PricedCells.counts(before: totals.figures(group: Int(service), period: .before),
                           after: totals.figures(group: Int(service), period: .after))
    }
}
