/// What `cof validate` finds in the inputs, without analysing them: per source, its rows,
/// people, dates, what it records, what cannot be priced, duplicates, rows past the observation
/// end and every kind of error with the first few positions; across sources, people with events
/// but no intervention and interventions with no events.
///
/// Made in one streaming pass over the event files (``examine(_:loader:unitCosts:interventions:)``
/// then ``init(_:unitCosts:interventions:observationEnd:)``), which never holds the event table.
///
/// Counts only: no person ID or cell value appears in it.
public struct DataQualityReport: Sendable {
    /// How many positions are kept per error kind.
    public static let positionsPerKind = 5

    /// One source's findings.
    public struct Source: Sendable {
        /// The file.
        public var file: String
        /// read = loaded + rejected + blank.
        public var reconciliation: SourceReconciliation
        /// Distinct people among the loaded rows.
        public var people: Int
        /// First and last event day among the loaded rows.
        public var firstDay: CivilDate?
        /// Last event day.
        public var lastDay: CivilDate?
        /// Loaded rows per (service, event), byte-wise by service then event.
        public var rowsByServiceEvent: [(service: String, event: String, rows: Int)]
        /// (service, event) pairs with no explicit cost and no unit cost, with their rows.
        public var unpriced: [(service: String, event: String, rows: Int)]
        /// Rows that repeat an earlier row of the same source exactly (person, service, event,
        /// date, quantity, cost).
        public var duplicateRows: Int
        /// Rows dated after the observation end.
        public var rowsAfterObservationEnd: Int
        /// Each error kind with its count and first few rejects, by kind name.
        public var errors: [(kind: IngestError.Kind, count: Int, first: [IngestError])]
    }

    /// Per-source findings, in source order.
    public let sources: [Source]
    /// People with events but no intervention row (they take no part in comparisons).
    public let peopleWithoutIntervention: Int
    /// Intervention rows' people with no events at all.
    public let interventionsWithoutEvents: Int
    /// Each source's coverage of the cohort (the interventions' people), in source order; empty
    /// without interventions.
    public let coverage: [SourceCoverage]
    /// Whether interventions were given (so the two counts above mean something).
    public let hasInterventions: Bool
    /// Whether unit costs were given (so the unpriced lists mean something).
    public let hasUnitCosts: Bool
    /// The observation end used, when given.
    public let observationEnd: CivilDate?

    /// Whether nothing was rejected.
    public var isClean: Bool { sources.allSatisfy { $0.reconciliation.rejected == 0 } }

    /// A report of these findings (see ``init(_:unitCosts:interventions:observationEnd:)``,
    /// which makes them).
    init(sources: [Source], peopleWithoutIntervention: Int, interventionsWithoutEvents: Int, coverage: [SourceCoverage],
         hasInterventions: Bool, hasUnitCosts: Bool, observationEnd: CivilDate?) {
        self.sources = sources
        self.peopleWithoutIntervention = peopleWithoutIntervention
        self.interventionsWithoutEvents = interventionsWithoutEvents
        self.coverage = coverage
        self.hasInterventions = hasInterventions
        self.hasUnitCosts = hasUnitCosts
        self.observationEnd = observationEnd
    }
}
