import CostOfFailureReports

/// Writing a command's outputs through ``OutputFile``: an output that is one of the inputs is
/// refused with exit 64 and one that cannot be written with 74, both before anything is read; a
/// failed write ends the command with 74; person-level content that leaves the terminal is
/// flagged on standard error.
enum CommandOutput {
    /// Ends the command before any input is read: exit 64 when any of `outputs` (`nil` or `-`:
    /// standard output) is the same file as any of `inputs`, or two outputs are one file, exit 74 when an output could not be
    /// written where it stands (a folder, a link owned by another user, a missing folder...).
    static func checkBeforeReading(inputs: [String], outputs: [String?]) throws {
        do throws(OutputFile.Clash) {
            try OutputFile.refuseOverwriting(inputs: inputs, with: outputs)
        } catch {
            throw CommandFailure(error)
        }
        do throws(OutputFile.SharedOutput) {
            try OutputFile.refuseSharedOutputs(outputs.compactMap { $0 })
        } catch {
            throw CommandFailure(usage: error.description)
        }
        for output in outputs {
            do throws(OutputFile.Failure) {
                try OutputFile.check(output)
            } catch {
                throw CommandFailure(error)
            }
        }
    }

    /// Writes `bytes` to `path` (standard output for `nil` or `-`).
    static func write(bytes: [UInt8], to path: String?, content: OutputFile.Content, quiet: Bool) throws {
        let delivery: OutputFile.Delivery
        do throws(OutputFile.Failure) {
            delivery = try OutputFile.write(bytes: bytes, to: path, content: content)
        } catch {
            throw CommandFailure(error)
        }
        notePersonLevel(content, delivery: delivery, path: path, quiet: quiet)
    }

    /// Writes `text` to `path` (standard output for `nil` or `-`).
    static func write(_ text: String, to path: String?, content: OutputFile.Content, quiet: Bool) throws {
        try write(bytes: Array(text.utf8), to: path, content: content, quiet: quiet)
    }

    /// Streams pieces to `path` as `produce` hands them over: for a file, a failure in
    /// `produce` (whatever it throws, which is rethrown) leaves the file as it was.
    static func stream(to path: String?, content: OutputFile.Content, quiet: Bool,
                       _ produce: (_ emit: ([UInt8]) throws -> Void) throws -> Void) throws {
        var failure: (any Error)?
        let delivery: OutputFile.Delivery
        do throws(OutputFile.Failure) {
            delivery = try OutputFile.write(to: path, content: content) { (emit: (UnsafeRawBufferPointer) throws(OutputFile.Failure) -> Void) throws(OutputFile.Failure) in
                do {
                    // Sound: `emit` is only called while `produce` runs, inside this closure.
                    try withoutActuallyEscaping(emit) { emit in
                        try produce { bytes in try bytes.withUnsafeBytes { try emit($0) } }
                    }
                } catch let error as OutputFile.Failure {
                    throw error
                } catch {
                    // Any other error abandons the file too; it is rethrown below.
                    failure = error
                    throw OutputFile.Failure(path: path ?? "<stdout>", reason: "abandoned")
                }
            }
        } catch {
            if let failure { throw failure }
            throw CommandFailure(error)
        }
        notePersonLevel(content, delivery: delivery, path: path, quiet: quiet)
    }

    /// Says once, for an output of person-level content that went anywhere but a terminal (a
    /// file, a pipe, a redirect), that it is personal data and not for release.
    private static func notePersonLevel(_ content: OutputFile.Content, delivery: OutputFile.Delivery, path: String?, quiet: Bool) {
        guard content == .personLevel, !delivery.isTerminal, !quiet else { return }
        let place = path == nil || path == "-" ? "standard output" : path!
        Diagnostics.note("\(place) holds person-level data (exact figures for individual people): working data for the secure environment, not for release")
    }
}
