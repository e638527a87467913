#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension OutputFile {
    /// What an output path names when the write starts, and so how it is written.
    enum Target: Equatable {
        /// Standard output or a descriptor the process inherited (`/dev/stdout`, `/dev/fd/N`,
        /// process substitution): written as it stands, never opened, closed or replaced.
        case descriptor(Int32)
        /// A character device, FIFO or socket: opened without creating or truncating, and
        /// written in place. `followsLink` when the path itself is a symbolic link to it.
        case inPlace(path: String, followsLink: Bool)
        /// A regular file, or nothing yet: written to a temporary file in `folder` and renamed
        /// to `name` there. `existing` is the file being replaced, if any.
        case replaceable(folder: String, name: String, existing: Existing?)
    }

    /// The regular file a write replaces: what it keeps of it.
    struct Existing: Equatable {
        var identity: FileIdentity
        var mode: mode_t
        var owner: uid_t
        var group: gid_t
    }

    /// The open descriptor `path` names without a file of its own: standard output for `nil`,
    /// `-` and `/dev/stdout`, standard error for `/dev/stderr`, N for `/dev/fd/N` and
    /// `/proc/self/fd/N` (what bash's `>(…)` passes). Writing to the descriptor itself, rather
    /// than opening the path again, keeps the shell's redirect: `>>` appends, and a regular file
    /// behind it is neither truncated nor replaced.
    static func inheritedDescriptor(_ path: String?) -> Int32? {
        guard let path, path != "-", path != "/dev/stdout" else { return 1 }
        if path == "/dev/stderr" { return 2 }
        for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
            let digits = path.dropFirst(prefix.count)
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let number = Int32(digits) else { return nil }
            return number
        }
        return nil
    }

    /// Decides how `path` is written, from what stands there now (without following a link
    /// unless the rules allow it).
    ///
    /// - Throws: ``Failure`` for a folder, a block device, a link owned by another user, a link
    ///   to nothing, a path ending in `/`, or a path that cannot be looked at.
    static func target(_ path: String?) throws(Failure) -> Target {
        if let descriptor = inheritedDescriptor(path) {
            guard fcntl(descriptor, F_GETFD) >= 0 else {
                throw Failure(path: displayName(path), reason: "not an open file descriptor")
            }
            return .descriptor(descriptor)
        }
        guard let path, !path.isEmpty else { throw Failure(path: "\"\"", reason: "an empty path") }
        if path.hasSuffix("/") { throw Failure(path: path, reason: "names a folder, not a file") }
        var info = stat()
        if lstat(path, &info) != 0 {
            let error = errno
            guard error == ENOENT else { throw Failure(path: path, reason: systemError(error)) }
            let (folder, name) = split(path)
            return .replaceable(folder: folder, name: name, existing: nil)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            let (folder, name) = split(path)
            return .replaceable(folder: folder, name: name, existing: Existing(info))
        case S_IFLNK:
            return try linkTarget(path, link: info)
        default:
            try refuseUnwritable(info, path: path)
            return .inPlace(path: path, followsLink: false)
        }
    }

    /// A symbolic link at the output path: followed only when it is the user's own (or root's,
    /// which no other user can make), so that a link planted in a shared folder never redirects
    /// the write; then what it reaches is treated as if named directly. A regular file is
    /// replaced at its real path (the link stays a link, pointing at the new file).
    private static func linkTarget(_ path: String, link: stat) throws(Failure) -> Target {
        guard link.st_uid == geteuid() || link.st_uid == 0 else {
            throw Failure(path: path, reason: "is a symbolic link owned by another user: refusing to follow it (remove it, or write elsewhere)")
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            let error = errno
            if error == ENOENT {
                throw Failure(path: path, reason: "is a symbolic link to nothing: refusing to create a file wherever it points (remove it, or write elsewhere)")
            }
            throw Failure(path: path, reason: systemError(error))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            try refuseUnwritable(info, path: path)
            return .inPlace(path: path, followsLink: true)
        }
        guard let resolved = realpath(path, nil) else { throw Failure(path: path, reason: systemError(errno)) }
        let real = String(cString: resolved)
        free(resolved)
        // The real path must still be the regular file the link reached, named without links.
        var realInfo = stat()
        guard lstat(real, &realInfo) == 0, (realInfo.st_mode & S_IFMT) == S_IFREG,
              realInfo.st_dev == info.st_dev, realInfo.st_ino == info.st_ino else {
            throw Failure(path: path, reason: "changed while it was being looked at")
        }
        let (folder, name) = split(real)
        return .replaceable(folder: folder, name: name, existing: Existing(realInfo))
    }

    /// Refuses what no output may be written into: a folder, or a block device (a disk or
    /// partition: a table written over its first bytes would destroy a file system, so even
    /// when named on purpose it is refused).
    private static func refuseUnwritable(_ info: stat, path: String) throws(Failure) {
        switch info.st_mode & S_IFMT {
        case S_IFDIR: throw Failure(path: path, reason: "is a folder")
        case S_IFBLK: throw Failure(path: path, reason: "is a block device (a disk): refusing to write over it")
        default: return
        }
    }

    /// The folder (`.` for a bare name) and the last component of `path`.
    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    /// How `path` is named in messages.
    static func displayName(_ path: String?) -> String {
        guard let path, path != "-" else { return "<stdout>" }
        return path
    }
}

extension OutputFile.Existing {
    init(_ info: stat) {
        identity = FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        mode = info.st_mode & 0o7777
        owner = info.st_uid
        group = info.st_gid
    }
}
