import CostOfFailure
import Crypto

/// Keyed pseudonyms for person IDs in anything that leaves the engine: HMAC-SHA256 of the ID
/// under a secret key held by the data controller, shown as its first 16 hex digits (64 bits).
///
/// A plain or salted hash of an NHS number (about 10^9 values) can be reversed by trying them
/// all; without the key a keyed hash cannot. The same key gives the same pseudonym in every run,
/// so exports can be linked with each other, and not with anything else.
public struct Pseudonymiser: Sendable {
    private let key: [UInt8]

    /// A pseudonymiser under `key` (at least 16 bytes).
    public init?(key: [UInt8]) {
        guard key.count >= 16 else { return nil }
        self.key = key
    }

    /// The pseudonym of `id`.
    public func pseudonym(_ id: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(id.utf8), using: SymmetricKey(data: key))
        return HexDigits.lowercase(mac.prefix(8))
    }

    /// `table` with every text column named `column` replaced by pseudonyms; everything else,
    /// including which column counts its people (for suppression after this), is kept.
    public func pseudonymise(_ table: ResultTable, column: String = "person_id") -> ResultTable {
        var result = table
        for index in result.columns.indices where result.columns[index].name == column {
            guard case .text(let values) = result.columns[index].values else { continue }
            result.columns[index].values = .text(values.map(pseudonym))
        }
        return result
    }
}
