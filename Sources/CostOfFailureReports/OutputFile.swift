#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
private import CCompilerHints

/// Writes output completely or not at all.
///
/// A file is written to a temporary name beside it and renamed into place only when every byte
/// is on disk, so a failed run never leaves a half-written file behind; `-` or no path writes to
/// standard output.
public enum OutputFile {
    /// A write that failed.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// The path being written.
        public var path: String
        /// What the system said.
        public var reason: String
        /// A message for the user.
        public var description: String { "\(path): cannot write: \(reason)" }

        /// Creates a failure.
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// Writes `text` to `path` (atomically), or to standard output when `path` is `nil` or `-`.
    public static func write(_ text: String, to path: String?) throws(Failure) {
        try write(bytes: Array(text.utf8), to: path)
    }

    /// Writes `bytes` to `path` (atomically), or to standard output when `path` is `nil` or `-`.
    public static func write(bytes: [UInt8], to path: String?) throws(Failure) {
        try write(to: path) { (emit: (UnsafeRawBufferPointer) throws(Failure) -> Void) throws(Failure) in
            try bytes.withUnsafeBytes { raw in Result { () throws(Failure) in try emit(raw) } }.get()
        }
    }

    /// Streams output to `path` (atomically) or standard output: `produce` calls `emit` with
    /// each piece. If `produce` or a write fails, the temporary file is removed.
    public static func write(to path: String?, _ produce: (_ emit: (UnsafeRawBufferPointer) throws(Failure) -> Void) throws(Failure) -> Void) throws(Failure) {
        guard let path, path != "-" else {
            try produce { (bytes) throws(Failure) in try writeAll(bytes, to: 1, path: "<stdout>") }
            return
        }
        let temporary = path + ".partial-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(path: path, reason: systemError()) }
        do throws(Failure) {
            // Every few megabytes the kernel is asked to start writing the bytes so far to disk,
            // so that the fsync at the end waits for the last few only (10 ms of waiting on
            // 32 MB of output without this).
            var written = 0, handedOn = 0
            try produce { (bytes) throws(Failure) in
                try writeAll(bytes, to: fd, path: path)
                written += bytes.count
                if written - handedOn >= writebackBytes {
                    _ = cof_start_writeback(fd, Int64(handedOn), Int64(written - handedOn))  // a hint: failure is harmless
                    handedOn = written
                }
            }
            guard fsync(fd) == 0 else { throw Failure(path: path, reason: systemError()) }
        } catch {
            _ = close(fd)
            _ = unlink(temporary)
            throw error
        }
        guard close(fd) == 0, rename(temporary, path) == 0 else {
            let reason = systemError()
            _ = unlink(temporary)
            throw Failure(path: path, reason: reason)
        }
    }

    /// Bytes written between requests to start writing back.
    private static let writebackBytes = 4 << 20

    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, path: String) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, reason: systemError())
            }
            offset += n
        }
    }

    private static func systemError() -> String { String(cString: strerror(errno)) }
}
