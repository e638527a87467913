#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
internal import Crypto

/// The SHA-256 of a file, made from the bytes the reads that parse it take from it, so that the
/// file is not read a second time to be hashed (on 10M rows that second read was a fifth of
/// what hashing cost).
///
/// Reads hand over their bytes with the file offset they were read at, from any thread, in
/// any order: a file read in parts (``ParallelIngest``) has several readers at once, each
/// ahead of the others somewhere. SHA-256 takes bytes in file order only, so the bytes at the
/// point the digest has reached are hashed at once, by the reader that has them; bytes further
/// on are copied aside until the digest reaches them, and hashed then by whichever reader got
/// there. Bytes handed over twice (a file read again whole after a speculative read in parts
/// failed) are hashed once.
///
/// Every opening of the file (each reader's, and ``hashAhead(file:)``'s) notes which version of
/// it it reached — device, inode, size and modification time — and a digest whose openings
/// reached two versions (a file replaced or rewritten between them) gives up: its bytes would
/// be of neither. ``sha256(ofFileAt:)`` asks the file's version again when the value is asked.
///
/// Before the readers start, while the command reads its small files and sets the study up on
/// one core, the digest can read the file ahead of them on the other (``hashAhead(file:)``):
/// the readers then skip what it has hashed. A file no reader feeds is hashed whole that way.
///
/// A digest that has not seen every byte from the first to the file's end has no value, and
/// neither has one whose copies set aside grew past 32 MiB (a reader held up while
/// the others read on): the caller reads the file again to hash it.
public final class ReadDigest: @unchecked Sendable {
    // Sound: every stored property below is read and written only on `queue`. The hasher is
    // taken out of `hasher` (leaving `nil`) by the one thread that hashes, which alone uses it
    // until it hands it back on `queue`.
    private let queue = DispatchQueue(label: "ReadDigest")
    private var hasher: SHA256? = SHA256()
    /// The bytes before this offset are hashed, or are being hashed by whoever holds the hasher.
    private var front = 0
    /// Bytes past `front`, copied aside until the digest reaches them.
    private var parked: [(offset: Int, bytes: [UInt8])] = []
    private var parkedBytes = 0
    /// Emptied copies' buffers, kept for the next copies while the file is read (at most
    /// ``sparesKept``): a fresh buffer for every copy cost as much in page faults as the
    /// second read this saves.
    private var spares: [[UInt8]] = []
    /// Whether the digest has given up (see ``init(parkedLimit:)``).
    private var abandoned = false
    /// Whether a reader has handed bytes over (``hashAhead(file:)`` then stops).
    private var readersStarted = false
    /// Where a read from the first byte found the end of the input (`nil`: none has).
    private var end: Int?
    /// The version of the file the openings reached (`nil`: none yet).
    private var version: Version?

    /// Which version of a file an open descriptor or a path reaches.
    struct Version: Equatable {
        var device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int

        init(_ status: stat) {
            (device, inode, size) = (UInt64(status.st_dev), UInt64(status.st_ino), Int64(status.st_size))
            (seconds, nanoseconds) = (Int(status.st_mtim.tv_sec), Int(status.st_mtim.tv_nsec))
        }
    }

    /// The most bytes set aside at once before the digest gives up, by default: 32 MiB, four
    /// of ``EventLoader/partBytes``' parts, where two readers are usually one part apart.
    static let parkedLimit = 32 << 20
    private let parkedLimit: Int
    private static let sparesKept = 8

    /// A digest that has seen nothing yet.
    public convenience init() {
        self.init(parkedLimit: Self.parkedLimit)
    }

    /// A digest that gives up once more than `parkedLimit` bytes are set aside at once.
    init(parkedLimit: Int) {
        self.parkedLimit = parkedLimit
    }

    /// The SHA-256 of the regular file at `path` as it is now, when this digest saw each of its
    /// bytes from openings of this version of it; `nil` otherwise. Asked once every read that
    /// feeds it has ended.
    public func sha256(ofFileAt path: String) -> [UInt8]? {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
              queue.sync(execute: { version == Version(status) }) else { return nil }
        return sha256(ofFirst: Int(status.st_size))
    }

    /// The SHA-256 of bytes `0..<size`, when this digest has seen each of them and no others;
    /// `nil` otherwise. Asked once every read that feeds it has ended.
    public func sha256(ofFirst size: Int) -> [UInt8]? {
        queue.sync {
            guard !abandoned, front == size, let hasher else { return nil }
            return Array(hasher.finalize())
        }
    }

    /// The SHA-256 of everything a read from the first byte read up to the end of the input it
    /// found, when this digest has seen each of those bytes: a pipe's, which cannot be read again.
    public func sha256OfWholeRead() -> [UInt8]? {
        queue.sync {
            guard !abandoned, let end, front == end, let hasher else { return nil }
            return Array(hasher.finalize())
        }
    }

    /// A read from the first byte found the end of the input at `offset`; a second read that
    /// found it elsewhere (a pipe listed twice) makes the digest give up.
    func ended(at offset: Int) {
        queue.sync {
            if let end, end != offset { abandoned = true }
            end = offset
        }
    }

