private import CCompression

/// Compressed fixtures made in the tests with the same libraries the engine reads them with
/// (zlib, libzstd), so that no test needs a `gzip` or `zstd` program.
public enum CompressedText {
    /// `bytes` as one gzip member (as `gzip -c` writes it).
    public static func gzip(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { deflateEnd(stream); stream.deallocate() }
        precondition(cof_deflate_init_gzip(stream, level) == Z_OK, "zlib could not start")
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(bytes.count))) + 64)
        let written = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                // Sound: zlib reads and writes only inside the two buffers, during this call.
                stream.pointee.next_in = source.baseAddress
                stream.pointee.avail_in = UInt32(source.count)
                stream.pointee.next_out = target.baseAddress
                stream.pointee.avail_out = UInt32(target.count)
                precondition(deflate(stream, Z_FINISH) == Z_STREAM_END, "deflateBound was not enough")
                return target.count - Int(stream.pointee.avail_out)
            }
        }
        return Array(output[..<written])
    }

    /// `bytes` as one zstd frame with a content checksum (as `zstd -c` writes it).
    public static func zstd(_ bytes: [UInt8], level: Int32 = 3) -> [UInt8] {
        let context = ZSTD_createCCtx()
        defer { ZSTD_freeCCtx(context) }
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        var output = [UInt8](repeating: 0, count: ZSTD_compressBound(bytes.count))
        let written = output.withUnsafeMutableBytes { target in
            bytes.withUnsafeBytes { source in
                ZSTD_compress2(context, target.baseAddress, target.count, source.baseAddress, source.count)
            }
        }
        precondition(ZSTD_isError(written) == 0, "zstd could not compress")
        return Array(output[..<written])
    }
}
