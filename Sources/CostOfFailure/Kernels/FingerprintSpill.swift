#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import Synchronization
private import Crypto

/// The temporary file ``RowFingerprints`` writes its fingerprints to once those held in memory
/// pass a budget, so that `cof validate` counts the duplicates of 100 million rows in a bounded
/// memory; shared by the parts of one scan (each thread's, see ``DataQualityScan/empty()``).
///
/// Nothing is written below the budget: the file is made when the first segment is written.
/// It is made unlinked — `O_TMPFILE` with `O_EXCL` on Linux (it never has a name, and cannot be
/// given one), else `mkstemp` and `unlink` at once — with mode 0600, in `$TMPDIR` (else `/tmp`),
/// so it is gone on any exit, crash or kill, and no other process can open it by name.
///
/// Fingerprints are unkeyed mixes of a person's ID hash and the row's fields, so anyone who read
/// them could test a guess ("did this NHS number attend A&E on this day?"). Each segment is
/// therefore sealed with AES-GCM under a 256-bit key made at random for this file and held only
/// in memory; its nonce is its offset in the file (never reused under one key: every segment has
/// a range of its own) and its bucket and count are authenticated with it, so a segment that was
/// changed, cut short or moved fails to open, which is reported as an I/O error, never a count.
///
/// Every failure (open, write, read, a segment that does not authenticate) is an
/// ``IngestError/Kind/unreadable`` error (exit 74) naming the temporary directory.
final class FingerprintSpill: Sendable {
    /// The fingerprints held in memory, across the parts of a scan, past which a part writes its
    /// own to the file: 256 MB (16 million fingerprints). 10M rows (160 MB) stay in memory;
    /// 100M rows are written out about every 256 MB, so the scan's memory stays near this.
    static let defaultBudgetBytes = 256 << 20

    /// One bucket's fingerprints, written once and read when the bucket is counted.
    struct Segment: Sendable {
        /// The file that holds it.
        let file: FingerprintSpill
        /// Where its sealed bytes start: the fingerprints, then a 16-byte tag.
        let offset: Int64
        let bucket: Int
        let count: Int
    }

    /// The bytes of fingerprints held in memory (by ``RowFingerprints/Run``s) past which
    /// ``hold(_:)`` asks the caller to write them out.
    let budgetBytes: Int
    /// The directory the file is made in.
    let directory: String
    /// Writes all of `bytes` at `offset` of descriptor `fd`; returns 0 or an `errno` (injected
    /// by tests to simulate a full disk).
    private let writeAll: @Sendable (_ fd: Int32, _ bytes: UnsafeRawBufferPointer, _ offset: Int64) -> Int32
    /// The key, made at random for this file and never written anywhere. Sound to share:
    /// Crypto does not mark `SymmetricKey` `Sendable`, but it is immutable once made and only read.
    private nonisolated(unsafe) let key = SymmetricKey(size: .bits256)
    /// Bytes of fingerprints held in memory by the scan's parts.
    private let held = Atomic<Int>(0)
    /// The end of the file: each segment takes its range from here.
    private let end = Atomic<Int>(0)
    /// The descriptor (-1: not made yet), changed only on `opening`.
    private let descriptor = Atomic<Int32>(-1)
    /// Where the file is made, once.
    private let opening = DispatchQueue(label: "FingerprintSpill")

    /// A spill into `directory` (`nil`: `$TMPDIR`, else `/tmp`) once `budgetBytes` of
    /// fingerprints are held.
    init(budgetBytes: Int = FingerprintSpill.defaultBudgetBytes, directory: String? = nil,
         writeAll: @escaping @Sendable (_ fd: Int32, _ bytes: UnsafeRawBufferPointer, _ offset: Int64) -> Int32 = FingerprintSpill.positionedWrite) {
        self.budgetBytes = budgetBytes
        self.directory = directory ?? Self.temporaryDirectory
        self.writeAll = writeAll
    }

    deinit {
        let fd = descriptor.load(ordering: .acquiring)
        if fd >= 0 { close(fd) }
    }

    /// `$TMPDIR` when set, else `/tmp`.
    static var temporaryDirectory: String {
        if let value = getenv("TMPDIR"), value.pointee != 0 { return String(cString: value) }
        return "/tmp"
    }

    /// Notes `bytes` more (or, negative, fewer) held in memory; `true` when the scan's parts now
    /// hold more than the budget.
    func hold(_ bytes: Int) -> Bool {
        held.wrappingAdd(bytes, ordering: .relaxed).newValue > budgetBytes
    }

    /// Whether the file has been made (nothing is written below the budget).
    var isOpen: Bool { descriptor.load(ordering: .acquiring) >= 0 }

    /// Seals `prints` (bucket `bucket`'s) and writes them as one segment.
    func write(_ prints: UnsafeBufferPointer<RowFingerprints.Fingerprint>, bucket: Int) throws(IngestError) -> Segment {
        let fd = try openedDescriptor()
        let bytes = prints.count * MemoryLayout<RowFingerprints.Fingerprint>.stride
        let offset = Int64(end.wrappingAdd(bytes + Self.tagBytes, ordering: .relaxed).oldValue)
        let segment = Segment(file: self, offset: offset, bucket: bucket, count: prints.count)
        let sealed: AES.GCM.SealedBox
        do {
            sealed = try AES.GCM.seal(UnsafeRawBufferPointer(prints), using: key, nonce: Self.nonce(segment),
                                      authenticating: Self.header(segment))
        } catch {
            throw failure("could not encrypt a segment of the duplicate check's temporary file (\(error))")
        }
        var code: Int32 = 0
        sealed.ciphertext.withUnsafeBytes { code = writeAll(fd, $0, offset) }
        if code == 0 { sealed.tag.withUnsafeBytes { code = writeAll(fd, $0, offset + Int64(bytes)) } }
        if code != 0 { throw failure("could not write the duplicate check's temporary file: \(String(cString: strerror(code)))") }
        return segment
    }

