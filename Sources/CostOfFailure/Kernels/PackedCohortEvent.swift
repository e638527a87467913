/// A ``CohortEvent`` as ``CohortEvents`` holds it: 24 bytes rather than 32, since a kept event
/// is the finance pack's memory at national scale (100M rows: about 30M events of the cohort's
/// members).
///
/// The cost and whether it is priced share one 32-bit field. A priced cost in
/// `-2³⁰...Int32.max` pence (up to £21 million: every real event) is the field itself; an
/// unpriced event of cost 0 (what pricing gives) is `Int32.min`; anything else — an outsized
/// cost, or an unpriced event with a cost (only an edited partial has one) — is an entry of the
/// list's ``Outsized`` costs, which the field numbers from `Int32.min + 1` up. Packing and
/// unpacking give back exactly the event packed.
struct PackedCohortEvent: Sendable {
    var person: Int32
    var service: Int32
    var event: Int32
    var day: Int32
    var quantity: Int32
    /// The cost, whether it is priced, or an outsized entry (see the type's summary).
    var cost: Int32

    /// The field of an unpriced event of cost 0.
    static let unpricedWithoutCost = Int32.min
    /// The least cost the field holds itself.
    static let leastDirectCost: Int64 = -(1 << 30)
    /// The number of outsized entries a list can number: the fields below the direct costs.
    static let outsizedCapacity = Int(leastDirectCost) - Int(Int32.min) - 1

    /// A cost the field cannot hold, with whether it is priced.
    struct Outsized: Sendable, Equatable {
        var cost: Pence
        var priced: Bool
    }

    /// `event` packed; an outsized cost is appended to `outsized`.
    @inline(__always)
    init(_ event: CohortEvent, outsized: inout [Outsized]) {
        person = event.person
        service = event.service
        self.event = event.event
        day = event.day
        quantity = event.quantity
        if event.priced, event.cost >= Self.leastDirectCost, event.cost <= Int64(Int32.max) {
            cost = Int32(truncatingIfNeeded: event.cost)
        } else if !event.priced, event.cost == 0 {
            cost = Self.unpricedWithoutCost
        } else {
            cost = Self.outsizedField(event, outsized: &outsized)
        }
    }

    /// Appends `event`'s cost to `outsized` and gives the field that numbers it.
    @inline(never)
    private static func outsizedField(_ event: CohortEvent, outsized: inout [Outsized]) -> Int32 {
        // Unreachable in practice: a billion events of more than £10 million each are far past
        // the engine's ceiling on costs taken together (and past any machine's memory first).
        precondition(outsized.count < outsizedCapacity, "more outsized costs than a list numbers")
        outsized.append(Outsized(cost: event.cost, priced: event.priced))
        return Int32.min + 1 + Int32(outsized.count - 1)
    }

    /// The outsized entry the field numbers (`nil`: the field holds the cost itself).
    @inline(__always)
    var outsizedIndex: Int? {
        cost != Self.unpricedWithoutCost && Int64(cost) < Self.leastDirectCost ? Int(cost) - Int(Int32.min) - 1 : nil
    }

    /// The field renumbered for a list whose outsized entries start `offset` later.
    @inline(__always)
    mutating func shiftOutsized(by offset: Int) {
        if let index = outsizedIndex { cost = Int32.min + 1 + Int32(index + offset) }
    }

    /// The event, with the outsized costs `outsized` of the list that holds it.
    @inline(__always)
    func unpacked(outsized: UnsafeBufferPointer<Outsized>) -> CohortEvent {
        let (pence, priced) = Self.cost(of: cost, outsized: outsized)
        return CohortEvent(person: person, service: service, event: event, day: day, quantity: quantity, cost: pence, priced: priced)
    }

    /// The cost and whether it is priced that the cost field `field` stands for.
    @inline(__always)
    static func cost(of field: Int32, outsized: UnsafeBufferPointer<Outsized>) -> (Pence, Bool) {
        if field == unpricedWithoutCost { return (0, false) }
        if Int64(field) < leastDirectCost {
            let index = Int(field) - Int(Int32.min) - 1
            return (outsized[index].cost, outsized[index].priced)
        }
        return (Pence(field), true)
    }
}

extension PackedCohortEvent {
    /// A packed event as ``GroupedCohortEvents`` holds it: without its member, whom the
    /// grouping's starts give, so 20 bytes rather than 24 (100M rows: 120 MB less for as long
    /// as the folds run).
    struct Grouped: Sendable {
        var service: Int32
        var event: Int32
        var day: Int32
        var quantity: Int32
        /// The cost field, as ``PackedCohortEvent/cost``.
        var cost: Int32

        /// `packed` without its member.
        @inline(__always)
        init(_ packed: PackedCohortEvent) {
            service = packed.service
            event = packed.event
            day = packed.day
            quantity = packed.quantity
            cost = packed.cost
        }

        /// The event of member `person`, with the outsized costs `outsized` of the list that holds it.
        @inline(__always)
        func unpacked(person: Int32, outsized: UnsafeBufferPointer<Outsized>) -> CohortEvent {
            let (pence, priced) = PackedCohortEvent.cost(of: cost, outsized: outsized)
            return CohortEvent(person: person, service: service, event: event, day: day, quantity: quantity, cost: pence, priced: priced)
        }
    }
}
