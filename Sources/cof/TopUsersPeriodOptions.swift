import ArgumentParser
import CostOfFailure

/// The period the top users are ranked over (`--from`, `--to`): shared by `cof export`, which
/// ranks them, and `cof partial`, which carries their state for `cof merge` to rank.
struct TopUsersPeriodOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Top users: the first day of the period ranked (YYYY-MM-DD).", valueName: "date"))
    var from: CivilDate?

    @Option(help: ArgumentHelp("Top users: the last day of the period ranked (YYYY-MM-DD).", valueName: "date"))
    var to: CivilDate?

    func validate() throws {
        if let from, let to, to < from { throw ValidationError("--to is before --from") }
    }

    /// Whether either end was given.
    var isGiven: Bool { from != nil || to != nil }

    /// What the top users are ranked over: `--from` to `--to`, either open; every date without them.
    var ranking: TopUsers.Ranking { TopUsers.Ranking(from: from, to: to) }
}
