import Foundation
import ArgumentParser
import CostOfFailure
import CostOfFailureReports

/// The inputs every analysing subcommand reads: a project file, flags, or both (flags win).
struct StudyOptions: ParsableArguments {
    @OptionGroup var source: SourceOptions

    @OptionGroup var tables: StudyTableOptions

    @OptionGroup var group: ComparisonGroupOptions

    @OptionGroup var loading: LoadingOptions

    @OptionGroup var progress: ProgressOptions

    /// Whether standard error gets only errors and warnings (`--quiet`).
    var quiet: Bool { progress.quiet }

    func validate() throws {
        let stdinUses = (source.eventFiles + tables.files + [group.comparison].compactMap { $0 }).filter { $0 == "-" }.count
        if stdinUses > 1 { throw ValidationError("only one input can be read from standard input ('-')") }
        if source.project == nil {
            if source.eventFiles.isEmpty { throw ValidationError("give --project, or at least one --events file") }
            try tables.validateWithoutProject()
        }
    }

    /// The inputs, the project's values overridden by flags.
    func inputs(_ project: ProjectFile?) throws -> StudyInputs {
        var inputs = try tables.inputs(events: try source.sources(project), project: project, loading: loading)
        group.applyFile(to: &inputs, project: project)
        // One file given twice (a flag and the project, or two flags) would double every figure.
        let flags: [(String?, String, InputSource?)] = [
            (tables.interventions, "interventions", inputs.interventions), (tables.unitCosts, "unit_costs", inputs.unitCosts),
            (tables.services, "services", inputs.services), (tables.deflator, "deflator", inputs.deflator),
            (group.comparison, "comparison", inputs.comparisonGroup),
        ]
        var files = inputs.events.compactMap { source -> (label: String, path: String)? in
            guard case .file(let path) = source.input else { return nil }
            return (source.keyPath.map { $0 + ".file" } ?? "--events \(path)", path)
        }
        for case (let flag, let key, .file(let path)?) in flags {
            files.append((flag == nil ? key : "--" + key.replacingOccurrences(of: "_", with: "-"), path))
        }
        if let (first, second) = FileIdentity.firstRepeat(in: files) {
            throw CommandFailure(usage: "\(first) and \(second) are the same file (whatever the paths say: a link or another spelling of the path); expected each input once, as reading it twice would double every figure")
        }
        return inputs
    }

    /// The rejects file, when rows are set aside into one.
    func rejectsFile(_ project: ProjectFile?) -> String? { loading.rejects ?? project?.rejects }

    /// Ends the command (exit 64) when any of `outputs` (`nil`: standard output) or the rejects
    /// file is one of the inputs: the project file, every file `inputs` names, and `alsoReading`
    /// (a pseudonym key file); or (exit 74) when one cannot be written where it stands. Called
    /// before anything but the project file is read.
    func checkOutputsBeforeReading(_ inputs: StudyInputs, project: ProjectFile?, outputs: [String?], alsoReading: [String]) throws {
        // And every file the project names, whether or not this command reads it.
        let reading = (source.project.map { [$0] } ?? []) + inputs.files + alsoReading + (project?.listedFiles.map(\.path) ?? [])
        let rejects = rejectsFile(project).map { [$0] } ?? []
        try CommandOutput.checkBeforeReading(inputs: reading, outputs: outputs + rejects)
    }

    /// Loads and prices everything, reports what was loaded and rejected, or ends the command
    /// with the right exit code. First refuses `outputs` that are inputs (see
    /// ``checkOutputsBeforeReading(_:project:outputs:alsoReading:)``).
    func loadStudy(outputs: [String?], alsoReading: [String] = []) throws -> Study {
        let project = try source.projectFile(showValues: loading.fields.showValues)
        let inputs = try inputs(project)
        try checkOutputsBeforeReading(inputs, project: project, outputs: outputs, alsoReading: alsoReading)
        let study: Study
        do throws(StudyInputs.Failure) {
            study = try progress.whileReading(inputs) { (inputs) throws(StudyInputs.Failure) in try inputs.load() }
        } catch {
            throw CommandFailure(error)
        }
        try loading.report(study.events, quiet: quiet, rejectsFile: rejectsFile(project))
        Self.reportCoverage(study.sourceCoverage, quiet: quiet)
        Self.noteObservationEnd(study.observationEnd, cutAfterWindows: study.peopleWithAfterWindowCut, quiet: quiet)
        Self.warnUnpriced(study.costs.unpriced)
        Self.warnEventsAfterDeath(study.personWindows.peopleWithEventsAfterDeath)
        Self.notePrices(study.pricesDescription, shippedUnitCosts: inputs.unitCosts == nil, quiet: quiet)
        Self.noteShippedUnitCosts(study.unitCostTable, quiet: quiet)
        return study
    }

