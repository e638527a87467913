import CostOfFailure

/// The cover sheet of an exported workbook: what a finance reader needs to trust and reuse the
/// figures — the disclosure rule applied, how people are identified, the comparison group (or
/// the caveat that there is none), then the study's provenance (the engine, every input with its
/// SHA-256 and row counts, the prices and price index, the windows, the unit costs' sources and
/// licences), the same entries the HTML report's footer lists.
///
/// No date or time of day, so that the same inputs give the same bytes.
public struct WorkbookCover: Sendable {
    /// Where the comparison group came from.
    public enum ComparisonGroupOrigin: Sendable {
        /// A file of people and pseudo index dates.
        case file(InputSource)
        /// Matched from the people without an intervention (`--match-comparison`).
        case matched
    }

    /// The rule the workbook's tables were protected with.
    public var rule: DisclosureRule
    /// What a withheld cell shows.
    public var suppressedMarker: String
    /// Whether tables that list people show raw IDs rather than keyed pseudonyms.
    public var rawIDs: Bool
    /// The comparison group, or `nil` when there is none (the cover then carries the caveat).
    public var comparisonGroup: ComparisonGroupOrigin?
    /// The project file the inputs were named in, when there is one.
    public var project: String?
    /// The study's provenance (see ``Provenance/of(_:inputs:)``).
    public var provenance: Provenance
    /// Whether the workbook is the finance pack (its title says so) rather than one table.
    public var isFinancePack: Bool

    /// Creates a cover.
    public init(rule: DisclosureRule, suppressedMarker: String, rawIDs: Bool, comparisonGroup: ComparisonGroupOrigin?,
                project: String?, provenance: Provenance, isFinancePack: Bool) {
        self.rule = rule
        self.suppressedMarker = suppressedMarker
        self.rawIDs = rawIDs
        self.comparisonGroup = comparisonGroup
        self.project = project
        self.provenance = provenance
        self.isFinancePack = isFinancePack
    }

    /// The cover's lines for a workbook of `tables`, in order: disclosure control, person IDs,
    /// the comparison group (and the caveat without one), the project file, then the provenance
    /// with each name capitalised.
    public func entries(tables: [ResultTable]) -> [XLSXRenderer.Cover.Entry] {
        typealias Entry = XLSXRenderer.Cover.Entry
        var entries: [Entry] = []
        if rule.isSuppressing {
            entries.append(Entry("Disclosure control", "applied: " + rule.description(marker: suppressedMarker)))
        } else {
            entries.append(Entry("Disclosure control", "NONE: this workbook is UNSUPPRESSED (--disclosure none). Counts and figures resting on very few people are shown exactly; do not publish or share it."))
        }
        if !tables.contains(where: { $0.column("person_id") != nil }) {
            entries.append(Entry("Person IDs", "none: no table in this workbook lists people"))
        } else if rawIDs {
            entries.append(Entry("Person IDs", "RAW IDs (--raw-ids): this workbook identifies people"))
        } else {
            entries.append(Entry("Person IDs", "keyed pseudonyms (HMAC-SHA256 under the analyst's secret key), not the IDs in the data"))
        }
        switch comparisonGroup {
        case .file(let source)?:
            entries.append(Entry("Comparison group", source.displayName))
        case .matched?:
            entries.append(Entry("Comparison group", "matched from the people without an intervention on age of record and before-window use (--match-comparison)"))
        case nil:
            entries.append(Entry("Comparison group", "none"))
            entries.append(Entry("Caveat", Caveats.beforeAfter))
        }
        if let project { entries.append(Entry("Project file", project)) }
        for (name, value) in provenance.entries {
            entries.append(Entry(name.prefix(1).uppercased() + name.dropFirst(), value))
        }
        return entries
    }

    /// The cover of a workbook of `tables`: titled for the finance pack, or for its one table.
    public func cover(tables: [ResultTable]) -> XLSXRenderer.Cover {
        let title = isFinancePack ? "Cost of failure — finance pack" : "Cost of failure — \(tables.first?.title ?? "")"
        return XLSXRenderer.Cover(title: title, entries: entries(tables: tables))
    }
}
