import CostOfFailure
import CostOfFailureReports

extension ExportCommand {
    /// The workbook's cover: what a finance reader needs to trust and reuse the figures — the
    /// disclosure rule applied, how people are identified, the comparison group (or the caveat
    /// that there is none), then the study's provenance (the engine, every input with its SHA-256
    /// and row counts, the prices and price index, the windows, the unit costs' sources and
    /// licences), the same entries the HTML report's footer lists.
    ///
    /// No date or time of day, so that the same inputs give the same bytes.
    func workbookCover(tables: [ResultTable], study: Study, comparisonGroup: ComparisonGroup?) throws -> XLSXRenderer.Cover {
        let project = self.study.source.project
        let inputs = try self.study.inputs(try self.study.source.projectFile())
        typealias Entry = XLSXRenderer.Cover.Entry
        var entries: [Entry] = []
        if disclosure.rule.isSuppressing {
            entries.append(Entry("Disclosure control", "applied: " + disclosure.ruleDescription))
        } else {
            entries.append(Entry("Disclosure control", "NONE: this workbook is UNSUPPRESSED (--disclosure none). Counts and figures resting on very few people are shown exactly; do not publish or share it."))
        }
        if !tables.contains(where: { $0.column("person_id") != nil }) {
            entries.append(Entry("Person IDs", "none: no table in this workbook lists people"))
        } else if disclosure.rawIDs {
            entries.append(Entry("Person IDs", "RAW IDs (--raw-ids): this workbook identifies people"))
        } else {
            entries.append(Entry("Person IDs", "keyed pseudonyms (HMAC-SHA256 under the analyst's secret key), not the IDs in the data"))
        }
        if comparisonGroup != nil {
            entries.append(Entry("Comparison group", inputs.comparisonGroup?.displayName ?? "matched from the people without an intervention on age of record and before-window use (--match-comparison)"))
        } else {
            entries.append(Entry("Comparison group", "none"))
            entries.append(Entry("Caveat", Self.beforeAfterCaveat))
        }
        if let project { entries.append(Entry("Project file", project)) }
        for (name, value) in Provenance.of(study, inputs: inputs).entries {
            entries.append(Entry(name.prefix(1).uppercased() + name.dropFirst(), value))
        }
        let title = requestedTable == .finance ? "Cost of failure — finance pack" : "Cost of failure — \(tables.first?.title ?? "")"
        return XLSXRenderer.Cover(title: title, entries: entries)
    }
}
