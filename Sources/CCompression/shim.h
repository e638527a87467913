// The streaming decompressors compressed inputs are read through: zlib for gzip (Debian:
// zlib1g-dev, /usr/include/zlib.h) and libzstd for zstd (Debian: libzstd-dev, /usr/include/zstd.h).
#include <zlib.h>
#include <zstd.h>

// zlib's initialisers are macros (they pass the header's version and z_stream's size), which
// Swift cannot call: these are the same calls as functions.

/// inflateInit2 for gzip members only (windowBits 15 + 16: a gzip header and trailer, CRC-32 checked).
static inline int cof_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 16);
}

/// deflateInit2 writing gzip (tests make their compressed fixtures with it).
static inline int cof_deflate_init_gzip(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
