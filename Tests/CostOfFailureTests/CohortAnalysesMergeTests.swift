import Testing
import TestSupport
@testable import CostOfFailure

/// The per-person analyses of merged partials against one process's, on a generated study with
/// recorded costs, the intervention's own service, custody and deaths (time at risk), a treated
/// person with no rows and index dates too early for a baseline.
@Suite("The per-person analyses of merged partials")
struct CohortAnalysesMergeTests {
    /// The study: its header and event lines, and its inputs over some events text.
    private struct Study {
        let header: String
        let lines: [Substring]
        let interventions: String
        let unitCosts: String
        let services: String
        let comparison: String

        init(seed: UInt64) {
            let dataset = SyntheticDataset(options: .init(events: 20_000, seed: seed, comparisonShare: 0.2, effect: 0.3))
            var bytes: [UInt8] = []
            dataset.writeEvents { bytes += $0 }
            var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
            header = String(lines.removeFirst())
            var interventions = dataset.interventionsCSV().split(separator: "\n").enumerated().map { index, line in
                index > 0 && index % 3 == 0 ? String(line) + "\(index % 9 == 0 ? "0" : "\(index).25")" : String(line)
            }
            interventions.append("NO-ROWS-1,2021-01-01,,Synthetic programme,99.99")
            interventions.append("EARLY-1,2014-09-01,,Synthetic programme,")
            let treated = interventions.dropFirst().map { String($0.prefix { $0 != "," }) }
            // The programme's own sessions for some, custody nights and a death for others.
            for (i, person) in treated.enumerated() {
                if i % 4 == 0 { lines.append(Substring("\(person),Liberated Method,session,2022-0\(i % 9 + 1)-15,1,\(i % 8 == 0 ? "" : "120.00")")) }
                if i % 5 == 1 { lines.append(Substring("\(person),Custody,night,2022-0\(i % 9 + 1)-0\(i % 7 + 1),1,0")) }
                if i % 5 == 1 { lines.append(Substring("\(person),Custody,night,2021-1\(i % 3)-11,1,0")) }
                if i % 17 == 2 { lines.append(Substring("\(person),Death,registered,2022-1\(i % 3)-20,1,0")) }
            }
            lines.append("EARLY-1,A&E,attendance,2014-08-01,1,")
            self.lines = lines
            self.interventions = interventions.joined(separator: "\n") + "\n"
            unitCosts = dataset.unitCostsCSV()
            comparison = dataset.comparisonCSV()
            services = "service,category,agency,exposure\n"
                + dataset.servicesCSV().split(separator: "\n").dropFirst().map { "\($0),\n" }.joined()
                + "Liberated Method,Intervention,Changing Futures,\nCustody,Criminal justice,Police,removes\nDeath,Health,Registrar,ends\n"
        }

        func inputs(_ events: String, priceBase: FinancialYear?) -> StudyInputs {
            StudyInputs(events: [EventSource(csv(events, name: "events.csv", chunkSize: 4_096), header: .optional)],
                        interventions: csv(interventions, name: "interventions.csv"), unitCosts: csv(unitCosts, name: "unit-costs.csv"),
                        services: csv(services, name: "services.csv"),
                        windows: StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(12, .months), observationEnd: day("2023-06-30")),
                        priceBase: priceBase)
        }

