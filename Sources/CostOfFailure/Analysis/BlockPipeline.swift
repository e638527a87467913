import Dispatch
import Synchronization

/// Makes blocks `0..<count` on several threads and hands their results on in block order, one
/// at a time, while the threads go on making the blocks after them.
///
/// Each thread takes the next block not yet taken, makes it, and parks the result in one of
/// `window` slots; whichever thread finds the next block due parked hands it on (and any parked
/// after it), while the other threads keep making blocks. A thread takes a block only when a
/// slot is free, so at most `window` results are held, however many blocks there are. Before,
/// the blocks were made `window` at a time and then handed on by one thread while the others
/// waited: writing `cof compare`'s 32 MB of CSV left a core idle for a quarter of the output.
struct BlockPipeline: Sendable {
    /// Threads making blocks.
    let workers: Int
    /// Results held at most, made but not yet handed on.
    let window: Int

    /// Who hands on: the next block due, whether a thread is handing on, whether to stop.
    private struct Progress {
        var due = 0
        var handingOn = false
        var stopped = false
    }

    /// A pipeline of `workers` threads holding at most two results per thread.
    init(workers: Int) {
        self.workers = max(1, workers)
        window = self.workers * 2
    }

    /// Calls `make` for each block in `0..<count` on the pipeline's threads and `handOn` with
    /// each result that is not `nil`, in block order, from one thread at a time.
    ///
    /// The first error — from making a block, in block order, or from `handOn` — stops
    /// everything: nothing after it is handed on, and it is rethrown.
    func run<T>(count: Int, make: @Sendable (Int) throws -> T?, handOn: (T) throws -> Void) throws {
        guard count > 0 else { return }
        // What each slot holds: the result of block `b` in slot `b % window` (nil: no result).
        let slots = UnsafeMutableBufferPointer<Result<T?, any Error>?>.allocate(capacity: window)
        slots.initialize(repeating: nil)
        let failure = UnsafeMutablePointer<(any Error)?>.allocate(capacity: 1)
        failure.initialize(to: nil)
        defer {
            _ = slots.deinitialize()
            slots.deallocate()
            failure.deinitialize(count: 1)
            failure.deallocate()
        }
        // Progress is changed only on `serial` (not a `Mutex`: ThreadSanitizer on Linux reports
        // races on a Mutex's value, even for a plain counter, which would bury real ones).
        let serial = DispatchQueue(label: "BlockPipeline")
        let state = UnsafeMutablePointer<Progress>.allocate(capacity: 1)
        state.initialize(to: Progress())
        defer {
            state.deinitialize(count: 1)
            state.deallocate()
        }
        let next = Atomic<Int>(0)
        // One permit a free slot. Made at 0 and signalled up: libdispatch traps when a semaphore
        // made with a value is freed below it, as this one is after an error stops the threads
        // with blocks taken and never handed on.
        let free = DispatchSemaphore(value: 0)
        for _ in 0..<window { free.signal() }
        let (workers, window) = (self.workers, self.window)
        withoutActuallyEscaping(handOn) { handOn in
            // Sound: a slot is written on `serial` by the thread that made its block, and
            // read by the one thread handing on after it saw the slot parked on `serial`
            // (no block reuses the slot until `free` is signalled); `failure` and `handOn` are
            // used only by the thread handing on, one at a time (`handingOn`); `failure` is read
            // after all threads are done.
            nonisolated(unsafe) let (slots, failure, handOn, state) = (slots, failure, handOn, state)
            @Sendable func withProgress<R>(_ body: (inout Progress) -> R) -> R {
                serial.sync { body(&state.pointee) }
            }
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    free.wait()
                    let block = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard block < count, !withProgress({ $0.stopped }) else {
                        free.signal()  // for the next thread to find out the same
                        return
                    }
                    let result: Result<T?, any Error>
                    do { result = .success(try make(block)) } catch { result = .failure(error) }
                    var handing = withProgress { progress in
                        // Sound: fewer than `window` blocks are taken and not handed on (`free`),
                        // so no other block uses this slot now.
                        slots[block % window] = result
                        guard !progress.handingOn else { return false }
                        progress.handingOn = true
                        return true
                    }
                    while handing {
                        // The slot of the next block due, if it is parked; otherwise stop handing on.
                        let parked: Int? = withProgress { progress in
                            let slot = progress.due % window
                            guard !progress.stopped, progress.due < count, slots[slot] != nil else {
                                progress.handingOn = false
                                return nil
                            }
                            progress.due += 1
                            return slot
                        }
                        guard let parked else { handing = false; break }
                        // Sound: no thread writes this slot again until `free` is signalled below.
                        let due = slots[parked]!
                        slots[parked] = nil
                        free.signal()
                        do {
                            if let value = try due.get() { try handOn(value) }
                        } catch {
                            failure.pointee = error
                            withProgress {
                                $0.stopped = true
                                $0.handingOn = false
                            }
                            for _ in 0..<workers { free.signal() }
                            return
                        }
                    }
                }
            }
        }
        if let error = failure.pointee { throw error }
    }
}
