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
        of(StudyFacts(study), inputs: inputs)
    }

    /// What a study's provenance states of it besides its input files: a loaded study's, or a
    /// streaming pass's gathered as it reads.
    public struct StudyFacts: Sendable {
        /// What happened to each event source's rows, in the order of the inputs' event sources.
        public var sources: [SourceReconciliation]
        /// The interventions file's rows.
        public var interventionRows: Int
        /// The unit costs (their count, sources and licences are stated).
        public var unitCosts: UnitCostTable
        /// The services file's rows.
        public var serviceRows: Int
        /// The price base, when figures are stated in one financial year's prices.
        public var priceBase: PriceBase?
        /// The prices every figure is in, in words.
        public var pricesDescription: String
        /// The before and after windows.
        public var windows: StudyWindows
        /// The observation end and how it was decided, when there is one.
        public var observationEnd: ObservationEnd?
        /// How many people's after windows the observation end cuts short.
        public var peopleWithAfterWindowCut: Int

        /// Facts stated directly.
        public init(sources: [SourceReconciliation], interventionRows: Int, unitCosts: UnitCostTable, serviceRows: Int, priceBase: PriceBase?,
                    pricesDescription: String, windows: StudyWindows, observationEnd: ObservationEnd?, peopleWithAfterWindowCut: Int) {
            self.sources = sources
            self.interventionRows = interventionRows
            self.unitCosts = unitCosts
            self.serviceRows = serviceRows
            self.priceBase = priceBase
            self.pricesDescription = pricesDescription
            self.windows = windows
            self.observationEnd = observationEnd
            self.peopleWithAfterWindowCut = peopleWithAfterWindowCut
        }

        /// The facts of a streaming pass that kept the cohort's events (see
        /// ``StreamingPass/init(_:keepingCohortEvents:)``): the same as the study's of the same inputs.
        public init(_ pass: StreamingPass) {
            guard let unitCosts = pass.unitCostTable, let recordedCosts = pass.recordedCosts else {
                preconditionFailure("the provenance of a pass that did not keep the cohort's events")
            }
            self.init(sources: pass.events.sources, interventionRows: recordedCosts.rows, unitCosts: unitCosts,
                      serviceRows: pass.services.entries.count, priceBase: pass.priceBase, pricesDescription: pass.prices,
                      windows: pass.windows, observationEnd: pass.observationEnd, peopleWithAfterWindowCut: pass.peopleWithAfterWindowCut)
        }

        /// The facts of a loaded study.
        public init(_ study: Study) {
            self.init(sources: study.events.sources, interventionRows: study.interventions.entries.count, unitCosts: study.unitCostTable,
                      serviceRows: study.services.entries.count, priceBase: study.priceBase, pricesDescription: study.pricesDescription,
                      windows: study.windows, observationEnd: study.observationEnd, peopleWithAfterWindowCut: study.peopleWithAfterWindowCut)
        }
    }

    /// The provenance of a study described by `study` (see ``of(_:inputs:)-(Study,_)``), read from
    /// `inputs`, its files' hashes taken from `hashes` when given (see ``InputHashes``).
    public static func of(_ study: StudyFacts, inputs: StudyInputs, hashes: InputHashes? = nil) -> Provenance {
        of(study, inputs: inputs, hashes: hashes) { provenance in
            for (source, reconciliation) in zip(inputs.events, study.sources) {
                provenance.addInput("events" + (source.name.map { " (\($0))" } ?? ""), source.input, rows: reconciliation.equation, hashes: hashes)
            }
        }
    }

    /// The provenance of a merge of partials (``BeforeAfterPartial/merging(_:names:)``) whose
    /// study is described by `study`, its other inputs read again from `inputs`: the events are
    /// the partials' (each read its own part, so none is hashed here), each source's
    /// reconciliation summed over them.
    public static func of(merged: BeforeAfterPartial, _ study: StudyFacts, inputs: StudyInputs) -> Provenance {
        of(study, inputs: inputs, hashes: nil) { provenance in
            provenance.add("events", "\(merged.partials) partial\(merged.partials == 1 ? "" : "s") of cof partial, merged by cof merge (each partial's parameters and checksum checked)")
            for source in merged.sources { provenance.add("events (\(source.file))", source.equation + " (summed over the partials)") }
        }
    }

    /// The provenance of `study`, the events stated by `events`.
    private static func of(_ study: StudyFacts, inputs: StudyInputs, hashes: InputHashes?, events: (inout Provenance) -> Void) -> Provenance {
        var provenance = Provenance()
        provenance.add("engine", "cof \(EngineVersion.current)")
        events(&provenance)
        provenance.addInput("interventions", inputs.interventions, rows: "\(study.interventionRows) rows", hashes: hashes)
        if let unitCosts = inputs.unitCosts {
            let own = study.unitCosts.entries.count(where: { !$0.isShipped }), replaced = study.unitCosts.replacedShipped
            let shipped = study.unitCosts.entries.count - own
            var rows = "\(own) unit costs"
            if shipped > 0 || !replaced.isEmpty {
                rows += ", laid over the shipped table by (service, event): \(shipped) shipped kept"
                if !replaced.isEmpty { rows += ", \(replaced.count) replaced (\(replaced.map { $0.code ?? "(\($0.service), \($0.event))" }.joined(separator: ", ")))" }
            }
            provenance.addInput("unit costs", unitCosts, rows: rows, hashes: hashes)
        } else {
            provenance.add("unit costs", "the shipped table of \(study.unitCosts.entries.count) published UK unit costs")
        }
        if let services = inputs.services { provenance.addInput("services", services, rows: "\(study.serviceRows) services", hashes: hashes) }
        if let priceBase = study.priceBase {
            if let deflator = inputs.deflator {
                provenance.addInput("price index", deflator, rows: priceBase.index.vintage, hashes: hashes)
            } else {
                provenance.add("price index", "shipped: \(priceBase.index.vintage)")
            }
        }
        provenance.add("prices", study.pricesDescription)
        provenance.add("windows", "before \(study.windows.before), after \(study.windows.after) of each person's index date (the earliest start of their interventions; an event on it is after)"
                       + (study.observationEnd.map { ", observation end \($0)" } ?? ", no observation end")
                       + (study.peopleWithAfterWindowCut > 0 ? "; after windows that run past it are cut there (exposure shortened)" : ""))
        provenance.add("bad rows", inputs.policy.mode == .fail ? "fail at the first bad row" : "rejected and counted (see each source's reconciliation)")
        provenance.addUnitCostSources(study.unitCosts)
        return provenance
    }
}
