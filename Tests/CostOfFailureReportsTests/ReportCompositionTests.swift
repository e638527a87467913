import Testing
import CostOfFailure
import CostOfFailureReports

/// The report's composition, called as a library user calls it: the same HTML and text from a
/// loaded study and from a streaming pass over the same generated files, the cohort's tables
/// handed to the protection whenever they leave the engine, and a person's exact.
@Suite("Report composition")
struct ReportCompositionTests {
    /// A generated dataset of `events` rows as in-memory files, with its windows.
    static func inputs(events: Int, seed: UInt64) -> StudyInputs {
        let dataset = SyntheticDataset(options: .init(events: events, seed: seed))
        var csv: [UInt8] = []
        _ = dataset.writeEvents { (bytes: UnsafeRawBufferPointer) in csv += bytes }
        func file(_ name: String, _ bytes: [UInt8]) -> InputSource { .bytes(name: name, bytes, chunkSize: 4_096) }
        var inputs = StudyInputs(events: [EventSource(file("events.csv", csv))],
                                 interventions: file("interventions.csv", Array(dataset.interventionsCSV().utf8)),
                                 unitCosts: file("unit-costs.csv", Array(dataset.unitCostsCSV().utf8)),
                                 services: file("services.csv", Array(dataset.servicesCSV().utf8)),
                                 windows: StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(12, .months)), workers: 2)
        inputs.replaceShippedUnitCosts = true
        return inputs
    }

    /// A composition under the NHS England rule whose protection counts the sets it is handed.
    static func composition(person: String?, protected: Counter) -> ReportComposition {
        let control = DisclosureControl(rule: .nhsEngland)
        return ReportComposition(person: person, appraisal: AppraisalSettings(assumptions: Appraisal.Assumptions(years: 3), resamples: 100),
                                 rule: .nhsEngland, suppressedMarker: "[c]",
                                 protect: { set in protected.count += 1; return control.decide(set).published })
    }

    final class Counter { var count = 0 }

    @Test("A study and a streaming pass over the same files compose the same report", arguments: [UInt64(4), 9])
    func studyAndPassAgree(seed: UInt64) throws {
        let inputs = Self.inputs(events: 6_000, seed: seed)
        let study = try inputs.load()
        let pass = try StreamingPass(inputs, keepingCohortEvents: true)
        let fromStudy = StudyReportAnalyses(study: study, comparisonGroup: nil)
        let fromPass = FoldedReportAnalyses(pass: pass, hashes: nil)
        let provenance = Provenance()
        let counter = Counter()
        let cohort = Self.composition(person: nil, protected: counter)
        let reports = (try cohort.consumptionReport(fromStudy), try cohort.consumptionReport(fromPass))
        #expect(try cohort.htmlReport(fromStudy, report: reports.0, provenance: provenance).render()
                == cohort.htmlReport(fromPass, report: reports.1, provenance: provenance).render())
        #expect(try cohort.protectedText(fromStudy, report: reports.0, width: 100)
                == cohort.protectedText(fromPass, report: reports.1, width: 100))
        #expect(try cohort.exactText(fromStudy, report: reports.0, colour: false, width: 100)
                == cohort.exactText(fromPass, report: reports.1, colour: false, width: 100))
        // The HTML report and the protected text each left the engine through the protection; the screen's exact text did not.
        #expect(counter.count == 4)
        // The protected tables are those the rule publishes: every count a multiple of 5 or withheld.
        let (tables, _) = try cohort.reportTables(fromStudy, report: reports.0, protected: true)
        var peopleCounts = 0
        for table in tables.tables {
            for column in table.columns where column.name.hasSuffix("people") && !column.isLabel {
                guard case .integer(let values) = column.values else { continue }
                for (row, value) in values.enumerated() where column.states?[row] ?? .value == .value {
                    #expect(value % 5 == 0)
                    peopleCounts += 1
                }
            }
        }
        #expect(peopleCounts > 0)
    }

    @Test("A person's report is exact and never protected; an unknown person is bad data")
    func person() throws {
        let inputs = Self.inputs(events: 3_000, seed: 5)
        let study = try inputs.load()
        let analyses = StudyReportAnalyses(study: study, comparisonGroup: nil)
        let id = try #require(study.cohortMembers.first?.personID)
        let counter = Counter()
        let composition = Self.composition(person: id, protected: counter)
        let report = try composition.consumptionReport(analyses)
        let text = try composition.exactText(analyses, report: report, colour: false, width: 100)
        #expect(text.contains(id))
        _ = try composition.htmlReport(analyses, report: report, provenance: Provenance())
        #expect(counter.count == 0)
        #expect(throws: PublicationFailure.self) {
            try Self.composition(person: "NOT-A-MEMBER", protected: counter).consumptionReport(analyses)
        }
    }
}
