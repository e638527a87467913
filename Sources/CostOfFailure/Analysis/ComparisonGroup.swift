/// A comparison group ready for analysis: its study (the same events, prices and windows as the
/// treated cohort's, with the group's pseudo index dates) and, when it was matched rather than
/// read from a file, the match that made it.
///
/// The match is kept so that it is made once per command: the difference in differences
/// re-matches from its ranked candidates in every bootstrap replicate, and the balance table
/// reads its draws (``ComparisonGroupAnalysis``), without matching the cohort again.
public struct ComparisonGroup: Sendable {
    /// The comparison group's study.
    public let study: Study
    /// The match that made ``study``'s interventions (`nil`: a group given in a file).
    public let matching: ComparisonGroupMatching?

    /// A comparison group; `matching`, when given, must be the match whose entries are `study`'s interventions.
    public init(study: Study, matching: ComparisonGroupMatching? = nil) {
        self.study = study
        self.matching = matching
    }
}
