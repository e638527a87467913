// Hints to the CPU, the kernel and the C allocator that Swift has no spelling for: a cache
// prefetch (static inline, here), a request to start writing a file's pages back, and the
// allocator's thresholds (in CompilerHints.c).
#ifndef COF_COMPILER_HINTS_H
#define COF_COMPILER_HINTS_H

/// Asks the CPU to start loading the cache line holding `address` for reading, so that a load
/// from it a little later does not wait on memory. A hint only: it never faults (any address may
/// be given) and changes no result.
static inline void cof_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Asks the kernel to start writing bytes `offset ..< offset + count` of the file open as `fd`
/// to disk now, without waiting (Linux `sync_file_range` with `SYNC_FILE_RANGE_WRITE`), so that
/// a later `fsync` finds less to do. A hint only: it changes no byte of the file; returns 0, or
/// -1 with `errno` set (elsewhere than Linux it does nothing and returns 0).
int cof_start_writeback(int fd, long long offset, long long count);

/// Sets glibc's allocator thresholds (`mallopt`): blocks of at least `mappedBlockBytes` are
/// mapped apart and unmapped when freed; free memory at the top of a heap is given back only past
/// `keptFreeBytes`. Setting them also turns off glibc's dynamic threshold. Returns 1 when both
/// were set, else 0 (elsewhere than glibc it does nothing and returns 0).
int cof_set_allocator_thresholds(int mappedBlockBytes, int keptFreeBytes);

#endif
