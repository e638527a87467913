/// The files one analysis reads, and the windows: what `cof` subcommands gather from their
/// options before any work starts.
public struct StudyInputs: Sendable {
    /// Event sources (one per agency export), read in order into one table.
    public var events: [EventSource]
    /// The interventions file.
    public var interventions: InputSource
    /// How the interventions file's person IDs are brought to the events' form (none by default).
    public var interventionsPersonID = PersonIDNormalisation.none
    /// How the comparison group file's person IDs are brought to the events' form.
    public var comparisonPersonID = PersonIDNormalisation.none
    /// How each table besides the events is written (header names, date format, delimiter,
    /// encoding), when not as the README's inputs describe (``InputMapping/standard``).
    public var mappings: [Table: InputMapping] = [:]
    /// The unit-cost file, laid over the shipped reference table by (service, event)
    /// (``UnitCostCatalogue``; `nil`: the shipped table alone).
    public var unitCosts: InputSource?
    /// Whether ``unitCosts`` replaces the shipped table whole instead of laying over it.
    public var replaceShippedUnitCosts = false
    /// The services file (categories and agencies), when given.
    public var services: InputSource?
    /// The windows; with no observation end, the default one (``ObservationEnd``) is decided
    /// from the data when it is read.
    public var windows: StudyWindows
    /// The financial year whose prices every figure is stated in (`nil`: prices as given).
    public var priceBase: FinancialYear?
    /// The price index for the price base (`nil`: the shipped GDP deflator).
    public var deflator: InputSource?
    /// The comparison group: people without the intervention, each with a pseudo index date
    /// (`person_id, start_date`), when there is one.
    public var comparisonGroup: InputSource?
    /// Without a comparison file: draw a comparison group from the people without an
    /// intervention, matched on age of record and before-window use (``ComparisonGroupMatching``).
    public var matchComparison = false
    /// What to do with bad event rows.
    public var policy: ErrorPolicy
    /// The longest CSV field accepted, in bytes.
    public var maxFieldBytes: Int
    /// Kernel worker threads.
    public var workers: Int
    /// Where the events' reads count their bytes and rows, for a progress line (`nil`: not
    /// counted). The other files are small and not counted.
    public var progress: ReadProgress?
    /// The digests that take the event files' raw bytes as they are read, by path (see
    /// ``ReadDigest``): a file without one is hashed, when asked, by reading it again.
    public var digests: [String: ReadDigest] = [:]

    /// Creates inputs.
    public init(events: [EventSource], interventions: InputSource, unitCosts: InputSource?, services: InputSource? = nil,
                windows: StudyWindows, priceBase: FinancialYear? = nil, deflator: InputSource? = nil, comparisonGroup: InputSource? = nil,
                policy: ErrorPolicy = .failFast, maxFieldBytes: Int = 1 << 20, workers: Int = Processors.online) {
        self.priceBase = priceBase
        self.deflator = deflator
        self.comparisonGroup = comparisonGroup
        self.events = events
        self.interventions = interventions
        self.unitCosts = unitCosts
        self.services = services
        self.windows = windows
        self.policy = policy
        self.maxFieldBytes = maxFieldBytes
        self.workers = workers
    }

    /// The files a study reads besides the events, by their project-file key.
    public enum Table: String, Sendable, Hashable, CaseIterable {
        /// The interventions file.
        case interventions
        /// The unit-cost file.
        case unitCosts = "unit_costs"
        /// The services file.
        case services
        /// The price index file.
        case deflator
        /// The comparison group file.
        case comparison
    }

    /// How `table` is written.
    public func mapping(_ table: Table) -> InputMapping {
        mappings[table] ?? .standard
    }

    /// The loader of the interventions file, as it is written.
    func interventionLoader(reader: CSVReader) -> InterventionLoader {
        InterventionLoader(reader: reader, personID: interventionsPersonID, mapping: mapping(.interventions))
    }

    /// The loader of the comparison group file, as it is written (its rows are read as an
    /// interventions file's: `person_id, start_date`).
    func comparisonGroupLoader(reader: CSVReader) -> InterventionLoader {
        InterventionLoader(reader: reader, personID: comparisonPersonID, mapping: mapping(.comparison))
    }

