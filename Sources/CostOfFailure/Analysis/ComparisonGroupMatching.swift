#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A comparison group drawn from the people without an intervention, matched to the treated
/// people on age of record, before-window use by category and prior-year use, when no
/// comparison file is given.
///
/// The pool is every person without an intervention who has an event. For each treated person
/// (in ID order) with index date `I`, their candidates are the people of the pool whose record
/// starts before `I` — all of them when the pool holds at most ``candidatesPerPerson`` people,
/// else that many drawn at random (seeded: the same inputs give the same group) — each measured
/// as if `I` were their own index date (``MatchingFeatures``) and ranked by
/// ``MatchingFeatures/distance(_:_:scale:)`` to the treated person (ties to the earlier
/// ID), each variable scaled by its pooled standard deviation over the treated people and
/// every candidate measured.
/// The nearest candidate not already taken is matched and given `I` as a pseudo index date.
/// Matching is without replacement; a treated person with no candidate left is unmatched (and
/// counted).
///
/// A treated person with no event rows (in the cohort with zero use) is left unmatched too, and
/// counted apart (``unmatchedWithoutEvents``, within ``unmatched``): they have no record, so no
/// age of record to match on, and every candidate has a record that starts before the index
/// date by construction, so "the nearest to zero use" would be whichever known user of the
/// services used least — not the unseen, untreated person with no rows who is their real
/// counterpart (the pool holds only people with events). Matching them anyway would put
/// someone else's change against a person whose change is zero by construction. They still
/// count in the treated group's before/after figures (zero cost over their exposure), so a
/// cohort with many of them dilutes the treated change but not the comparison's: the unmatched
/// warning (``unmatchedNote(_:cohort:)``) says so.
///
/// The ranked candidates are kept (``draws``): a bootstrap replicate re-matches from them
/// (``rematch(_:random:used:)``), and the balance table compares the treated people with every
/// candidate and with those matched (``CovariateBalance``).
public struct ComparisonGroupMatching: Sendable {
    /// One treated person's candidates.
    public struct Draw: Sendable {
        /// The treated person's code and index date.
        public var treated: Int32, index: CivilDate
        /// The treated person's variables at their index date.
        public var treatedFeatures: [Double]
        /// The candidates whose record starts before the index date, nearest first.
        public var candidates: [Int32]
        /// The place in ``candidates`` of the person matched (`nil`: unmatched).
        public var matched: Int?
        /// The matched candidate's variables (`nil`: unmatched). The other candidates' are
        /// summed into ``ComparisonGroupMatching/candidateMoments`` and let go: held per draw
        /// (8 doubles for each of 1,000 candidates of every treated person) they were 4.8 GB at
        /// 10M rows, twice over with the placebo's match.
        public var matchedFeatures: [Double]?
    }

    /// The most candidates a treated person is ranked against (a larger pool is sampled).
    public let candidatesPerPerson: Int
    /// The matched people with their pseudo index dates, in the treated people's order.
    public let entries: [InterventionTable.Entry]
    /// Treated people (of the whole cohort) left without a comparison person: those for whom no
    /// candidate was found and those with no event rows (``unmatchedWithoutEvents``).
    public let unmatched: Int
    /// Treated people with no event rows, left unmatched (see the type's summary).
    public let unmatchedWithoutEvents: Int
    /// Every treated person's draw, in ID order.
    public let draws: [Draw]
    /// The variables matched on.
    public let features: MatchingFeatures
    /// The seed the draws came from.
    public let seed: UInt64
    /// Each variable's scale in the distance (see ``MatchingFeatures/distance(_:_:scale:)``).
    public let scale: [Double]
    /// Each variable's mean and variance over every candidate measured, draw after draw in
    /// ``draws``' order and each draw's candidates nearest first (the balance table's "before
    /// matching"), as ``CovariateBalance/Moments/init(_:)`` makes them from those values in that order.
    public let candidateMoments: [CovariateBalance.Moments]
    /// Each variable's candidates with a value other than zero (distinct people).
    public let candidateUsers: [Int]
    /// The candidates measured (distinct people).
    public let candidatePeople: Int

