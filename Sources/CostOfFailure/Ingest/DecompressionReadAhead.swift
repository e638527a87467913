import Foundation
import Dispatch
import Synchronization

/// Runs a ``Decompression`` on a thread of its own, a few chunks ahead of the reader, so that
/// inflating and parsing a compressed file take a core each instead of taking turns on one.
///
/// A compressed file cannot be cut into byte ranges for the parallel read (its text has no
/// offsets), so it is parsed on one core; without this, that core also decompressed, and the
/// other idled. Measured in docs/performance.md ("Compressed inputs").
///
/// The decompressed text is handed over in order through ``slotCount`` buffers of
/// ``slotBytes``; memory stays bounded whatever the file's size. An error (a corrupt or truncated
/// stream, a failed read) is handed over in its place in the text, after everything before it.
final class DecompressionReadAhead {
    /// What the decompressing thread left in one buffer.
    private struct Slot {
        var count = 0
        /// The compressed bytes decoded once this buffer was filled (for progress).
        var sourceBytes = 0
        var error: IngestError?
    }

    static let slotCount = 4
    static let slotBytes = 1 << 20

    private let buffers: UnsafeMutableRawBufferPointer
    private let slots: UnsafeMutableBufferPointer<Slot>
    // Semaphores made at zero and signalled up to their counts: libdispatch traps when one is
    // released below the value it was made with, which `free` would be after an early stop.
    private let filled = DispatchSemaphore(value: 0)
    private let free = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    /// Set when the reader stops early (a class of its own: the thread must not hold `self`).
    private final class Cancellation: Sendable {
        let requested = Atomic<Bool>(false)
    }
    private let cancellation = Cancellation()

    // The reader's side (one thread: the caller's).
    /// The slot being handed over (-1: none yet), how much of it is, and slots handed over.
    private var current = -1
    private var offset = 0
    private var taken = 0
    private var ended: IngestError?? = nil
    /// Compressed bytes behind the text handed over so far.
    private(set) var sourceBytes = 0

    /// Starts decompressing at once; `readRaw` reads the compressed bytes (on the decompressing
    /// thread only, from now until this object is released).
    init(_ decompression: Decompression, readRaw: @escaping (UnsafeMutableRawBufferPointer) throws(IngestError) -> Int) {
        buffers = .allocate(byteCount: Self.slotCount * Self.slotBytes, alignment: 64)
        slots = .allocate(capacity: Self.slotCount)
        slots.initialize(repeating: Slot())
        for _ in 0..<Self.slotCount { free.signal() }
        // Sound: the thread alone uses `decompression` and `readRaw` until it signals `finished`,
        // which deinit waits for; it writes a slot only between taking it from `free` and giving
        // it to `filled`, and the reader reads it only between those (the semaphores order them).
        nonisolated(unsafe) let decompression = decompression
        nonisolated(unsafe) let readRaw = readRaw
        nonisolated(unsafe) let buffers = buffers, slots = slots
        let (filled, free, finished, cancellation) = (filled, free, finished, cancellation)
        let thread = Thread {
            var index = 0
            while true {
                free.wait()
                if cancellation.requested.load(ordering: .relaxed) { break }
                let slot = index % Self.slotCount
                let buffer = UnsafeMutableRawBufferPointer(rebasing: buffers[slot * Self.slotBytes..<(slot + 1) * Self.slotBytes])
                var stop = false
                do throws(IngestError) {
                    let count = try decompression.read(into: buffer, from: readRaw)
                    slots[slot] = Slot(count: count, sourceBytes: decompression.compressedOffset)
                    stop = count == 0
                } catch {
                    slots[slot] = Slot(error: error)
                    stop = true
                }
                filled.signal()
                if stop { break }
                index += 1
            }
            finished.signal()
        }
        thread.start()
    }

    deinit {
        // Stops the thread (it may be waiting for a free buffer, or filling one) and waits for it.
        cancellation.requested.store(true, ordering: .relaxed)
        free.signal()
        finished.wait()
        _ = slots.deinitialize()
        slots.deallocate()
        buffers.deallocate()
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
            let slot = slots[current]
            if slot.error != nil || slot.count == 0 {
                ended = .some(slot.error)
                if let error = slot.error { throw error }
                return 0
            }
            sourceBytes = slot.sourceBytes
        }
        let count = min(buffer.count, slots[current].count - offset)
        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffers[current * Self.slotBytes + offset..<current * Self.slotBytes + offset + count]))
        offset += count
        if offset == slots[current].count {
            current = -1
            taken += 1
            free.signal()
        }
        return count
    }
}
