/// A deterministic synthetic dataset in the engine's input format, of any size: for tests,
/// benchmarks and demonstrations where real person-level data cannot be shared.
///
/// People have a heavy-tailed number of events (a few people carry most of the activity, as
/// with John); events spread over ten years across the 14 failure-demand services with their
/// usual event types; nights and hours carry quantities; about 1 in 200 events has an explicit
/// cost; a share of people have an intervention. Optionally a comparison group (people with no
/// intervention but a pseudo index date) and a planted effect (a share of treated people's
/// events on or after their index date never happen), so that an analysis can be checked
/// against a known answer. The same options and seed always give the same bytes.
public struct SyntheticDataset: Sendable {
    /// What to generate.
    public struct Options: Sendable, Hashable {
        /// Number of event rows.
        public var events: Int
        /// Seed for the random stream.
        public var seed: UInt64
        /// Number of people (default: one per 40 events, at least 1).
        public var people: Int
        /// Share of people with an intervention, 0...1.
        public var interventionShare: Double
        /// First day events may fall on; events span ten years from it.
        public var firstDay: CivilDate
        /// Share of people in the comparison group (no intervention, a pseudo index date), 0...1.
        public var comparisonShare: Double
        /// The planted effect: the share of a treated person's events on or after the index date
        /// that are dropped, 0...1.
        public var effect: Double

        /// Creates options; the intervention and comparison shares together are at most 1.
        public init(events: Int, seed: UInt64 = 1, people: Int? = nil, interventionShare: Double = 0.3,
                    comparisonShare: Double = 0, effect: Double = 0,
                    firstDay: CivilDate = CivilDate(year: 2014, month: 4, day: 1)!) {
            self.events = max(0, events)
            self.seed = seed
            self.people = max(1, people ?? events / 40)
            self.interventionShare = min(1, max(0, interventionShare))
            self.comparisonShare = min(1 - self.interventionShare, max(0, comparisonShare))
            self.effect = min(1, max(0, effect))
            self.firstDay = firstDay
        }
    }

    /// One event type a service records, with its unit cost and the quantities it takes.
    struct EventType: Sendable {
        let name: String
        let unitCostPence: Pence
        let maxQuantity: Int32
    }

    /// One service of the synthetic world.
    struct Service: Sendable {
        let name: String
        let category: String
        let agency: String
        /// Relative share of all events.
        let weight: Int
        let events: [EventType]
    }