    /// Matches `study`'s treated people.
    public init(study: Study, candidatesPerPerson: Int = 1_000, seed: UInt64 = 1) {
        self.init(study: study, features: MatchingFeatures(study: study), candidatesPerPerson: candidatesPerPerson, seed: seed)
    }

    /// Matches `study`'s treated people, measured with `features` (made from `study`).
    public init(study: Study, features: MatchingFeatures, candidatesPerPerson: Int = 1_000, seed: UInt64 = 1) {
        let treated = study.treatedPersonCodesInOrder().map { (person: $0, index: study.bounds(person: $0).index) }
        self.init(features: features, treated: treated, cohortPeople: study.cohortPeople.count,
                  candidatesPerPerson: candidatesPerPerson, seed: seed)
    }

    /// Matches the treated people with events, `treated` (codes of `features`' people in byte
    /// order of their IDs, with their index dates), from everyone else `features` measures;
    /// `cohortPeople` counts the whole cohort, those without events too (left unmatched).
    public init(features: MatchingFeatures, treated: [(person: Int32, index: CivilDate)], cohortPeople: Int,
                candidatesPerPerson: Int = 1_000, seed: UInt64 = 1) {
        self.candidatesPerPerson = candidatesPerPerson
        self.features = features
        self.seed = seed
        let persons = features.persons
        let treatedSet = Set(treated.map(\.person))
        // In ID order, so that the group does not depend on the order of the files' rows.
        let pool = persons.codesInByteOrder().filter { !treatedSet.contains($0) && features.hasEvents($0) }
        // Ties go to the earlier ID, whatever order the files' rows gave the codes.
        var rank = [Int](repeating: 0, count: persons.count)
        for (place, person) in pool.enumerated() { rank[Int(person)] = place }
        var random = SyntheticRandom(seed: seed)
        var draws: [Draw] = []
        draws.reserveCapacity(treated.count)
        let variables = features.names.count
        // Each draw's candidates' variables while they are ranked and summed (let go after).
        var candidateValues: [[Double]] = []
        candidateValues.reserveCapacity(treated.count)
        // Treated people a block at a time: each one's sample of the pool drawn in turn from
        // the one seeded stream (so the same seed gives the same candidates), then everyone in
        // the block measured on every core, taken back in order. A block bounds what is held
        // beside the draws (its samples; its ranked copies below).
        let block = 2_048, workers = Processors.online
        var start = 0
        while start < treated.count {
            let end = min(start + block, treated.count)
            // The whole pool, or (a large pool) a random draw from it, each person once: the
            // draws sorted and told apart, as a set of them would be.
            let samples: [[Int32]] = (start..<end).map { _ in
                guard pool.count > candidatesPerPerson else { return pool }
                var picks = (0..<candidatesPerPerson).map { _ in Self.draw(&random, below: pool.count) }
                picks.sort()
                var sample: [Int32] = []
                sample.reserveCapacity(picks.count)
                for (place, pick) in picks.enumerated() where place == 0 || pick != picks[place - 1] { sample.append(pool[pick]) }
                return sample
            }
            let first = start, parts = min(workers, end - start)
            let measured = Processors.inParallel(parts) { part in
                (first + (end - first) * part / parts..<first + (end - first) * (part + 1) / parts).map { i in
                    Self.measure(treated[i], sample: samples[i - first], features: features, variables: variables)
                }
            }
            for part in measured {
                for (draw, values) in part {
                    draws.append(draw)
                    candidateValues.append(values)
                }
            }
            start = end
        }
        // Distances once every variable's spread is known; then each treated person's
        // candidates nearest first: the orders worked out a block of draws at a time on every
        // core, each draw then put in order where it is held (no new arrays: the candidates'
        // variables, allocated by the threads that measured them, are not copied again).
        let scale = MatchingFeatures.scale(treated: draws.map(\.treatedFeatures), candidates: candidateValues.map { ($0, variables) },
                                           variables: variables)
        var orderedValues: [Double] = [], orderedCandidates: [Int32] = []
        start = 0
        while start < draws.count {
            let end = min(start + block, draws.count)
            let orders = Self.nearestFirst(draws[start..<end], values: candidateValues[start..<end], variables: variables, scale: scale,
                                           rank: rank, workers: workers)
            for (d, order) in zip(start..<end, orders) {
                orderedCandidates.removeAll(keepingCapacity: true)
                orderedValues.removeAll(keepingCapacity: true)
                for place in order {
                    orderedCandidates.append(draws[d].candidates[place])
                    orderedValues.append(contentsOf: candidateValues[d][place * variables..<(place + 1) * variables])
                }
                draws[d].candidates.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: orderedCandidates) }
                candidateValues[d].withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: orderedValues) }
            }
            start = end
        }
        // What the balance table reads of every candidate, in draws' order, nearest first.
        let measured = candidateValues.reduce(0) { $0 + $1.count / variables }
        candidateMoments = (0..<variables).map { k in
            CovariateBalance.Moments(count: measured) { body in
                for values in candidateValues { for row in stride(from: k, to: values.count, by: variables) { body(values[row]) } }
            }
        }
        candidateUsers = (0..<variables).map { k in
            Set(draws.indices.flatMap { d in draws[d].candidates.indices.filter { candidateValues[d][$0 * variables + k] != 0 }.map { draws[d].candidates[$0] } }).count
        }
        candidatePeople = Set(draws.flatMap(\.candidates)).count
        var used = [Bool](repeating: false, count: persons.count)
        var entries: [InterventionTable.Entry] = []
        for d in draws.indices {
            draws[d].matched = draws[d].candidates.firstIndex { !used[Int($0)] }
            guard let place = draws[d].matched else { continue }
            draws[d].matchedFeatures = Array(candidateValues[d][place * variables..<(place + 1) * variables])
            used[Int(draws[d].candidates[place])] = true
            entries.append(.init(personID: persons[draws[d].candidates[place]], start: draws[d].index))
        }
        self.draws = draws
        self.scale = scale
        self.entries = entries
        // Every cohort person with events is in `treated`; the rest of the cohort has no rows.
        unmatchedWithoutEvents = max(0, cohortPeople - treated.count)
        self.unmatched = draws.count - entries.count + unmatchedWithoutEvents
    }

    /// The draw of a treated person (`treated`: their code and index date) from their `sample`
    /// of the pool: their variables, the candidates whose record starts before the index date,
    /// and those candidates' variables one after another (one array per treated person, not one
    /// per candidate: 7.5M small arrays at 1M rows were about 700 MB).
    private static func measure(_ treated: (person: Int32, index: CivilDate), sample: [Int32], features: MatchingFeatures,
                                variables: Int) -> (Draw, [Double]) {
        let span = features.span(index: treated.index)
        var draw = Draw(treated: treated.person, index: span.bounds.index, treatedFeatures: features.measure(person: treated.person, at: span),
                        candidates: [], matched: nil, matchedFeatures: nil)
        var values: [Double] = []
        values.reserveCapacity(sample.count * variables)
        for candidate in sample {
            guard let first = features.firstDay(candidate), first < span.bounds.index.daysSinceEpoch else { continue }
            draw.candidates.append(candidate)
            features.measure(person: candidate, at: span, appendingTo: &values)
        }
        return (draw, values)
    }

    /// Each of `draws`' candidates' places (their variables in `values`), nearest first by
    /// ``MatchingFeatures/distance(_:_:scale:)`` under `scale`, ties to the earlier ID (`rank`:
    /// each person's place in byte order of IDs), worked out on `workers` threads.
    private static func nearestFirst(_ draws: ArraySlice<Draw>, values: ArraySlice<[Double]>, variables: Int, scale: [Double],
                                     rank: [Int], workers: Int) -> [[Int]] {
        let (draws, values) = (Array(draws), Array(values)), parts = max(1, min(workers, draws.count))
        return Processors.inParallel(parts) { part in
            (draws.count * part / parts..<draws.count * (part + 1) / parts).map { d in
                let draw = draws[d]
                let distances = draw.candidates.indices.map {
                    MatchingFeatures.distance(draw.treatedFeatures, values[d][$0 * variables..<($0 + 1) * variables], scale: scale)
                }
                return draw.candidates.indices.sorted {
                    distances[$0] < distances[$1] || (distances[$0] == distances[$1] && rank[Int(draw.candidates[$0])] < rank[Int(draw.candidates[$1])])
                }
            }
        }.flatMap { $0 }
    }

    /// A warning when some of a cohort of `cohort` treated people were left unmatched (`nil`:
    /// every one matched), saying how many had no candidate and how many no event rows, each
    /// count of people written by `count` (a log's counts go through the disclosure rule).
    public static func unmatchedNote(_ matching: ComparisonGroupMatching, cohort: Int, count: (Int) -> String = String.init) -> String? {
        guard matching.unmatched > 0 else { return nil }
        let noCandidate = matching.unmatched - matching.unmatchedWithoutEvents
        var parts: [String] = []
        if noCandidate > 0 { parts.append("\(count(noCandidate)) found no candidate left") }
        if matching.unmatchedWithoutEvents > 0 {
            parts.append("\(count(matching.unmatchedWithoutEvents)) have no event rows (no record to match on: they count in the treated group with zero use, which dilutes its change but not the comparison group's)")
        }
        return "\(count(matching.unmatched)) of \(count(cohort)) treated people are unmatched: " + parts.joined(separator: "; ")
    }

    /// A uniform draw below `n` (multiply-high: no modulo bias worth the name).
    static func draw(_ random: inout SyntheticRandom, below n: Int) -> Int {
        Int((UInt128(random.next()) * UInt128(n)) >> 64)
    }

    /// The chance that a resample with replacement of `n` candidates holds a given one:
    /// `1 − (1 − 1/n)^n` (1 for one candidate, about 63% for many).
    static func keepChance(_ n: Int) -> Double {
        n <= 1 ? 1 : 1 - pow(1 - 1 / Double(n), Double(n))
    }

    /// One bootstrap replicate's match for `draw`: its candidates redrawn — each kept with the
    /// chance a resample with replacement of them holds it (``keepChance(_:)``; the resample of
    /// that sample of the pool, treating candidates as kept independently) — and the nearest
    /// kept one not in `used`, which it then marks. Walks the ranked candidates from the
    /// nearest, so a replicate costs a few steps per treated person, not a pass over the pool.
    /// Returns the place in the draw's candidates (`nil`: none left).
    public func rematch(_ draw: Draw, random: inout SyntheticRandom, used: inout [Bool]) -> Int? {
        draw.candidates.withUnsafeBufferPointer { Self.rematch($0, random: &random, used: &used) }
    }

    /// ``rematch(_:random:used:)`` of ``draws```[d]`, read where it is: a replicate rematches
    /// every treated person it drew, and handing the draw over by value retained and released
    /// its four arrays each time.
    public func rematch(draw d: Int, random: inout SyntheticRandom, used: inout [Bool]) -> Int? {
        draws[d].candidates.withUnsafeBufferPointer { Self.rematch($0, random: &random, used: &used) }
    }

    /// The walk of ``rematch(_:random:used:)`` over a draw's ranked `candidates`.
    private static func rematch(_ candidates: UnsafeBufferPointer<Int32>, random: inout SyntheticRandom, used: inout [Bool]) -> Int? {
        let keep = keepChance(candidates.count)
        let chance = keep >= 1 ? UInt64.max : UInt64(keep * 0x1p64)
        for (place, candidate) in candidates.enumerated() where !used[Int(candidate)] {
            guard chance == .max || random.next() < chance else { continue }
            used[Int(candidate)] = true
            return place
        }
        return nil
    }
}