    /// Loads the study and, when a comparison group is given, the comparison group's study
    /// (refusing `outputs` that are inputs first, as ``loadStudy(outputs:alsoReading:)``).
    func loadStudyAndComparisonGroup(outputs: [String?], alsoReading: [String] = []) throws -> (study: Study, comparison: ComparisonGroup?) {
        let study = try loadStudy(outputs: outputs, alsoReading: alsoReading)
        let inputs = group.matching(try inputs(try source.projectFile(showValues: loading.fields.showValues)))
        do throws(StudyInputs.Failure) {
            let comparison = try inputs.loadComparisonGroup(like: study)
            if let matching = comparison?.matching { ComparisonGroupOptions.noteMatch(matching, treated: study.cohortMembers.count, quiet: quiet) }
            return (study, comparison)
        } catch {
            throw CommandFailure(error)
        }
    }

    /// Whether a comparison group is asked for (a file, or `--match-comparison`).
    func asksForComparisonGroup() throws -> Bool {
        group.asksForGroup(try inputs(try source.projectFile(showValues: loading.fields.showValues)))
    }

    /// The comparison in one streaming pass that keeps the cohort's events (see
    /// ``compareInOnePass(outputs:alsoReading:keepingCohortEvents:rankingTopUsers:)``) and,
    /// when a comparison group is asked for, everyone's events, with the group made from them
    /// after the load is reported (as ``loadStudyAndComparisonGroup(outputs:alsoReading:)`` makes it).
    func compareInOnePassWithComparisonGroup(outputs: [String?], alsoReading: [String] = [],
                                             digests: [String: ReadDigest] = [:]) throws -> (pass: StreamingPass, comparison: ComparisonGroupPeople?) {
        let wanted = try asksForComparisonGroup()
        let (pass, inputs) = try streamingPass(outputs: outputs, alsoReading: alsoReading, keepingCohortEvents: true, rankingTopUsers: nil,
                                               keepingEveryonesEvents: wanted, digests: digests)
        guard wanted else { return (pass, nil) }
        do throws(StudyInputs.Failure) {
            let comparison = try pass.comparisonGroup(group.matching(inputs))
            if let matching = comparison?.matching { ComparisonGroupOptions.noteMatch(matching, treated: pass.cohortMembers.count, quiet: quiet) }
            return (pass, comparison)
        } catch {
            throw CommandFailure(error)
        }
    }

    /// Computes the comparison in one streaming pass (see ``StreamingPass``), reporting what
    /// was loaded, rejected and left unpriced exactly as ``loadStudy(outputs:alsoReading:)`` does,
    /// and first refusing `outputs` that are inputs; `keepingCohortEvents` keeps what the
    /// per-person analyses of the finance pack and the report need; `digests` take the event
    /// files' bytes as they are read (see ``ReadDigest``).
    func compareInOnePass(outputs: [String?], alsoReading: [String] = [], keepingCohortEvents: Bool = false,
                          rankingTopUsers: TopUsers.Ranking? = nil, digests: [String: ReadDigest] = [:]) throws -> StreamingPass {
        try streamingPass(outputs: outputs, alsoReading: alsoReading, keepingCohortEvents: keepingCohortEvents, rankingTopUsers: rankingTopUsers,
                          keepingEveryonesEvents: false, digests: digests).pass
    }

    /// The pass of ``compareInOnePass(outputs:alsoReading:keepingCohortEvents:rankingTopUsers:)``
    /// (keeping everyone's events when asked), with the inputs it read.
    private func streamingPass(outputs: [String?], alsoReading: [String], keepingCohortEvents: Bool, rankingTopUsers: TopUsers.Ranking?,
                               keepingEveryonesEvents: Bool, digests: [String: ReadDigest]) throws -> (pass: StreamingPass, inputs: StudyInputs) {
        let project = try source.projectFile(showValues: loading.fields.showValues)
        var inputs = try inputs(project)
        inputs.digests = digests
        try checkOutputsBeforeReading(inputs, project: project, outputs: outputs, alsoReading: alsoReading)
        let pass: StreamingPass
        do throws(StudyInputs.Failure) {
            pass = try progress.whileReading(inputs) { (inputs) throws(StudyInputs.Failure) in
                try StreamingPass(inputs, keepingCohortEvents: keepingCohortEvents, rankingTopUsers: rankingTopUsers,
                                  keepingEveryonesEvents: keepingEveryonesEvents)
            }
        } catch {
            throw CommandFailure(error)
        }
        try loading.report(pass.events, quiet: quiet, rejectsFile: rejectsFile(project))
        Self.reportCoverage(pass.sourceCoverage, quiet: quiet)
        Self.noteObservationEnd(pass.observationEnd, cutAfterWindows: pass.peopleWithAfterWindowCut, quiet: quiet)
        Self.warnUnpriced(pass.unpriced)
        Self.warnEventsAfterDeath(pass.peopleWithEventsAfterDeath)
        Self.notePrices(pass.prices, shippedUnitCosts: inputs.unitCosts == nil, quiet: quiet)
        Self.noteShippedUnitCosts(pass.pricingUnitCosts, quiet: quiet)
        return (pass, inputs)
    }

