/// An analysis declared over the cohort's events, one member at a time, in the manner of an
/// aggregate function: a state (the conforming value), an update from one member's events
/// (``add(_:)``), an exact merge of two states (``merge(_:)``), and a finalize (each analysis's
/// own initialiser from its state).
///
/// ``CohortEvents/fold(_:workers:)`` runs a fold over every cohort member, members split into
/// blocks over several threads, each thread with its own state, the states merged in block
/// order. A fold's merge must be exact (integer sums, maxima, unions) so that the result does
/// not depend on the split; its update must check every sum it cannot bound otherwise.
public protocol CohortFold: Sendable {
    /// A state that has taken nothing, with the same settings.
    func empty() -> Self

    /// Takes one member's events (every member once, members with no events included).
    mutating func add(_ member: MemberEvents)

    /// Adds the state of other members.
    mutating func merge(_ other: Self)
}
