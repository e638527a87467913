#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CostOfFailure

extension OutputFile {
    /// An output that is one of the inputs: writing it would destroy what is being read.
    public struct Clash: Error, Sendable, Equatable, CustomStringConvertible {
        /// The output path as given (`<stdout>` for standard output).
        public var output: String
        /// The input path as given (`<stdin>` for standard input).
        public var input: String

        /// Creates a clash.
        public init(output: String, input: String) {
            self.output = output
            self.input = input
        }

        /// A message for the user (paths are not personal data).
        public var description: String {
            "\(output): is the same file as the input \(input): refusing to overwrite an input"
        }
    }

    /// Refuses `outputs` when any is the same regular file as any of `inputs` (the same device
    /// and inode: found through symbolic links, hard links, `/dev/stdout` and `/dev/fd/N` alike).
    ///
    /// Call it before reading anything: it only looks at the files (`stat`), so a clash is found
    /// while every input is still whole. An output that does not exist yet cannot clash; nor can
    /// a device or a pipe (see ``FileIdentity``). `nil` and `-` among `outputs` mean standard
    /// output, `-` among `inputs` standard input, so `cof … >> events.csv` reading `events.csv`
    /// is refused too.
    ///
    /// - Throws: ``Clash`` naming the first output and input found to be one file.
    public static func refuseOverwriting(inputs: [String], with outputs: [String?]) throws(Clash) {
        var inputByIdentity: [FileIdentity: String] = [:]
        for input in inputs {
            guard let identity = FileIdentity(input: input) else { continue }
            if inputByIdentity[identity] == nil { inputByIdentity[identity] = input == "-" ? "<stdin>" : input }
        }
        guard !inputByIdentity.isEmpty else { return }
        for output in outputs {
            if let identity = FileIdentity(output: output), let input = inputByIdentity[identity] {
                throw Clash(output: output == nil || output == "-" ? "<stdout>" : output!, input: input)
            }
        }
    }
}

extension OutputFile {
    /// Two outputs of one command that are one file: the second written would replace the first.
    public struct SharedOutput: Error, Sendable, Equatable, CustomStringConvertible {
        /// The two paths as given.
        public var first: String, second: String

        /// Creates the error.
        public init(first: String, second: String) {
            self.first = first
            self.second = second
        }

        /// A message for the user (paths are not personal data).
        public var description: String {
            first == second ? "\(first): given for two outputs: each output needs a file of its own"
                : "\(second): is the same file as the output \(first): each output needs a file of its own"
        }
    }

    /// Refuses `outputs` (paths given for a command's files; standard output, `-`, is left out)
    /// when two are one file: the same regular file found by device and inode (through links),
    /// or, for a file not there yet, the same path once its folder is resolved. A device or a
    /// pipe (`/dev/null`) may take two outputs.
    ///
    /// - Throws: ``SharedOutput`` naming the first two found.
    public static func refuseSharedOutputs(_ outputs: [String]) throws(SharedOutput) {
        var seen: [(key: String, path: String)] = []
        for path in outputs where path != "-" {
            guard let key = sharingKey(path) else { continue }
            if let earlier = seen.first(where: { $0.key == key }) { throw SharedOutput(first: earlier.path, second: path) }
            seen.append((key, path))
        }
    }

    /// What two outputs share when they are one file (`nil`: a device or pipe, which may).
    private static func sharingKey(_ path: String) -> String? {
        var status = stat()
        if stat(path, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFREG else { return nil }
            return "inode \(status.st_dev) \(status.st_ino)"
        }
        // Not there yet: the resolved folder and the name.
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { path[..<$0].isEmpty ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let resolved = realpath(folder, nil) else { return "path \(path)" }
        defer { free(resolved) }
        return "path \(String(cString: resolved))/\(name)"
    }
}
