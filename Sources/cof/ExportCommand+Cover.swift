import CostOfFailure
import CostOfFailureReports

extension ExportCommand {
    /// The workbook's cover: what a finance reader needs to trust and reuse the figures — the
    /// engine, the prices, the disclosure rule, how people are identified, the windows, the
    /// comparison group (or the caveat that there is none) and every input file as given.
    ///
    /// No date or time of day, so that the same inputs give the same bytes. All the cover's
    /// lines are made here, in one place, to be replaced by a shared provenance record (file
    /// digests, row counts) when the HTML report has one.
    func workbookCover(tables: [ResultTable], study: Study, comparisonStudy: Study?) throws -> XLSXRenderer.Cover {
        let project = self.study.source.project
        let inputs = try self.study.inputs(try self.study.source.projectFile())
        typealias Entry = XLSXRenderer.Cover.Entry
        var entries = [
            Entry("Engine", "cof \(Cof.version)"),
            Entry("Prices", study.pricesDescription),
        ]
        let rule = suppression
        if noSuppression {
            entries.append(Entry("Small-number suppression", "NONE: this workbook is UNSUPPRESSED (--no-suppression). Counts and figures resting on \(rule.threshold) people or fewer are shown exactly; do not publish or share it."))
        } else {
            entries.append(Entry("Small-number suppression", "applied: counts of 1 to \(rule.threshold) show as \(suppressionMarker), other counts are rounded to the nearest \(rule.rounding); money, means and rates of a row resting on \(rule.threshold) people or fewer show as \(suppressionMarker); secondary suppression: a column with exactly one suppressed cell loses its smallest other non-zero cell too, so that it cannot be worked out from a total."))
        }
        if !tables.contains(where: Self.listsPeople) {
            entries.append(Entry("Person IDs", "none: no table in this workbook lists people"))
        } else if rawIDs {
            entries.append(Entry("Person IDs", "RAW IDs (--raw-ids): this workbook identifies people"))
        } else {
            entries.append(Entry("Person IDs", "keyed pseudonyms (HMAC-SHA256 under the analyst's secret key), not the IDs in the data"))
        }
        let windows = study.windows
        entries.append(Entry("Windows", "before: \(windows.before), after: \(windows.after) of each person's index date (the earliest start of their interventions); an event on the index date is after"))
        entries.append(Entry("Observation end", windows.observationEnd.map { "\($0) (inclusive): cuts the after window and its exposure" } ?? "none given"))
        if comparisonStudy != nil {
            entries.append(Entry("Comparison group", inputs.comparisonGroup?.displayName ?? "matched from the people without an intervention on age of record and before-window use (--match-comparison)"))
        } else {
            entries.append(Entry("Comparison group", "none"))
            entries.append(Entry("Caveat", Self.beforeAfterCaveat))
        }
        if let project { entries.append(Entry("Project file", project)) }
        for source in inputs.events {
            entries.append(Entry("Events", (source.name.map { "\($0): " } ?? "") + source.input.displayName))
        }
        entries.append(Entry("Interventions", inputs.interventions.displayName))
        entries.append(Entry("Unit costs", inputs.unitCosts?.displayName ?? "the shipped table of published UK unit costs (NHS National Cost Collection, OGL; GMCA Unit Cost Database, CC BY 4.0)"))
        entries.append(Entry("Services", inputs.services?.displayName ?? "none given"))
        if study.priceBase != nil {
            entries.append(Entry("Price index", inputs.deflator?.displayName ?? "the shipped HM Treasury GDP deflator"))
        }
        let title = requestedTable == .finance ? "Cost of failure — finance pack" : "Cost of failure — \(tables.first?.title ?? "")"
        return XLSXRenderer.Cover(title: title, entries: entries)
    }
}