    /// Says on standard error how much of the cohort each source covers, and warns about a source
    /// that covers (almost) none of it. Exact on a terminal; elsewhere (a log file is published
    /// too) the counts pass through the default disclosure rule.
    static func reportCoverage(_ coverages: [SourceCoverage], quiet: Bool) {
        if !quiet {
            var table = SourceCoverage.resultTable(coverages)
            if isatty(STDERR_FILENO) != 1 { table = DisclosureControl(rule: DisclosureRule(.nhsEngland)).protect(table) }
            let renderer = TerminalTableRenderer()
            func cell(_ name: String, _ row: Int) -> String {
                table.columns.first { $0.name == name }.map { renderer.cell($0, row) } ?? "-"
            }
            for (row, coverage) in coverages.enumerated() {
                Diagnostics.note("\(coverage.file): covers \(cell("cohort_people_covered", row)) of the cohort's \(cell("cohort_people", row)) people; \(cell("people_outside_cohort", row)) people outside the cohort")
            }
        }
        for warning in coverages.compactMap(\.warning) { Diagnostics.warn(warning) }
    }

    /// Says on standard error which observation end the windows were cut at when it was not
    /// given (the data's default, ``ObservationEnd``), and how many people's after windows it cut.
    static func noteObservationEnd(_ end: ObservationEnd?, cutAfterWindows: Int, quiet: Bool) {
        guard !quiet else { return }
        if let end, end.basis != .given { Diagnostics.note(end.statement) }
        if let end, cutAfterWindows > 0 {
            let count = Diagnostics.people(cutAfterWindows)
            Diagnostics.note("\(count) \(count == "1" ? "person's after window runs" : "people's after windows run") past the observation end \(end.date) and \(count == "1" ? "is" : "are") cut there (exposure shortened)")
        }
    }

    /// Whether `inputs` need the table path for `cof compare`: the default observation end
    /// depends on some sources' latest events while others have extract dates.
    func needsTablePath(_ project: ProjectFile?) throws -> Bool {
        try inputs(project).endNeedsEventsBeforeWindows
    }

    /// Whether the analyses can be made in one streaming pass: an observation end the pass can
    /// decide in one read (a comparison group's analysis reads everyone's events the pass
    /// keeps: ``compareInOnePassWithComparisonGroup(outputs:alsoReading:)``).
    ///
    /// `COF_TABLE_PATH=1` in the environment loads the table instead: for the tests that hold
    /// the two paths to the same bytes, not for use.
    func canStream() throws -> Bool {
        if ProcessInfo.processInfo.environment["COF_TABLE_PATH"] == "1" { return false }
        let inputs = try inputs(try source.projectFile(showValues: loading.fields.showValues))
        return !inputs.endNeedsEventsBeforeWindows
    }

    /// Says on standard error which unit costs and prices the figures use.
    static func notePrices(_ prices: String, shippedUnitCosts: Bool, quiet: Bool) {
        guard !quiet else { return }
        if shippedUnitCosts {
            Diagnostics.note("unit costs: the shipped table of published UK unit costs (NHS National Cost Collection, OGL; GMCA Unit Cost Database, CC BY 4.0); give --unit-costs to add or replace costs by (service, event); cof unit-costs lists them")
        }
        Diagnostics.note("money in \(prices)")
    }

    /// Says on standard error which shipped unit costs the study's own file replaced, and which
    /// the price index left out (see ``UnitCostCatalogue/notes(_:)``), when there are any.
    static func noteShippedUnitCosts(_ table: UnitCostTable, quiet: Bool) {
        guard !quiet else { return }
        for note in UnitCostCatalogue.notes(table) { Diagnostics.note(note) }
    }

    /// Warns on standard error about treated people with events dated after their death (see
    /// the README's time at risk): kept in their windows, a sign of a mismatched ID or date.
    static func warnEventsAfterDeath(_ people: Int) {
        guard people > 0 else { return }
        let count = Diagnostics.people(people)
        Diagnostics.warn("\(count) treated \(count == "1" ? "person has" : "people have") events dated after their death (a service marked 'ends'); the events are kept and counted, the days after the death are not exposure: check the IDs and dates")
    }

    /// Warns on standard error about events that no cost covers, by pair.
    static func warnUnpriced(_ unpriced: [EventCosts.UnpricedPair]) {
        guard !unpriced.isEmpty else { return }
        let total = unpriced.reduce(0) { $0 + $1.events }
        Diagnostics.warn("\(total) events (all people, all dates) have no explicit cost and no unit cost; they are counted but not priced:")
        for pair in unpriced {
            Diagnostics.warn("  \(pair.service) / \(pair.event): \(pair.events)")
        }
    }
}

extension WindowSpan: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension CivilDate: ExpressibleByArgument {
    /// A date as the data may write one (YYYY-MM-DD or DD/MM/YYYY, a time of day dropped).
    public init?(argument: String) {
        guard let date = DateFormat.auto.date(argument) else { return nil }
        self = date
    }
}

extension FinancialYear: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
