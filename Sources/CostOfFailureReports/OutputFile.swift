#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
private import CCompilerHints

/// Writes output completely or not at all, without destroying whatever stands at the path.
///
/// The path is first resolved to its real path, following a symbolic link — at its end or as a
/// folder on the way — only when the link belongs to the user writing or to root: a link
/// someone else planted is refused, never followed. Then what the real path names decides:
/// - **nothing, or a regular file**: the bytes go to a new temporary file in the same folder
///   (created exclusively, `O_CREAT|O_EXCL|O_NOFOLLOW`, under a name with 128 random bits from
///   the system's secure generator, so nothing planted there in advance is ever followed or
///   written through), are flushed to disk (`fsync`), and only then is the file renamed over
///   the path. A failure — of the disk, or an error thrown by the producer — leaves the path as
///   it was and no temporary file behind. A replaced file keeps its permission bits (less
///   set-user/group-ID) and, where the system allows, its owner and group; when the group cannot
///   be kept, the group's bits are dropped rather than handed to another group. A new file gets
///   `0600` for ``Content/personLevel`` content, `0666` less the umask for ``Content/summary``.
///   A symbolic link to the file stays a link, to the new file; a hard link to the old file
///   keeps the old contents, as with any replacement by rename.
/// - **a character device, FIFO or socket** (`/dev/null`, a terminal, a named pipe): opened
///   without creating or truncating and written in place; never replaced. This cannot be
///   atomic: a reader sees bytes as they are written, so "completely or not at all" narrows to
///   "nothing is destroyed, and a failure is reported": a producer that fails half way leaves
///   what it already wrote with the reader, and the command's exit status says it failed.
///   (Opening a FIFO waits for its reader, as any writer to a named pipe does.)
/// - **standard output** (`nil`, `-`, `/dev/stdout`) and other inherited descriptors
///   (`/dev/stdin`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`, as bash's process
///   substitution `>(…)` gives): written to the open descriptor as it stands, so the shell's
///   redirect decides (`>>` appends); not atomic, as for a device.
/// - **a folder, a block device, a link to nothing, a path in a missing folder, or an unusable
///   path**: a ``Failure`` (nothing written).
///
/// In a shared folder (sticky and writable by others, as /tmp), an entry belonging to neither
/// the writer nor the folder's owner was planted by another user: their device or FIFO is
/// refused, and their regular file is replaced as if absent (the new file is the writer's,
/// with a new file's mode), so nothing written reaches them.
///
/// What the path names is decided once, when the write starts. Someone who can write the folder
/// and swaps the path between then and the rename has their own entry replaced by the new file,
/// never followed: the rename replaces a name, whatever the name is.
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

    /// What an output holds, which sets the mode of a file it creates.
    public enum Content: Sendable, Equatable {
        /// Rows or figures about individual people (the person × service before/after table,
        /// partials, rejects, a person's report, anything listing raw IDs): personal data, for
        /// the secure environment only. A new file is made `0600`. The safe default.
        case personLevel
        /// Cohort tables and other outputs with no row per person: a new file follows the
        /// umask (`0666` less it).
        case summary

        /// The mode a new file is created with (the umask still applies).
        var creationMode: mode_t { self == .personLevel ? 0o600 : 0o666 }
    }

    /// Where the bytes of a finished write went.
    public enum Delivery: Sendable, Equatable {
        /// A new regular file was made at the path.
        case created
        /// A regular file at the path was replaced whole.
        case replaced
        /// Bytes went straight into a device, pipe, socket or inherited descriptor (standard
        /// output included); `terminal` when that is an interactive terminal.
        case direct(terminal: Bool)

        /// Whether the output is on a terminal (a person is reading it, it is in no file).
        public var isTerminal: Bool { self == .direct(terminal: true) }
    }

    /// Writes `text` to `path` (see ``OutputFile`` for what each kind of path gets), or to
    /// standard output when `path` is `nil` or `-`.
    @discardableResult
    public static func write(_ text: String, to path: String?, content: Content = .personLevel) throws(Failure) -> Delivery {
        try write(bytes: Array(text.utf8), to: path, content: content)
    }

    /// Writes `bytes` to `path` (see ``OutputFile``), or to standard output when `path` is `nil` or `-`.
    @discardableResult
    public static func write(bytes: [UInt8], to path: String?, content: Content = .personLevel) throws(Failure) -> Delivery {
        try write(to: path, content: content) { (emit: (UnsafeRawBufferPointer) throws(Failure) -> Void) throws(Failure) in
            try bytes.withUnsafeBytes { raw in Result { () throws(Failure) in try emit(raw) } }.get()
        }
    }

    /// Streams output to `path` (see ``OutputFile``) or standard output: `produce` calls `emit`
    /// with each piece. If `produce` or a write fails, a file being replaced or made is left as
    /// it was and the temporary file is removed.
    @discardableResult
    public static func write(to path: String?, content: Content = .personLevel,
                             _ produce: (_ emit: (UnsafeRawBufferPointer) throws(Failure) -> Void) throws(Failure) -> Void) throws(Failure) -> Delivery {
        try write(to: path, content: content, temporaryNames: randomTemporaryName, produce)
    }

    /// ``write(to:content:_:)`` with the temporary names drawn from `temporaryNames` (given the
    /// target's own name), so that tests can plant things at the names it will try.
    static func write(to path: String?, content: Content, temporaryNames: (String) -> String,
                      _ produce: (_ emit: (UnsafeRawBufferPointer) throws(Failure) -> Void) throws(Failure) -> Void) throws(Failure) -> Delivery {
        switch try target(path) {
        case .descriptor(let fd):
            let name = displayName(path)
            try produce { (bytes) throws(Failure) in try writeAll(bytes, to: fd, path: name) }
            return .direct(terminal: isatty(fd) == 1)
        case .inPlace(let real):
            return try writeInPlace(real, shown: path!, produce)
        case .replaceable(let folder, let name, let existing):
            let shown = path!
            return try replace(folder: folder, name: name, existing: existing, shown: shown, content: content,
                               temporaryNames: temporaryNames, produce)
        }
    }

    /// Writes into a device, FIFO or socket where it stands.
    private static func writeInPlace(_ path: String, shown: String,
                                     _ produce: (_ emit: (UnsafeRawBufferPointer) throws(Failure) -> Void) throws(Failure) -> Void) throws(Failure) -> Delivery {
        // No O_CREAT, no O_TRUNC: what is there is written into, never made or emptied.
        // O_NOCTTY: a terminal named as output does not become the controlling terminal.
        // O_NOFOLLOW: `path` is the real path, so a link there now was put there meanwhile.
        let flags = O_WRONLY | O_NOCTTY | O_CLOEXEC | O_NOFOLLOW
        var fd: Int32
        repeat { fd = open(path, flags) } while fd < 0 && errno == EINTR
        guard fd >= 0 else {
            let error = errno
            // A socket cannot be opened by path (ENXIO); say what it is.
            throw Failure(path: shown, reason: error == ENXIO ? "is a socket or a device with nothing behind it: " + systemError(error) : systemError(error))
        }
        // Swapped for a regular file (or folder) since it was looked at: writing into it here
        // would overwrite its first bytes in place, so stop.
        var info = stat()
        guard fstat(fd, &info) == 0, [S_IFCHR, S_IFIFO, S_IFSOCK].contains(info.st_mode & S_IFMT) else {
            _ = close(fd)
            throw Failure(path: shown, reason: "changed while it was being opened")
        }
        do throws(Failure) {
            try produce { (bytes) throws(Failure) in try writeAll(bytes, to: fd, path: shown) }
        } catch {
            _ = close(fd)
            throw error
        }
        let terminal = isatty(fd) == 1
        guard close(fd) == 0 || errno == EINTR else { throw Failure(path: shown, reason: systemError(errno)) }
        return .direct(terminal: terminal)
    }

    /// Writes a temporary file in `folder`, then renames it to `name` there.
    private static func replace(folder: String, name: String, existing: Existing?, shown: String, content: Content,
                                temporaryNames: (String) -> String,
                                _ produce: (_ emit: (UnsafeRawBufferPointer) throws(Failure) -> Void) throws(Failure) -> Void) throws(Failure) -> Delivery {
        // Every step works relative to the folder as opened here, so a folder renamed or
        // swapped for a link meanwhile cannot send the temporary file or the rename elsewhere.
        let folderFD = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folderFD >= 0 else { throw Failure(path: shown, reason: "cannot open its folder: " + systemError(errno)) }
        defer { _ = close(folderFD) }
        // A replaced file's mode is set once written; until then only the owner can read it.
        let keeps = existing?.keepsOwnerAndMode ?? false
        let (fd, temporary) = try createTemporary(in: folderFD, for: name, mode: keeps ? 0o600 : content.creationMode,
                                                  shown: shown, names: temporaryNames)
        do throws(Failure) {
            // Every few megabytes the kernel is asked to start writing the bytes so far to disk,
            // so that the fsync at the end waits for the last few only (10 ms of waiting on
            // 32 MB of output without this).
            var written = 0, handedOn = 0
            try produce { (bytes) throws(Failure) in
                try writeAll(bytes, to: fd, path: shown)
                written += bytes.count
                if written - handedOn >= writebackBytes {
                    _ = cof_start_writeback(fd, Int64(handedOn), Int64(written - handedOn))  // a hint: failure is harmless
                    handedOn = written
                }
            }
            if let existing, keeps { try keepOwnerAndMode(of: existing, on: fd, shown: shown) }
            guard fsync(fd) == 0 else { throw Failure(path: shown, reason: systemError(errno)) }
            // The name must still be the file written: in a folder others can write, someone
            // could have put their own file there (never in a sticky folder such as /tmp).
            var mine = stat(), named = stat()
            guard fstat(fd, &mine) == 0, fstatat(folderFD, temporary, &named, AT_SYMLINK_NOFOLLOW) == 0,
                  mine.st_dev == named.st_dev, mine.st_ino == named.st_ino else {
                throw Failure(path: shown, reason: "its temporary file was replaced by someone else while being written")
            }
        } catch {
            _ = close(fd)
            _ = unlinkat(folderFD, temporary, 0)
            throw error
        }
        guard close(fd) == 0, renameat(folderFD, temporary, folderFD, name) == 0 else {
            let reason = systemError(errno)
            _ = unlinkat(folderFD, temporary, 0)
            throw Failure(path: shown, reason: reason)
        }
        // The rename itself reaches the disk with the folder's own flush; the file is in place
        // either way, so a folder that cannot be flushed (some network file systems) is no failure.
        _ = fsync(folderFD)
        return existing == nil ? .created : .replaced
    }

    /// Creates a new temporary file in the folder open as `folderFD`: exclusively, never through
    /// a link, under a fresh name for each attempt (a name taken — by chance, or by something
    /// planted — is skipped).
    private static func createTemporary(in folderFD: Int32, for name: String, mode: mode_t, shown: String,
                                        names: (String) -> String) throws(Failure) -> (fd: Int32, name: String) {
        for _ in 0..<temporaryAttempts {
            let temporary = names(name)
            let fd = openat(folderFD, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if fd >= 0 { return (fd, temporary) }
            let error = errno
            guard error == EEXIST || error == EINTR else {
                throw Failure(path: shown, reason: "cannot create a temporary file in its folder: " + systemError(error))
            }
        }
        throw Failure(path: shown, reason: "cannot create a temporary file in its folder: \(temporaryAttempts) names in a row were taken")
    }

    /// Gives the new file the replaced file's owner, group and permission bits.
    ///
    /// Only root can give a file away (`fchown` fails with EPERM otherwise, and that is no
    /// failure); a user can keep the group when they belong to it. A group that could not be
    /// kept loses its bits: they were meant for the old group, not for the user's own.
    private static func keepOwnerAndMode(of existing: Existing, on fd: Int32, shown: String) throws(Failure) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure(path: shown, reason: systemError(errno)) }
        if info.st_uid != existing.owner || info.st_gid != existing.group {
            if fchown(fd, existing.owner, existing.group) != 0 && errno == EPERM {
                _ = fchown(fd, uid_t.max, existing.group)  // the group alone, when the user is in it
            }
            guard fstat(fd, &info) == 0 else { throw Failure(path: shown, reason: systemError(errno)) }
        }
        var mode = existing.mode & ~mode_t(S_ISUID | S_ISGID)
        if info.st_gid != existing.group { mode &= ~mode_t(0o070) }
        guard fchmod(fd, mode) == 0 else { throw Failure(path: shown, reason: systemError(errno)) }
    }

    /// A temporary name beside `name`: `NAME.cof-tmp-` and 32 hexadecimal digits from the
    /// system's secure random generator (`SystemRandomNumberGenerator`: `getrandom` on Linux,
    /// `arc4random_buf` on Darwin), so that no one can guess it in advance. A name too long to
    /// take a suffix within the 255-byte limit is left out.
    static func randomTemporaryName(for name: String) -> String {
        var random = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        for _ in 0..<2 { withUnsafeBytes(of: random.next() as UInt64) { bytes += $0 } }
        let suffix = "cof-tmp-" + HexDigits.lowercase(bytes)
        return name.utf8.count <= 200 ? name + "." + suffix : suffix
    }

    /// Names tried for a temporary file before giving up.
    static let temporaryAttempts = 64

    /// Bytes written between requests to start writing back.
    private static let writebackBytes = 4 << 20

    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, path: String) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, reason: systemError(errno))
            }
            offset += n
        }
    }

    static func systemError(_ error: Int32) -> String { String(cString: strerror(error)) }
}
