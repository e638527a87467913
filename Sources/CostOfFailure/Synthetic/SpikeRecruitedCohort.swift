#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A generated population whose treated people were recruited at a usage spike: the known
/// answer that regression to the mean looks like a saving.
///
/// Everyone's use follows the same stationary process: events at their own steady rate (a
/// person's rate drawn once, log-normal: a median of 3 a year, half the people within 0.85 to 1.2 times it), across five services of four
/// categories, plus transient crises — spikes of 6 to 12 extra Health and Police events within
/// three weeks, arriving at random, about one every two years. The treated people are people
/// chosen at random among those with a spike once recruitment opens (two years into the data,
/// leaving room for the before window and the year before it; it closes a year before the data
/// ends); their index date is the day after their first such spike. Everyone else
/// is a candidate for a comparison group, drawn from the same population. Without a planted
/// effect nothing changes at the index date: the naive before/after change shows a large fall
/// (the spike is in the before window), which a matched comparison group takes away.
///
/// With ``Options/effect`` each treated person's events on or after their index date are
/// dropped with that probability (drawn from a stream of its own, so that the dataset is
/// otherwise the same as without the effect, and the effect on the treated is known exactly as
/// the difference between the two). The same options always give the same bytes.
public struct SpikeRecruitedCohort: Sendable {
    /// What to generate.
    public struct Options: Sendable, Hashable {
        /// People in the population (treated and candidates).
        public var people: Int
        /// Treated people wanted (fewer when too few people have a spike in range).
        public var treated: Int
        /// The random stream's seed.
        public var seed: UInt64
        /// The share of a treated person's events on or after the index date that never happen, 0...1.
        public var effect: Double
        /// The first day of data; the data covers six years from it.
        public var firstDay: CivilDate

        /// Creates options.
        public init(people: Int = 1_000, treated: Int = 200, seed: UInt64 = 1, effect: Double = 0,
                    firstDay: CivilDate = CivilDate(year: 2016, month: 4, day: 1)!) {
            self.people = max(1, people)
            self.treated = max(0, min(treated, people))
            self.seed = seed
            self.effect = min(1, max(0, effect))
            self.firstDay = firstDay
        }
    }

    /// One generated event.
    public struct Event: Sendable, Equatable {
        /// Person number (see ``personID(_:)``), service (place in ``services``), day and quantity.
        public var person: Int, service: Int, day: CivilDate, quantity: Int
    }

    /// A service of the generated world: name, category, event, unit cost, largest quantity,
    /// weight in steady use and in a spike.
    public static let services: [(name: String, category: String, event: String, unitCostPence: Pence, maxQuantity: Int, steady: Int, spike: Int)] = [
        ("A&E", "Health", "attendance", 27_300, 1, 3, 4),
        ("Ambulance", "Health", "see and convey", 45_900, 1, 1, 3),
        ("Police", "Criminal justice", "arrest", 90_178, 1, 2, 3),
        ("Supported accommodation", "Housing", "hostel night", 2_143, 14, 2, 0),
        ("Social care", "Social care", "social worker hour", 5_800, 3, 2, 0),
    ]

