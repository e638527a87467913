/// Reads a compressed source as its text: raw bytes are pulled through a buffer of their own
/// and handed to the format's ``StreamDecoder``, never the whole file at once.
///
/// The end of the raw bytes must be the end of a complete stream (a gzip member, a zstd frame):
/// anywhere else, the file was cut short, and the read fails instead of handing over the text
/// so far as if it were all. Errors say where in the compressed file the problem was seen.
final class Decompression {
    let format: CompressionFormat
    private let decoder: any StreamDecoder
    private let file: String
    /// Raw bytes read and not yet decoded: `input[start..<end]`.
    private let input: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    /// Whether the raw source has ended.
    private var sourceEnded = false
    /// Raw bytes decoded so far (the offset in the compressed file of `input[start]`).
    private(set) var compressedOffset = 0

    /// Raw bytes read at a time: a few system calls per megabyte of text, and small beside the
    /// read-ahead's buffers.
    static let inputBytes = 1 << 18

    /// Starts decoding `file` in `format`, the raw stream beginning with `prefix` (the bytes
    /// already read to tell the format).
    init(format: CompressionFormat, file: String, prefix: some Collection<UInt8>) throws(IngestError) {
        self.format = format
        self.file = file
        switch format {
        case .gzip: decoder = try GzipDecoder(file: file)
        case .zstd: decoder = try ZstdDecoder(file: file)
        }
        input = .allocate(byteCount: max(Self.inputBytes, prefix.count), alignment: 16)
        input.copyBytes(from: prefix)
        end = prefix.count
    }

    deinit {
        input.deallocate()
    }

    /// Fills `output` with the next decompressed bytes, pulling raw bytes from `source` as
    /// needed (it reads up to the buffer's size and returns 0 at the end); 0 at the end of the
    /// text.
    ///
    /// - Throws: ``IngestError/Kind/badCompression`` for a corrupt or truncated stream, and
    ///   whatever `source` throws.
    func read(into output: UnsafeMutableRawBufferPointer,
              from source: (UnsafeMutableRawBufferPointer) throws(IngestError) -> Int) throws(IngestError) -> Int {
        guard output.count > 0 else { return 0 }
        while true {
            if start == end, !sourceEnded {
                start = 0
                end = try source(input)
                if end == 0 { sourceEnded = true }
            }
            let step: (consumed: Int, produced: Int)
            do throws(IngestError) {
                step = try decoder.decode(UnsafeRawBufferPointer(rebasing: input[start..<end]), into: output)
            } catch {
                var error = error
                if error.kind == .badCompression { error.detail += " (seen at byte \(compressedOffset + 1) of the compressed file)" }
                throw error
            }
            start += step.consumed
            compressedOffset += step.consumed
            if step.produced > 0 { return step.produced }
            if start == end, sourceEnded {
                guard decoder.isAtStreamEnd else {
                    throw IngestError(file: file, kind: .badCompression,
                                      detail: "truncated \(format.rawValue) file: the compressed data ends inside a \(format == .gzip ? "member" : "frame") after \(compressedOffset) bytes; expected a complete \(format.rawValue) file (was it cut short in copying?)")
                }
                return 0
            }
            if step.consumed == 0, start < end {
                // Room to write and bytes to read, and the decoder took neither: it cannot go on.
                throw IngestError(file: file, kind: .badCompression,
                                  detail: "bad \(format.rawValue) data: decompression stopped at byte \(compressedOffset + 1) of the compressed file; expected a complete \(format.rawValue) file")
            }
        }
    }
}
