/// Where an event falls relative to its person's index date.
public enum Period: UInt8, Sendable, CaseIterable {
    /// In `[index − before, index)`.
    case before = 0
    /// In `[index, index + after)`, on or before the observation end.
    case after = 1
    /// In neither window (or the person has no index date).
    case outside = 2
}
