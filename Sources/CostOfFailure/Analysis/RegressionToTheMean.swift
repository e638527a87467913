/// A warning sign for regression to the mean: people whose cost in the before window was much
/// higher than in their own earlier baseline — the window of the same length just before it.
/// People are often recruited at a crisis peak; their use tends to fall back whatever is done,
/// so a fall after the index date is not, on its own, an effect.
///
/// A person is flagged when their cost per year in the before window is at least ``ratio`` times
/// their cost per year in the baseline (and above zero). Only people whose baseline lies wholly
/// inside the data (from the extract's first event day) are judged. The intervention's own
/// services are left out. Both spans are days at risk (``TimeAtRisk``'s rule, through
/// ``PersonWindows/daysRemoved(person:from:to:)``): days in custody or after a death leave the
/// baseline's days as they leave the before window's.
public struct RegressionToTheMean: Sendable {
    /// How many times the baseline's cost per year counts as "much costlier".
    public static let ratio: Int64 = 2

    /// One person's baseline and before-window cost.
    public struct Person: Sendable, Equatable {
        /// Person ID.
        public var personID: String
        /// Cost in the baseline and the before window.
        public var baselineCost: Pence, beforeCost: Pence
        /// Their days at risk (their lengths less days in custody or after a death).
        public var baselineDays: Int, beforeDays: Int

        /// Whether the before window's cost per year is at least ``RegressionToTheMean/ratio``
        /// times the baseline's: `before / beforeDays ≥ ratio × baseline / baselineDays`.
        public var flagged: Bool {
            guard beforeCost > 0, beforeDays > 0, baselineDays > 0 else { return false }
            return Int128(beforeCost) * Int128(baselineDays) >= Int128(RegressionToTheMean.ratio) * Int128(baselineCost) * Int128(beforeDays)
        }
    }

    /// People whose baseline lies inside the data, in ID order.
    public let people: [Person]
    /// Treated people whose baseline starts before the data does (not judged).
    public let withoutBaseline: Int

    /// People flagged.
    public var flagged: Int { people.filter(\.flagged).count }

    /// The baselines of `study`'s cohort.
    public init(study: Study) {
        let events = study.events
        let first = events.day.min() ?? 0
        let treated = study.treatedPersonCodesInOrder()
        var slot = [Int32: Int]()
        var people: [Person] = []
        var baselineStart: [Int32] = [], beforeStart: [Int32] = [], beforeEnd: [Int32] = []
        var withoutBaseline = 0
        for person in treated {
            let bounds = study.bounds(person: person)
            let start = study.windows.before.subtracted(from: CivilDate(daysSinceEpoch: bounds.beforeStart)).daysSinceEpoch
            guard start >= first else {
                withoutBaseline += 1
                continue
            }
            slot[person] = people.count
            people.append(Person(personID: events.persons[person], baselineCost: 0, beforeCost: 0,
                                 baselineDays: Int(bounds.beforeStart - start) - study.personWindows.daysRemoved(person: person, from: start, to: bounds.beforeStart),
                                 beforeDays: bounds.beforeDays))
            baselineStart.append(start)
            beforeStart.append(bounds.beforeStart)
            beforeEnd.append(bounds.beforeEnd)
        }
        let isIntervention = events.services.values.map(study.services.isIntervention)
        for i in 0..<events.count where study.costs.priced[i] && !isIntervention[Int(events.service[i])] {
            guard let p = slot[events.person[i]] else { continue }
            let day = events.day[i]
            // Unchecked: sums of some of the study's costs, which fit together (see ``Study``).
            if day >= baselineStart[p] && day < beforeStart[p] {
                people[p].baselineCost += study.costs.pence[i]
            } else if day >= beforeStart[p] && day < beforeEnd[p] {
                people[p].beforeCost += study.costs.pence[i]
            }
        }
        self.people = people
        self.withoutBaseline = withoutBaseline
    }

    /// A sentence for reports, with exact counts.
    public var summary: String { summary(count: String.init) }

    /// A sentence for reports, each count of people written by `count` (a log's counts go
    /// through the disclosure rule).
    public func summary(count: (Int) -> String) -> String {
        "\(count(flagged)) of \(count(people.count)) people with an earlier baseline cost at least \(Self.ratio)× as much per year in the before window as in the same length of time before it"
            + (withoutBaseline > 0 ? " (\(count(withoutBaseline)) more have no baseline in the data)" : "")
            + ": expect part of any fall after the index date to be regression to the mean"
    }

    /// The check's counts as a one-row table (for reports that suppress small numbers).
    public func resultTable() -> ResultTable {
        ResultTable(name: "baseline_check", title: "Regression to the mean: people whose before window cost at least \(Self.ratio)× as much per year as the same length of time before it", columns: [
            ResultColumn("people_with_baseline", .integer([Int64(people.count)])),
            ResultColumn("people_flagged", .integer([Int64(flagged)])),
            ResultColumn("people_without_baseline", .integer([Int64(withoutBaseline)])),
        ])
    }
}
