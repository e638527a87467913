extension BeforeAfterPartial {
    /// Why partials cannot be read or merged.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The partial's file could not be opened or read.
        case input(IngestError)
        /// The text is not a partial this engine reads, or is damaged: where, and what was expected.
        case malformed(file: String, line: Int, detail: String)
        /// The partials cannot be merged: computed under different parameters, sharing a person, or
        /// with figures that together go past what 64 bits hold (see ``FigureTotals``).
        case incompatible(String)

        /// A message for the user (never a person's ID).
        public var description: String {
            switch self {
            case .input(let error): return error.description
            case .malformed(let file, let line, let detail): return "\(file):\(line): \(detail)"
            case .incompatible(let detail): return detail
            }
        }
    }

    /// The partials combined into one, as if their events had been one input.
    ///
    /// Members and rows are merged in output order, counts and reconciliations summed (sources by
    /// name), unpriced pairs summed by pair. The result depends only on the set of partials, not
    /// their order or grouping: merging is exact, associative and commutative. `names` (one per
    /// partial, such as file names) are for messages; without them partials are numbered.
    ///
    /// Every sum is checked: figures whose sums go past 64 bits (see ``FigureTotals``), or
    /// counts of rows, rejects, unpriced events or partials that do, refuse to merge rather than
    /// wrap or trap.
    ///
    /// - Throws: ``Failure/incompatible(_:)`` when `partials` is empty, when two were computed
    ///   under different parameters, prices, services or engine versions, when a person is in
    ///   more than one of them (the events must be split by person), or when a sum does not fit
    ///   (naming the figure and the partial that took it past; never a value).
    public static func merging(_ partials: [BeforeAfterPartial], names: [String] = []) throws(Failure) -> BeforeAfterPartial {
        func name(_ index: Int) -> String { index < names.count ? names[index] : "partial \(index + 1)" }
        guard let first = partials.first else { throw .incompatible("no partials to merge") }
        for (index, partial) in partials.enumerated().dropFirst() {
            if let difference = first.difference(from: partial) {
                throw .incompatible("\(name(index)) was computed under other parameters than \(name(0)): \(difference); expected every partial from the same inputs and options")
            }
        }

        // Every member, located by partial and position, in byte order of ID; rows follow.
        var located: [(partial: Int, member: Int)] = []
        located.reserveCapacity(partials.reduce(0) { $0 + $1.members.count })
        for (p, partial) in partials.enumerated() {
            for m in partial.members.indices { located.append((p, m)) }
        }
        if partials.count > 1 {
            located.sort { a, b in
                bytesPrecede(partials[a.partial].members[a.member].personID, partials[b.partial].members[b.member].personID)
            }
        }
        for (a, b) in zip(located, located.dropFirst()) {
            let first = partials[a.partial].members[a.member].personID, second = partials[b.partial].members[b.member].personID
            guard first.utf8.elementsEqual(second.utf8) else { continue }
            func place(_ l: (partial: Int, member: Int)) -> String {
                let lines = partials[l.partial].memberLines
                return l.member < lines.count ? "\(name(l.partial)):\(lines[l.member])" : "\(name(l.partial)) (person \(l.member + 1))"
            }
            throw .incompatible("the same person is in \(place(a)) and \(place(b)); expected each person in one partial only (split the events by person_id)")
        }
        // Each member's rows: the rows of a partial come person by person, in member order.
        let rowStarts = partials.map { partial in
            var starts = [Int](repeating: 0, count: partial.members.count + 1)
            var row = 0
            for (m, member) in partial.members.enumerated() {
                starts[m] = row
                while row < partial.rows.count, partial.rows[row].personID.utf8.elementsEqual(member.personID.utf8) { row += 1 }
            }
            starts[partial.members.count] = row
            precondition(row == partial.rows.count, "a partial's rows must belong to its members, in order")
            return starts
        }
        // Each member's events likewise, their codes mapped into the merged names.
        let keepsEvents = first.keepsEvents
        if let other = partials.firstIndex(where: { $0.keepsEvents != keepsEvents }) {
            throw .incompatible("\(name(other)) \(keepsEvents ? "does not carry" : "carries") its people's events and \(name(0)) \(keepsEvents ? "does" : "does not"); expected every partial from cof partial")
        }
        var eventServices = StringDictionary(), eventTypes = StringDictionary()
        let codeMaps = partials.map { partial in
            (services: partial.eventServices.values.map { eventServices.intern($0) }, types: partial.eventTypes.values.map { eventTypes.intern($0) })
        }
        let eventStarts = partials.map { partial in
            var starts = [Int](repeating: 0, count: partial.members.count + 1)
            var event = 0
            for m in partial.members.indices {
                starts[m] = event
                while event < partial.events.count, partial.events[event].person == Int32(m) { event += 1 }
            }
            starts[partial.members.count] = event
            precondition(event == partial.events.count, "a partial's events must belong to its members, in order")
            return starts
        }
        var members: [CohortSummary.Member] = []
        var rows: [BeforeAfterTable.Row] = []
        var events: [CohortEvent] = []
        members.reserveCapacity(located.count)
        rows.reserveCapacity(partials.reduce(0) { $0 + $1.rows.count })
        events.reserveCapacity(partials.reduce(0) { $0 + $1.events.count })
        for (p, m) in located {
            let place = Int32(members.count)
            members.append(partials[p].members[m])
            rows += partials[p].rows[rowStarts[p][m]..<rowStarts[p][m + 1]]
            for var event in partials[p].events[eventStarts[p][m]..<eventStarts[p][m + 1]] {
                event.person = place
                event.service = codeMaps[p].services[Int(event.service)]
                event.event = codeMaps[p].types[Int(event.event)]
                events.append(event)
            }
        }
        let membersWithoutEvents = try Self.withoutEvents(partials, members: members)
        let topUsersState = try Self.mergedTopUsers(partials, name: name)
        // Partials with and without candidates differ in their parameters: all carry them or none.
        let candidates = first.carriesComparisonCandidates
            ? try Self.mergedCandidates(partials, serviceCodes: codeMaps.map(\.services), members: members, quiet: membersWithoutEvents, name: name)
            : nil

        // Every sum the merge makes, and every sum the tables of the merged figures make, fits.
        func tooLarge(_ figure: String, at index: Int) -> Failure {
            .incompatible("the partials cannot be merged: the sum of \(figure) goes past what 64 bits hold when \(name(index)) is added; expected the figures of a real cohort (was a partial edited, or merged into another already?)")
        }
        func sum(_ total: Int, _ value: Int, _ figure: String, at index: Int) throws(Failure) -> Int {
            let (sum, overflow) = total.addingReportingOverflow(value)
            if overflow || value < 0 { throw tooLarge(figure, at: index) }
            return sum
        }
        var totals = FigureTotals()
        var rejected: [String: Int] = [:]
        var rejectedRows = 0
        var unpriced: [Pair: Int] = [:]
        var partialCount = 0
        for (index, partial) in partials.enumerated() {
            do throws(FigureTotals.Overflow) {
                try totals.add(try FigureTotals(partial))
            } catch {
                throw tooLarge(error.figure, at: index)
            }
            partialCount = try sum(partialCount, partial.partials, "the count of partials", at: index)
            for count in partial.rejected {
                rejected[count.kind] = try sum(rejected[count.kind] ?? 0, count.rows, "the rejected rows of one kind", at: index)
                rejectedRows = try sum(rejectedRows, count.rows, "the rejected rows", at: index)
            }
            for pair in partial.unpriced {
                let key = Pair(service: pair.service, event: pair.event)
                unpriced[key] = try sum(unpriced[key] ?? 0, pair.events, "the unpriced events of one service and event", at: index)
            }
        }
        let sources: [SourceReconciliation]
        do throws(FigureTotals.Overflow) {
            sources = try summed(partials.flatMap(\.sources))
        } catch {
            throw tooLarge(error.figure, at: partials.count - 1)
        }
        var merged = BeforeAfterPartial(
            engineVersion: first.engineVersion, parameters: first.parameters, fingerprint: first.fingerprint,
            prices: first.prices, partials: partialCount, services: first.services,
            sources: sources,
            rejected: rejected.map { RejectCount(kind: $0.key, rows: $0.value) }.sorted { bytesPrecede($0.kind, $1.kind) },
            unpriced: EventCosts.inOutputOrder(unpriced.map { EventCosts.UnpricedPair(service: $0.key.service, event: $0.key.event, events: $0.value) }),
            members: members, membersWithoutEvents: membersWithoutEvents, rows: rows)
        merged.keepsEvents = keepsEvents
        merged.events = events
        merged.eventServices = eventServices
        merged.eventTypes = eventTypes
        merged.days = (partials.map(\.days.earliest).min()!, partials.map(\.days.latest).max()!)
        for partial in partials { merged.totals.merge(partial.totals) }
        merged.topUsersState = topUsersState
        merged.comparisonCandidates = candidates
        return merged
    }

    /// The treated people without events in the merge of `partials`, whose people with events are
    /// `members` (in byte order): those some partial lists without events and none with them,
    /// each once. Union less members is associative and commutative, as the merge must be; every
    /// partial reads the whole interventions file, so each lists every treated person one way.
    ///
    /// - Throws: ``Failure/incompatible(_:)`` when two partials give one person different
    ///   exposure (they were made from different interventions or windows): two listings without
    ///   events that differ, or one with events that has more days than one without.
    private static func withoutEvents(_ partials: [BeforeAfterPartial], members: [CohortSummary.Member]) throws(Failure) -> [CohortSummary.Member] {
        var listed = partials.flatMap(\.membersWithoutEvents)
        if partials.count > 1 { listed.sort { bytesPrecede($0.personID, $1.personID) } }
        let differ = Failure.incompatible("two partials give one person different days of exposure; expected every partial made from the same interventions file and windows")
        var result: [CohortSummary.Member] = []
        result.reserveCapacity(listed.count / max(partials.count, 1))
        var m = 0
        for member in listed {
            if let last = result.last, last.personID.utf8.elementsEqual(member.personID.utf8) {
                if last != member { throw differ }
                continue
            }
            while m < members.count, bytesPrecede(members[m].personID, member.personID) { m += 1 }
            if m < members.count, members[m].personID.utf8.elementsEqual(member.personID.utf8) {
                // The partial with the person's events may take days at risk out of the
                // windows (``TimeAtRisk``); one without them cannot, so it lists no fewer days.
                if members[m].beforeDays > member.beforeDays || members[m].afterDays > member.afterDays { throw differ }
                continue
            }
            result.append(member)
        }
        return result
    }

    /// A (service, event) pair as a dictionary key.
    private struct Pair: Hashable {
        var service: String
        var event: String
    }

    /// What differs between this partial's parameters and `other`'s, or `nil` when they may merge.
    func difference(from other: BeforeAfterPartial) -> String? {
        if engineVersion != other.engineVersion { return "engine \(other.engineVersion), not \(engineVersion)" }
        let mine = parameters.first { $0.name == Self.topUsersParameterName }, theirs = other.parameters.first { $0.name == Self.topUsersParameterName }
        if mine != theirs {
            func state(_ parameter: Parameter?) -> String {
                parameter.map { "the top users' state over \($0.value)" } ?? "no top users' state (made without --top-users, --from or --to)"
            }
            return "\(state(theirs)), not \(state(mine))"
        }
        if parameters.contains(Self.comparisonCandidatesParameter) != other.parameters.contains(Self.comparisonCandidatesParameter) {
            return other.parameters.contains(Self.comparisonCandidatesParameter)
                ? "it carries the comparison group's candidates (made with --comparison-candidates) and the other does not"
                : "it carries no comparison group candidates (made without --comparison-candidates) and the other does"
        }
        if parameters != other.parameters {
            for (mine, theirs) in zip(parameters, other.parameters) where mine != theirs {
                return mine.name == theirs.name ? "\(mine.name) \(theirs.value), not \(mine.value)" : "parameter \(theirs.name), not \(mine.name)"
            }
            return "\(other.parameters.count) parameters, not \(parameters.count)"
        }
        if fingerprint != other.fingerprint { return "fingerprint \(other.fingerprint), not \(fingerprint)" }
        if prices != other.prices { return "prices '\(other.prices)', not '\(prices)'" }
        if services.entries != other.services.entries { return "another services table" }
        return nil
    }
}
