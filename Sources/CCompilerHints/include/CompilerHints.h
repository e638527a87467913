// Hints to the CPU that Swift has no spelling for. Header-only: every function is static inline.
#ifndef COF_COMPILER_HINTS_H
#define COF_COMPILER_HINTS_H

/// Asks the CPU to start loading the cache line holding `address` for reading, so that a load
/// from it a little later does not wait on memory. A hint only: it never faults (any address may
/// be given) and changes no result.
static inline void cof_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
