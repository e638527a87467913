import ArgumentParser
import CostOfFailure

/// The comparison group the difference in differences measures against: a file of people
/// without the intervention, or a match drawn from everyone without one. One group of flags for
/// the commands that read the events (`cof report`, `cof export`) and for `cof merge`, which
/// makes the group from the candidates the partials carry.
struct ComparisonGroupOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A comparison group CSV (person_id, start_date): people without the intervention, each with a pseudo index date; gives the difference in differences.", valueName: "file"))
    var comparison: String?

    @Flag(name: .customLong("match-comparison"), help: "Without --comparison: draw a comparison group from the people without an intervention, matched on age of record, before-window use by category and prior-year use (seeded); the difference in differences then re-matches in every bootstrap replicate.")
    var matchComparison = false

    /// Gives `inputs` the comparison file: the flag's, else the project's (with the project's ID
    /// rule and column mapping for it). Whether to match is set where a group is made (``matching(_:)``).
    func applyFile(to inputs: inout StudyInputs, project: ProjectFile?) {
        inputs.comparisonGroup = comparison.map(InputSource.file) ?? project?.comparison
        if comparison == nil, let project {
            inputs.comparisonPersonID = project.comparisonPersonID
            inputs.mappings[.comparison] = project.mappings[.comparison]
        }
    }

    /// `inputs` set to match a group when `--match-comparison` is given.
    func matching(_ inputs: StudyInputs) -> StudyInputs {
        var withGroup = inputs
        withGroup.matchComparison = matchComparison
        return withGroup
    }

    /// Whether `inputs` (with ``applyFile(to:project:)`` applied) ask for a comparison group.
    func asksForGroup(_ inputs: StudyInputs) -> Bool { matchComparison || inputs.comparisonGroup != nil }

    /// Says on standard error how many people were matched, and warns of the unmatched.
    static func noteMatch(_ matching: ComparisonGroupMatching, treated: Int, quiet: Bool) {
        guard !quiet else { return }
        let matched = matching.entries.count
        Diagnostics.note("comparison group: \(Diagnostics.people(matched)) people without an intervention matched to \(Diagnostics.people(treated)) treated people on age of record, before-window use by category and prior-year use")
        if let unmatched = ComparisonGroupMatching.unmatchedNote(matching, cohort: treated, count: Diagnostics.people) { Diagnostics.warn(unmatched) }
    }
}
