private import CCompression

/// Decompresses Zstandard through libzstd's streaming API, frame after frame (concatenated
/// frames read as one stream; skippable frames are skipped). Frames carrying a checksum have it
/// checked by libzstd. Memory is bounded by the frame's window, which libzstd refuses above
/// 128 MiB (`zstd --long=31` files) with a message saying so.
final class ZstdDecoder: StreamDecoder {
    /// libzstd's state, owned by this object.
    private let context: OpaquePointer
    private let file: String
    /// libzstd's last answer: 0 when a frame has just been completely decoded and given out.
    private var lastHint = 1

    /// A decoder for the zstd stream of `file` (named in messages).
    init(file: String) throws(IngestError) {
        self.file = file
        guard let context = ZSTD_createDStream() else {
            throw IngestError(file: file, kind: .unreadable, detail: "cannot start zstd decompression (libzstd could not allocate its state)")
        }
        self.context = context
    }

    deinit {
        ZSTD_freeDStream(context)
    }

    var isAtStreamEnd: Bool { lastHint == 0 }

    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(IngestError) -> (consumed: Int, produced: Int) {
        // Sound: libzstd reads input[pos..<size] and writes output[pos..<size] during the call
        // only; both buffers are the caller's, alive for the call.
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let hint = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
        if ZSTD_isError(hint) != 0 {
            let reason = String(cString: ZSTD_getErrorName(hint))
            throw IngestError(file: file, kind: .badCompression,
                              detail: "bad zstd data (\(reason)): the file is corrupt or not zstd; expected a complete zstd file")
        }
        // An empty call (no input, no room) says nothing about where the stream is.
        if inBuffer.pos > 0 || outBuffer.pos > 0 || input.count > 0 { lastHint = hint }
        return (inBuffer.pos, outBuffer.pos)
    }
}
