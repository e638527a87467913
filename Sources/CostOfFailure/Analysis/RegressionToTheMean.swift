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

    /// The baselines of `study`'s cohort (its events read by the same fold as the stream's).
    public init(study: Study) {
        self = study.cohortAnalyses.regressionToTheMean
    }

    /// The check from a finished ``Fold`` over the cohort coded by `cohort`.
    public init(fold: Fold, cohort: StringDictionary) {
        people = fold.people.map { person in
            var person = person
            person.personID = cohort[person.member]
            return person.figures
        }
        withoutBaseline = fold.withoutBaseline
    }

    /// The check as a ``CohortFold``: each member with an event (any date, any person's data
    /// since `earliestDay`) and a baseline inside the data, their cost in the baseline and the
    /// before window (the intervention's own services left out), and their days at risk in each.
    ///
    /// Its sums are not checked one by one: each is a sum of some of the cohort's costs, which
    /// the study and the streaming pass check fit together.
    public struct Fold: CohortFold {
        /// A member's figures before their ID is known.
        struct Member: Sendable {
            var member: Int32
            var personID = ""
            var figures: Person {
                Person(personID: personID, baselineCost: baselineCost, beforeCost: beforeCost, baselineDays: baselineDays, beforeDays: beforeDays)
            }
            var baselineCost: Pence = 0, beforeCost: Pence = 0
            var baselineDays: Int, beforeDays: Int
        }

        /// The first day of the data (any person's earliest event).
        private let earliestDay: Int32
        /// The intervention's own services, by code.
        private let isIntervention: [Bool]
        private(set) var people: [Member] = []
        private(set) var withoutBaseline = 0

        /// The fold for data starting on `earliestDay`, the events' services coded by `services`.
        public init(earliestDay: Int32, catalog: ServiceCatalog, services: StringDictionary) {
            self.earliestDay = earliestDay
            isIntervention = services.values.map(catalog.isIntervention)
        }

        public func empty() -> Fold {
            var fold = self
            fold.people = []
            fold.withoutBaseline = 0
            return fold
        }

        public mutating func add(_ member: MemberEvents) {
            guard !member.events.isEmpty else { return }  // judged: people in the data
            let bounds = member.bounds
            let start = member.windows.definition.before.subtracted(from: CivilDate(daysSinceEpoch: bounds.beforeStart)).daysSinceEpoch
            guard start >= earliestDay else {
                withoutBaseline += 1
                return
            }
            var person = Member(member: member.person,
                                baselineDays: Int(bounds.beforeStart - start) - member.daysRemoved(from: start, to: bounds.beforeStart),
                                beforeDays: bounds.beforeDays)
            for event in member.events where event.priced && !isIntervention[Int(event.service)] {
                if event.day >= start && event.day < bounds.beforeStart {
                    person.baselineCost += event.cost
                } else if event.day >= bounds.beforeStart && event.day < bounds.beforeEnd {
                    person.beforeCost += event.cost
                }
            }
            people.append(person)
        }

        public mutating func merge(_ other: Fold) {
            people += other.people  // members in code order: the other's come after
            withoutBaseline += other.withoutBaseline
        }
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
