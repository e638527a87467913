// The prefetch hint is static inline in include/CompilerHints.h; the write-back hint needs
// _GNU_SOURCE for sync_file_range, so it is compiled here.
#define _GNU_SOURCE
#include <fcntl.h>
#include "CompilerHints.h"

int cof_start_writeback(int fd, long long offset, long long count) {
#if defined(__linux__)
    return sync_file_range(fd, (off_t)offset, (off_t)count, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd; (void)offset; (void)count;
    return 0;
#endif
}