        /// A partial of `events` (with the comparison group's candidates when `candidates`),
        /// through its text form and back.
        func partial(_ events: String, priceBase: FinancialYear?, candidates: Bool = false) throws -> BeforeAfterPartial {
            let pass = try StreamingPass(inputs(events, priceBase: priceBase), keepingCohortEvents: true, keepingEveryonesEvents: candidates)
            let made = BeforeAfterPartial(pass: pass, parameters: [.init("before", "12m")], fingerprint: "test")
            return try BeforeAfterPartial(decoding: made.encoded(), file: "p.partial")
        }
    }

    @Test("Random splits by person, through the text form and merged, give one process's financial years, appraisal, trajectory, timeline, report and baseline check",
          arguments: [(1, 1, false), (2, 3, true), (3, 6, false)] as [(UInt64, Int, Bool)])
    func mergeEqualsOneProcess(seed: UInt64, parts: Int, inPriceBase: Bool) throws {
        let study = Study(seed: seed)
        let priceBase = inPriceBase ? FinancialYear("2024-25") : nil
        let all = study.header + "\n" + study.lines.joined(separator: "\n") + "\n"
        let inputs = study.inputs(all, priceBase: priceBase)
        let pass = try StreamingPass(inputs, keepingCohortEvents: true)
        let one = try #require(pass.cohortAnalyses)
        let partials = try PersonSplit.texts(header: study.header, lines: study.lines, parts: parts, seed: seed * 5)
            .map { try study.partial($0, priceBase: priceBase) }
        let merged = try BeforeAfterPartial.merging(partials)
        let analyses = try merged.cohortAnalyses(try inputs.cohortTables(), windows: inputs.windows, workers: 2)

        #expect(pass.peopleWithEventsAfterDeath > 0 && pass.cohortMembers.contains { $0.beforeDays < 365 || $0.afterDays < 365 })
        #expect(analyses.cohortMembers == one.cohortMembers)
        #expect(analyses.peopleWithAfterWindowCut == one.peopleWithAfterWindowCut)
        #expect(one.financialYearConsumption.intervention.contains { $0.recorded > 0 })
        let assumptions = Appraisal.Assumptions(years: 3, persistenceBasisPoints: 8_000, recurringCostPerPersonPence: 5_000)
        #expect(String(describing: try analyses.appraisal(beforeAfter: merged.beforeAfter, assumptions: assumptions).resultTable())
                == String(describing: try one.appraisal(beforeAfter: pass.beforeAfter, assumptions: assumptions).resultTable()))
        // One member's figures too, as a report for one person makes them.
        try Self.expectSameFolds(analyses, one, someone: try #require(merged.members.dropFirst(3).first?.personID))
    }

    /// Expects `analyses` to give `expected`'s financial years, trajectory, quarterly timeline,
    /// cohort report and baseline check, and `someone`'s report and trajectory.
    private static func expectSameFolds(_ analyses: CohortAnalyses, _ expected: CohortAnalyses, someone: String) throws {
        let (years, expectedYears) = (analyses.financialYearConsumption, expected.financialYearConsumption)
        #expect(years.lines == expectedYears.lines && years.intervention == expectedYears.intervention && years.prices == expectedYears.prices)
        #expect(analyses.trajectory().points == expected.trajectory().points)
        let (quarters, expectedQuarters) = (analyses.quarterlyTimeline(), expected.quarterlyTimeline())
        #expect(quarters.quarters == expectedQuarters.quarters && quarters.counts == expectedQuarters.counts && quarters.people == expectedQuarters.people)
        #expect(String(describing: try analyses.consumptionReport(subject: .cohort)) == String(describing: try expected.consumptionReport(subject: .cohort)))
        let (check, expectedCheck) = (analyses.regressionToTheMean, expected.regressionToTheMean)
        #expect(check.people == expectedCheck.people && check.withoutBaseline == expectedCheck.withoutBaseline)
        #expect(String(describing: try analyses.consumptionReport(subject: .person(someone)))
                == String(describing: try expected.consumptionReport(subject: .person(someone))))
        #expect(analyses.trajectory(person: someone).points == expected.trajectory(person: someone).points)
    }

    @Test("The cohort's folds started together in a pass beside the caller, read at once or later, are what each is made alone",
          arguments: [0, 1, 2, 3] as [Int])
    func startedTogether(order: Int) throws {
        let study = Study(seed: 4)
        let inputs = study.inputs(study.header + "\n" + study.lines.joined(separator: "\n") + "\n", priceBase: nil)
        let alone = try #require(try StreamingPass(inputs, keepingCohortEvents: true).cohortAnalyses)
        let pass = try StreamingPass(inputs, keepingCohortEvents: true)
        let started = try #require(pass.cohortAnalyses)
        // Every order of asking: all at once, in reverse, the same ones started twice, and some
        // made before the rest are started (the consumption report with its baseline check).
        var analyses = CohortAnalyses.Analysis.allCases
        if order == 1 { analyses.reverse() }
        if order == 2 { analyses += analyses }
        if order == 3 { _ = try started.consumptionReport(subject: .cohort) }
        started.startMaking(analyses)
        #expect(String(describing: try started.appraisal(beforeAfter: pass.beforeAfter).resultTable())
                == String(describing: try alone.appraisal(beforeAfter: pass.beforeAfter).resultTable()))
        #expect(started.trajectory(months: -3...3).points == alone.trajectory(months: -3...3).points)
        // One member's are folded apart, not taken from the cohort's.
        let someone = try #require(started.cohortMembers.dropFirst(3).first?.personID)
        try Self.expectSameFolds(started, alone, someone: someone)
        #expect(started.trajectory(person: someone).points != started.trajectory().points)
    }

    @Test("A set of the cohort's folds, split over one to three threads, gives each fold as folded alone on one")
    func foldSetSplit() throws {
        let study = Study(seed: 4)
        let inputs = study.inputs(study.header + "\n" + study.lines.joined(separator: "\n") + "\n", priceBase: nil)
        let cohort = try #require(try StreamingPass(inputs, keepingCohortEvents: true).cohortAnalyses)
        func alone<F: CohortFold>(_ fold: F) -> F { cohort.events.fold(fold, windows: cohort.windows, workers: 1) }
        let years = FinancialYearConsumption(fold: alone(cohort.financialYearsFold))
        let trajectory = Trajectory(fold: alone(cohort.trajectoryFold(months: Trajectory.defaultMonths, only: nil)), prices: cohort.prices)
        let timeline = QuarterlyTimeline(fold: alone(cohort.timelineFold(only: nil)), person: nil)
        let check = RegressionToTheMean(fold: alone(cohort.baselineCheckFold), cohort: cohort.persons)
        let split = alone(cohort.appraisalFold(only: nil))
        let consumption = alone(cohort.consumptionFold(only: nil))
        for workers in 1...3 {
            // Split from the first event: the study is smaller than a split is worth.
            let set = cohort.events.fold(CohortAnalyses.FoldSet(CohortAnalyses.Analysis.allCases, of: cohort), windows: cohort.windows,
                                         workers: workers, splitFrom: 0)
            let setYears = FinancialYearConsumption(fold: try #require(set.financialYears))
            #expect(setYears.lines == years.lines && setYears.intervention == years.intervention)
            #expect(Trajectory(fold: try #require(set.trajectory), prices: cohort.prices).points == trajectory.points)
            let quarters = QuarterlyTimeline(fold: try #require(set.timeline), person: nil)
            #expect(quarters.quarters == timeline.quarters && quarters.counts == timeline.counts && quarters.people == timeline.people)
            let setCheck = RegressionToTheMean(fold: try #require(set.baselineCheck), cohort: cohort.persons)
            #expect(setCheck.people == check.people && setCheck.withoutBaseline == check.withoutBaseline)
            let setSplit = try #require(set.appraisal)
            #expect(setSplit.before == split.before && setSplit.after == split.after)
            #expect(String(describing: try cohort.consumptionReport(try #require(set.consumption), subject: .cohort))
                    == String(describing: try cohort.consumptionReport(consumption, subject: .cohort)))
        }
    }

    @Test("A merge is refused when a partial is missing, when the interventions or windows differ, or when the partials carry no events")
    func refusals() throws {
        let study = Study(seed: 4)
        let partials = try PersonSplit.texts(header: study.header, lines: study.lines, parts: 3, seed: 1).map { try study.partial($0, priceBase: nil) }
        let inputs = study.inputs("", priceBase: nil)
        let tables = try inputs.cohortTables()
        // Every partial lists every treated person, so a missing one leaves its people without
        // events: their exposure is then the plain windows', which custody may contradict.
        let merged = try BeforeAfterPartial.merging(partials)
        _ = try merged.cohortAnalyses(tables, windows: inputs.windows, workers: 1)
        var fewer = tables
        fewer.interventions = InterventionTable(entries: Array(tables.interventions.entries.dropLast()))
        #expect(throws: BeforeAfterPartial.Failure.self) { try merged.cohortAnalyses(fewer, windows: inputs.windows, workers: 1) }
        var shorter = inputs.windows
        shorter.before = WindowSpan(6, .months)
        #expect(throws: BeforeAfterPartial.Failure.self) { try merged.cohortAnalyses(tables, windows: shorter, workers: 1) }
        var withoutEvents = merged
        withoutEvents.keepsEvents = false
        #expect(throws: BeforeAfterPartial.Failure.self) { try withoutEvents.cohortAnalyses(tables, windows: inputs.windows, workers: 1) }
    }

    @Test("Random splits by person, with the candidates, merged: one process's comparison group, given or matched, and its difference in differences, placebo and balance",
          arguments: [(5, 1, false), (6, 4, true), (7, 3, true)] as [(UInt64, Int, Bool)])
    func comparisonGroupOfMerge(seed: UInt64, parts: Int, matched: Bool) throws {
        let study = Study(seed: seed)
        let all = study.header + "\n" + study.lines.joined(separator: "\n") + "\n"
        var inputs = study.inputs(all, priceBase: nil)
        if matched { inputs.matchComparison = true } else { inputs.comparisonGroup = csv(study.comparison, name: "comparison.csv") }
        let pass = try StreamingPass(inputs, keepingCohortEvents: true, keepingEveryonesEvents: true)
        let one = try #require(try pass.comparisonGroup(inputs)).analysis(resamples: 60, seed: seed)
        let partials = try PersonSplit.texts(header: study.header, lines: study.lines, parts: parts, seed: seed * 7)
            .map { try study.partial($0, priceBase: nil, candidates: true) }
        #expect(partials.allSatisfy { $0.carriesComparisonCandidates })
        let merged = try BeforeAfterPartial.merging(partials)
        // Through the text form again, as a merge in stages writes it.
        let staged = try BeforeAfterPartial(decoding: merged.encoded(), file: "merged.partial")
        #expect(staged.encoded() == merged.encoded())
        let tables = try inputs.cohortTables()
        let features = try staged.comparisonGroupFeatures(services: tables.services, windows: inputs.windows)
        let group = try #require(try staged.comparisonGroup(inputs, features: features, tables: tables))
        let made = try group.analysis(resamples: 60, seed: seed)
        #expect(String(describing: made.did.resultTable()) == String(describing: one.did.resultTable()))
        #expect(String(describing: made.placebo.resultTable()) == String(describing: one.placebo.resultTable()))
        #expect(String(describing: made.balance.resultTable()) == String(describing: one.balance.resultTable()))
        #expect(made.matching?.entries == one.matching?.entries && made.matching?.unmatched == one.matching?.unmatched)
        #expect(made.did.comparisonPeople > 0 && made.did.lines == one.did.lines)
    }

    @Test("Candidates refuse to merge with partials without them, in two partials, or when treated")
    func candidateRefusals() throws {
        let study = Study(seed: 8)
        let texts = PersonSplit.texts(header: study.header, lines: study.lines, parts: 2, seed: 3)
        let with = try texts.map { try study.partial($0, priceBase: nil, candidates: true) }
        let without = try study.partial(texts[1], priceBase: nil)
        #expect(throws: BeforeAfterPartial.Failure.self) { try BeforeAfterPartial.merging([with[0], without]) }
        #expect(throws: BeforeAfterPartial.Failure.self) { try BeforeAfterPartial.merging([with[0], with[0]]) }
        // A merge without candidates cannot make a comparison group.
        let plain = try BeforeAfterPartial.merging(try texts.map { try study.partial($0, priceBase: nil) })
        let inputs = study.inputs("", priceBase: nil)
        #expect(throws: BeforeAfterPartial.Failure.self) { try plain.comparisonGroupFeatures(services: try inputs.cohortTables().services, windows: inputs.windows) }
        // A treated person written as a candidate (checksum made good) is refused on reading.
        var text = String(decoding: with[0].encoded(), as: UTF8.self)
        let member = try #require(with[0].members.first?.personID)
        let firstCandidate = try #require(with[0].comparisonCandidates?.persons.first)
        text = text.replacingOccurrences(of: "candidate\t\(firstCandidate)\n", with: "candidate\t\(member)\n")
        let body = text[..<text.range(of: "end\t")!.lowerBound]
        text = String(body) + "end\t\(with[0].members.count + with[0].membersWithoutEvents.count)\t\(with[0].rows.count)\t\(BeforeAfterPartial.checksum(ofBody: Array(body.utf8)[...]))\n"
        // A candidate whose ID is padded would be coded as the trimmed ID: another person.
        var padded = String(decoding: with[0].encoded(), as: UTF8.self)
        _ = try BeforeAfterPartial(decoding: Self.resealed(padded), file: "resealed.partial")
        padded = padded.replacingOccurrences(of: "candidate\t\(firstCandidate)\n", with: "candidate\t \(firstCandidate)\n")
        do {
            _ = try BeforeAfterPartial(decoding: Self.resealed(padded), file: "padded.partial")
            Issue.record("a padded candidate ID read")
        } catch {
            #expect(error.description.contains("a space or tab at either end"))
        }
        #expect(text.contains("candidate\t\(member)\n"))
        do {
            _ = try BeforeAfterPartial(decoding: Array(text.utf8), file: "edited.partial")
            Issue.record("a treated person read as a candidate")
        } catch {
            #expect(error.description.contains("a candidate who has an intervention"))
        }
    }

    /// `text` with its `end` record's checksum made good for the bytes before it.
    private static func resealed(_ text: String) -> [UInt8] {
        let body = text[..<text.range(of: "\nend\t")!.upperBound].dropLast(4)
        let end = text[text.range(of: "\nend\t")!.upperBound...].split(separator: "\t")
        return Array((String(body) + "end\t\(end[0])\t\(end[1])\t\(BeforeAfterPartial.checksum(ofBody: Array(body.utf8)[...]))\n").utf8)
    }

    /// A partial of one treated person without events and the candidates `candidates` (ID, cost),
    /// each with one priced A&E row.
    private static func candidatesOnly(treated: String, candidates: [(String, Pence)]) -> BeforeAfterPartial {
        var partial = BeforeAfterPartial(parameters: [.init("before", "12m"), BeforeAfterPartial.comparisonCandidatesParameter],
                                         fingerprint: "t", prices: "cash", services: ServiceCatalog(entries: []), sources: [], rejected: [],
                                         unpriced: [], members: [], membersWithoutEvents: [.init(personID: treated, beforeDays: 365, afterDays: 365)],
                                         rows: [])
        partial.keepsEvents = true
        let service = partial.eventServices.intern("A&E")
        var kept = BeforeAfterPartial.ComparisonCandidates()
        for (id, cost) in candidates {
            kept.add(id)
            kept.append(day: 19_000, service: service, cost: cost, priced: true)
        }
        partial.comparisonCandidates = kept
        return partial
    }

    @Test("Candidates are told apart from the treated byte by byte (NFC and NFD are two people), and a merge in stages keeps within the ceiling")
    func candidatesByBytes() throws {
        // "café" treated in NFC; an untreated "café" in NFD is another person to the engine.
        let partial = Self.candidatesOnly(treated: "caf\u{E9}", candidates: [("cafe\u{301}", 100)])
        let back = try BeforeAfterPartial(decoding: partial.encoded(), file: "nf.partial")
        #expect(back.comparisonCandidates?.persons.count == 1)
        // Each partial's candidates within the ceiling, their sum not: refused by the merge, whether it writes a partial or a table.
        let a = Self.candidatesOnly(treated: "T", candidates: [("A", CostResolver.maximumTotal)])
        let b = Self.candidatesOnly(treated: "T", candidates: [("B", CostResolver.maximumTotal)])
        for partial in [a, b] { _ = try BeforeAfterPartial(decoding: partial.encoded(), file: "p.partial") }
        #expect(throws: BeforeAfterPartial.Failure.self) { try BeforeAfterPartial.merging([a, b]) }
    }
}
