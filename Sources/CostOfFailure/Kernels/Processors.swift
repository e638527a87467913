import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The machine's cores, for sizing worker counts, and running parts of a job on them.
public enum Processors {
    /// Cores online now (at least 1).
    public static var online: Int {
        max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    /// `part(i)` for every `i` in `0..<count`, on every core (on this thread when `count` is 1),
    /// the results in index order: each part computed apart, to be joined by the caller in a
    /// fixed order so that nothing depends on which thread ran what.
    static func inParallel<T>(_ count: Int, _ part: @Sendable (Int) -> T) -> [T] {
        if count == 1 { return [part(0)] }
        let slots = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
        defer { slots.deallocate() }
        // Sound: iteration `i` initialises slot `i` only; every slot is initialised, then moved
        // out below, before the buffer is freed.
        nonisolated(unsafe) let shared = slots
        DispatchQueue.concurrentPerform(iterations: count) { i in (shared.baseAddress! + i).initialize(to: part(i)) }
        return (0..<count).map { (slots.baseAddress! + $0).move() }
    }
}
