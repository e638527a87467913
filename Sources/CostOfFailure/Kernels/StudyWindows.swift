/// The before and after windows around each person's index date, and the observation end.
///
/// `before = [index − before, index)`, `after = [index, index + after)`; an event on the index
/// date is `after`. With an observation end (inclusive), events after it are outside every
/// window and the windows' exposure is cut there.
public struct StudyWindows: Sendable, Hashable {
    /// Length of the before window.
    public var before: WindowSpan
    /// Length of the after window.
    public var after: WindowSpan
    /// Last day the data covers (inclusive), when known.
    public var observationEnd: CivilDate?

    /// Creates windows.
    public init(before: WindowSpan, after: WindowSpan, observationEnd: CivilDate? = nil) {
        self.before = before
        self.after = after
        self.observationEnd = observationEnd
    }

    /// One person's windows as half-open day ranges.
    public struct Bounds: Sendable, Hashable {
        /// The index date.
        public var index: CivilDate
        /// First day of the before window.
        public var beforeStart: Int32
        /// One past the last day of the before window (the index date, or the day after the
        /// observation end if that comes first).
        public var beforeEnd: Int32
        /// One past the last day of the after window, cut at the observation end.
        public var afterEnd: Int32
        /// Days of the before window the person could not use services (custody, after death;
        /// see ``TimeAtRisk``), taken out of ``beforeDays``.
        public var beforeRemoved: Int32 = 0
        /// Days of the after window the person could not use services, taken out of ``afterDays``.
        public var afterRemoved: Int32 = 0

        /// Days at risk in the before window (its exposure): the window's days less ``beforeRemoved``.
        public var beforeDays: Int { max(0, Int(beforeEnd) - Int(beforeStart) - Int(beforeRemoved)) }
        /// Days at risk in the after window: the days observable less ``afterRemoved``.
        public var afterDays: Int { max(0, Int(afterEnd) - Int(index.daysSinceEpoch) - Int(afterRemoved)) }

        /// Which window `day` falls in.
        @inline(__always)
        public func period(of day: Int32) -> Period {
            Period.classify(day: day, index: index.daysSinceEpoch, beforeStart: beforeStart, beforeEnd: beforeEnd, afterEnd: afterEnd)
        }
    }

    /// Whether the after window of a person whose index date is `index` runs past the
    /// observation end, and so is cut there (its exposure shortened).
    public func afterWindowIsCut(index: CivilDate) -> Bool {
        guard let observationEnd else { return false }
        return Int(after.added(to: index).daysSinceEpoch) > Int(observationEnd.daysSinceEpoch) + 1
    }

    /// The windows of a person whose index date is `index`.
    public func bounds(index: CivilDate) -> Bounds {
        let beforeStart = before.subtracted(from: index).daysSinceEpoch
        var beforeEnd = index.daysSinceEpoch
        var afterEnd = after.added(to: index).daysSinceEpoch
        if let observationEnd {
            let limit = observationEnd.daysSinceEpoch + 1
            beforeEnd = min(beforeEnd, max(limit, beforeStart))
            afterEnd = min(afterEnd, max(limit, index.daysSinceEpoch))
        }
        return Bounds(index: index, beforeStart: beforeStart, beforeEnd: beforeEnd, afterEnd: afterEnd)
    }
}