    /// The before and after windows the cohort is made for (a year each) and the last day of data.
    public var windows: StudyWindows {
        StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(12, .months), observationEnd: options.firstDay.addingMonths(72).addingDays(-1))
    }

    /// The options.
    public let options: Options
    /// The events, by person then day.
    public let events: [Event]
    /// The treated people (person number and index date), by person number.
    public let treated: [(person: Int, index: CivilDate)]

    /// Generates the population.
    public init(options: Options) {
        self.options = options
        var random = SyntheticRandom(seed: options.seed)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        func normal() -> Double { (-2 * log(max(uniform(), 1e-300))).squareRoot() * cos(2 * Double.pi * uniform()) }
        func pick(_ weights: [Int]) -> Int {
            var u = Int(random.next() % UInt64(weights.reduce(0, +)))
            for (k, w) in weights.enumerated() {
                if u < w { return k }
                u -= w
            }
            return weights.count - 1
        }
        let span = Double(options.firstDay.addingMonths(72).daysSinceEpoch - options.firstDay.daysSinceEpoch)
        let steady = Self.services.map(\.steady), spiky = Self.services.map(\.spike)
        // Index dates leave two years of data before them (the before window and the year
        // before it) and a year after.
        let earliest = options.firstDay.addingMonths(24).daysSinceEpoch, latest = options.firstDay.addingMonths(60).daysSinceEpoch
        var events: [Event] = []
        var spikeEnds: [[CivilDate]] = []
        for person in 0..<options.people {
            var mine: [Event] = []
            func event(_ service: Int, _ day: Double) {
                let quantity = Self.services[service].maxQuantity > 1 ? 1 + Int(random.next() % UInt64(Self.services[service].maxQuantity)) : 1
                mine.append(Event(person: person, service: service, day: options.firstDay.addingDays(Int(day)), quantity: quantity))
            }
            let rate = 3 * exp(0.25 * normal()) / 365  // events a day
            var t = -log(max(uniform(), 1e-300)) / rate
            while t < span {
                event(pick(steady), t)
                t += -log(max(uniform(), 1e-300)) / rate
            }
            var ends: [CivilDate] = []
            t = -log(max(uniform(), 1e-300)) * 730
            while t < span - 21 {
                for _ in 0..<(6 + Int(random.next() % 7)) { event(pick(spiky), t + Double(random.next() % 21)) }
                let end = options.firstDay.addingDays(Int(t) + 21)
                if end.daysSinceEpoch >= earliest && end.daysSinceEpoch < latest { ends.append(end) }
                t += 21 - log(max(uniform(), 1e-300)) * 730
            }
            mine.sort { ($0.day, $0.service) < ($1.day, $1.service) }
            events += mine
            spikeEnds.append(ends)
        }
        // Recruitment: people in a random order, each with a spike once recruitment is open.
        var order = Array(0..<options.people)
        for k in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(k, Int(random.next() % UInt64(k + 1))) }
        var treated: [(person: Int, index: CivilDate)] = []
        for person in order where treated.count < options.treated && !spikeEnds[person].isEmpty {
            // At their first crisis once recruitment opens, as a programme recruits. (Not a
            // crisis picked at random among theirs: that favours people with few crises, whose
            // after window then holds fewer of them than their rate gives — a bias of its own.)
            treated.append((person, spikeEnds[person][0]))
        }
        treated.sort { $0.person < $1.person }
        if options.effect > 0 {
            var drop = SyntheticRandom(seed: options.seed ^ 0xE7FE_C7ED)
            let index = Dictionary(uniqueKeysWithValues: treated.map { ($0.person, $0.index) })
            events = events.filter { event in
                let u = Double(drop.next() >> 11) / Double(1 << 53)
                guard let start = index[event.person], event.day >= start else { return true }
                return u >= options.effect
            }
        }
        self.events = events
        self.treated = treated
    }

    /// The ID of person number `n`.
    public static func personID(_ n: Int) -> String { SyntheticDataset.personID(n) }

    /// The events CSV (`person_id,service,event,date,quantity,cost`), costs from the unit costs.
    public func eventsCSV() -> String {
        var text = "person_id,service,event,date,quantity,cost\n"
        for event in events {
            let service = Self.services[event.service]
            text += "\(Self.personID(event.person)),\(service.name),\(service.event),\(event.day),\(service.maxQuantity > 1 ? String(event.quantity) : ""),\n"
        }
        return text
    }

    /// The interventions CSV: the treated people and their index dates.
    public func interventionsCSV() -> String {
        "person_id,start_date,end_date,programme,cost\n" + treated.map { "\(Self.personID($0.person)),\($0.index),,Spike-recruited programme,\n" }.joined()
    }

    /// The unit-cost CSV.
    public func unitCostsCSV() -> String {
        "service,event,unit_cost,price_year,source\n" + Self.services.map {
            "\($0.name),\($0.event),\($0.unitCostPence / 100).\($0.unitCostPence % 100 < 10 ? "0" : "")\($0.unitCostPence % 100),2023-24,synthetic\n"
        }.joined()
    }

    /// The services CSV (service, category, agency).
    public func servicesCSV() -> String {
        "service,category,agency\n" + Self.services.map { "\($0.name),\($0.category),\($0.category == "Health" ? "NHS" : "Local")\n" }.joined()
    }
}
