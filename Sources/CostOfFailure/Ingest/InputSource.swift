#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a CSV comes from: a file, standard input, or bytes in memory (tests, generated data).
///
/// Any of them may be gzip or zstd compressed: a read tells by the first bytes (see
/// ``CompressionFormat``), whatever the name, and hands over the decompressed text.
public enum InputSource: Sendable, Hashable {
    /// A file path; `-` means standard input.
    case file(String)
    /// Bytes already in memory, with a name for messages and the chunk size to feed them in
    /// (tests use tiny chunks to prove that chunk boundaries do not matter).
    case bytes(name: String, [UInt8], chunkSize: Int)

    /// The name used in messages: the path as given, or `<stdin>`.
    public var displayName: String {
        switch self {
        case .file(let path): return path == "-" ? "<stdin>" : path
        case .bytes(let name, _, _): return name
        }
    }

    /// The size in bytes of a regular file (not standard input), when known.
    var fileSize: Int? {
        guard case .file(let path) = self, path != "-" else { return nil }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// The compression of a regular file or of bytes in memory, told by their first bytes
    /// (`nil`: plain, or standard input, which cannot be looked at without reading it).
    ///
    /// A compressed file cannot be read in byte ranges (see ``ParallelIngest``): its text
    /// starts nowhere but at the beginning.
    public var compression: CompressionFormat? {
        switch self {
        case .file(let path):
            guard path != "-", fileSize != nil else { return nil }
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { _ = close(fd) }
            var magic = [UInt8](repeating: 0, count: CompressionFormat.magicLength)
            let count = magic.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
            return count > 0 ? CompressionFormat(magic: magic[..<count]) : nil
        case .bytes(_, let bytes, _):
            return CompressionFormat(magic: bytes.prefix(CompressionFormat.magicLength))
        }
    }

    /// Opens the source for reading in chunks; `range` limits a regular file to those raw
    /// bytes (no decompression: only a plain file is read in parts). A `digest` takes the raw
    /// bytes of a file read (not of standard input).
    func open(range: Range<Int>? = nil, digest: ReadDigest? = nil) throws(IngestError) -> ChunkReader {
        if let range, case .file = self {
            let reader = try open(digest: digest)
            reader.limit(to: range)
            return reader
        }
        return try open(digest: digest)
    }

    /// Opens the whole source for reading in chunks.
    func open(digest: ReadDigest? = nil) throws(IngestError) -> ChunkReader {
        switch self {
        case .file(let path):
            if path == "-" { return ChunkReader(descriptor: 0, ownsDescriptor: false, name: displayName) }
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                let code = errno
                let kind: IngestError.Kind = (code == ENOENT || code == ENOTDIR) ? .missingFile : .unreadable
                throw IngestError(file: displayName, kind: kind, detail: "cannot open: \(String(cString: strerror(code)))")
            }
            return ChunkReader(descriptor: fd, ownsDescriptor: true, name: displayName, digest: digest)
        case .bytes(_, let bytes, let chunkSize):
            return ChunkReader(memory: bytes, chunkSize: chunkSize, name: displayName)
        }
    }
}

/// Reads a source in fixed-size chunks into one reusable buffer, decompressing a gzip or zstd
/// source (told by its first bytes) as it goes.
final class ChunkReader {
    /// What the first bytes said the source is.
    private enum Content {
        /// Not looked at yet.
        case unknown
        /// Plain text: the bytes read to tell are handed out first.
        case plain(pending: [UInt8])
        /// Compressed: decompressed on a thread of its own, ahead of the reader.
        case compressed(DecompressionReadAhead)
    }
    private var content = Content.unknown
    private let raw: RawByteSource

    init(descriptor: Int32, ownsDescriptor: Bool, name: String, digest: ReadDigest? = nil) {
        raw = RawByteSource(descriptor: descriptor, ownsDescriptor: ownsDescriptor, name: name)
        raw.digest = digest
    }

    init(memory: [UInt8], chunkSize: Int, name: String) {
        raw = RawByteSource(memory: memory, chunkSize: chunkSize, name: name)
    }

    /// The source's own bytes behind what has been handed over (compressed bytes for a
    /// compressed source), for progress against the file's size.
    var sourceBytesRead: Int {
        if case .compressed(let readAhead) = content { return readAhead.sourceBytes }
        return raw.bytesRead
    }

    /// Reads only `range` of the file from now on, as it is (with `pread`, so parts of one file
    /// can be read by several readers at once).
    func limit(to range: Range<Int>) {
        content = .plain(pending: [])
        raw.limit(to: range)
    }

    /// Reads up to `buffer.count` bytes of text (decompressed, for a compressed source); 0 means
    /// end of input.
    ///
    /// - Throws: ``IngestError/Kind/unreadable`` when reading fails,
    ///   ``IngestError/Kind/badCompression`` when compressed data is corrupt or cut short.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
        switch content {
        case .compressed(let readAhead):
            return try readAhead.read(into: buffer)
        case .plain(var pending) where !pending.isEmpty:
            let count = min(buffer.count, pending.count)
            buffer.copyBytes(from: pending[..<count])
            pending.removeFirst(count)
            content = .plain(pending: pending)
            return count
        case .plain:
            return try raw.read(into: buffer)
        case .unknown:
            // The magic number, whole even from a source that gives a byte at a time.
            var prefix: [UInt8] = []
            let small = UnsafeMutableRawBufferPointer.allocate(byteCount: CompressionFormat.magicLength, alignment: 1)
            defer { small.deallocate() }
            while prefix.count < CompressionFormat.magicLength {
                let count = try raw.read(into: UnsafeMutableRawBufferPointer(rebasing: small[..<(CompressionFormat.magicLength - prefix.count)]))
                if count == 0 { break }
                prefix += UnsafeRawBufferPointer(rebasing: small[..<count])
            }
            if let format = CompressionFormat(magic: prefix) {
                // From here on only the decompressing thread reads `raw`.
                content = .compressed(DecompressionReadAhead(try Decompression(format: format, file: raw.name, prefix: prefix), raw: raw))
            } else {
                content = .plain(pending: prefix)
            }
            return try read(into: buffer)
        }
    }
}