    /// The 14 services, with unit costs in 2023-24 prices taken from the shipped reference table.
    static let services: [Service] = [
        Service(name: "A&E", category: "Health", agency: "NHS", weight: 14, events: [EventType(name: "attendance", unitCostPence: 27_300, maxQuantity: 1)]),
        Service(name: "Ambulance", category: "Health", agency: "NHS", weight: 8, events: [
            EventType(name: "see and convey", unitCostPence: 45_900, maxQuantity: 1), EventType(name: "see and treat", unitCostPence: 32_700, maxQuantity: 1),
            EventType(name: "hear and treat", unitCostPence: 6_600, maxQuantity: 1)]),
        Service(name: "Hospital", category: "Health", agency: "NHS", weight: 3, events: [
            EventType(name: "non-elective admission short stay", unitCostPence: 79_200, maxQuantity: 1),
            EventType(name: "non-elective admission long stay", unitCostPence: 513_400, maxQuantity: 1)]),
        Service(name: "Mental health crisis", category: "Health", agency: "NHS", weight: 5, events: [
            EventType(name: "crisis team contact", unitCostPence: 33_800, maxQuantity: 1), EventType(name: "psychiatric liaison contact", unitCostPence: 35_500, maxQuantity: 1)]),
        Service(name: "Mental health inpatient", category: "Health", agency: "NHS", weight: 1, events: [EventType(name: "bed day", unitCostPence: 57_500, maxQuantity: 60)]),
        Service(name: "GP", category: "Health", agency: "NHS", weight: 12, events: [EventType(name: "consultation", unitCostPence: 4_500, maxQuantity: 1)]),
        Service(name: "Drug and alcohol service", category: "Health", agency: "NHS", weight: 4, events: [EventType(name: "structured treatment week", unitCostPence: 6_727, maxQuantity: 4)]),
        Service(name: "Police", category: "Criminal justice", agency: "Police", weight: 20, events: [
            EventType(name: "arrest", unitCostPence: 90_178, maxQuantity: 1), EventType(name: "arrest no further action", unitCostPence: 43_340, maxQuantity: 1),
            EventType(name: "officer hour", unitCostPence: 5_057, maxQuantity: 6)]),
        Service(name: "Courts", category: "Criminal justice", agency: "Criminal justice system", weight: 3, events: [
            EventType(name: "adult court event violence", unitCostPence: 1_828_489, maxQuantity: 1), EventType(name: "adult court event theft", unitCostPence: 576_903, maxQuantity: 1),
            EventType(name: "adult court event criminal damage", unitCostPence: 63_988, maxQuantity: 1), EventType(name: "adult court event breach", unitCostPence: 39_112, maxQuantity: 1)]),
        Service(name: "Probation", category: "Criminal justice", agency: "Criminal justice system", weight: 6, events: [EventType(name: "supervision appointment", unitCostPence: 987, maxQuantity: 1)]),
        Service(name: "Prison", category: "Criminal justice", agency: "Criminal justice system", weight: 1, events: [EventType(name: "night", unitCostPence: 12_181, maxQuantity: 180)]),
        Service(name: "Supported accommodation", category: "Housing", agency: "Local authority", weight: 6, events: [EventType(name: "hostel night", unitCostPence: 2_143, maxQuantity: 14)]),
        Service(name: "Housing options", category: "Housing", agency: "Local authority", weight: 3, events: [
            EventType(name: "statutory homelessness application", unitCostPence: 349_098, maxQuantity: 1), EventType(name: "eviction", unitCostPence: 932_417, maxQuantity: 1),
            EventType(name: "advice contact", unitCostPence: 0, maxQuantity: 1)]),
        Service(name: "Social care", category: "Social care", agency: "Local authority", weight: 5, events: [EventType(name: "social worker hour", unitCostPence: 5_800, maxQuantity: 3)]),
    ]

    /// The options.
    public let options: Options

    /// Creates a dataset description; nothing is generated until a file is asked for.
    public init(options: Options) {
        self.options = options
    }

    /// The ID of person number `n`: stable, scattered so that file order is not ID order.
    public static func personID(_ n: Int) -> String {
        let scrambled = (UInt64(n) &* 0x9E37_79B9) % 1_000_000_000
        let digits = String(scrambled)
        return "P" + String(repeating: "0", count: 9 - digits.count) + digits + "-" + String(n)
    }

