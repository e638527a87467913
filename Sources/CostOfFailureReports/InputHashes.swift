#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CostOfFailure
import Dispatch
private import Foundation

/// The SHA-256s of a study's input files, worked out on a thread of their own while the
/// caller goes on (the finance pack's read, folds and workbook), for its provenance.
///
/// Hashing the events is a second read of every byte (a tenth of the finance pack's CPU at 10M
/// rows), which otherwise ran alone after everything else; on a thread of its own it takes its
/// share of the cores while the rest runs. Each file is hashed from when this is made, as
/// ``Provenance/sha256(file:)`` hashes it: an input that changes while the study is read
/// has no one hash of what was read either way. The cover's bytes are the same.
public final class InputHashes: @unchecked Sendable {
    // Sound: `hashes` is written once, by the hashing thread in `queue.sync`, before it
    // leaves `done`; it is read only in `queue.sync` after waiting for `done`.
    private let queue = DispatchQueue(label: "InputHashes")
    private let done = DispatchGroup()
    private var hashes: [String: String?] = [:]

    /// Starts hashing every input file of `inputs` (not standard input, not bytes in memory).
    public init(_ inputs: StudyInputs) {
        var paths: [String] = []
        for source in inputs.events.map(\.input) + [inputs.interventions] + [inputs.unitCosts, inputs.services, inputs.deflator].compactMap({ $0 }) {
            // Only regular files: a named pipe (`<(zcat ...)`) read here would take its bytes
            // from the read itself; it is hashed when asked for, as before.
            if case .file(let path) = source, path != "-", !paths.contains(path), Self.isRegularFile(path) { paths.append(path) }
        }
        // A thread of its own, not one of Dispatch's: the parallel read's workers are those.
        done.enter()
        let thread = Thread { [self, paths] in
            var made: [String: String?] = [:]
            for path in paths { made[path] = Provenance.sha256(file: path) }
            queue.sync { hashes = made }
            done.leave()
        }
        thread.start()
    }

    /// Whether `path` names a regular file (following links).
    private static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }

    /// The SHA-256 of the file at `path` (as ``Provenance/sha256(file:)``), waiting for it;
    /// a path not among the inputs' regular files is hashed now.
    public func sha256(file path: String) -> String? {
        done.wait()
        let hash = queue.sync { hashes[path] }
        return hash ?? Provenance.sha256(file: path)
    }
}
