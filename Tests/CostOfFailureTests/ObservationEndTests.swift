import Testing
@testable import CostOfFailure

/// The default observation end (``ObservationEnd``): the last date the data covers, decided the
/// same way on the table path and in the streaming pass, and the after windows it cuts.
@Suite("Observation end by default")
struct ObservationEndTests {
    @Test("The rule: the latest event without extract dates; with them, the earliest source's coverage")
    func rule() {
        let (jan, feb, mar) = (day("2024-01-31").daysSinceEpoch, day("2024-02-29").daysSinceEpoch, day("2024-03-31").daysSinceEpoch)
        // No extract dates: the latest event of any source.
        #expect(ObservationEnd.covered(latestEventDays: [jan, mar, feb], extractDates: [nil, nil, nil])
                == ObservationEnd(date: day("2024-03-31"), basis: .latestEvent))
        // Extract dates: each source covers to its extract date (even past its latest event), a
        // source without one to its latest event; the data covers the earliest of them.
        #expect(ObservationEnd.covered(latestEventDays: [jan, mar], extractDates: [day("2024-03-15"), nil])
                == ObservationEnd(date: day("2024-03-15"), basis: .extractDates))
        #expect(ObservationEnd.covered(latestEventDays: [jan, mar], extractDates: [day("2024-03-15"), day("2024-04-30")])
                == ObservationEnd(date: day("2024-03-15"), basis: .extractDates))
        #expect(ObservationEnd.covered(latestEventDays: [jan, mar], extractDates: [nil, day("2024-04-30")])
                == ObservationEnd(date: day("2024-01-31"), basis: .extractDates))
        // A source with no events and no extract date covers nothing and does not bound it.
        #expect(ObservationEnd.covered(latestEventDays: [nil, feb], extractDates: [nil, day("2024-03-31")])?.date == day("2024-03-31"))
        #expect(ObservationEnd.covered(latestEventDays: [nil], extractDates: [nil]) == nil)
        #expect(ObservationEnd(date: day("2024-03-31"), basis: .latestEvent).statement
                == "observation end 2024-03-31: the last date the data covers (latest event); pass --observation-end to set it")
    }

    /// Two sources: A&E to 2024-03-31, police to 2024-01-31. Person A's index date is
    /// 2023-10-01 with 12-month windows (the after window would end 2024-09-30); B's is
    /// 2022-01-01 (after window wholly inside the data).
    private func inputs(extractDates: (CivilDate?, CivilDate?) = (nil, nil), end: CivilDate? = nil) throws -> StudyInputs {
        var ae = EventSource(.file(try temporaryFile("""
            person_id,service,event,date,cost
            A,A&E,attendance,2023-06-01,100
            A,A&E,attendance,2024-03-31,100
            B,A&E,attendance,2022-06-01,100
            X,A&E,attendance,2024-03-01,100

            """, name: "ae.csv")))
        var police = EventSource(.file(try temporaryFile("""
            person_id,service,event,date,cost
            A,Police,arrest,2023-12-01,200
            A,Police,arrest,2024-01-31,200

            """, name: "police.csv")))
        ae.extractDate = extractDates.0
        police.extractDate = extractDates.1
        return StudyInputs(events: [ae, police], interventions: csv("person_id,start_date\nA,2023-10-01\nB,2022-01-01\n"),
                           unitCosts: csv("service,event,unit_cost\n"),
                           windows: StudyWindows(before: WindowSpan(12, .months), after: WindowSpan(12, .months), observationEnd: end))
    }

    @Test("No end given: the latest event; A's after window is cut there (183 days, not 366), B's is not; both paths agree")
    func latestEvent() throws {
        let inputs = try inputs()
        let study = try inputs.load()
        #expect(study.observationEnd == ObservationEnd(date: day("2024-03-31"), basis: .latestEvent))
        // 2023-10-01 up to and including 2024-03-31: 31+30+31+31+29+31 = 183 days.
        #expect(study.cohortMembers.map(\.afterDays) == [183, 365])
        #expect(study.peopleWithAfterWindowCut == 1)
        let pass = try StreamingPass(inputs)
        #expect(pass.observationEnd == study.observationEnd)
        #expect(pass.beforeAfter.rows == (try BeforeAfterTable(study: study)).rows)
        #expect(pass.cohortMembers == study.cohortMembers)
        #expect(pass.peopleWithAfterWindowCut == 1)
        // The same as giving that end.
        let given = try StreamingPass(try self.inputs(end: day("2024-03-31")))
        #expect(given.beforeAfter.rows == pass.beforeAfter.rows)
        #expect(given.observationEnd?.basis == .given)
    }

    @Test("Extract dates on every source: the earliest, known before reading; events after it are outside; both paths agree")
    func extractDatesEverywhere() throws {
        let inputs = try inputs(extractDates: (day("2024-03-31"), day("2024-02-15")))
        #expect(!inputs.endNeedsEventsBeforeWindows)
        let study = try inputs.load()
        #expect(study.observationEnd == ObservationEnd(date: day("2024-02-15"), basis: .extractDates))
        let rows = try BeforeAfterTable(study: study).rows
        // A's A&E attendance of 2024-03-31 is after the end: outside every window.
        #expect(rows.first { $0.personID == "A" && $0.service == "A&E" }?.after.events == 0)
        #expect(rows.first { $0.personID == "A" }?.afterDays == 138)  // 2023-10-01 … 2024-02-15
        let pass = try StreamingPass(inputs)
        #expect(pass.beforeAfter.rows == rows)
        #expect(pass.observationEnd == study.observationEnd)
    }

    @Test("An extract date on one source only: the other's latest event bounds it (the table path decides; the pass is not used)")
    func extractDateOnOneSource() throws {
        // A&E extracted 2024-04-30 (past its latest event); police has none: its latest event,
        // 2024-01-31, is the last date every source covers.
        let inputs = try inputs(extractDates: (day("2024-04-30"), nil))
        #expect(inputs.endNeedsEventsBeforeWindows)
        let study = try inputs.load()
        #expect(study.observationEnd == ObservationEnd(date: day("2024-01-31"), basis: .extractDates))
        let rows = try BeforeAfterTable(study: study).rows
        #expect(rows.first { $0.personID == "A" && $0.service == "A&E" }?.after.events == 0)
        #expect(rows.first { $0.personID == "A" && $0.service == "Police" }?.after.events == 2)
        #expect(rows.first { $0.personID == "A" }?.afterDays == 123)  // 2023-10-01 … 2024-01-31
    }

    @Test("A date as the data writes it is accepted wherever a date is given")
    func dateFormats() {
        #expect(DateFormat.auto.date("31/03/2024") == day("2024-03-31"))
        #expect(DateFormat.auto.date("2024-03-31") == day("2024-03-31"))
        #expect(DateFormat.auto.date("31/03/2024 23:59") == day("2024-03-31"))
        #expect(DateFormat.auto.date("31/02/2024") == nil)
        #expect(DateFormat(order: .dayMonthYear, allowsTime: false).date("2024-03-31") == nil)
    }
}
