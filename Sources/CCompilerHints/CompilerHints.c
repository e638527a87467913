// The prefetch hint is static inline in include/CompilerHints.h; the write-back hint needs
// _GNU_SOURCE for sync_file_range, and the allocator's thresholds <malloc.h> (which Swift's Glibc
// module does not include), so they are compiled here.
#define _GNU_SOURCE
#include <fcntl.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include "CompilerHints.h"

int cof_start_writeback(int fd, long long offset, long long count) {
#if defined(__linux__)
    return sync_file_range(fd, (off_t)offset, (off_t)count, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd; (void)offset; (void)count;
    return 0;
#endif
}

int cof_set_allocator_thresholds(int mappedBlockBytes, int keptFreeBytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, mappedBlockBytes) && mallopt(M_TRIM_THRESHOLD, keptFreeBytes);
#else
    (void)mappedBlockBytes; (void)keptFreeBytes;
    return 0;
#endif
}
