import CostOfFailure
import Dispatch

/// The SHA-256s of a study's input files, worked out on a thread of their own while the
/// caller goes on (the finance pack's folds and workbook), for its provenance.
///
/// Hashing the events again is a second read of every byte (a tenth of the finance pack's CPU
/// at 10M rows), which otherwise runs alone after everything else. Each file is hashed as it
/// is when this is made, as ``Provenance/addInput(_:_:rows:hashes:)`` would hash it then: so
/// make it once the study is loaded, as that says. The cover's bytes are the same either way.
public final class InputHashes: @unchecked Sendable {
    // Sound: `hashes` is written by the one block run on `queue` (a serial queue) and read only
    // in `queue.sync`, which waits for that block.
    private let queue = DispatchQueue(label: "InputHashes")
    private var hashes: [String: String?] = [:]

    /// Starts hashing every input file of `inputs` (not standard input, not bytes in memory).
    public init(_ inputs: StudyInputs) {
        var paths: [String] = []
        for source in inputs.events.map(\.input) + [inputs.interventions] + [inputs.unitCosts, inputs.services, inputs.deflator].compactMap({ $0 }) {
            if case .file(let path) = source, path != "-", !paths.contains(path) { paths.append(path) }
        }
        queue.async { [self, paths] in
            for path in paths { hashes[path] = Provenance.sha256(file: path) }
        }
    }

    /// The SHA-256 of the file at `path` (as ``Provenance/sha256(file:)``), waiting for it;
    /// a path not among the inputs is hashed now.
    public func sha256(file path: String) -> String? {
        if let hash = queue.sync(execute: { hashes[path] }) { return hash }
        return Provenance.sha256(file: path)
    }
}
