import Foundation

/// A flag set once, from any thread.
final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    /// Sets the flag; returns what it was.
    func swap(_ new: Bool) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let old = value
        value = new
        return old
    }
}
