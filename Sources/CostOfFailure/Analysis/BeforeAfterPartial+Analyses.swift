extension BeforeAfterPartial {
    /// The per-person analyses of a whole merge (the financial years, the appraisal, the
    /// trajectory, the report; see ``CohortAnalyses``), from the members' events the partials
    /// carry and `tables`, the interventions, unit costs and services every partial was made
    /// from (``StudyInputs/cohortTables()``, read again by the merge), under `windows` (with the
    /// observation end the partials were made with).
    ///
    /// The members' windows and time at risk are laid out again from the interventions' index
    /// dates and the members' own events, by the rules the streaming pass uses, and must give
    /// every member the exposure their partial states: so a merge with other interventions or
    /// windows than the partials' is refused, whatever the file's name.
    ///
    /// - Throws: ``Failure/incompatible(_:)`` when the partials do not carry their people's
    ///   events, when their people are not the interventions' people (a partial missing, or
    ///   other interventions), when a member's exposure differs, or when the costs taken
    ///   together (every partial's rows with the recorded costs) pass the engine's ceiling.
    public func cohortAnalyses(_ tables: StudyInputs.CohortTables, windows: StudyWindows, workers: Int) throws(Failure) -> CohortAnalyses {
        guard keepsEvents else {
            throw .incompatible("these partials do not carry their people's events: remake them with cof partial")
        }
        let (people, indexDates, recordedCosts) = tables.interventions.cohortWithCosts()
        let all = cohortMembers
        guard all.count == people.count,
              all.indices.allSatisfy({ all[$0].personID.utf8.elementsEqual(people[Int32($0)].utf8) }) else {
            throw .incompatible("the partials' people (\(all.count)) are not the \(people.count) people of the interventions file given: expected every partial of the events, made with the same interventions file")
        }
        // Members (with events) in byte order, as the cohort's codes: each member's code.
        var code = [Int32](repeating: 0, count: members.count)
        var next: Int32 = 0
        for (place, member) in members.enumerated() {
            while !people[next].utf8.elementsEqual(member.personID.utf8) { next += 1 }
            code[place] = next
        }
        var cohortEvents = CohortEvents(cohortSize: people.count)
        var marks = TimeAtRisk(services: tables.services)
        let exposure = eventServices.values.map(tables.services.exposure(of:))
        for var event in events {
            event.person = code[Int(event.person)]
            if tables.services.marksExposure { marks.noteEvent(person: event.person, day: event.day, exposure: exposure[Int(event.service)]) }
            cohortEvents.append(event)
        }
        do throws(CostResolver.Overflow) {
            try self.totals.check(recordedCosts: recordedCosts)
        } catch {
            throw .incompatible("the partials cannot be merged: \(error.description)")
        }
        var personWindows = PersonWindows(indexDates: indexDates, windows: windows)
        if tables.services.marksExposure { personWindows.removeExposure(marks) }
        for (c, member) in all.enumerated() {
            let bounds = personWindows.bounds(of: Int32(c))
            guard bounds.beforeDays == member.beforeDays, bounds.afterDays == member.afterDays else {
                throw .incompatible("a person's exposure in the partials differs from their windows under the interventions, services and windows given: expected the ones the partials were made with")
            }
        }
        return CohortAnalyses(events: cohortEvents.grouped(workers: workers), windows: CohortWindows(cohortCoded: personWindows), persons: people,
                              serviceNames: eventServices, eventNames: eventTypes, services: tables.services,
                              unitCosts: tables.unitCosts, recordedCosts: recordedCosts, prices: prices,
                              earliestDay: days.earliest, latestDay: days.latest, workers: workers)
    }
}
