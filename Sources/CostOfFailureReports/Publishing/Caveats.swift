/// Sentences every output that states the figures they qualify must carry, written once.
public enum Caveats {
    /// The caveat every before/after figure carries when there is no comparison group.
    public static let beforeAfter = "a before/after change is not an effect: people are often recruited at a crisis peak and use falls back anyway; give --comparison FILE for the difference in differences"
}
