import CCompilerHints

/// How `cof` asks the C allocator to manage memory, set once before anything is allocated.
///
/// glibc serves every block above its mmap threshold (128 KiB, rising to the size of the
/// largest such block freed) with fresh pages from the kernel, and returns the top of its heap
/// once more than 128 KiB there is free. `cof compare` renders its result in blocks of a few
/// thousand people, each into a buffer of about 11 MB reserved for its longest possible text:
/// every block was a new mapping whose pages were faulted in and zeroed again (7,000 of the 23,000
/// page faults of a 10M-row compare; 10 of the 67 ms after the parse). With a fixed threshold of
/// 32 MiB and 64 MiB of free heap kept, such buffers are reused. Blocks of 32 MiB and more are
/// still mapped apart and given back when freed, so a heap holds at most 64 MiB beyond what is in
/// use (measured: peak memory 78 → 80 MB at 10M rows; at 100M, 429–439 MB against 436 before).
enum MemoryPolicy {
    /// Blocks at least this large are mapped apart and unmapped when freed.
    static let mappedBlockBytes: Int32 = 32 << 20
    /// Free memory kept at the top of a heap before any is given back.
    static let keptFreeBytes: Int32 = 64 << 20

    /// Applies the policy (before the first allocation that matters; later calls change nothing).
    static func apply() {
        // This also turns off glibc's dynamic threshold, which would otherwise rise and fall with
        // the sizes of the blocks freed. A hint only: where it cannot be set, nothing changes.
        _ = cof_set_allocator_thresholds(mappedBlockBytes, keptFreeBytes)
    }
}
