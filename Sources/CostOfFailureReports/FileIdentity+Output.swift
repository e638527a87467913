import CostOfFailure

extension FileIdentity {
    /// The regular file an output path would write: standard output's for `nil` or `-`, the
    /// open descriptor's for `/dev/stdout`, `/dev/fd/N` and `/proc/self/fd/N` (as
    /// ``OutputFile`` writes them), else the file at the end of any symbolic links; `nil` when
    /// there is none yet, or it is not a regular file.
    public init?(output path: String?) {
        if let descriptor = OutputFile.inheritedDescriptor(path) {
            self.init(descriptor: descriptor)
            return
        }
        guard let path, path != "-" else { return nil }
        self.init(input: path)
    }
}
