import ArgumentParser
import Foundation
import CostOfFailure
import CostOfFailureReports

extension DisclosureRule.Name: ExpressibleByArgument {}

/// Disclosure control for anything that leaves the analyst's screen: the named rule (small
/// numbers withheld and rounded, complementary cells withheld across the tables written
/// together) and keyed pseudonyms for tables that list people. Shared by every command that
/// writes cohort-level tables: `cof export`, `cof compare --by`, `cof merge --by`, `cof report`.
struct DisclosureOptions: ParsableArguments {
    @Option(name: .customLong("disclosure"), help: ArgumentHelp("The disclosure rule for anything written to a file or a pipe: nhs-england (counts of 1-7 withheld, others rounded to 5; figures resting on 7 people or fewer withheld), ons-srs (counts under 10 withheld, not rounded; figures resting on fewer than 10 people withheld; a money figure one person contributes more than half of withheld) or none (UNSUPPRESSED). An interactive terminal always shows exact figures.", valueName: "rule"))
    var ruleName: DisclosureRule.Name = .nhsEngland

    @Flag(name: .customLong("no-suppression"), help: "The same as --disclosure none: small numbers shown exactly, every output marked UNSUPPRESSED.")
    var noSuppression = false

    @Option(name: .customLong("suppression-threshold"), help: ArgumentHelp("The largest count withheld, and the most people a withheld figure rests on (default: the rule's, 7 or 9).", valueName: "n"))
    var suppressionThreshold: Int?

    @Option(name: .customLong("dominance-share"), help: ArgumentHelp("Under ons-srs: a money figure one person contributes more than this per cent of is withheld (default 50).", valueName: "percent"))
    var dominanceShare: Int?

    @Option(name: .customLong("suppression-marker"), help: "What a withheld cell shows (no leading = + - @, no delimiter, quote, control character or line end).")
    var suppressionMarker = "[c]"

    @Option(name: .customLong("disclosure-audit"), help: ArgumentHelp("Also write the interval audit's input: every published cell with its exact value and the sums between cells (JSON, person-level working data: mode 0600, not for release). See scripts/disclosure-audit.", valueName: "file"))
    var auditFile: String?

    @Flag(name: .customLong("raw-ids"), help: "Tables that list people show their raw IDs (for the analyst's own screen) instead of keyed pseudonyms.")
    var rawIDs = false

    @Option(name: .customLong("pseudonym-key-file"), help: ArgumentHelp("The secret key for pseudonyms (16 bytes or more); default: the COF_PSEUDONYM_KEY environment variable.", valueName: "file"))
    var pseudonymKeyFile: String?

    func validate() throws {
        if let suppressionThreshold, !(1...1_000).contains(suppressionThreshold) { throw ValidationError("give --suppression-threshold from 1 to 1000") }
        if let dominanceShare, !(1...99).contains(dominanceShare) { throw ValidationError("give --dominance-share from 1 to 99") }
        if dominanceShare != nil && rule.name != .onsSRS { throw ValidationError("--dominance-share goes with --disclosure ons-srs") }
        if noSuppression && ruleName != .nhsEngland && ruleName != .none { throw ValidationError("--no-suppression is --disclosure none: give one of them") }
        if let problem = DisclosureRule.problem(withMarker: suppressionMarker) { throw ValidationError(problem) }
    }

    /// The rule applied to anything not shown on an interactive terminal.
    var rule: DisclosureRule {
        let name = noSuppression ? .none : ruleName
        return DisclosureRule(name, threshold: suppressionThreshold.map(Int64.init), dominancePercent: dominanceShare)
    }

    /// The control for an output: the rule, or nothing withheld for an interactive terminal.
    func control(toTerminal: Bool) -> DisclosureControl? {
        toTerminal ? nil : DisclosureControl(rule: rule)
    }

    /// How counts are published in an output, for the analyses that compute figures per person
    /// over them: rounded as the rule says, exact on a terminal.
    func rounding(toTerminal: Bool) -> CountRounding {
        toTerminal ? .exact : rule.rounding
    }

