/// The comparison group's candidates a partial carries, so that `cof merge --comparison` and
/// `--match-comparison` make the difference in differences, placebo and balance as one process
/// does: every person without an intervention who has events, with their priced events.
///
/// A comparison group needs every person at once (a match ranks every candidate for each treated
/// person; the bootstrap re-matches), so it is made after the merge, from what the partials
/// carry: the members' events (``BeforeAfterPartial/events``, every row of theirs) and the
/// candidates' here. Those are everyone's events as ``MatchingFeatures`` reads them (day,
/// service, priced cost), so the merged features are the single process's, value for value.
///
/// Carrying them is a parameter (``comparisonCandidatesParameter``): partials made with and
/// without refuse to merge. Candidates are split between partials as members are: a person in
/// two partials, or a candidate who is treated, refuses the merge. IDs are kept as the partial
/// keeps its members' (raw: a partial is person-level working data, written with mode 0600).
extension BeforeAfterPartial {
    /// Everyone without an intervention who has events, with those events, in columns.
    struct ComparisonCandidates: Sendable {
        /// The candidates' IDs, in byte order, each once.
        var persons: [String] = []
        /// Candidate `c`'s events are `starts[c]..<starts[c + 1]` of the columns below.
        var starts: [Int] = [0]
        /// Per event, in each candidate's day order (ties in the order read): the day, the
        /// service (a code of the partial's ``BeforeAfterPartial/eventServices``), the cost in
        /// pence (0 when unpriced) and whether it is priced.
        var days: [Int32] = [], services: [Int32] = [], costs: [Pence] = [], priced: [Bool] = []
        /// For candidates read from text: the line of each one's `candidate` record (for messages).
        var lines: [Int] = []

        /// Adds an event of the last candidate added.
        mutating func append(day: Int32, service: Int32, cost: Pence, priced: Bool) {
            days.append(day)
            services.append(service)
            costs.append(cost)
            self.priced.append(priced)
            starts[starts.count - 1] = days.count
        }

        /// Adds a candidate (their events follow with ``append(day:service:cost:priced:)``).
        mutating func add(_ person: String) {
            persons.append(person)
            starts.append(days.count)
        }

        /// Checks the candidates' costs, with `others` (other events' costs), taken together
        /// against the engine's ceiling (``EventTotals``): what lets every sum of them go unchecked.
        ///
        /// - Throws: ``CostResolver/Overflow`` when they pass it.
        func checkCosts(with others: some Sequence<Pence> = EmptyCollection()) throws(CostResolver.Overflow) {
            var totals = EventTotals(costs: costs, quantities: repeatElement(0, count: costs.count))
            for cost in others { totals.add(cost: cost, quantity: 0) }
            try totals.check(interventions: InterventionTable(entries: []))
        }
    }

    /// The name of the parameter that records that a partial carries the comparison group's candidates.
    public static let comparisonCandidatesParameterName = "comparison_candidates"

    /// The parameter recording that a partial carries the comparison group's candidates.
    public static let comparisonCandidatesParameter = Parameter(comparisonCandidatesParameterName, "everyone without an intervention")

    /// Whether the partial carries the comparison group's candidates (made with
    /// `cof partial --comparison-candidates`).
    public var carriesComparisonCandidates: Bool { comparisonCandidates != nil }

    /// The candidates of a pass that kept everyone's events: its people without an intervention
    /// who have events, in byte order, with their events as `features` lays them out.
    static func candidates(of features: MatchingFeatures, isTreated: (Int32) -> Bool) -> ComparisonCandidates {
        var candidates = ComparisonCandidates()
        for person in features.persons.codesInByteOrder() where !isTreated(person) && features.hasEvents(person) {
            candidates.add(features.persons[person])
            for slot in features.starts[Int(person)]..<features.starts[Int(person) + 1] {
                candidates.append(day: features.days[slot], service: features.services[slot], cost: features.pence[slot],
                                  priced: features.priced[slot])
            }
        }
        return candidates
    }

    /// The candidates of `partials` (each carrying them; their service codes mapped by
    /// `serviceCodes`, one map per partial) merged in byte order of ID.
    ///
    /// - Throws: ``Failure/incompatible(_:)`` when a person is a candidate in two partials, when
    ///   a candidate is among the merge's treated people (`members` with events, `quiet` without),
    ///   or when the candidates' costs taken together pass the engine's ceiling.
    static func mergedCandidates(_ partials: [BeforeAfterPartial], serviceCodes: [[Int32]], members: [CohortSummary.Member],
                                 quiet: [CohortSummary.Member], name: (Int) -> String) throws(Failure) -> ComparisonCandidates {
        var located: [(partial: Int, candidate: Int)] = []
        for (p, partial) in partials.enumerated() {
            for c in partial.comparisonCandidates!.persons.indices { located.append((p, c)) }
        }
        func id(_ l: (partial: Int, candidate: Int)) -> String { partials[l.partial].comparisonCandidates!.persons[l.candidate] }
        if partials.count > 1 { located.sort { bytesPrecede(id($0), id($1)) } }
        var merged = ComparisonCandidates()
        merged.persons.reserveCapacity(located.count)
        for (a, b) in zip(located, located.dropFirst()) where id(a).utf8.elementsEqual(id(b).utf8) {
            func place(_ l: (partial: Int, candidate: Int)) -> String {
                let lines = partials[l.partial].comparisonCandidates!.lines
                return l.candidate < lines.count ? "\(name(l.partial)):\(lines[l.candidate])" : "\(name(l.partial)) (candidate \(l.candidate + 1))"
            }
            throw .incompatible("the same person is in \(place(a)) and \(place(b)); expected each person in one partial only (split the events by person_id)")
        }
        for (p, c) in located {
            let from = partials[p].comparisonCandidates!, codes = serviceCodes[p]
            merged.add(from.persons[c])
            for slot in from.starts[c]..<from.starts[c + 1] {
                merged.append(day: from.days[slot], service: codes[Int(from.services[slot])], cost: from.costs[slot], priced: from.priced[slot])
            }
        }
        try checkUntreated(merged, members: members, quiet: quiet)
        // Within the ceiling taken together, as the reader requires of any one partial's: a
        // merge in stages writes a partial the reader takes back.
        do throws(CostResolver.Overflow) {
            try merged.checkCosts()
        } catch {
            throw .incompatible("the partials cannot be merged: the candidates' costs taken together go past the engine's ceiling (\(error.description)); expected the figures of real people (was a partial edited?)")
        }
        return merged
    }

