import CostOfFailure

extension Provenance {
    /// Where a study's figures come from, for every output that leaves the screen (the HTML
    /// report's footer, the workbook's cover): the engine, every input file with its SHA-256 and
    /// what was read from it, the prices and price index, the windows, the bad-row policy, and
    /// the unit costs' sources and licences. Callers add what is their own (the disclosure rule
    /// they applied, what the report covers).
    ///
    /// Input files are hashed as they are now (read again), so call this once the study is
    /// loaded, before anything can change them.
    public static func of(_ study: Study, inputs: StudyInputs) -> Provenance {
        var provenance = Provenance()
        provenance.add("engine", "cof \(EngineVersion.current)")
        for (source, reconciliation) in zip(inputs.events, study.events.sources) {
            provenance.addInput("events" + (source.name.map { " (\($0))" } ?? ""), source.input, rows: reconciliation.equation)
        }
        provenance.addInput("interventions", inputs.interventions, rows: "\(study.interventions.entries.count) rows")
        if let unitCosts = inputs.unitCosts {
            provenance.addInput("unit costs", unitCosts, rows: "\(study.unitCostTable.entries.count) unit costs")
        } else {
            provenance.add("unit costs", "the shipped table of \(study.unitCostTable.entries.count) published UK unit costs")
        }
        if let services = inputs.services { provenance.addInput("services", services, rows: "\(study.services.entries.count) services") }
        if let priceBase = study.priceBase {
            if let deflator = inputs.deflator {
                provenance.addInput("price index", deflator, rows: priceBase.index.vintage)
            } else {
                provenance.add("price index", "shipped: \(priceBase.index.vintage)")
            }
        }
        provenance.add("prices", study.pricesDescription)
        provenance.add("windows", "before \(study.windows.before), after \(study.windows.after) of each person's index date (the earliest start of their interventions; an event on it is after)"
                       + (study.observationEnd.map { ", observation end \($0)" } ?? ", no observation end")
                       + (study.peopleWithAfterWindowCut > 0 ? "; after windows that run past it are cut there (exposure shortened)" : ""))
        provenance.add("bad rows", inputs.policy.mode == .fail ? "fail at the first bad row" : "rejected and counted (see each source's reconciliation)")
        provenance.addUnitCostSources(study.unitCostTable)
        return provenance
    }
}
