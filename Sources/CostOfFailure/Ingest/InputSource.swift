#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a CSV comes from: a file, standard input, or bytes in memory (tests, generated data).
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

    /// Opens the source for reading in chunks; `range` limits a regular file to those bytes.
    func open(range: Range<Int>? = nil) throws(IngestError) -> ChunkReader {
        if let range, case .file = self {
            let reader = try open()
            reader.limit(to: range)
            return reader
        }
        return try open()
    }

    /// Opens the whole source for reading in chunks.
    func open() throws(IngestError) -> ChunkReader {
        switch self {
        case .file(let path):
            if path == "-" { return ChunkReader(descriptor: 0, ownsDescriptor: false, name: displayName) }
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                let code = errno
                let kind: IngestError.Kind = (code == ENOENT || code == ENOTDIR) ? .missingFile : .unreadable
                throw IngestError(file: displayName, kind: kind, detail: "cannot open: \(String(cString: strerror(code)))")
            }
            return ChunkReader(descriptor: fd, ownsDescriptor: true, name: displayName)
        case .bytes(_, let bytes, let chunkSize):
            return ChunkReader(memory: bytes, chunkSize: chunkSize, name: displayName)
        }
    }
}

/// Reads a source in fixed-size chunks into one reusable buffer.
final class ChunkReader {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let memory: [UInt8]
    private let memoryChunkSize: Int
    private var memoryOffset = 0
    private let name: String
    /// For a byte range of a file: the next offset to read and the end.
    private var rangeOffset = -1
    private var rangeEnd = Int.max

    init(descriptor: Int32, ownsDescriptor: Bool, name: String) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
        self.memory = []
        self.memoryChunkSize = 0
        self.name = name
    }

    init(memory: [UInt8], chunkSize: Int, name: String) {
        self.descriptor = -1
        self.ownsDescriptor = false
        self.memory = memory
        self.memoryChunkSize = max(1, chunkSize)
        self.name = name
    }

    deinit {
        if ownsDescriptor { _ = close(descriptor) }
    }

    /// Reads only `range` of the file from now on (with `pread`, so parts of one file can be
    /// read by several readers at once).
    func limit(to range: Range<Int>) {
        rangeOffset = range.lowerBound
        rangeEnd = range.upperBound
    }

    /// Reads up to `buffer.count` bytes; 0 means end of input.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
        if rangeOffset >= 0 {
            let wanted = min(buffer.count, rangeEnd - rangeOffset)
            guard wanted > 0 else { return 0 }
            while true {
                let n = pread(descriptor, buffer.baseAddress, wanted, off_t(rangeOffset))
                if n >= 0 { rangeOffset += n; return n }
                if errno == EINTR { continue }
                throw IngestError(file: name, kind: .unreadable, detail: "read failed: \(String(cString: strerror(errno)))")
            }
        }
        if descriptor < 0 {
            let n = min(buffer.count, memoryChunkSize, memory.count - memoryOffset)
            guard n > 0 else { return 0 }
            memory.withUnsafeBytes { source in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[memoryOffset..<memoryOffset + n]))
            }
            memoryOffset += n
            return n
        }
        while true {
            let n = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw IngestError(file: name, kind: .unreadable, detail: "read failed: \(String(cString: strerror(errno)))")
        }
    }
}
