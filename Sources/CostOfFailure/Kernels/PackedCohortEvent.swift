/// A ``CohortEvent`` as ``CohortEvents`` holds it: 20 bytes rather than 32, since a kept event
/// is the finance pack's memory at national scale (100M rows: about 30M events of the cohort's
/// members).
///
/// The cost and whether it is priced share one 32-bit field. A priced cost in
/// `-2³⁰...Int32.max` pence (up to £21 million: every real event) is the field itself; an
/// unpriced event of cost 0 (what pricing gives) is `Int32.min`; anything else — an outsized
/// cost, or an unpriced event with a cost (only an edited partial has one) — is an entry of the
/// list's ``Outsized`` costs, which the field numbers from `Int32.min + 1` up.
///
/// The service and event-type codes share another: the service in the high 16 bits (below
/// `0xFFFF`), the event type in the low 16. Codes past that (a load with tens of thousands of
/// services or event types, say free text in the event column) are kept in the event's
/// ``Outsized`` entry instead, the field then ``codesSetAside``. Packing and unpacking give back
/// exactly the event packed.
struct PackedCohortEvent: Sendable {
    var person: Int32
    /// The service and event-type codes, or ``codesSetAside`` (see the type's summary).
    var codes: UInt32
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
    /// The codes field of an event whose codes are in its outsized entry.
    static let codesSetAside = UInt32.max

    /// A cost the field cannot hold, with whether it is priced; or the cost and codes of an
    /// event whose codes the codes field cannot hold.
    struct Outsized: Sendable, Equatable {
        var cost: Pence
        var priced: Bool
        /// The service and event-type codes, when the event's codes field is ``codesSetAside``.
        var service: Int32 = 0
        var event: Int32 = 0
    }

    /// The codes field of `service` and `event`, or `nil` when it cannot hold them.
    @inline(__always)
    static func codes(service: Int32, event: Int32) -> UInt32? {
        guard UInt32(bitPattern: service) < 0xFFFF, UInt32(bitPattern: event) <= 0xFFFF else { return nil }
        return UInt32(bitPattern: service) << 16 | UInt32(bitPattern: event)
    }

    /// `event` packed; an outsized cost, or codes the codes field cannot hold, are appended to `outsized`.
    @inline(__always)
    init(_ event: CohortEvent, outsized: inout [Outsized]) {
        person = event.person
        day = event.day
        quantity = event.quantity
        if let codes = Self.codes(service: event.service, event: event.event) {
            self.codes = codes
            if event.priced, event.cost >= Self.leastDirectCost, event.cost <= Int64(Int32.max) {
                cost = Int32(truncatingIfNeeded: event.cost)
            } else if !event.priced, event.cost == 0 {
                cost = Self.unpricedWithoutCost
            } else {
                cost = Self.outsizedField(Outsized(cost: event.cost, priced: event.priced), outsized: &outsized)
            }
        } else {
            codes = Self.codesSetAside
            cost = Self.outsizedField(Outsized(cost: event.cost, priced: event.priced, service: event.service, event: event.event),
                                      outsized: &outsized)
        }
    }

    /// Appends `entry` to `outsized` and gives the field that numbers it.
    @inline(never)
    private static func outsizedField(_ entry: Outsized, outsized: inout [Outsized]) -> Int32 {
        // Unreachable in practice: a billion events of more than £10 million each, or with codes
        // past 16 bits, are far past the engine's ceiling on costs taken together (and past any
        // machine's memory first).
        precondition(outsized.count < outsizedCapacity, "more outsized costs than a list numbers")
        outsized.append(entry)
        return Int32.min + 1 + Int32(outsized.count - 1)
    }

    /// The service and event-type codes, with the outsized entries `outsized` of the list that holds the event.
    @inline(__always)
    static func codes(of field: UInt32, cost: Int32, outsized: UnsafeBufferPointer<Outsized>) -> (service: Int32, event: Int32) {
        if field == codesSetAside {
            let entry = outsized[Int(cost) - Int(Int32.min) - 1]
            return (entry.service, entry.event)
        }
        return (Int32(bitPattern: field >> 16), Int32(bitPattern: field & 0xFFFF))
    }

    /// The event with its service and event-type codes mapped by `services` and `events`
    /// (another list's codes into this one's), its outsized entries in `outsized`.
    @inline(__always)
    mutating func recode(services: [Int32], events: [Int32], outsized: inout [Outsized]) {
        if codes == Self.codesSetAside {
            let index = Int(cost) - Int(Int32.min) - 1
            outsized[index].service = services[Int(outsized[index].service)]
            outsized[index].event = events[Int(outsized[index].event)]
            return
        }
        let (service, event) = (Int32(bitPattern: codes >> 16), Int32(bitPattern: codes & 0xFFFF))
        let (newService, newEvent) = (services[Int(service)], events[Int(event)])
        if let codes = Self.codes(service: newService, event: newEvent) {
            self.codes = codes
        } else {
            let (pence, priced) = outsized.withUnsafeBufferPointer { Self.cost(of: cost, outsized: $0) }
            cost = Self.outsizedField(Outsized(cost: pence, priced: priced, service: newService, event: newEvent), outsized: &outsized)
            codes = Self.codesSetAside
        }
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
        let (service, event) = Self.codes(of: codes, cost: cost, outsized: outsized)
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
    /// grouping's starts give, so 16 bytes rather than 20 (100M rows: 120 MB less for as long
    /// as the folds run).
    struct Grouped: Sendable {
        /// The codes field, as ``PackedCohortEvent/codes``.
        var codes: UInt32
        var day: Int32
        var quantity: Int32
        /// The cost field, as ``PackedCohortEvent/cost``.
        var cost: Int32

        /// `packed` without its member.
        @inline(__always)
        init(_ packed: PackedCohortEvent) {
            codes = packed.codes
            day = packed.day
            quantity = packed.quantity
            cost = packed.cost
        }

        /// The event of member `person`, with the outsized entries `outsized` of the list that holds it.
        @inline(__always)
        func unpacked(person: Int32, outsized: UnsafeBufferPointer<Outsized>) -> CohortEvent {
            let (pence, priced) = PackedCohortEvent.cost(of: cost, outsized: outsized)
            let (service, event) = PackedCohortEvent.codes(of: codes, cost: cost, outsized: outsized)
            return CohortEvent(person: person, service: service, event: event, day: day, quantity: quantity, cost: pence, priced: priced)
        }
    }
}
