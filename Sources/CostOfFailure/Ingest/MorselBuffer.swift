/// One morsel of a streaming scan's rows, written by the sink at the end of each row into fixed
/// columns, and moved into the builder's columns a morsel at a time.
///
/// Appending a row to the builder's seven growable columns checked each one's uniqueness and
/// capacity: about a hundred instructions a row, for rows most of which belong to people the
/// scan does not follow and are only priced. Here a row is seven stores through pointers into
/// memory sized for the morsel once; the morsel is then copied into the builder in one go per
/// column (64K rows: a couple of megabytes), where the scan reads it as before.
///
/// A value type whose columns are kept alive by a private class: the sink writes through the
/// pointers it copied, so a row touches no reference count. Copies share the columns, so there
/// must be one: the sink that owns it, used in place (as the sink itself is, behind a pointer).
struct MorselBuffer {
    /// Owns the columns' memory.
    private final class Storage {
        let person, service, event, day, quantity: UnsafeMutablePointer<Int32>
        let cost: UnsafeMutablePointer<Pence>
        let costPresent: UnsafeMutablePointer<Bool>
        let personHash: UnsafeMutablePointer<UInt64>

        init(capacity: Int) {
            person = .allocate(capacity: capacity)
            service = .allocate(capacity: capacity)
            event = .allocate(capacity: capacity)
            day = .allocate(capacity: capacity)
            quantity = .allocate(capacity: capacity)
            cost = .allocate(capacity: capacity)
            costPresent = .allocate(capacity: capacity)
            personHash = .allocate(capacity: capacity)
        }

        deinit {
            person.deallocate()
            service.deallocate()
            event.deallocate()
            day.deallocate()
            quantity.deallocate()
            cost.deallocate()
            costPresent.deallocate()
            personHash.deallocate()
        }
    }

    private let storage: Storage
    /// Rows a morsel holds.
    let capacity: Int
    /// Rows written so far.
    private(set) var count = 0
    private let person, service, event, day, quantity: UnsafeMutablePointer<Int32>
    private let cost: UnsafeMutablePointer<Pence>
    private let costPresent: UnsafeMutablePointer<Bool>
    private let personHash: UnsafeMutablePointer<UInt64>

    /// An empty morsel of `capacity` rows.
    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        storage = Storage(capacity: capacity)
        (person, service, event, day, quantity) = (storage.person, storage.service, storage.event, storage.day, storage.quantity)
        (cost, costPresent, personHash) = (storage.cost, storage.costPresent, storage.personHash)
    }

    /// Whether another row would not fit.
    var isFull: Bool { count == capacity }

    /// Writes one row (the caller drains a full morsel before the next row); `personHash` is the
    /// hash of the person's ID when the scan does not follow them (see
    /// ``EventTableBuilder/personHash``).
    @inline(__always)
    mutating func append(person: Int32, service: Int32, event: Int32, day: Int32, quantity: Int32, explicitCost: Pence?,
                         personHash: UInt64) {
        precondition(count < capacity, "morsel full")
        // Sound: count is below capacity (checked), and every column has capacity slots of a
        // trivial type, so each store initialises one slot.
        self.person[count] = person
        self.service[count] = service
        self.event[count] = event
        self.day[count] = day
        self.quantity[count] = quantity
        self.cost[count] = explicitCost ?? 0
        self.costPresent[count] = explicitCost != nil
        self.personHash[count] = personHash
        count += 1
    }

    /// Replaces the builder's rows with this morsel's, in order, and empties the morsel.
    mutating func drain(into builder: inout EventTableBuilder) {
        // Sound: slots 0..<count were written by append.
        builder.replaceRows(person: UnsafeBufferPointer(start: person, count: count),
                            service: UnsafeBufferPointer(start: service, count: count),
                            event: UnsafeBufferPointer(start: event, count: count),
                            day: UnsafeBufferPointer(start: day, count: count),
                            quantity: UnsafeBufferPointer(start: quantity, count: count),
                            explicitCost: UnsafeBufferPointer(start: cost, count: count),
                            explicitCostPresent: UnsafeBufferPointer(start: costPresent, count: count),
                            personHash: UnsafeBufferPointer(start: personHash, count: count))
        count = 0
    }
}
