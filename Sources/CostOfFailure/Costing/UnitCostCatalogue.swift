/// The unit costs a study prices with: the study's own file laid over the shipped reference
/// table (``ReferenceData``), and the catalogue `cof unit-costs` lists and searches.
///
/// **The key is (service, event)**, compared exactly as written (byte-wise, case and spaces
/// included), the key the price grid looks prices up by: an own row with the (service, event)
/// of a shipped row replaces it; any other own row is added. An own service-wide default
/// (`service, *`) prices the whole service, so it replaces every shipped row of that service:
/// otherwise a shipped `(A&E, attendance)` would still price A&E attendances before an own
/// `(A&E, *)` (the precedence of ``CostResolver``), and a file written to price a service
/// would be silently undercut. With ``replaceShipped`` the own file is the whole table, as
/// before the catalogue existed.
public struct UnitCostCatalogue: Sendable {
    /// The study's own unit costs, if it has a file.
    public var own: UnitCostTable?
    /// The shipped table.
    public var shipped: UnitCostTable
    /// Whether the own file replaces the shipped table whole (`--replace-shipped-unit-costs`,
    /// `"replace_shipped_unit_costs": true`) instead of laying over it by key.
    public var replaceShipped: Bool

    /// A catalogue of `own` over `shipped` (by default the engine's).
    public init(own: UnitCostTable?, shipped: UnitCostTable = ReferenceData.unitCosts, replaceShipped: Bool = false) {
        self.own = own
        self.shipped = shipped
        self.replaceShipped = replaceShipped
    }

    /// The effective table: the own entries in their order, then the shipped entries whose key
    /// no own entry has (nor an own `*` of their service), in shipped order; the shipped entries replaced are kept in
    /// ``UnitCostTable/replacedShipped``. Without an own file, the shipped table; with
    /// ``replaceShipped``, the own file alone.
    public var effective: UnitCostTable {
        guard let own else { return shipped }
        if replaceShipped { return own }
        var ownKeys = Set<String>(), wholeServices = Set<String>()
        for entry in own.entries {
            ownKeys.insert(Self.key(entry))
            if entry.event == UnitCostTable.anyEvent { wholeServices.insert(entry.service) }
        }
        var kept: [UnitCostTable.Entry] = [], replaced: [UnitCostTable.Entry] = []
        for entry in shipped.entries {
            if ownKeys.contains(Self.key(entry)) || wholeServices.contains(entry.service) { replaced.append(entry) } else { kept.append(entry) }
        }
        return UnitCostTable(entries: own.entries + kept, replacedShipped: replaced)
    }

    /// The effective table of the own file at `source` (the shipped table alone without one),
    /// read with `reader`: what every command prices with.
    ///
    /// - Throws: ``IngestError`` when the file cannot be read or holds a bad row.
    public static func effective(_ source: InputSource?, reader: CSVReader = CSVReader(), mapping: InputMapping = .standard,
                                 replaceShipped: Bool = false) throws(IngestError) -> UnitCostTable {
        let own = try source.map { (source) throws(IngestError) in try UnitCostLoader(reader: reader, mapping: mapping).load(source) }
        return UnitCostCatalogue(own: own, replaceShipped: replaceShipped).effective
    }

    /// The key an entry is laid over another by: its (service, event), exactly.
    static func key(_ entry: UnitCostTable.Entry) -> String { entry.service + "\u{0}" + entry.event }

    /// How many entries a note names before it counts the rest.
    static let namedInNote = 6

