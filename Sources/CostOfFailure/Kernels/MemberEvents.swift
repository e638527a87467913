/// One cohort member's events, as a ``CohortFold`` takes them: the member's code and windows,
/// and their events in the order the load read them (valid during the call only).
public struct MemberEvents {
    /// The member's cohort code.
    public let person: Int32
    /// The member's windows and exposure (time at risk taken out).
    public let bounds: StudyWindows.Bounds
    /// The member's events (any date).
    public let events: Events
    /// Every member's windows (for time at risk over other spans: ``daysRemoved(from:to:)``).
    let windows: CohortWindows

    /// Days of `[from, to)` the member could not use services (custody, after death).
    public func daysRemoved(from: Int32, to: Int32) -> Int { windows.daysRemoved(member: person, from: from, to: to) }

    /// The window `day` falls in for this member.
    @inline(__always)
    public func period(of day: Int32) -> Period { bounds.period(of: day) }
}

extension MemberEvents {
    /// A member's events as a fold reads them: unpacked one at a time from the list that
    /// holds them (``PackedCohortEvent``), valid during the fold's call only.
    public struct Events: RandomAccessCollection {
        /// The member's cohort code (the events held do not repeat it).
        let person: Int32
        /// The member's events as held.
        let packed: UnsafeBufferPointer<PackedCohortEvent.Grouped>
        /// The holding list's outsized costs.
        let outsized: UnsafeBufferPointer<PackedCohortEvent.Outsized>

        public var startIndex: Int { 0 }
        public var endIndex: Int { packed.count }

        public subscript(position: Int) -> CohortEvent {
            @inline(__always) get { packed[position].unpacked(person: person, outsized: outsized) }
        }
    }
}