    /// Reads `segment` back, checks it is what was written and calls `body` with its fingerprints.
    func read<T>(_ segment: Segment, _ body: (UnsafeBufferPointer<RowFingerprints.Fingerprint>) -> T) throws(IngestError) -> T {
        let fd = descriptor.load(ordering: .acquiring)
        let bytes = segment.count * MemoryLayout<RowFingerprints.Fingerprint>.stride
        var sealed = [UInt8](repeating: 0, count: bytes + Self.tagBytes)
        let code = sealed.withUnsafeMutableBytes { Self.positionedRead(fd, $0, segment.offset) }
        if code != 0 { throw failure("could not read the duplicate check's temporary file back: \(String(cString: strerror(code)))") }
        let opened: Data
        do {
            let box = try AES.GCM.SealedBox(nonce: Self.nonce(segment), ciphertext: sealed[..<bytes], tag: sealed[bytes...])
            opened = try AES.GCM.open(box, using: key, authenticating: Self.header(segment))
        } catch {
            throw failure("the duplicate check's temporary file was changed or damaged while it was in use (a segment failed its authentication check)")
        }
        var prints = [RowFingerprints.Fingerprint](repeating: .init(high: 0, low: 0), count: segment.count)
        prints.withUnsafeMutableBytes { _ = opened.copyBytes(to: $0) }
        return prints.withUnsafeBufferPointer(body)
    }

    /// The whole file as it is on disk (for tests: what someone reading it would see).
    func fileBytes() -> [UInt8] {
        let fd = descriptor.load(ordering: .acquiring)
        guard fd >= 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: end.load(ordering: .relaxed))
        _ = bytes.withUnsafeMutableBytes { Self.positionedRead(fd, $0, 0) }
        return bytes
    }

    /// The file's descriptor, or -1 while none is made (for tests).
    var fileDescriptor: Int32 { descriptor.load(ordering: .acquiring) }

    private static let tagBytes = 16

    /// The segment's offset as a 96-bit nonce: unique for every segment under the file's key.
    private static func nonce(_ segment: Segment) throws -> AES.GCM.Nonce {
        var bytes = [UInt8](repeating: 0, count: 12)
        for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: UInt64(segment.offset) >> (8 * UInt64(i))) }
        return try AES.GCM.Nonce(data: bytes)
    }

    /// What a segment is authenticated with besides its bytes: its bucket and count.
    private static func header(_ segment: Segment) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: UInt64(segment.bucket) >> (8 * UInt64($0))) }
            + (0..<8).map { UInt8(truncatingIfNeeded: UInt64(segment.count) >> (8 * UInt64($0))) }
    }

    private func failure(_ detail: String) -> IngestError {
        IngestError(file: directory, kind: .unreadable,
                    detail: detail + "; expected a writable temporary directory ($TMPDIR, else /tmp) with room for 16 bytes an event row")
    }

    /// The descriptor, the file made unlinked on first use.
    private func openedDescriptor() throws(IngestError) -> Int32 {
        let fd = descriptor.load(ordering: .acquiring)
        if fd >= 0 { return fd }
        let made: Result<Int32, IngestError> = opening.sync {
            let fd = descriptor.load(ordering: .acquiring)
            if fd >= 0 { return .success(fd) }
            let result = Self.makeUnlinkedFile(in: directory)
            if result < 0 {
                return .failure(failure("could not make the duplicate check's temporary file here: \(String(cString: strerror(-result)))"))
            }
            descriptor.store(result, ordering: .releasing)
            return .success(result)
        }
        return try made.get()
    }

    /// A new file in `directory` that has no name, open for reading and writing by this process
    /// only; or `-errno`.
    private static func makeUnlinkedFile(in directory: String) -> Int32 {
        #if os(Linux)
        // O_TMPFILE, which Glibc's module does not export: __O_TMPFILE (0o20000000 on x86-64 and
        // arm64 alike) with the platform's own O_DIRECTORY (0o200000 on x86-64, 0o40000 on
        // arm64). A file with no name, which O_EXCL forbids ever linking.
        let temporaryFile: Int32 = 0o20_000_000 | O_DIRECTORY
        let fd = open(directory, temporaryFile | O_RDWR | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 { return fd }
        // Only when the file system cannot make nameless files: then a named one, unlinked at once.
        guard errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL else { return -errno }
        #endif
        var template = Array((directory.hasSuffix("/") ? directory : directory + "/").utf8CString.dropLast()) + Array("cof-fingerprints.XXXXXX".utf8CString)
        let named = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard named >= 0 else { return -errno }
        _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        _ = fcntl(named, F_SETFD, FD_CLOEXEC)
        return named
    }

    /// `pwrite` until all of `bytes` is written; 0 or an `errno`.
    static func positionedWrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, _ offset: Int64) -> Int32 {
        var done = 0
        // Sound: `done` stays below `bytes.count`, so every pointer is inside the buffer.
        while done < bytes.count {
            let written = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if written == 0 { return EIO }
            done += written
        }
        return 0
    }

    /// `pread` until all of `bytes` is filled; 0 or an `errno` (EIO when the file ends first).
    private static func positionedRead(_ fd: Int32, _ bytes: UnsafeMutableRawBufferPointer, _ offset: Int64) -> Int32 {
        guard fd >= 0 else { return EBADF }
        var done = 0
        // Sound: as in `positionedWrite`.
        while done < bytes.count {
            let read = pread(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if read < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if read == 0 { return EIO }
            done += read
        }
        return 0
    }
}
