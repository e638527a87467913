#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which file a path or an open descriptor reaches: its device and inode, the two numbers that
/// name one file however many paths, symbolic links or hard links lead to it.
///
/// Used to refuse an output that is one of the inputs (see
/// ``OutputFile/refuseOverwriting(inputs:with:)``). Only a regular file has an identity here:
/// a terminal, a pipe or `/dev/null` can be read and written in one run without anything being
/// destroyed, and a terminal is both standard input and standard output of an interactive run.
public struct FileIdentity: Hashable, Sendable {
    /// The device the file is on (`st_dev`).
    public var device: UInt64
    /// The file's number on that device (`st_ino`).
    public var inode: UInt64

    /// Creates an identity from its two numbers.
    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    /// The regular file `descriptor` is open on, or `nil` when it is not open or not a regular file.
    public init?(descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        self.init(regular: info)
    }

    /// The regular file an input path reads: the file at the end of any symbolic links, or
    /// standard input's for `-`; `nil` when there is none (the path is missing, or names a
    /// device, a pipe or a folder).
    public init?(input path: String) {
        if path == "-" {
            self.init(descriptor: 0)
            return
        }
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(regular: info)
    }

    /// The regular file an output path would write: standard output's for `nil` or `-`, the
    /// open descriptor's for `/dev/stdout`, `/dev/fd/N` and `/proc/self/fd/N` (as
    /// ``OutputFile`` writes them), else the file at the end of any symbolic links; `nil` when
    /// there is none yet, or it is not a regular file.
    public init?(output path: String?) {
        if let descriptor = OutputFile.inheritedDescriptor(path) {
            self.init(descriptor: descriptor)
            return
        }
        guard let path else { return nil }
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(regular: info)
    }

    private init?(regular info: stat) {
        guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        self.init(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}
