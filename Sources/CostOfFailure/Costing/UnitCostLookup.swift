/// The unit cost that prices a (service, event) pair, found by name: the event's own, else the
/// service's `*` (the precedence ``PriceGrid`` applies by code). For the figures that describe a
/// pair by its unit cost — its agency, value type and cashability — in the financial years and
/// the appraisal's split alike.
public struct UnitCostLookup: Sendable {
    private let exact: [String: UnitCostTable.Entry], wildcard: [String: UnitCostTable.Entry]

    /// The lookup over `table` (whose loader refuses a pair priced twice).
    public init(_ table: UnitCostTable) {
        var exact: [String: UnitCostTable.Entry] = [:], wildcard: [String: UnitCostTable.Entry] = [:]
        for entry in table.entries {
            if entry.event == UnitCostTable.anyEvent { wildcard[entry.service] = entry } else { exact[entry.service + "\u{0}" + entry.event] = entry }
        }
        self.exact = exact
        self.wildcard = wildcard
    }

    /// The unit cost of `event` of `service`, or `nil` when neither it nor the service's `*` has one.
    public func entry(service: String, event: String) -> UnitCostTable.Entry? {
        exact[service + "\u{0}" + event] ?? wildcard[service]
    }
}
