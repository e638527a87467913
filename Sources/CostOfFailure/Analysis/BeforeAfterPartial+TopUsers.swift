/// The top users' state a partial carries, so that `cof merge --table top-users` ranks as one
/// process does: the ``TopUsersTally`` of everyone in the partial's events (treated or not), with
/// the names its codes stand for and the period it ranks over.
///
/// The period is also a parameter (``topUsersParameterName``): partials made over different
/// periods, or one with the state and one without, differ in their parameters and refuse to merge.
/// People are split between partials as members are: a person with figures in two partials
/// refuses the merge (their events were not split by person). IDs are kept as the partial keeps
/// its members' (raw: a partial is person-level working data, written with mode 0600).
extension BeforeAfterPartial {
    /// A ``TopUsersTally`` with the names of its person and service codes.
    struct TopUsersState: Sendable {
        /// The period ranked over (`nil`: every date).
        var period: ClosedRange<CivilDate>?
        /// The figures, by the codes of ``persons`` and ``services``.
        var tally: TopUsersTally
        /// The IDs and service names the tally's codes stand for.
        var persons: StringDictionary
        var services: StringDictionary
        /// For a state read from text: the line of each person's first `user` record, by person
        /// code (for messages); empty otherwise.
        var personLines: [Int] = []

        /// Every (person, service) with figures, by person ID, then service, byte-wise: the
        /// order the text form writes them in.
        func pairsInOutputOrder() -> [(person: Int32, service: Int32, figures: TopUsersTally.Figures)] {
            var personRank = [Int](repeating: 0, count: persons.count), serviceRank = [Int](repeating: 0, count: services.count)
            for (rank, code) in persons.codesInByteOrder().enumerated() { personRank[Int(code)] = rank }
            for (rank, code) in services.codesInByteOrder().enumerated() { serviceRank[Int(code)] = rank }
            var pairs: [(person: Int32, service: Int32, figures: TopUsersTally.Figures)] = []
            pairs.reserveCapacity(tally.pairs)
            tally.forEachPair { pairs.append(($0, $1, $2)) }
            pairs.sort { (personRank[Int($0.person)], serviceRank[Int($0.service)]) < (personRank[Int($1.person)], serviceRank[Int($1.service)]) }
            return pairs
        }
    }

    /// The name of the parameter that records the period of the top users' state.
    public static let topUsersParameterName = "top_users"

    /// The parameter recording that a partial carries the top users' state over `period`
    /// (`nil`: every date): `every date`, or `FROM to TO`, each end a date (`YYYY-MM-DD`),
    /// `open` (``TopUsers/Ranking/openStart``, ``TopUsers/Ranking/openEnd``) or, for a day no
    /// four-digit year names, its day number.
    public static func topUsersParameter(period: ClosedRange<CivilDate>?) -> Parameter {
        guard let period else { return Parameter(topUsersParameterName, "every date") }
        func end(_ date: CivilDate, open: CivilDate) -> String {
            if date == open { return "open" }
            return CivilDate(iso: date.description) == date ? date.description : String(date.daysSinceEpoch)
        }
        return Parameter(topUsersParameterName,
                         "\(end(period.lowerBound, open: TopUsers.Ranking.openStart)) to \(end(period.upperBound, open: TopUsers.Ranking.openEnd))")
    }

    /// The period a ``topUsersParameter(period:)`` value states (the inner `nil`: every date),
    /// or `nil` when it is not one.
    static func topUsersPeriod(parameterValue value: String) -> ClosedRange<CivilDate>?? {
        if value == "every date" { return .some(nil) }
        let ends = value.split(separator: " to ", omittingEmptySubsequences: false)
        guard ends.count == 2 else { return nil }
        func end(_ text: Substring, open: CivilDate) -> CivilDate? {
            if text == "open" { return open }
            if let date = CivilDate(iso: String(text)) { return date }
            return Int32(text).map(CivilDate.init(daysSinceEpoch:))
        }
        guard let from = end(ends[0], open: TopUsers.Ranking.openStart), let to = end(ends[1], open: TopUsers.Ranking.openEnd),
              from <= to else { return nil }
        // Only the form this engine writes: the same period has one value.
        guard topUsersParameter(period: from...to).value == value else { return nil }
        return .some(from...to)
    }

    /// Whether the partial carries the top users' state (made with `cof partial --top-users`,
    /// or `--from`/`--to`).
    public var carriesTopUsers: Bool { topUsersState != nil }

    /// The `top` heaviest users of each service over the period the partials ranked, as
    /// ``StreamingPass/topUsers(top:)`` gives them for the same events in one process; `nil`
    /// when the partial does not carry the top users' state.
    ///
    /// - Throws: ``CostResolver/Overflow`` when the costs or events taken together do not fit
    ///   (see ``TopUsersTally/check()``).
    public func topUsers(top: Int = 10) throws(CostResolver.Overflow) -> TopUsers? {
        guard let state = topUsersState else { return nil }
        return TopUsers(lines: try state.tally.lines(persons: state.persons, services: state.services, top: top),
                        period: state.period, prices: prices)
    }

    /// The top users' states of `partials` (which carry one each, or none) merged into one by
    /// ``TopUsersTally/merge(_:persons:services:)``: people by ID, services by name.
    ///
    /// - Throws: ``Failure/incompatible(_:)`` when some carry a state and some not, when a
    ///   person has figures in two partials (naming the partials and lines, never the ID), or
    ///   when the sums no longer fit (see ``TopUsersTally/check()``).
    static func mergedTopUsers(_ partials: [BeforeAfterPartial], name: (Int) -> String) throws(Failure) -> TopUsersState? {
        guard let first = partials.first?.topUsersState else {
            if let other = partials.firstIndex(where: \.carriesTopUsers) {
                throw .incompatible("\(name(other)) carries the top users' state and \(name(0)) does not; expected every partial made with the same --top-users, --from and --to")
            }
            return nil
        }
        var merged = TopUsersState(period: first.period, tally: TopUsersTally(period: first.period, services: partials[0].services),
                                   persons: StringDictionary(), services: StringDictionary())
        // Which partial, and which person there, each merged person came from (for messages).
        var from: [(partial: Int, person: Int32)] = []
        for (p, partial) in partials.enumerated() {
            guard let state = partial.topUsersState else {
                throw .incompatible("\(name(p)) does not carry the top users' state and \(name(0)) does; expected every partial made with the same --top-users, --from and --to")
            }
            var persons = [Int32](repeating: 0, count: state.persons.count)
            for code in 0..<Int32(state.persons.count) {
                let mergedCode = state.persons.withBytes(of: code) { merged.persons.intern($0) }
                if Int(mergedCode) < from.count {
                    func place(_ partial: Int, _ person: Int32) -> String {
                        let lines = partials[partial].topUsersState?.personLines ?? []
                        return Int(person) < lines.count ? "\(name(partial)):\(lines[Int(person)])" : "\(name(partial)) (person \(person + 1) of the top users)"
                    }
                    let earlier = from[Int(mergedCode)]
                    throw .incompatible("the same person is in the top users of \(place(earlier.partial, earlier.person)) and \(place(p, code)); expected each person in one partial only (split the events by person_id)")
                }
                from.append((p, code))
                persons[Int(code)] = mergedCode
            }
            let services = state.services.values.map { merged.services.intern($0) }
            merged.tally.merge(state.tally, persons: persons, services: services)
        }
        do throws(CostResolver.Overflow) {
            try merged.tally.check()
        } catch {
            throw .incompatible("the partials cannot be merged: \(error.description); expected the figures of a real extract (was a partial edited, or merged into another already?)")
        }
        return merged
    }
}
