private import CCompression

/// Inflates gzip through zlib, member after member: concatenated members read as one stream,
/// as `zcat` reads them, and zero bytes after the last member (tape padding) are ignored as
/// gzip ignores them. Each member's CRC-32 and length are checked by zlib at its end.
final class GzipDecoder: StreamDecoder {
    /// zlib's state, at a stable address (zlib keeps pointers into it) owned by this object.
    private let stream: UnsafeMutablePointer<z_stream>
    private let file: String
    /// Whether the last member ended and no byte of another has been read.
    private var betweenMembers = false
    /// Whether zero bytes have been skipped after a member: nothing but zeros may follow them.
    private var inPadding = false

    /// A decoder for the gzip stream of `file` (named in messages).
    init(file: String) throws(IngestError) {
        self.file = file
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard cof_inflate_init_gzip(stream) == Z_OK else {
            stream.deallocate()
            throw IngestError(file: file, kind: .unreadable, detail: "cannot start gzip decompression (zlib could not allocate its state)")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    var isAtStreamEnd: Bool { betweenMembers }

    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(IngestError) -> (consumed: Int, produced: Int) {
        var consumed = 0
        if betweenMembers {
            while consumed < input.count, input[consumed] == 0 { consumed += 1 }
            if consumed > 0 { inPadding = true }
            guard consumed < input.count else { return (consumed, 0) }
            guard !inPadding else {
                throw IngestError(file: file, kind: .badCompression,
                                  detail: "bad gzip data: bytes other than zeros after the padding that follows the last member; expected a complete gzip file")
            }
            // Another member (or bytes that are not gzip, which its header check rejects).
            inflateReset(stream)
            betweenMembers = false
        }
        let available = input.count - consumed
        // Sound: zlib reads at most avail_in bytes from next_in and writes at most avail_out to
        // next_out, both inside the caller's buffers, during this call only (the pointers are
        // not used after it returns). zlib's next_in is not const, but inflate never writes to it.
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) + consumed })
        let given = Int(UInt32(clamping: available))
        stream.pointee.avail_in = UInt32(given)
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = UInt32(clamping: output.count)
        let availableOut = Int(stream.pointee.avail_out)
        let status = inflate(stream, Z_NO_FLUSH)
        consumed += given - Int(stream.pointee.avail_in)
        let produced = availableOut - Int(stream.pointee.avail_out)
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        switch status {
        case Z_OK, Z_BUF_ERROR:  // progress made, or none possible until more input or room
            return (consumed, produced)
        case Z_STREAM_END:
            betweenMembers = true
            return (consumed, produced)
        case Z_MEM_ERROR:
            throw IngestError(file: file, kind: .unreadable, detail: "gzip decompression ran out of memory")
        default:  // Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR
            let reason = stream.pointee.msg.map { String(cString: $0) } ?? "invalid data"
            throw IngestError(file: file, kind: .badCompression,
                              detail: "bad gzip data (\(reason)): the file is corrupt or not gzip; expected a complete gzip file")
        }
    }
}