    /// Writes the events CSV (`person_id,service,event,date,quantity,cost`) in pieces of about
    /// 1 MiB to `sink`, and returns the number of rows written (fewer than asked for when an
    /// effect is planted).
    @discardableResult
    public func writeEvents<E: Error>(_ sink: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) -> Int {
        var written = 0
        var random = SyntheticRandom(seed: options.seed)
        var weighted: [Int] = []
        for (index, service) in Self.services.enumerated() { weighted += Array(repeating: index, count: service.weight) }
        let personIDs = (0..<options.people).map { Array(Self.personID($0).utf8) }
        let serviceNames = Self.services.map { Array($0.name.utf8) }
        let eventNames = Self.services.map { $0.events.map { Array($0.name.utf8) } }
        let span = UInt64(options.firstDay.addingMonths(120).daysSinceEpoch - options.firstDay.daysSinceEpoch)
        let dates = (0..<Int(span)).map { Array(options.firstDay.addingDays($0).description.utf8) }
        let groups = options.effect > 0 ? assignments() : []
        let firstDay = Int(options.firstDay.daysSinceEpoch)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20 + 256)
        buffer += Array("person_id,service,event,date,quantity,cost\n".utf8)
        for _ in 0..<options.events {
            // Heavy tail: person = people × u² puts a tenth of the events on the top 1% of people.
            let u = Double(random.next() >> 11) / Double(1 << 53)
            let person = min(options.people - 1, Int(Double(options.people) * u * u))
            let s = weighted[Int(random.next() % UInt64(weighted.count))]
            let service = Self.services[s]
            let e = Int(random.next() % UInt64(service.events.count))
            let type = service.events[e]
            let day = Int(random.next() % span)
            if !groups.isEmpty, groups[person].group == .treated, firstDay + day >= Int(groups[person].index.daysSinceEpoch),
               Double(random.next() >> 11) / Double(1 << 53) < options.effect {
                continue  // the planted effect: this event of a treated person never happens
            }
            buffer += personIDs[person]
            buffer.append(UInt8(ascii: ","))
            buffer += serviceNames[s]
            buffer.append(UInt8(ascii: ","))
            buffer += eventNames[s][e]
            buffer.append(UInt8(ascii: ","))
            buffer += dates[day]
            buffer.append(UInt8(ascii: ","))
            if type.maxQuantity > 1 { appendDecimal(Int64(1 + random.next() % UInt64(type.maxQuantity)), to: &buffer) }
            buffer.append(UInt8(ascii: ","))
            if random.next() % 200 == 0 {
                let pence = Int64(random.next() % 50_000_00)
                appendDecimal(pence / 100, to: &buffer)
                buffer.append(UInt8(ascii: "."))
                buffer.append(UInt8(ascii: "0") + UInt8(pence % 100 / 10))
                buffer.append(UInt8(ascii: "0") + UInt8(pence % 10))
            }
            buffer.append(0x0A)
            written += 1
            if buffer.count >= 1 << 20 {
                try flush(&buffer, sink)
            }
        }
        if !buffer.isEmpty { try flush(&buffer, sink) }
        return written
    }

    /// Which group a person is in.
    public enum Group: Sendable, Equatable {
        case none, treated, comparison
    }

    /// Each person's group and (pseudo) index date, a day in years 3 to 9 of the ten so that
    /// both windows have data around it. Drawn from their own random stream.
    public func assignments() -> [(group: Group, index: CivilDate)] {
        var random = SyntheticRandom(seed: options.seed ^ 0x1D7E_0C0E)
        return (0..<options.people).map { _ in
            let u = Double(random.next() % 1_000_000) / 1_000_000
            let group: Group = u < options.interventionShare ? .treated
                : u < options.interventionShare + options.comparisonShare ? .comparison : .none
            guard group != .none else { return (.none, options.firstDay) }
            return (group, options.firstDay.addingDays(3 * 365 + Int(random.next() % (6 * 365))))
        }
    }

    /// The interventions CSV: the treated people and their start dates.
    public func interventionsCSV() -> String {
        var text = "person_id,start_date,end_date,programme,cost\n"
        for (person, assignment) in assignments().enumerated() where assignment.group == .treated {
            text += "\(Self.personID(person)),\(assignment.index),,Synthetic programme,\n"
        }
        return text
    }

    /// The comparison group CSV (`person_id,start_date`): people with no intervention and the
    /// pseudo index date they are compared at.
    public func comparisonCSV() -> String {
        var text = "person_id,start_date\n"
        for (person, assignment) in assignments().enumerated() where assignment.group == .comparison {
            text += "\(Self.personID(person)),\(assignment.index)\n"
        }
        return text
    }

    /// The unit-cost CSV for every priced event type (Housing options advice contacts stay
    /// unpriced on purpose, as in real data).
    public func unitCostsCSV() -> String {
        var text = "service,event,unit_cost,price_year,source\n"
        for service in Self.services {
            for event in service.events where event.unitCostPence > 0 {
                text += "\(service.name),\(event.name),\(event.unitCostPence / 100).\(event.unitCostPence % 100 < 10 ? "0" : "")\(event.unitCostPence % 100),2023-24,synthetic (reference figures)\n"
            }
        }
        return text
    }

    /// The services CSV (service, category, agency).
    public func servicesCSV() -> String {
        "service,category,agency\n" + Self.services.map { "\($0.name),\($0.category),\($0.agency)\n" }.joined()
    }

    private func flush<E: Error>(_ buffer: inout [UInt8], _ sink: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
        try buffer.withUnsafeBytes { raw in Result { () throws(E) in try sink(raw) } }.get()
        buffer.removeAll(keepingCapacity: true)
    }

    private func appendDecimal(_ value: Int64, to buffer: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &buffer) }
        buffer.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}

/// SplitMix64: small, fast and the same on every platform, so datasets (and generated test
/// data) are reproducible from a seed.
public struct SyntheticRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    /// Creates a generator; the same seed always gives the same stream.
    public init(seed: UInt64) { state = seed }
    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
