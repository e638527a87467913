import Testing
import TestSupport
@testable import CostOfFailure

/// The top users' state in partials: merged from random person splits, through the text form,
/// it ranks exactly as one streaming pass over all the events does; partials that cannot merge
/// (other periods, one without the state, a person in two) and damaged state records are refused.
@Suite("The top users from merged partials")
struct BeforeAfterPartialTopUsersTests {
    /// A generated study with untreated people, the intervention's own service, and people whose
    /// only events are long before any period ranked.
    private struct Study {
        let header: String
        let lines: [Substring]
        /// Lines of people with events only in 2015 (no index date): a part of them alone has no
        /// event in the period.
        let oldLines: [Substring]
        let interventions: String
        let unitCosts: String
        let services: String

        init(seed: UInt64) {
            let dataset = SyntheticDataset(options: .init(events: 12_000, seed: seed, comparisonShare: 0.3, effect: 0.3))
            var bytes: [UInt8] = []
            dataset.writeEvents { bytes += $0 }
            var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
            header = String(lines.removeFirst())
            interventions = dataset.interventionsCSV()
            let treated = interventions.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }) }
            for (i, person) in treated.enumerated() where i % 4 == 0 {
                lines.append(Substring("\(person),Liberated Method,session,2022-0\(i % 9 + 1)-15,1,120.00"))
            }
            self.lines = lines
            oldLines = (0..<30).map { Substring("OLD-\($0 % 12),A&E,attendance,2015-0\($0 % 9 + 1)-1\($0 % 10),1,") }
            unitCosts = dataset.unitCostsCSV()
            services = dataset.servicesCSV() + "Liberated Method,Intervention,Changing Futures\n"
        }

        func inputs(_ events: String) -> StudyInputs {
            StudyInputs(events: [EventSource(csv(events, name: "events.csv", chunkSize: 4_096), header: .optional)],
                        interventions: csv(interventions, name: "interventions.csv"), unitCosts: csv(unitCosts, name: "unit-costs.csv"),
                        services: csv(services, name: "services.csv"),
                        windows: StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(12, .months), observationEnd: day("2023-06-30")))
        }

        /// The text of every event.
        var all: String { header + "\n" + (lines + oldLines).joined(separator: "\n") + "\n" }

        /// A partial of `events` ranking over `period`, through its text form and back.
        func partial(_ events: String, period: ClosedRange<CivilDate>?, file: String = "p.partial") throws -> BeforeAfterPartial {
            let pass = try StreamingPass(inputs(events), keepingCohortEvents: true, rankingTopUsers: TopUsers.Ranking(period: period))
            let made = BeforeAfterPartial(pass: pass, parameters: [.init("before", "12m")], fingerprint: "test")
            return try BeforeAfterPartial(decoding: made.encoded(), file: file)
        }

        /// The events split by person into `parts` at random, then a part of the old people
        /// only and a part with no rows.
        func split(parts: Int, seed: UInt64) -> [String] {
            PersonSplit.texts(header: header, lines: lines, parts: parts, seed: seed)
                + [header + "\n" + oldLines.joined(separator: "\n") + "\n", header + "\n"]
        }
    }

    /// The periods ranked over: every date, a span, an open start, and an open end.
    static let periods: [ClosedRange<CivilDate>?] = [
        nil, day("2021-01-01")...day("2022-06-30"), TopUsers.Ranking(from: nil, to: day("2022-03-31")).period,
        TopUsers.Ranking(from: day("2022-01-01"), to: nil).period,
    ]

    @Test("Random splits of 1 to 5 parts by person (with a part of no events in the period and an empty one), through the text form and merged, rank as one pass does",
          arguments: [(1, 1), (2, 2), (3, 3), (4, 5), (5, 4)] as [(UInt64, Int)])
    func mergeEqualsOnePass(seed: UInt64, parts: Int) throws {
        let study = Study(seed: seed)
        for period in Self.periods {
            let pass = try StreamingPass(study.inputs(study.all), keepingCohortEvents: true, rankingTopUsers: TopUsers.Ranking(period: period))
            let partials = try study.split(parts: parts, seed: seed * 7 + 1).map { try study.partial($0, period: period) }
            // The old people's part has figures only when the period reaches 2015; the empty part none.
            let reaches2015 = period.map { $0.lowerBound < day("2016-01-01") } ?? true
            #expect(partials[partials.count - 2].carriesTopUsers && (partials[partials.count - 2].topUsersState?.tally.pairs ?? 0 > 0) == reaches2015)
            #expect(partials[partials.count - 1].carriesTopUsers && partials[partials.count - 1].topUsersState?.tally.pairs == 0)
            let merged = try BeforeAfterPartial.merging(partials)
            // In another order, and in stages through the text form: the same state.
            let reversed = try BeforeAfterPartial.merging(partials.reversed())
            let staged = try BeforeAfterPartial.merging([
                try BeforeAfterPartial(decoding: BeforeAfterPartial.merging(Array(partials.prefix(2))).encoded(), file: "s.partial"),
            ] + partials.dropFirst(2))
            for top in [1, 3, 10_000] {
                let one = pass.topUsers(top: top)
                #expect(one.lines.count > (top == 1 ? 5 : 20), "\(String(describing: period))")
                for made in [merged, reversed, staged] {
                    let ranked = try #require(try made.topUsers(top: top))
                    #expect(ranked.lines == one.lines, "\(String(describing: period)) top \(top)")
                    #expect(ranked.period == one.period && ranked.prices == one.prices)
                    #expect(String(describing: ranked.resultTable()) == String(describing: one.resultTable()))
                }
            }
            let everyone = pass.topUsers(top: 10_000).lines
            #expect(everyone.contains { $0.beforeEvents == nil } && everyone.contains { $0.afterEvents ?? 0 > 0 })
            #expect(!everyone.contains { $0.service == "Liberated Method" })
            #expect(everyone.contains { $0.personID.hasPrefix("OLD-") } == reaches2015)
            #expect(merged.encoded() == staged.encoded() && merged.encoded() == reversed.encoded())
        }
    }

    @Test("The state's period is a parameter that reads back as it was written")
    func periodParameter() throws {
        for period in Self.periods + [day("0001-01-01")...day("9999-12-31"), CivilDate(daysSinceEpoch: -5_000_000)...day("2020-01-01")] {
            let parameter = BeforeAfterPartial.topUsersParameter(period: period)
            #expect(parameter.name == "top_users")
            let back = try #require(BeforeAfterPartial.topUsersPeriod(parameterValue: parameter.value))
            #expect(back == period, "\(parameter.value)")
        }
        #expect(BeforeAfterPartial.topUsersParameter(period: nil).value == "every date")
        #expect(BeforeAfterPartial.topUsersParameter(period: Self.periods[2]).value == "open to 2022-03-31")
        for bad in ["", "every", "2022-01-01", "2022-02-01 to 2022-01-01", "2022-01-01 to 2022-13-01", "open to open to open", "2022-1-1 to open"] {
            #expect(BeforeAfterPartial.topUsersPeriod(parameterValue: bad) == nil, "\(bad)")
        }
    }

    @Test("Partials over other periods, or one without the state, refuse to merge; a person in two partials' states is refused by line, never by ID")
    func refusals() throws {
        let study = Study(seed: 9)
        let texts = study.split(parts: 2, seed: 3)
        let period = Self.periods[1]
        let a = try study.partial(texts[0], period: period, file: "a.partial"), b = try study.partial(texts[1], period: period, file: "b.partial")
        _ = try BeforeAfterPartial.merging([a, b])
        func refusal(_ partials: [BeforeAfterPartial]) -> String {
            do {
                _ = try BeforeAfterPartial.merging(partials, names: ["a.partial", "b.partial"])
                return "merged"
            } catch {
                return error.description
            }
        }
        let otherPeriod = try study.partial(texts[1], period: nil)
        #expect(refusal([a, otherPeriod]) == "b.partial was computed under other parameters than a.partial: the top users' state over every date, not the top users' state over 2021-01-01 to 2022-06-30; expected every partial from the same inputs and options")
        let without = BeforeAfterPartial(pass: try StreamingPass(study.inputs(texts[1]), keepingCohortEvents: true),
                                         parameters: [.init("before", "12m")], fingerprint: "test")
        let unranked = try without.topUsers()
        #expect(!without.carriesTopUsers && unranked == nil)
        #expect(refusal([a, without]).contains("no top users' state (made without --top-users, --from or --to), not the top users' state over 2021-01-01 to 2022-06-30"))
        #expect(refusal([without, a]).contains("the top users' state over 2021-01-01 to 2022-06-30, not no top users' state"))
        // An untreated person's events in both parts: no member is shared, the state's person is.
        let untreated = try #require(study.lines.first { line in
            let id = line.prefix { $0 != "," }
            return !study.interventions.contains("\n\(id),") && line.contains(",2021-")
        })
        let id = String(untreated.prefix { $0 != "," })
        let withoutHim = { (text: String) in text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("\(id),") }.joined(separator: "\n") }
        let first = try study.partial(withoutHim(texts[0]) + "\(untreated)\n", period: period, file: "a.partial")
        let second = try study.partial(withoutHim(texts[1]) + "\(untreated)\n", period: period, file: "b.partial")
        let message = refusal([first, second])
        let lineA = lineOfFirstUser(id, in: first.encoded()), lineB = lineOfFirstUser(id, in: second.encoded())
        #expect(message == "the same person is in the top users of a.partial:\(lineA) and b.partial:\(lineB); expected each person in one partial only (split the events by person_id)")
        #expect(lineA > 0 && lineB > 0 && !message.contains(id))
    }

    /// The line of `id`'s first `user` record in a partial's text (0: none).
    private func lineOfFirstUser(_ id: String, in partial: [UInt8]) -> Int {
        String(decoding: partial, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.hasPrefix("user\t\(id)\t") }.map { $0 + 1 } ?? 0
    }

    @Test("A damaged state record is refused at its line, saying what was expected and never quoting an ID", arguments: [
        ("count", "counts"), ("order", "people out of order"), ("services", "services out of order"), ("fields", "fields: expected 7"),
        ("treated", "expected 1 (treated) or 0"), ("empty", "a user record with no events"), ("cost", "a cost with no events in the period"),
        ("window", "window events for someone not treated"), ("totals", "add up to more than the top_users record's totals"),
        ("ceiling", "past the engine's ceiling"), ("intervention", "the intervention's own"), ("blank", "a space or tab at either end"),
        ("parameter", "a top_users parameter that is not one period"), ("no record", "no top_users record"),
        ("no parameter", "a top_users record in a partial without the top_users parameter"), ("negative", "is below 0"),
        ("forged", "a treated flag that is not the partial's"),
    ] as [(String, String)])
    func damaged(damage: String, words: String) throws {
        let study = Study(seed: 11)
        let good = try study.partial(study.all, period: Self.periods[1])
        var lines = String(decoding: good.encoded(), as: UTF8.self).split(separator: "\n").map(String.init)
        let record = try #require(lines.firstIndex { $0.hasPrefix("top_users\t") })
        let user = record + 1
        let parameter = try #require(lines.firstIndex { $0.hasPrefix("parameter\ttop_users\t") })
        var line = user + 1
        func fields(_ at: Int) -> [String] { lines[at].split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        func set(_ at: Int, _ field: Int, _ value: String) {
            var f = fields(at)
            f[field] = value
            lines[at] = f.joined(separator: "\t")
        }
        // The first user record of someone untreated, with priced events in the period.
        let plain = try #require(lines.indices.first {
            $0 > user && $0 < lines.count - 1 && fields($0)[7] == "0" && fields($0)[3] != "0" && fields($0)[4] != "0" && fields($0 - 1)[1] != fields($0)[1]
        })
        switch damage {
        case "count": set(record, 1, "\(Int(fields(record)[1])! + 1)"); line = lines.count - 1
        case "order": lines.swapAt(user, lines.count - 2); line = user + 2
        case "services":
            let first = try #require(lines.indices.first { $0 > record && $0 < lines.count - 2 && fields($0)[1] == fields($0 + 1)[1] })
            lines.swapAt(first, first + 1)
            line = first + 2
        case "fields": lines[user] += "\t1"
        case "treated": set(user, 7, "yes")
        case "empty": set(plain, 3, "0"); set(plain, 4, "0"); line = plain + 1
        case "cost": set(plain, 3, "0"); line = plain + 1
        case "window": set(plain, 5, "2"); line = plain + 1
        case "totals": set(plain, 4, "\(Int64(fields(record)[2])! + 1)"); line = plain + 1
        case "ceiling": set(record, 2, "\(CostResolver.maximumTotal + 1)"); line = record + 1
        case "intervention": set(plain, 2, "Liberated Method"); line = plain + 1
        case "blank": set(user, 1, " " + fields(user)[1])
        case "parameter": set(parameter, 2, "sometime"); line = parameter + 1
        case "no record": lines.removeSubrange(record..<(lines.count - 1)); line = record
        case "no parameter": lines.remove(at: parameter); line = record
        case "negative": set(plain, 3, "-1"); line = plain + 1
        case "forged": set(plain, 7, "1"); line = plain + 1
        default: Issue.record("no damage \(damage)")
        }
        let text = PartialText.sealed(lines.joined(separator: "\n") + "\n")
        do {
            _ = try BeforeAfterPartial(decoding: Array(text.utf8), file: "p.partial")
            Issue.record("read a damaged partial: \(damage)")
        } catch {
            #expect(error.description.hasPrefix("p.partial:\(line): "), "\(damage): \(error)")
            #expect(error.description.contains(words), "\(damage): \(error)")
            let ids = Set(lines.filter { $0.hasPrefix("user\t") }.map { $0.split(separator: "\t")[1] })
            #expect(!ids.contains { error.description.contains($0) }, "\(damage): \(error)")
        }
        // Cut short inside the state: the end record is missing.
        let cut = lines.prefix(user + 2).joined(separator: "\n") + "\n"
        #expect(throws: BeforeAfterPartial.Failure.self) { try BeforeAfterPartial(decoding: Array(cut.utf8), file: "p.partial") }
    }
}
