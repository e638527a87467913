#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CostOfFailure
import Dispatch
private import Foundation

/// The SHA-256s of a study's input files for its provenance, made while the caller goes on
/// (the finance pack's read, folds and workbook).
///
/// An events file is hashed from the bytes the read that parses it takes (its ``ReadDigest``
/// in ``digests``, which the caller gives the read): hashing by reading it a second time cost
/// a fifth as much again as the hash itself. A thread of its own hashes the other files from
/// when this is made, as ``Provenance/sha256(file:)`` hashes them, then each events file ahead
/// of its read (``ReadDigest/hashAhead(file:)``) while the command sets the study up on one
/// core, until the read starts; whole, when no read feeds its digest. An input that changes
/// while the study is read has no one hash of what was read either way. The cover's bytes are
/// the same.
public final class InputHashes: @unchecked Sendable {
    // Sound: `hashes` is written once, by the hashing thread in `queue.sync`, before it
    // leaves `done`; it is read only in `queue.sync` after waiting for `done`.
    private let queue = DispatchQueue(label: "InputHashes")
    private let done = DispatchGroup()
    private var hashes: [String: String?] = [:]
    /// The digests for the read of the events to take their files' bytes, by path: regular
    /// files, and pipes (`<(zcat ...)`), whose bytes can be hashed only as they are read (not
    /// standard input or bytes in memory).
    public let digests: [String: ReadDigest]

    /// Starts hashing every input file of `inputs` that is not an events file (not standard
    /// input, not bytes in memory), and makes the events files' digests.
    public init(_ inputs: StudyInputs) {
        var paths: [String] = [], digests: [String: ReadDigest] = [:], eventPaths: [String] = []
        func regularFile(_ source: InputSource) -> String? {
            // Only regular files: a named pipe read here would take its bytes from the read itself.
            guard case .file(let path) = source, path != "-", Self.isRegularFile(path) else { return nil }
            return path
        }
        for source in inputs.events.map(\.input) {
            if case .file(let path) = source, path != "-", digests[path] == nil, Self.isRegularFile(path) || Self.isPipe(path) {
                digests[path] = ReadDigest()
                eventPaths.append(path)
            }
        }
        for source in [inputs.interventions] + [inputs.unitCosts, inputs.services, inputs.deflator].compactMap({ $0 }) {
            if let path = regularFile(source), digests[path] == nil, !paths.contains(path) { paths.append(path) }
        }
        self.digests = digests
        // A thread of its own, not one of Dispatch's: the parallel read's workers are those.
        done.enter()
        let thread = Thread { [self, paths, digests, eventPaths] in
            var made: [String: String?] = [:]
            for path in paths { made[path] = Provenance.sha256(file: path) }
            queue.sync { hashes = made }
            // Then the events files, ahead of their read, until it starts (or whole, if it never
            // does); not a pipe (``ReadDigest/hashAhead(file:)`` reads regular files only).
            // In the order they are read, so that the first read is the one it runs ahead of.
            for path in eventPaths { digests[path]?.hashAhead(file: path) }
            done.leave()
        }
        thread.start()
    }

    /// Whether `path` names a regular file (following links).
    private static func isRegularFile(_ path: String) -> Bool {
        ReadDigest.isRegularFile(path: path)
    }

    /// Whether `path` names a pipe (following links: `/dev/fd/63` of a process substitution).
    private static func isPipe(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFIFO
    }


    /// The SHA-256 of the file at `path` (as ``Provenance/sha256(file:)``), waiting for the
    /// thread, asked once the read has ended: an events file's from its digest when that saw
    /// each of the bytes the file holds now, a pipe's when it saw every byte read to the pipe's
    /// end (`nil` otherwise: a pipe cannot be read again); another input's as the thread made
    /// it; a path not among the inputs' regular files (or an events file its digest does not
    /// cover) is hashed now.
    public func sha256(file path: String) -> String? {
        done.wait()
        if let digest = digests[path] {
            if Self.isRegularFile(path) {
                if let hash = digest.sha256(ofFileAt: path) { return HexDigits.lowercase(hash) }
            } else {
                return digest.sha256OfWholeRead().map(HexDigits.lowercase)
            }
        }
        let hash = queue.sync { hashes[path] }
        return hash ?? Provenance.sha256(file: path)
    }
}
