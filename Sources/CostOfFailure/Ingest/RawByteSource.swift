#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a source as they are (a descriptor, whole or a byte range of it, or memory),
/// read into the caller's buffer: what ``ChunkReader`` reads plain text from, and what
/// ``DecompressionReadAhead``'s thread reads compressed bytes from (owning it with the reader,
/// so that the descriptor stays open for as long as either reads it).
final class RawByteSource {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let memory: [UInt8]
    private let memoryChunkSize: Int
    private var memoryOffset = 0
    /// The name used in messages.
    let name: String
    /// For a byte range of a file: the next offset to read and the end.
    private var rangeOffset = -1
    private var rangeEnd = Int.max
    /// Bytes read so far.
    private(set) var bytesRead = 0
    /// What takes every byte read with its offset in the input, and where a whole read found its
    /// end (only for a file opened here, whose reads start at its first byte).
    var digest: ReadDigest? {
        didSet { if descriptor >= 0 { digest?.opened(descriptor: descriptor) } }
    }

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

    /// Reads only `range` of the file from now on (with `pread`).
    func limit(to range: Range<Int>) {
        rangeOffset = range.lowerBound
        rangeEnd = range.upperBound
    }

    /// Reads up to `buffer.count` bytes; 0 means end of input.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
        let offset = rangeOffset >= 0 ? rangeOffset : bytesRead
        let count = try readSource(into: buffer)
        bytesRead += count
        if let digest {
            digest.take(UnsafeRawBufferPointer(rebasing: buffer[..<count]), at: offset)
            // The end of a read from the first byte is the input's (a part's end is not).
            if count == 0 && rangeOffset < 0 && !buffer.isEmpty { digest.ended(at: offset) }
        }
        return count
    }

    private func readSource(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
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