    /// Why a merge is refused when a candidate also has an intervention.
    static let treatedCandidate = Failure.incompatible("a comparison group candidate in the partials also has an intervention; expected every partial made from the same interventions file (was a partial edited?)")

    /// Checks that no candidate of `candidates` is among the treated people `members` and
    /// `quiet` (each in byte order of ID).
    ///
    /// - Throws: ``treatedCandidate`` when one is.
    static func checkUntreated(_ candidates: ComparisonCandidates, members: [CohortSummary.Member],
                               quiet: [CohortSummary.Member]) throws(Failure) {
        for treated in [members, quiet] {
            var c = 0, t = 0
            while c < candidates.persons.count && t < treated.count {
                if bytesPrecede(candidates.persons[c], treated[t].personID) { c += 1 }
                else if bytesPrecede(treated[t].personID, candidates.persons[c]) { t += 1 }
                else { throw treatedCandidate }
            }
        }
    }

    /// Everyone's events as the comparison group reads them (``MatchingFeatures``), from a
    /// whole merge that carries the candidates: the members' events and the candidates', under
    /// `services` and `windows` (with the observation end the partials were made with). The
    /// features one process lays out for the same events.
    ///
    /// - Throws: ``Failure/incompatible(_:)`` when the partials do not carry the candidates or
    ///   their people's events, when a candidate is also treated, or when everyone's costs taken
    ///   together pass the engine's ceiling (so no window's sum can wrap).
    public func comparisonGroupFeatures(services: ServiceCatalog, windows: StudyWindows) throws(Failure) -> MatchingFeatures {
        guard keepsEvents, let candidates = comparisonCandidates else {
            throw .incompatible("these partials do not carry the comparison group's candidates: remake every partial with cof partial --comparison-candidates")
        }
        // Everyone with events, coded in byte order of ID: the treated members, then the candidates among them.
        var persons = StringDictionary()
        var memberCode = [Int32](repeating: 0, count: members.count), candidateCode = [Int32](repeating: 0, count: candidates.persons.count)
        var m = 0, c = 0
        while m < members.count || c < candidates.persons.count {
            if c == candidates.persons.count || (m < members.count && Self.bytesPrecede(members[m].personID, candidates.persons[c])) {
                memberCode[m] = persons.intern(members[m].personID)
                m += 1
            } else {
                candidateCode[c] = persons.intern(candidates.persons[c])
                c += 1
            }
        }
        // A candidate who is also a member would be coded once for two people.
        guard persons.count == members.count + candidates.persons.count else { throw Self.treatedCandidate }
        do throws(CostResolver.Overflow) {
            try candidates.checkCosts(with: events.lazy.map(\.cost))
        } catch {
            throw .incompatible("the partials cannot be merged: everyone's costs taken together go past the engine's ceiling (\(error.description))")
        }
        var everyone = CohortEvents(cohortSize: persons.count)
        for var event in events {
            event.person = memberCode[Int(event.person)]
            everyone.append(event)
        }
        for candidate in candidates.persons.indices {
            for slot in candidates.starts[candidate]..<candidates.starts[candidate + 1] {
                everyone.append(CohortEvent(person: candidateCode[candidate], service: candidates.services[slot], event: 0,
                                            day: candidates.days[slot], quantity: 0, cost: candidates.costs[slot], priced: candidates.priced[slot]))
            }
        }
        return MatchingFeatures(grouped: everyone.grouped(), persons: persons, serviceNames: eventServices.values, services: services,
                                windows: windows)
    }

    /// The comparison group of `inputs` (its file, or a match when ``StudyInputs/matchComparison``
    /// is set; `nil` without either) over `features` (this merge's
    /// ``comparisonGroupFeatures(services:windows:)``), for the cohort of `tables` (the
    /// interventions, unit costs and services the partials were made with): the group
    /// ``StreamingPass/comparisonGroup(_:)`` makes of the same events.
    ///
    /// - Throws: when the comparison file cannot be read, or a person is in both groups.
    public func comparisonGroup(_ inputs: StudyInputs, features: MatchingFeatures,
                                tables: StudyInputs.CohortTables) throws(StudyInputs.Failure) -> ComparisonGroupPeople? {
        let (people, indexDates, _) = tables.interventions.cohortWithCosts()
        let cohort = (0..<Int32(people.count)).map { InterventionTable.Entry(personID: people[$0], start: indexDates[Int($0)]) }
        return try inputs.loadComparisonGroupPeople(features: features, cohort: cohort, isTreated: { people.code(of: $0) != nil },
                                                    services: tables.services, prices: prices)
    }
}
