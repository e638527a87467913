/// The files one analysis reads, and the windows: what `cof` subcommands gather from their
/// options before any work starts.
public struct StudyInputs: Sendable {
    /// Event sources (one per agency export), read in order into one table.
    public var events: [EventSource]
    /// The interventions file.
    public var interventions: InputSource
    /// The unit-cost file.
    public var unitCosts: InputSource
    /// The services file (categories and agencies), when given.
    public var services: InputSource?
    /// The windows.
    public var windows: StudyWindows
    /// What to do with bad event rows.
    public var policy: ErrorPolicy
    /// The longest CSV field accepted, in bytes.
    public var maxFieldBytes: Int
    /// Kernel worker threads.
    public var workers: Int

    /// Creates inputs.
    public init(events: [EventSource], interventions: InputSource, unitCosts: InputSource, services: InputSource? = nil,
                windows: StudyWindows, policy: ErrorPolicy = .failFast, maxFieldBytes: Int = 1 << 20,
                workers: Int = Processors.online) {
        self.events = events
        self.interventions = interventions
        self.unitCosts = unitCosts
        self.services = services
        self.windows = windows
        self.policy = policy
        self.maxFieldBytes = maxFieldBytes
        self.workers = workers
    }

    /// Why loading failed.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// A file could not be read or held bad data.
        case ingest(IngestError)
        /// A cost overflowed.
        case overflow(CostResolver.Overflow)

        /// A message for the user.
        public var description: String {
            switch self {
            case .ingest(let error): return error.description
            case .overflow(let error): return error.description
            }
        }
    }

    /// Reads every file, prices the events and lays out the windows.
    public func load() throws(Failure) -> Study {
        let reader = CSVReader(maxFieldBytes: maxFieldBytes)
        let events: EventTable, unitCosts: UnitCostTable, interventions: InterventionTable
        var services = ServiceCatalog.empty
        do throws(IngestError) {
            events = try EventLoader(policy: policy, maxFieldBytes: maxFieldBytes, workers: workers).load(self.events)
            unitCosts = try UnitCostLoader(reader: reader).load(self.unitCosts)
            interventions = try InterventionLoader(reader: reader).load(self.interventions)
            if let source = self.services { services = try ServiceCatalogLoader(reader: reader).load(source) }
        } catch {
            throw .ingest(error)
        }
        do throws(CostResolver.Overflow) {
            return try Study(events: events, unitCosts: unitCosts, interventions: interventions,
                             services: services, windows: windows, workers: workers)
        } catch {
            throw .overflow(error)
        }
    }
}
