import Foundation
import Dispatch
import Synchronization

/// Runs a ``Decompression`` on a thread of its own, a few chunks ahead of the reader, so that
/// inflating and parsing a compressed file take a core each instead of taking turns on one.
///
/// A compressed file cannot be cut into byte ranges for the parallel read (its text has no
/// offsets), so it is parsed on one core; without this, that core also decompressed, and the
/// other idled (measured, 10M rows: gzip 4.72 s inline, 3.10 s with this; docs/performance.md,
/// "Compressed inputs").
///
/// The decompressed text is handed over in order through ``slotCount`` buffers of
/// ``slotBytes``; memory stays bounded whatever the file's size. An error (a corrupt or truncated
/// stream, a failed read) is handed over in its place in the text, after everything before it.
///
/// A reader that stops early (a bad row, an error) does not wait for the thread: it tells it to
/// stop, and the thread, which owns what it uses (the raw source, the buffers), ends when it next
/// looks, so a stalled pipe upstream cannot keep `cof` from exiting.
final class DecompressionReadAhead {
    /// What the decompressing thread left in one buffer.
    private struct Slot {
        var count = 0
        /// The compressed bytes decoded once this buffer was filled (for progress).
        var sourceBytes = 0
        var error: IngestError?
    }

    /// The buffers, owned by whichever of the reader and the thread lets go of them last.
    private final class Storage {
        let buffers: UnsafeMutableRawBufferPointer
        let slots: UnsafeMutableBufferPointer<Slot>

        init() {
            buffers = .allocate(byteCount: DecompressionReadAhead.slotCount * DecompressionReadAhead.slotBytes, alignment: 64)
            slots = .allocate(capacity: DecompressionReadAhead.slotCount)
            slots.initialize(repeating: Slot())
        }

        deinit {
            _ = slots.deinitialize()
            slots.deallocate()
            buffers.deallocate()
        }

        func buffer(_ slot: Int) -> UnsafeMutableRawBufferPointer {
            UnsafeMutableRawBufferPointer(rebasing: buffers[slot * DecompressionReadAhead.slotBytes..<(slot + 1) * DecompressionReadAhead.slotBytes])
        }
    }

    /// Set when the reader stops early.
    private final class Cancellation: Sendable {
        let requested = Atomic<Bool>(false)
    }

    static let slotCount = 4
    static let slotBytes = 1 << 20

    private let storage = Storage()
    // Semaphores made at zero and signalled up to their counts: libdispatch traps when one is
    // released below the value it was made with, which `free` would be after an early stop.
    private let filled = DispatchSemaphore(value: 0)
    private let free = DispatchSemaphore(value: 0)
    private let cancellation = Cancellation()
    /// Where a slot's record is written and read (the semaphores only count): the queue orders
    /// each buffer's bytes before their hand-over in a way ThreadSanitizer sees, as
    /// ``BlockPipeline`` does.
    private let handOver = DispatchQueue(label: "DecompressionReadAhead")

    // The reader's side (one thread: the caller's).
    /// The slot being handed over (-1: none), how much of it has been, and slots handed over.
    private var current = -1
    private var offset = 0
    private var currentCount = 0
    private var taken = 0
    /// Set at the end of the text (`.some(nil)`) or at an error.
    private var ended: IngestError?? = nil
    /// Compressed bytes behind the text handed over so far.
    private(set) var sourceBytes = 0

    /// Starts decompressing at once, reading compressed bytes from `raw` (which nothing else
    /// may read from now on).
    init(_ decompression: Decompression, raw: RawByteSource) {
        for _ in 0..<Self.slotCount { free.signal() }
        // Sound: the thread alone uses `decompression` and `raw` from now on; it writes a slot
        // only between taking it from `free` and giving it to `filled`, and the reader reads it
        // only between those (the semaphores order them); `storage` lives while either holds it.
        nonisolated(unsafe) let decompression = decompression
        nonisolated(unsafe) let raw = raw
        nonisolated(unsafe) let storage = storage
        let (filled, free, cancellation, handOver) = (filled, free, cancellation, handOver)
        let thread = Thread {
            var index = 0
            while true {
                free.wait()
                if cancellation.requested.load(ordering: .relaxed) { break }
                let slot = index % Self.slotCount
                // After the reader's hand-back of this buffer (below), for ThreadSanitizer.
                handOver.sync { storage.slots[slot] = Slot() }
                let made: Slot
                do throws(IngestError) {
                    let count = try decompression.read(into: storage.buffer(slot)) { (bytes) throws(IngestError) in try raw.read(into: bytes) }
                    made = Slot(count: count, sourceBytes: decompression.compressedOffset)
                } catch {
                    made = Slot(error: error)
                }
                handOver.sync { storage.slots[slot] = made }
                filled.signal()
                let stop = made.error != nil || made.count == 0
                if stop { break }
                index += 1
            }
        }
        thread.start()
    }

    deinit {
        // Wakes the thread if it waits for a free buffer; it stops when it next looks.
        cancellation.requested.store(true, ordering: .relaxed)
        free.signal()
    }

    /// Copies the next decompressed bytes into `buffer`; 0 at the end of the text.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
        if let ended {
            if let error = ended { throw error }
            return 0
        }
        if current < 0 {
            filled.wait()
            current = taken % Self.slotCount
            offset = 0
            let slot = handOver.sync { storage.slots[current] }
            if slot.error != nil || slot.count == 0 {
                ended = .some(slot.error)
                if let error = slot.error { throw error }
                return 0
            }
            sourceBytes = slot.sourceBytes
            currentCount = slot.count
        }
        let count = min(buffer.count, currentCount - offset)
        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: storage.buffer(current)[offset..<offset + count]))
        offset += count
        if offset == currentCount {
            // Every byte of it read: the buffer goes back (through the queue, then the permit).
            handOver.sync { storage.slots[current] = Slot() }
            current = -1
            taken += 1
            free.signal()
        }
        return count
    }
}