    /// The services file's rows (none when there is no file), read as it is written.
    func loadServices(reader: CSVReader) throws(IngestError) -> ServiceCatalog {
        guard let services else { return .empty }
        return try ServiceCatalogLoader(reader: reader, mapping: mapping(.services)).load(services)
    }

    /// Why loading failed.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// A file could not be read or held bad data.
        case ingest(IngestError)
        /// A cost overflowed.
        case overflow(CostResolver.Overflow)
        /// Figures cannot be stated in the price base.
        case pricing(PriceBase.Failure)

        /// A message for the user.
        public var description: String {
            switch self {
            case .ingest(let error): return error.description
            case .overflow(let error): return error.description
            case .pricing(let error): return error.description
            }
        }
    }

    /// The unit costs (the study's file over the shipped reference table) and the price base
    /// they are stated in, if one was asked for.
    func prices(reader: CSVReader) throws(Failure) -> (UnitCostTable, PriceBase?) {
        let table: UnitCostTable, index: PriceIndex?
        do throws(IngestError) {
            table = try UnitCostCatalogue.effective(unitCosts, reader: reader, mapping: mapping(.unitCosts), replaceShipped: replaceShippedUnitCosts)
            index = try priceBase.map { _ throws(IngestError) in
                try deflator.map { (source) throws(IngestError) in try PriceIndexLoader(reader: reader, mapping: mapping(.deflator)).load(source) } ?? ReferenceData.deflator
            }
        } catch {
            throw .ingest(error)
        }
        guard let priceBase, let index else { return (table, nil) }
        do throws(PriceBase.Failure) {
            let base = try PriceBase(year: priceBase, index: index)
            return (try base.restate(table), base)
        } catch {
            throw .pricing(error)
        }
    }

    /// `interventions` with their recorded costs, nominal in the year each intervention started,
    /// restated in `priceBase`'s prices (as they are, with none): the table path and the
    /// streaming pass both read the recorded costs through this.
    static func restating(_ interventions: InterventionTable, in priceBase: PriceBase?) throws(Failure) -> InterventionTable {
        guard let priceBase else { return interventions }
        do throws(PriceBase.Failure) {
            return try priceBase.restate(interventions)
        } catch {
            throw .pricing(error)
        }
    }

    /// The loader of the events: the policy, field limit, workers, progress counter and
    /// digests these inputs give.
    public var eventLoader: EventLoader {
        var loader = EventLoader(policy: policy, maxFieldBytes: maxFieldBytes, workers: workers, progress: progress)
        loader.digests = digests
        return loader
    }

    /// Whether the default observation end (none given) depends on the latest events of some
    /// sources while others bound it with extract dates: then events must be read before they
    /// can be put in windows (the streaming pass cannot; see ``StreamingPass``).
    public var endNeedsEventsBeforeWindows: Bool {
        windows.observationEnd == nil && events.contains { $0.extractDate != nil } && events.contains { $0.extractDate == nil }
    }

    /// Reads every file, prices the events and lays out the windows.
    public func load() throws(Failure) -> Study {
        let reader = CSVReader(maxFieldBytes: maxFieldBytes, showValues: policy.showValues)
        let events: EventTable
        var interventions: InterventionTable
        var services = ServiceCatalog.empty
        do throws(IngestError) {
            events = try eventLoader.load(self.events)
        } catch {
            throw .ingest(error)
        }
        let (unitCosts, priceBase) = try prices(reader: reader)
        do throws(IngestError) {
            interventions = try interventionLoader(reader: reader).load(self.interventions)
            services = try loadServices(reader: reader)
        } catch {
            throw .ingest(error)
        }
        interventions = try Self.restating(interventions, in: priceBase)
        // No end given: the last date the data covers (``ObservationEnd``).
        var windows = self.windows, basis = ObservationEnd.Basis.given
        if windows.observationEnd == nil, let end = ObservationEnd.covered(events: events, sources: self.events) {
            windows.observationEnd = end.date
            basis = end.basis
        }
        do throws(CostResolver.Overflow) {
            return try Study(events: events, unitCosts: unitCosts, interventions: interventions,
                             services: services, windows: windows, observationEndBasis: basis, priceBase: priceBase, workers: workers)
        } catch {
            throw .overflow(error)
        }
    }

    /// The comparison group's study: the same events, prices and windows as `study`, with the
    /// comparison group's pseudo index dates — from the comparison file, or matched when
    /// ``matchComparison`` is set (`nil` without either).
    ///
    /// - Throws: when the file cannot be read, or a person is in both groups.
    public func loadComparisonGroupStudy(like study: Study) throws(Failure) -> Study? {
        try loadComparisonGroup(like: study)?.study
    }

    /// The comparison group (see ``loadComparisonGroupStudy(like:)``) with, when it was matched, the
    /// match that made it: made here once, for every analysis of the command to reuse.
    ///
    /// - Throws: when the file cannot be read, or a person is in both groups.
    public func loadComparisonGroup(like study: Study) throws(Failure) -> ComparisonGroup? {
        guard let comparisonGroup else {
            guard matchComparison else { return nil }
            let matched = ComparisonGroupMatching(study: study)
            do throws(CostResolver.Overflow) {
                return ComparisonGroup(study: try Study(events: study.events, unitCosts: study.unitCostTable, interventions: InterventionTable(entries: matched.entries),
                                                        services: study.services, windows: study.windows, observationEndBasis: study.observationEndBasis,
                                                        priceBase: study.priceBase, workers: study.workers),
                                       matching: matched)
            } catch {
                throw .overflow(error)
            }
        }
        let treated = study.indexDates
        let table = try readComparisonGroup(comparisonGroup) { treated[PersonID($0)] != nil }
        do throws(CostResolver.Overflow) {
            return ComparisonGroup(study: try Study(events: study.events, unitCosts: study.unitCostTable, interventions: table, services: study.services,
                                                    windows: study.windows, observationEndBasis: study.observationEndBasis, priceBase: study.priceBase, workers: study.workers))
        } catch {
            throw .overflow(error)
        }
    }

    /// The comparison file's rows, refusing a person who also has an intervention (`isTreated`).
    ///
    /// - Throws: when the file cannot be read, or a person is in both groups.
    func readComparisonGroup(_ source: InputSource, isTreated: (String) -> Bool) throws(Failure) -> InterventionTable {
        let table: InterventionTable
        do throws(IngestError) {
            table = try comparisonGroupLoader(reader: CSVReader(maxFieldBytes: maxFieldBytes, showValues: policy.showValues)).load(source)
        } catch {
            throw .ingest(error)
        }
        if let row = table.entries.firstIndex(where: { isTreated($0.personID) }) {
            throw .ingest(IngestError(file: source.displayName, kind: .duplicateKey,
                                      detail: "data row \(row + 1) is a person who also has an intervention; expected the comparison group to hold only people without one"))
        }
        return table
    }

    /// The comparison group over everyone's grouped events (`features`), for the treated
    /// `cohort` (every treated person with their index date, in byte order of their IDs;
    /// `isTreated` says whether an ID is among them): from the comparison file, or matched when
    /// ``matchComparison`` is set (`nil` without either). The same group as
    /// ``loadComparisonGroup(like:)`` makes a study of.
    ///
    /// - Throws: when the file cannot be read, or a person is in both groups.
    public func loadComparisonGroupPeople(features: MatchingFeatures, cohort: [InterventionTable.Entry], isTreated: (String) -> Bool,
                                          services: ServiceCatalog, prices: String) throws(Failure) -> ComparisonGroupPeople? {
        let origin: ComparisonGroupAnalysis.Origin
        if let comparisonGroup {
            origin = .given(try readComparisonGroup(comparisonGroup, isTreated: isTreated).entries)
        } else if matchComparison {
            let withEvents = cohort.compactMap { entry in features.persons.code(of: entry.personID).map { (person: $0, index: entry.start) } }
            origin = .matched(ComparisonGroupMatching(features: features, treated: withEvents, cohortPeople: cohort.count))
        } else {
            return nil
        }
        return ComparisonGroupPeople(features: features, cohort: cohort, origin: origin, services: services, prices: prices)
    }
}
