import Dispatch

/// A value made on first use and then shared by every copy of the struct that holds this box
/// (a ``Study``'s cohort events, grouped once for all its analyses).
final class MadeOnce<Value: Sendable>: @unchecked Sendable {
    // Sound: `made` is read and written only on `queue` (a serial queue, not a `Mutex`, which
    // ThreadSanitizer on Linux reports races on).
    private let queue = DispatchQueue(label: "MadeOnce")
    private var made: Value?

    /// The value, made by `make` the first time it is asked for.
    func value(_ make: () -> Value) -> Value {
        queue.sync {
            if let made { return made }
            let value = make()
            made = value
            return value
        }
    }
}
