/// The cohort's events grouped by member (see ``CohortEvents/grouped(workers:)``).
public struct GroupedCohortEvents: Sendable {
    /// Every event, member by member in code order (each member's given by ``starts``).
    let events: [PackedCohortEvent.Grouped]
    /// The costs the events' own field cannot hold (see ``PackedCohortEvent``).
    let outsized: [PackedCohortEvent.Outsized]
    /// Where each member's events start in ``events``, and one past the last member's.
    let starts: [Int]

    /// Whether member `member` has events.
    func hasEvents(member: Int) -> Bool { starts[member + 1] > starts[member] }

    /// Calls `body` with the events of member `member`, in the order taken (valid during the call only).
    func withEvents<R>(of member: Int, _ body: (MemberEvents.Events) -> R) -> R {
        events.withUnsafeBufferPointer { all in
            outsized.withUnsafeBufferPointer { outsized in
                // Sound: starts are offsets into `events`, in order, ending at its count.
                body(MemberEvents.Events(person: Int32(member), packed: UnsafeBufferPointer(rebasing: all[starts[member]..<starts[member + 1]]),
                                         outsized: outsized))
            }
        }
    }

    /// The events of member `member`, in the order taken.
    func events(of member: Int) -> [CohortEvent] {
        outsized.withUnsafeBufferPointer { outsized in
            events[starts[member]..<starts[member + 1]].map { $0.unpacked(person: Int32(member), outsized: outsized) }
        }
    }

    /// Members of the cohort.
    public var cohortSize: Int { starts.count - 1 }

    /// Runs `fold` over every member, with each member's windows from `windows`, on `workers`
    /// threads over contiguous ranges of members whose states are merged in order; on one
    /// thread when there are fewer than `splitFrom` events (not worth a thread's start).
    public func fold<F: CohortFold>(_ fold: F, windows: CohortWindows, workers: Int, splitFrom: Int = 1 << 16) -> F {
        precondition(windows.count == cohortSize, "windows for every cohort member")
        let parts = events.count < splitFrom || cohortSize < 2 ? 1 : max(1, min(workers, cohortSize))
        // Contiguous ranges of members with about as many events each.
        var cuts = [0]
        for part in 1..<parts {
            let target = events.count * part / parts
            var low = cuts[part - 1], high = cohortSize
            while low < high {
                let mid = (low + high) / 2
                if starts[mid] < target { low = mid + 1 } else { high = mid }
            }
            cuts.append(low)
        }
        cuts.append(cohortSize)
        let ranges = (0..<parts).map { cuts[$0]..<cuts[$0 + 1] }
        let run: @Sendable (Int) -> F = { part in
            var state = fold.empty()
            events.withUnsafeBufferPointer { all in
                outsized.withUnsafeBufferPointer { outsized in
                    for member in ranges[part] {
                        // Sound: starts are offsets into `events`, in order, ending at its count.
                        let slice = UnsafeBufferPointer(rebasing: all[starts[member]..<starts[member + 1]])
                        state.add(MemberEvents(person: Int32(member), bounds: windows.bounds(of: Int32(member)),
                                               events: MemberEvents.Events(person: Int32(member), packed: slice, outsized: outsized),
                                               windows: windows))
                    }
                }
            }
            return state
        }
        let states = Processors.inParallel(parts, run)
        var total = states[0]
        for part in 1..<parts { total.merge(states[part]) }
        return total
    }
}
