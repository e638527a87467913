/// Where an event falls relative to its person's index date.
public enum Period: UInt8, Sendable, CaseIterable {
    /// In `[index − before, index)`.
    case before = 0
    /// In `[index, index + after)`, on or before the observation end.
    case after = 1
    /// In neither window (or the person has no index date).
    case outside = 2

    /// The window of `day` given one person's bounds (half-open day ranges; see
    /// ``StudyWindows``): on or after the index is after, until `afterEnd`; before it, within
    /// `[beforeStart, beforeEnd)`, is before.
    @inline(__always)
    public static func classify(day: Int32, index: Int32, beforeStart: Int32, beforeEnd: Int32, afterEnd: Int32) -> Period {
        if day >= index { return day < afterEnd ? .after : .outside }
        return day >= beforeStart && day < beforeEnd ? .before : .outside
    }
}