    /// `set` ready to leave the engine: people's IDs as keyed pseudonyms (unless `--raw-ids`),
    /// then, unless it goes to an interactive terminal, the rule applied to its tables as one
    /// system (and the audit's input written when asked for). On a terminal a note says the
    /// figures are exact.
    ///
    /// - Throws: a usage failure when a table lists people and there is no usable key; an I/O
    ///   failure writing the audit file.
    func protect(_ set: LinkedTables, toTerminal: Bool) throws -> LinkedTables {
        let set = try pseudonymised(set)
        guard let control = control(toTerminal: toTerminal) else {
            Self.noteExactOnTerminal()
            return set
        }
        // Decided once: the audit file describes exactly what is published.
        let decision = control.decide(set)
        if let auditFile {
            // Exact figures: person-level working data (0600, not for release).
            try CommandOutput.write(DisclosureAudit.json(set, decision: decision, control: control), to: auditFile, content: .personLevel, quiet: true)
        }
        if !control.rule.isSuppressing {
            Diagnostics.warn("disclosure control is off (--disclosure none): this output shows counts and figures resting on very few people exactly; it is marked UNSUPPRESSED and is not for release")
        }
        return decision.published
    }

    /// `set` with people's IDs as keyed pseudonyms (unless `--raw-ids`) and nothing else changed:
    /// person-level working data (a person list such as the top users), exact.
    func pseudonymised(_ set: LinkedTables) throws -> LinkedTables {
        guard !rawIDs && set.tables.contains(where: { $0.column("person_id") != nil }) else { return set }
        var set = set
        let pseudonymiser = try pseudonymiser()
        set.tables = set.tables.map { $0.column("person_id") != nil ? pseudonymiser.pseudonymise($0) : $0 }
        return set
    }

    /// The cohort's table called `name` (one of ``CohortSummary/tableNames``) of `summary`, as it
    /// may be written: protected together with the cohort's other three tables, so that it is
    /// withheld exactly as it is in the finance pack, unless it goes to an interactive terminal.
    func cohortTable(_ name: String, of summary: CohortSummary, toTerminal: Bool) throws -> ResultTable {
        let set = try protect(summary.linkedTables(rounding: rounding(toTerminal: toTerminal)), toTerminal: toTerminal)
        guard let table = set.table(name) else { preconditionFailure("no cohort table \(name)") }
        return table
    }

    /// Says once on standard error that a terminal shows exact figures.
    static func noteExactOnTerminal() {
        guard !notedTerminal.swap(true) else { return }
        Diagnostics.note("exact figures, for this screen only: written to a file or a pipe, the same tables have small numbers withheld and counts rounded (--disclosure)")
    }

    private static let notedTerminal = OnceFlag()

    /// The rule in words, as the cover sheet, the HTML footer and the report state it.
    var ruleDescription: String { rule.description(marker: suppressionMarker) }

    /// The pseudonymiser under the key from `--pseudonym-key-file` or `COF_PSEUDONYM_KEY`.
    private func pseudonymiser() throws -> Pseudonymiser {
        var key: [UInt8]?
        if let pseudonymKeyFile {
            guard let data = FileManager.default.contents(atPath: pseudonymKeyFile) else {
                throw CommandFailure(missingInput: "\(pseudonymKeyFile): cannot read the pseudonym key file")
            }
            var bytes = [UInt8](data)
            while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
            key = bytes
        } else if let text = ProcessInfo.processInfo.environment["COF_PSEUDONYM_KEY"] {
            key = Array(text.utf8)
        }
        guard let key else {
            throw CommandFailure(usage: "this table lists people: give a secret key (16 bytes or more) in COF_PSEUDONYM_KEY or --pseudonym-key-file for keyed pseudonyms, or --raw-ids for your own screen")
        }
        guard let pseudonymiser = Pseudonymiser(key: key) else {
            throw CommandFailure(usage: "the pseudonym key is too short: expected 16 bytes or more")
        }
        return pseudonymiser
    }
}
