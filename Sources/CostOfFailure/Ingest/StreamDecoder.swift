/// One streaming decompressor (gzip or zstd) as ``Decompression`` drives it: compressed bytes
/// in, text out, a bounded amount of memory whatever the size of the stream.
protocol StreamDecoder: AnyObject {
    /// Decodes from the start of `input` into `output`, and says how many bytes of each it
    /// used; either may be zero when the other is (a header read, buffered output given out).
    ///
    /// - Throws: ``IngestError/Kind/badCompression`` when the bytes are not a valid stream of
    ///   this format (a corrupt block, a checksum that does not match, bytes after the end).
    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(IngestError) -> (consumed: Int, produced: Int)

    /// Whether the bytes decoded so far end exactly at the end of a complete member or frame:
    /// when the input ends elsewhere, it was cut short.
    var isAtStreamEnd: Bool { get }
}