    /// The file was opened, as `descriptor`: the version it reached is noted, and a digest whose
    /// openings reached two gives up.
    func opened(descriptor: Int32) {
        var status = stat()
        let reached = fstat(descriptor, &status) == 0 ? Version(status) : nil
        queue.sync {
            guard let reached else {
                abandoned = true
                return
            }
            if let version, version != reached { abandoned = true }
            version = reached
        }
    }

    /// Lets go of the buffers kept for copies: the file's read has ended (for now).
    func readEnded() {
        queue.sync { spares = [] }
    }

    /// Takes `bytes`, read at file offset `offset`.
    func take(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        guard !bytes.isEmpty else { return }
        finish(claim(bytes.count, at: offset), bytes, at: offset)
    }

    /// Reads the file at `path` from the digest's front on and hashes it, until a reader hands
    /// bytes over or the file ends: the hashing a read of the file would do, done before the
    /// read starts by a thread that would otherwise wait. Reading it again costs a copy out of
    /// the page cache, but on a core that is idle until the read starts.
    /// Only a regular file is read. Anything else is not even opened: opening a named pipe to
    /// read, however briefly, lets a writer waiting on it start, and close it again and its
    /// next write has no reader (SIGPIPE). A path that becomes a pipe after that look is opened
    /// without waiting and left unread.
    public func hashAhead(file path: String) {
        guard Self.isRegularFile(path: path) else { return }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return }
        defer { _ = close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return }
        opened(descriptor: fd)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while let offset = queue.sync(execute: { readersStarted || abandoned ? nil : front }) {
            let count = pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[..<count])
            finish(claim(count, at: offset, ahead: true), bytes, at: offset)
        }
    }

    /// Does what `claim` says with `bytes`, read at `offset` (``take(_:at:)``'s second step;
    /// apart, for the tests to interleave two readers' steps).
    func finish(_ claim: consuming Claim, _ bytes: UnsafeRawBufferPointer, at offset: Int) {
        let rest = UnsafeRawBufferPointer(rebasing: bytes[claim.skip...])
        if var hasher = claim.hasher {
            hasher.update(bufferPointer: rest)
            hashParked(with: hasher)
        } else if var copy = claim.copy.take() {
            // Copied outside the queue (into an empty buffer of its own, kept from an earlier
            // copy): the other readers go on meanwhile.
            copy.append(contentsOf: rest)
            let at = offset + claim.skip
            let hasher = queue.sync { park(copy, at: at) }
            copy = []  // the copy set aside is the only one left, for its buffer to be kept
            if let hasher { hashParked(with: hasher) }
        }
    }

    /// What a reader does with bytes it has read: hash them (holding the hasher), copy them
    /// aside (into the buffer given), or nothing (neither: seen already, or given up); in
    /// either case from `skip` bytes on (those before were seen already).
    struct Claim {
        var hasher: SHA256?
        var copy: [UInt8]?
        var skip = 0
    }

    /// Whether `path` names a regular file (following links), looked at without opening it.
    public static func isRegularFile(path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }

    /// What to do with `count` bytes read at `offset` (``take(_:at:)``'s first step), by a
    /// reader, or `ahead` of the readers by ``hashAhead(file:)``.
    func claim(_ count: Int, at offset: Int, ahead: Bool = false) -> Claim {
        queue.sync { claimOnQueue(count, at: offset, ahead: ahead) }
    }

    private func claimOnQueue(_ count: Int, at offset: Int, ahead: Bool) -> Claim {
        if !ahead { readersStarted = true }
        guard !abandoned, offset + count > front else { return Claim() }
        let skip = max(0, front - offset)
        if offset + skip == front, let hasher {
            self.hasher = nil
            front = offset + count
            return Claim(hasher: hasher, skip: skip)
        }
        return Claim(copy: spares.popLast() ?? [], skip: skip)
    }

    /// Sets `copy`, read at `offset`, aside (on `queue`); the hasher when it is free, which
    /// may have come back while the bytes were copied, for the caller to hash what is set aside.
    private func park(_ copy: [UInt8], at offset: Int) -> SHA256? {
        guard !abandoned else { return nil }
        parked.append((offset, copy))
        parkedBytes += copy.count
        if parkedBytes > parkedLimit {
            abandoned = true
            parked = []
            spares = []
            return nil
        }
        guard let hasher else { return nil }
        self.hasher = nil
        return hasher
    }

    /// Hashes the bytes set aside that the digest has reached, one copy after another, then
    /// hands the hasher back.
    private func hashParked(with hasher: SHA256) {
        var hasher = hasher
        var done: [UInt8]?
        while true {
            let next: (bytes: [UInt8], skip: Int)? = queue.sync {
                if var buffer = done.take(), spares.count < Self.sparesKept {
                    buffer.removeAll(keepingCapacity: true)
                    spares.append(buffer)
                }
                // Copies wholly behind the front were hashed from another read: dropped.
                parked.removeAll { entry in
                    let behind = entry.offset + entry.bytes.count <= front
                    if behind { parkedBytes -= entry.bytes.count }
                    return behind
                }
                guard !abandoned, let index = parked.firstIndex(where: { $0.offset <= front }) else {
                    self.hasher = hasher
                    return nil
                }
                let entry = parked.remove(at: index)
                parkedBytes -= entry.bytes.count
                let skip = front - entry.offset
                front = entry.offset + entry.bytes.count
                return (entry.bytes, skip)
            }
            guard let next else { return }
            next.bytes.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[next.skip...])) }
            done = next.bytes
        }
    }
}
