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
        /// A character device, FIFO or socket at `path` (its real path, without links): opened
        /// without creating or truncating, and written in place.
        case inPlace(path: String)
        /// A regular file, or nothing yet: written to a temporary file in `folder` and renamed
        /// to `name` there. `existing` is the file being replaced, if any.
        case replaceable(folder: String, name: String, existing: Existing?)
    }

    /// The regular file a write replaces: what it keeps of it.
    struct Existing: Equatable {
        var mode: mode_t
        var owner: uid_t
        var group: gid_t
        /// Whether the new file takes the old one's owner, group and mode (not when the old one
        /// was planted by another user in a shared folder).
        var keepsOwnerAndMode: Bool
    }

    /// Throws now the failure a write to `path` would meet on what stands there (a folder, a
    /// block device, a link owned by another user or to nothing, a missing folder...), so that
    /// a command can stop before reading its inputs. Nothing is opened or made: a FIFO's reader
    /// is not waited for. The write looks again when it starts.
    public static func check(_ path: String?) throws(Failure) {
        _ = try target(path)
    }

    /// The open descriptor `path` names without a file of its own: standard output for `nil`,
    /// `-` and `/dev/stdout`, standard error for `/dev/stderr`, standard input for `/dev/stdin`,
    /// N for `/dev/fd/N` and `/proc/self/fd/N` (what bash's `>(…)` passes). Writing to the
    /// descriptor itself, rather than opening the path again, keeps the shell's redirect: `>>`
    /// appends, and a regular file behind it is neither truncated nor replaced.
    static func inheritedDescriptor(_ path: String?) -> Int32? {
        guard let path, path != "-", path != "/dev/stdout" else { return 1 }
        if path == "/dev/stderr" { return 2 }
        if path == "/dev/stdin" { return 0 }
        for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
            let digits = path.dropFirst(prefix.count)
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let number = Int32(digits) else { return nil }
            return number
        }
        return nil
    }

    /// Decides how `path` is written, from what stands there now.
    ///
    /// The path is resolved here, component by component, rather than by the system as it opens
    /// it, so that every symbolic link on the way — in a folder of the path as much as at its
    /// end — is vetted before it is followed (see ``resolve(_:)``). What is written is then
    /// named by its real path, without links.
    ///
    /// - Throws: ``Failure`` for a folder, a block device, a link owned by another user, a link
    ///   to nothing, another user's device or FIFO in a shared folder, a path ending in `/`, a
    ///   missing folder, or a path that cannot be looked at.
    static func target(_ path: String?) throws(Failure) -> Target {
        if let descriptor = inheritedDescriptor(path) {
            guard fcntl(descriptor, F_GETFD) >= 0 else {
                throw Failure(path: displayName(path), reason: "not an open file descriptor")
            }
            return .descriptor(descriptor)
        }
        guard let path, !path.isEmpty else { throw Failure(path: "\"\"", reason: "an empty path") }
        if path.hasSuffix("/") { throw Failure(path: path, reason: "names a folder, not a file") }
        let resolution = try resolve(path)
        let (folder, name) = split(resolution.path)
        var info = stat()
        guard lstat(resolution.path, &info) == 0 else {
            let error = errno
            guard error == ENOENT else { throw Failure(path: path, reason: systemError(error)) }
            if resolution.endsInLink {
                throw Failure(path: path, reason: "is a symbolic link to nothing: refusing to create a file wherever it points (remove it, or write elsewhere)")
            }
            return .replaceable(folder: folder, name: name, existing: nil)
        }
        let foreign = try isForeignEntryInSharedFolder(info, folder: folder, path: path)
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            // Someone else's file in a shared folder is replaced as if it were not there: the
            // new file is the writer's, with a new file's mode, not handed to whoever planted it.
            return .replaceable(folder: folder, name: name, existing: Existing(info, keepsOwnerAndMode: !foreign))
        case S_IFDIR: throw Failure(path: path, reason: "is a folder")
        case S_IFBLK: throw Failure(path: path, reason: "is a block device (a disk): refusing to write over it")
        default:
            if foreign {
                throw Failure(path: path, reason: "is another user's device, FIFO or socket in a shared folder: refusing to write into it (remove it, or write elsewhere)")
            }
            return .inPlace(path: resolution.path)
        }
    }

    /// `path` with every symbolic link replaced by what it points at, and whether its last
    /// component was one.
    ///
    /// A link is followed only when it belongs to the user writing or to root (whom no other
    /// user can impersonate): a link someone else planted — at the output's name, or as a folder
    /// on the way to it — would otherwise send the write wherever they chose, and a link is
    /// followed before the system's own protection (`fs.protected_symlinks`, off on some
    /// machines) would be asked. The last component may be missing; a missing folder is a
    /// failure.
    static func resolve(_ path: String) throws(Failure) -> (path: String, endsInLink: Bool) {
        var resolved: [String] = []
        if !path.hasPrefix("/") {
            guard let cwd = getcwd(nil, 0) else { throw Failure(path: path, reason: systemError(errno)) }
            resolved = components(String(cString: cwd))
            free(cwd)
        }
        var pending = components(path)
        var links = 0
        var endsInLink = false
        while !pending.isEmpty {
            let component = pending.removeFirst()
            if component == "." { continue }
            if component == ".." { _ = resolved.popLast(); continue }
            let candidate = "/" + (resolved + [component]).joined(separator: "/")
            var info = stat()
            guard lstat(candidate, &info) == 0 else {
                let error = errno
                // The last component may be missing (a new file); a missing folder fails here.
                guard error == ENOENT, pending.isEmpty else { throw Failure(path: path, reason: systemError(error)) }
                resolved.append(component)
                break
            }
            guard (info.st_mode & S_IFMT) == S_IFLNK else {
                resolved.append(component)
                continue
            }
            guard info.st_uid == geteuid() || info.st_uid == 0 else {
                let which = pending.isEmpty ? "is a symbolic link" : "goes through \(candidate), a symbolic link"
                throw Failure(path: path, reason: "\(which) owned by another user: refusing to follow it (remove it, or write elsewhere)")
            }
            links += 1
            guard links <= 40, let destination = readLink(candidate) else {
                throw Failure(path: path, reason: links > 40 ? systemError(ELOOP) : systemError(errno))
            }
            // A link at the end of the path names the file: if what it names is missing, the
            // write would create a file wherever the link points.
            if pending.isEmpty { endsInLink = true }
            if destination.hasPrefix("/") { resolved = [] }
            pending = components(destination) + pending
        }
        return ("/" + resolved.joined(separator: "/"), endsInLink)
    }

    /// Whether `info`, found in `folder`, is someone else's entry in a shared folder: one with
    /// the sticky bit that others may write (as /tmp), where only its owner or the folder's could
    /// have put it. Such an entry is never written into or given the new file's contents; Linux
    /// does the same for its own opens when `fs.protected_regular`/`fs.protected_fifos` are 2,
    /// which this does not rely on.
    private static func isForeignEntryInSharedFolder(_ info: stat, folder: String, path: String) throws(Failure) -> Bool {
        guard info.st_uid != geteuid() else { return false }
        var folderInfo = stat()
        guard stat(folder, &folderInfo) == 0 else { throw Failure(path: path, reason: "cannot look at its folder: " + systemError(errno)) }
        let shared = (folderInfo.st_mode & S_ISVTX) != 0 && (folderInfo.st_mode & (S_IWGRP | S_IWOTH)) != 0
        return shared && info.st_uid != folderInfo.st_uid
    }

    /// What the symbolic link at `path` holds, or `nil` (with `errno` set).
    private static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The non-empty components of `path`.
    private static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
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
    init(_ info: stat, keepsOwnerAndMode: Bool) {
        mode = info.st_mode & 0o7777
        owner = info.st_uid
        group = info.st_gid
        self.keepsOwnerAndMode = keepsOwnerAndMode
    }
}
