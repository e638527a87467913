/// A person × service row's figures and exposure, and the rates derived from them: what
/// ``BeforeAfterTable/Row`` and ``CodedBeforeAfterTable/Row`` share, so that both derive their rates by the
/// same rules.
public protocol BeforeAfterFigures {
    /// Figures in the before window.
    var before: PeriodFigures { get }
    /// Figures in the after window.
    var after: PeriodFigures { get }
    /// The person's before exposure in days.
    var beforeDays: Int { get }
    /// The person's after exposure in days (cut at the observation end).
    var afterDays: Int { get }
}

extension BeforeAfterFigures {
    /// Events per year of exposure before (`nil` without exposure).
    public var beforeEventsPerYear: Double? { Annualised.count(before.events, days: beforeDays) }
    /// Events per year of exposure after (`nil` without exposure).
    public var afterEventsPerYear: Double? { Annualised.count(after.events, days: afterDays) }
    /// Cost per year of exposure before, in pence. A window with unpriced events has no
    /// complete cost: `nil` then (and without exposure), rather than a figure that looks
    /// like a saving (``PeriodFigures/cost`` is the priced part).
    public var beforeCostPerYear: Pence? { before.unpriced > 0 ? nil : Annualised.pence(before.cost, days: beforeDays) }
    /// Cost per year of exposure after, in pence (`nil` as for ``beforeCostPerYear``).
    public var afterCostPerYear: Pence? { after.unpriced > 0 ? nil : Annualised.pence(after.cost, days: afterDays) }
    /// The change in cost per year, after less before, when both are known (and, as for the
    /// rates themselves, when it fits in 64 bits).
    public var changeCostPerYear: Pence? {
        guard let before = beforeCostPerYear, let after = afterCostPerYear else { return nil }
        let (change, overflow) = after.subtractingReportingOverflow(before)
        return overflow ? nil : change
    }
}
