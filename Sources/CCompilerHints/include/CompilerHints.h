// Hints to the CPU and the kernel that Swift has no spelling for: a cache prefetch (static
// inline, here) and a request to start writing a file's pages back (in CompilerHints.c).
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

#endif
