import ArgumentParser
import Foundation
import CostOfFailure
import CostOfFailureReports

/// Disclosure control for anything that leaves the analyst's screen: keyed pseudonyms for
/// tables that list people, and small-number suppression. Shared by `cof export` and
/// `cof report --html`.
struct DisclosureOptions: ParsableArguments {
    @Flag(name: .customLong("raw-ids"), help: "Tables that list people show their raw IDs (for the analyst's own screen) instead of keyed pseudonyms.")
    var rawIDs = false

    @Option(name: .customLong("pseudonym-key-file"), help: ArgumentHelp("The secret key for pseudonyms (16 bytes or more); default: the COF_PSEUDONYM_KEY environment variable.", valueName: "file"))
    var pseudonymKeyFile: String?

    @Flag(name: .customLong("no-suppression"), help: "Show small numbers exactly in a file or pipe (by default counts of 1-7 show as [c], others are rounded to 5, and figures resting on 7 people or fewer are suppressed; the screen always shows exact figures).")
    var noSuppression = false

    @Option(name: .customLong("suppression-threshold"), help: "The largest count suppressed.")
    var suppressionThreshold = 7

    @Option(name: .customLong("suppression-marker"), help: "What a suppressed cell shows.")
    var suppressionMarker = "[c]"

    /// What a table's title gains when its small numbers are shown exactly.
    static let unsuppressedNote = "UNSUPPRESSED: small numbers are shown exactly"

    func validate() throws {
        if suppressionThreshold < 1 { throw ValidationError("give --suppression-threshold of 1 or more") }
    }

    /// The suppression rule, or `nil` under `--no-suppression`.
    var suppression: Suppression? {
        noSuppression ? nil : Suppression(threshold: Int64(suppressionThreshold))
    }

    /// `table` ready to leave the screen: people's IDs as keyed pseudonyms (unless `--raw-ids`),
    /// then, when `suppressing`, small numbers suppressed — or, under `--no-suppression`, the
    /// title saying they are not.
    ///
    /// - Throws: a usage failure when the table lists people and there is no usable key.
    func protect(_ table: ResultTable, suppressing: Bool) throws -> ResultTable {
        var result = table
        if result.column("person_id") != nil && !rawIDs {
            result = try pseudonymiser().pseudonymise(result)
        }
        guard suppressing else { return result }
        if let suppression {
            return suppression.apply(result)
        }
        result.title += " — " + Self.unsuppressedNote
        return result
    }

    /// Says on standard error that suppression is off, when it is.
    func warnIfUnsuppressed() {
        guard noSuppression else { return }
        Diagnostics.warn("small-number suppression is off (--no-suppression): this output shows counts and figures resting on fewer than \(suppressionThreshold + 1) people")
    }

    /// The pseudonymiser under the key from `--pseudonym-key-file` or `COF_PSEUDONYM_KEY`.
    private func pseudonymiser() throws -> Pseudonymiser {
        var key: [UInt8]?
        if let pseudonymKeyFile {
            guard let data = FileManager.default.contents(atPath: pseudonymKeyFile) else {
                throw CommandFailure(missingInput: "\(pseudonymKeyFile): cannot read the pseudonym key file")
            }
            var bytes = [UInt8](data)
            while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
            key = bytes
        } else if let text = ProcessInfo.processInfo.environment["COF_PSEUDONYM_KEY"] {
            key = Array(text.utf8)
        }
        guard let key else {
            throw CommandFailure(usage: "this table lists people: give a secret key (16 bytes or more) in COF_PSEUDONYM_KEY or --pseudonym-key-file for keyed pseudonyms, or --raw-ids for your own screen")
        }
        guard let pseudonymiser = Pseudonymiser(key: key) else {
            throw CommandFailure(usage: "the pseudonym key is too short: expected 16 bytes or more")
        }
        return pseudonymiser
    }
}
