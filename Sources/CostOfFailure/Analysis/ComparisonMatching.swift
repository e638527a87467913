/// A comparison group drawn from the people without an intervention, matched to the treated
/// people on age of record, before-window use by category and prior-year use, when no
/// comparison file is given.
///
/// For each treated person (in ID order) with index date `I`, ``candidatesPerPerson`` people
/// without an intervention are drawn at random (seeded: the same inputs give the same group)
/// from those with any event; those whose record starts before `I` are the person's candidates,
/// each measured as if `I` were their own index date (``MatchingFeatures``). The nearest
/// candidate not already taken, on ``MatchingFeatures/distance(_:_:)`` (ties to the lower person
/// code), is taken and given `I` as a pseudo index date. Matching is without replacement; a
/// treated person with no candidate left is unmatched (and counted).
///
/// The draws are kept (``draws``): a bootstrap replicate re-matches from them (see
/// ``rematch(_:random:used:)``), and the balance table compares the treated people with every
/// candidate drawn and with those matched (``CovariateBalance``).
public struct ComparisonMatching: Sendable {
    /// One treated person's draw.
    public struct Draw: Sendable {
        /// The treated person's code and index date.
        public var treated: Int32, index: CivilDate
        /// The treated person's variables at their index date.
        public var treatedFeatures: [Double]
        /// The candidates drawn whose record starts before the index date, in draw order
        /// (a person may be drawn twice), with their variables and distances.
        public var candidates: [Int32], features: [[Double]], distances: [Double]
        /// The place in ``candidates`` of the person matched (`nil`: unmatched).
        public var matched: Int?
    }

    /// Candidates drawn per treated person.
    public let candidatesPerPerson: Int
    /// The matched people with their pseudo index dates, in the treated people's order.
    public let entries: [InterventionTable.Entry]
    /// Treated people for whom no candidate was found.
    public let unmatched: Int
    /// Every treated person's draw, in ID order.
    public let draws: [Draw]
    /// The variables matched on.
    public let features: MatchingFeatures
    /// The seed the draws came from.
    public let seed: UInt64

    /// Matches `study`'s treated people.
    public init(study: Study, candidatesPerPerson: Int = 100, seed: UInt64 = 1) {
        self.init(study: study, features: MatchingFeatures(study: study), candidatesPerPerson: candidatesPerPerson, seed: seed)
    }

    /// Matches `study`'s treated people, measured with `features` (made from `study`).
    public init(study: Study, features: MatchingFeatures, candidatesPerPerson: Int = 100, seed: UInt64 = 1) {
        self.candidatesPerPerson = candidatesPerPerson
        self.features = features
        self.seed = seed
        let events = study.events
        let treated = study.treatedPersonCodesInOrder()
        let treatedSet = Set(treated)
        // In ID order, so that the group does not depend on the order of the files' rows.
        let pool = events.persons.codesInByteOrder().filter { !treatedSet.contains($0) && features.hasEvents($0) }
        var random = SyntheticRandom(seed: seed)
        var draws: [Draw] = []
        for person in treated {
            let index = study.bounds(person: person).index
            let own = features.measure(person: person, index: index)
            var draw = Draw(treated: person, index: index, treatedFeatures: own, candidates: [], features: [], distances: [], matched: nil)
            if !pool.isEmpty {
                for _ in 0..<candidatesPerPerson {
                    let candidate = pool[Self.draw(&random, below: pool.count)]
                    guard let first = features.firstDay(candidate), first < index.daysSinceEpoch else { continue }
                    let theirs = features.measure(person: candidate, index: index)
                    draw.candidates.append(candidate)
                    draw.features.append(theirs)
                    draw.distances.append(MatchingFeatures.distance(own, theirs))
                }
            }
            draws.append(draw)
        }
        var used = [Bool](repeating: false, count: events.persons.count)
        var entries: [InterventionTable.Entry] = []
        for d in draws.indices {
            draws[d].matched = Self.nearestUnused(draws[d], positions: draws[d].candidates.indices, used: used)
            guard let place = draws[d].matched else { continue }
            used[Int(draws[d].candidates[place])] = true
            entries.append(.init(personID: events.persons[draws[d].candidates[place]], start: draws[d].index))
        }
        self.draws = draws
        self.entries = entries
        self.unmatched = draws.count - entries.count
    }

    /// A uniform draw below `n` (multiply-high: no modulo bias worth the name).
    static func draw(_ random: inout SyntheticRandom, below n: Int) -> Int {
        Int((UInt128(random.next()) * UInt128(n)) >> 64)
    }

    /// The place among `positions` of `draw`'s nearest candidate not in `used` (by person
    /// code), ties to the lower code; `nil` when every one is used.
    static func nearestUnused(_ draw: Draw, positions: some Sequence<Int>, used: [Bool]) -> Int? {
        var best: Int?
        for k in positions where !used[Int(draw.candidates[k])] {
            guard let b = best else {
                best = k
                continue
            }
            let distance = draw.distances[k], bestDistance = draw.distances[b]
            if distance < bestDistance || (distance == bestDistance && draw.candidates[k] < draw.candidates[b]) { best = k }
        }
        return best
    }

    /// One bootstrap replicate's match for `draw`: as many candidates as it drew, redrawn with
    /// replacement from its candidates (the bootstrap of that random sample of the pool), and
    /// the nearest of them not in `used`, which it then marks. Returns the place in the draw's
    /// candidates (`nil`: none left).
    public func rematch(_ draw: Draw, random: inout SyntheticRandom, used: inout [Bool]) -> Int? {
        let n = draw.candidates.count
        guard n > 0 else { return nil }
        var positions = [Int](repeating: 0, count: n)
        for k in 0..<n { positions[k] = Self.draw(&random, below: n) }
        guard let place = Self.nearestUnused(draw, positions: positions, used: used) else { return nil }
        used[Int(draw.candidates[place])] = true
        return place
    }
}
