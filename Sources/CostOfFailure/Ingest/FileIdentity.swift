#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Which file a path or an open descriptor reaches: its device and inode, the two numbers that
/// name one file however many paths, symbolic links or hard links lead to it.
///
/// Used to refuse a project file that lists one file as two inputs (see ``ProjectFile``), and
/// (in the reports module, with its identity of an output path) an output that is one of the
/// inputs. Only a regular file has an identity here:
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

    /// The first two of `files` (each a label for messages and a path) that are one regular
    /// file, whatever their paths say, as their labels in the order given; `nil` when each is
    /// its own (files that do not exist and devices are left out; standard input, `-`, is
    /// one input however it is redirected). An input read twice doubles every figure it gives.
    public static func firstRepeat(in files: [(label: String, path: String)]) -> (first: String, second: String)? {
        var seen: [FileIdentity: String] = [:]
        var standardInput: String?
        for (label, path) in files {
            if path == "-" {
                if let first = standardInput { return (first, label) }
                standardInput = label
                continue
            }
            guard let identity = FileIdentity(input: path) else { continue }
            if let first = seen[identity] { return (first, label) }
            seen[identity] = label
        }
        return nil
    }

    private init?(regular info: stat) {
        guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        self.init(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}
