/// A comparison group drawn from the people without an intervention, matched to the treated
/// people on age of record and before-window use, when no comparison file is given.
///
/// For each treated person (in ID order) with index date `I`, up to ``candidatesPerPerson``
/// people without an intervention are drawn at random (seeded: the same inputs give the same
/// group) among those whose record starts before `I`; each is measured as if `I` were their own
/// index date: their age of record (days from their first event to `I`) and their cost in the
/// before window ending at `I`. The nearest unused candidate is taken, on the distance
/// `|ln(1 + before cost in £) − ln(1 + theirs)| + |age of record − theirs| / 365 days`, and given
/// `I` as a pseudo index date. Matching is without replacement; a treated person with no
/// eligible candidate is left unmatched (and counted).
public struct ComparisonMatching: Sendable {
    /// Candidates drawn per treated person.
    public let candidatesPerPerson: Int
    /// The matched people with their pseudo index dates, in the treated people's order.
    public let entries: [InterventionTable.Entry]
    /// Treated people for whom no candidate was found.
    public let unmatched: Int

    /// Matches `study`'s treated people.
    public init(study: Study, candidatesPerPerson: Int = 100, seed: UInt64 = 1) {
        self.candidatesPerPerson = candidatesPerPerson
        let events = study.events
        let people = events.persons.count
        // Each person's events as (day, cost) sorted by day, with running cost sums.
        var starts = [Int](repeating: 0, count: people + 1)
        for person in events.person { starts[Int(person) + 1] += 1 }
        for p in 0..<people { starts[p + 1] += starts[p] }
        var next = starts
        var days = [Int32](repeating: 0, count: events.count), costs = [Pence](repeating: 0, count: events.count)
        let isIntervention = events.services.values.map(study.services.isIntervention)
        for i in 0..<events.count {
            let slot = next[Int(events.person[i])]
            next[Int(events.person[i])] += 1
            days[slot] = events.day[i]
            costs[slot] = study.costs.priced[i] && !isIntervention[Int(events.service[i])] ? study.costs.pence[i] : 0
        }
        var running = [Pence](repeating: 0, count: events.count + people)  // per person: a leading 0, then sums
        for p in 0..<people {
            var order = Array(starts[p]..<starts[p + 1])
            order.sort { days[$0] < days[$1] }
            let sortedDays = order.map { days[$0] }, sortedCosts = order.map { costs[$0] }
            for (k, slot) in (starts[p]..<starts[p + 1]).enumerated() {
                days[slot] = sortedDays[k]
                costs[slot] = sortedCosts[k]
            }
            // Unchecked: running sums of some of the study's costs, and differences of two of
            // them (a window's cost), fit, since all the costs fit together (see ``Study``).
            var sum: Pence = 0
            running[starts[p] + p] = 0
            for slot in starts[p]..<starts[p + 1] {
                sum += costs[slot]
                running[slot + p + 1] = sum
            }
        }
        /// Cost of person `p`'s events in `[from, to)`.
        func cost(_ p: Int, _ from: Int32, _ to: Int32) -> Pence {
            let range = starts[p]..<starts[p + 1]
            func position(_ day: Int32) -> Int {  // first slot with days[slot] >= day
                var low = range.lowerBound, high = range.upperBound
                while low < high {
                    let middle = (low + high) / 2
                    if days[middle] < day { low = middle + 1 } else { high = middle }
                }
                return low
            }
            return running[position(to) + p] - running[position(from) + p]
        }
        let treated = study.treatedPersonCodesInOrder()
        let treatedSet = Set(treated)
        // In ID order, so that the group does not depend on the order of the files' rows.
        let pool = events.persons.codesInByteOrder().filter { !treatedSet.contains($0) && starts[Int($0) + 1] > starts[Int($0)] }
        var used = Set<Int32>()
        var random = SyntheticRandom(seed: seed)
        var entries: [InterventionTable.Entry] = []
        var unmatched = 0
        for person in treated {
            let bounds = study.bounds(person: person)
            let index = bounds.index.daysSinceEpoch
            let p = Int(person)
            let age = Double(index - days[starts[p]])
            // Refunds can make a window's cost negative: use counts from zero.
            let use = log(1 + max(0, Double(cost(p, bounds.beforeStart, bounds.beforeEnd))) / 100)
            var best: (candidate: Int32, distance: Double)?
            if !pool.isEmpty {
                for _ in 0..<candidatesPerPerson {
                    let candidate = pool[Int((UInt128(random.next()) * UInt128(pool.count)) >> 64)]
                    let c = Int(candidate)
                    guard !used.contains(candidate), days[starts[c]] < index else { continue }
                    let theirUse = log(1 + max(0, Double(cost(c, bounds.beforeStart, bounds.beforeEnd))) / 100)
                    let distance = abs(use - theirUse) + abs(age - Double(index - days[starts[c]])) / 365
                    if best == nil || distance < best!.distance || (distance == best!.distance && candidate < best!.candidate) {
                        best = (candidate, distance)
                    }
                }
            }
            guard let best else {
                unmatched += 1
                continue
            }
            used.insert(best.candidate)
            entries.append(.init(personID: events.persons[best.candidate], start: bounds.index))
        }
        self.entries = entries
        self.unmatched = unmatched
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
