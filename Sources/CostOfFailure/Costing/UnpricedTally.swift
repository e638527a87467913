/// Events with neither an explicit cost nor a unit cost, counted by (service, event) code: the
/// one way the table path (``CostResolver/resolve(_:)``), the streaming scan and the report's
/// fold count them, join another thread's, and name them for the unpriced table, so that every
/// command reports the same pairs in the same order. Unpriced events are counted and reported,
/// never costed as zero.
public struct UnpricedTally: Sendable, Equatable {
    /// Counts by `service << 32 | event`; only unpriced events touch it.
    private var counts: [UInt64: Int] = [:]

    /// Nothing counted.
    public init() {}

    /// Whether no unpriced event was counted.
    public var isEmpty: Bool { counts.isEmpty }

    @inline(__always)
    private static func key(service: Int32, event: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: service)) << 32 | UInt64(UInt32(bitPattern: event))
    }

    /// Counts one unpriced event of (`service`, `event`).
    @inline(__always)
    public mutating func note(service: Int32, event: Int32) {
        counts[Self.key(service: service, event: event), default: 0] += 1
    }

    /// Adds `other`'s counts, its service code `s` being `services[s]` here and its event code
    /// `e` being `events[e]` (an ``EventTableBuilder/Recoding``'s maps; `nil`: the same codes).
    public mutating func merge(_ other: UnpricedTally, services: [Int32]? = nil, events: [Int32]? = nil) {
        for (key, count) in other.counts {
            let service = Int32(truncatingIfNeeded: key >> 32), event = Int32(truncatingIfNeeded: key & 0xFFFF_FFFF)
            counts[Self.key(service: services?[Int(service)] ?? service, event: events?[Int(event)] ?? event), default: 0] += count
        }
    }

    /// The pairs with their counts, named from `services` and `events`, in output order
    /// (``EventCosts/inOutputOrder(_:)``).
    public func pairs(services: StringDictionary, events: StringDictionary) -> [EventCosts.UnpricedPair] {
        EventCosts.inOutputOrder(counts.map { key, count in
            EventCosts.UnpricedPair(service: services[Int32(truncatingIfNeeded: key >> 32)],
                                    event: events[Int32(truncatingIfNeeded: key & 0xFFFF_FFFF)], events: count)
        })
    }
}
