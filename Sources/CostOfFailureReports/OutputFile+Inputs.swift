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