    /// Lines for standard error about what `table` (as a study prices with it) took from the
    /// shipped table: the shipped entries its own file replaced, and those left out because the
    /// price index does not cover their year. Each names the first ``namedInNote`` entries by
    /// (service, event) and code; none when there is nothing to say.
    public static func notes(_ table: UnitCostTable) -> [String] {
        func names(_ entries: [UnitCostTable.Entry]) -> String {
            let named = entries.prefix(namedInNote).map { "(\($0.service), \($0.event))" + ($0.code.map { " [\($0)]" } ?? "") }
            let more = entries.count > namedInNote ? " and \(entries.count - namedInNote) more (cof unit-costs lists the table)" : ""
            return named.joined(separator: ", ") + more
        }
        func costs(_ count: Int) -> String { "\(count) shipped unit cost\(count == 1 ? "" : "s")" }
        var lines: [String] = []
        if !table.replacedShipped.isEmpty {
            lines.append("unit costs: your file replaces \(costs(table.replacedShipped.count)) (the same service and event, or a service it prices whole with *): "
                         + names(table.replacedShipped))
        }
        if !table.shippedOutsideIndex.isEmpty {
            lines.append("unit costs: \(costs(table.shippedOutsideIndex.count)) left out, in price years the deflator does not cover (events they would price are unpriced): "
                         + names(table.shippedOutsideIndex))
        }
        return lines
    }

    /// The entries of `table` whose service, event, code or source holds `search`, ignoring case
    /// (all of them for an empty search), in the table's order.
    public static func matching(_ table: UnitCostTable, search: String?) -> [UnitCostTable.Entry] {
        guard let search, !search.isEmpty else { return table.entries }
        let needle = search.lowercased()
        return table.entries.filter { entry in
            [entry.service, entry.event, entry.code ?? "", entry.source ?? ""].contains { $0.lowercased().contains(needle) }
        }
    }

    /// One line saying what `table` holds and how many of its entries are `shown`: "29 unit
    /// costs: 27 shipped, 2 own (1 shipped replaced); 3 shown".
    public static func summary(of table: UnitCostTable, shown: Int) -> String {
        let shipped = table.entries.filter(\.isShipped).count, own = table.entries.count - shipped
        var text = "\(table.entries.count) unit cost\(table.entries.count == 1 ? "" : "s"): \(shipped) shipped, \(own) own"
        if !table.replacedShipped.isEmpty { text += " (\(table.replacedShipped.count) shipped replaced)" }
        return text + "; \(shown) shown"
    }

    /// `entries` as a result table, one row per unit cost: `service, event, code, unit,
    /// quantity_unit` (what the events' quantity counts), `price_year, unit_cost` (pounds, in the
    /// prices of `price_year`), `trim_point, excess_per_unit` (a tariff's), `agency, value_type,
    /// cashable, confidence, origin` (`shipped` or `own`), `source, licence`. The columns are a
    /// unit-cost file's, so the table written as CSV reads back as one (`origin` is ignored).
    /// Published figures, about no person: no column rests on people, so no disclosure rule
    /// touches them.
    public static func resultTable(_ entries: [UnitCostTable.Entry]) -> ResultTable {
        func text(_ name: String, _ value: (UnitCostTable.Entry) -> String?) -> ResultColumn {
            ResultColumn(name, .text(entries.map { value($0) ?? "" }))
        }
        let columns = [
            text("service") { $0.service }.asLabel(),
            text("event") { $0.event }.asLabel(),
            text("code") { $0.code },
            text("unit") { $0.unit },
            text("quantity_unit") { ($0.quantityUnit ?? UnitOfMeasure(unitText: $0.unit)).rawValue },
            text("price_year") { $0.priceYear },
            ResultColumn("unit_cost", money: entries.map { $0.unitCostPence }),
            ResultColumn("trim_point", integers: entries.map { $0.trimPoint.map(Int64.init) }),
            ResultColumn("excess_per_unit", money: entries.map { $0.excessPerUnitPence }),
            text("agency") { $0.agency },
            text("value_type") { $0.valueType },
            text("cashable") { $0.cashable.map { $0 ? "yes" : "no" } },
            text("confidence") { $0.confidence },
            text("origin") { $0.isShipped ? "shipped" : "own" },
            text("source") { $0.source },
            text("licence") { $0.licence },
        ]
        return ResultTable(name: "unit_costs", title: "Unit costs", columns: columns)
    }
}
