import CostOfFailure
import Crypto

/// The parameters a partial result's figures depend on besides the events, and their
/// fingerprint: what `cof merge` compares before it combines partials, so that figures computed
/// under other windows, prices or inputs are never added together.
///
/// Input files are named by their SHA-256, not their path, so partials computed on different
/// machines from copies of the same files merge, and a changed file does not.
public enum PartialParameters {
    /// The parameters of a study over `inputs`, in a fixed order: the windows, the observation
    /// end, the price base and its deflator, the unit costs, the interventions, the services and
    /// the error policy (and, only when set, the interventions' ID rule and whether the unit-cost
    /// file replaces the shipped table, so that other partials' fingerprints stay as they were).
    /// A shipped table is `shipped`; a file that cannot be read is `unreadable`.
    public static func of(_ inputs: StudyInputs) -> [BeforeAfterPartial.Parameter] {
        func digest(_ source: InputSource?, absent: String) -> String {
            guard let source else { return absent }
            switch source {
            case .file(let path):
                return Provenance.sha256(file: path).map { "sha256:" + $0 } ?? "unreadable"
            case .bytes(_, let bytes, _):
                return "sha256:" + HexDigits.lowercase(SHA256.hash(data: bytes))
            }
        }
        let windows = inputs.windows
        return [
            .init("before", windows.before.description),
            .init("after", windows.after.description),
            .init("observation_end", windows.observationEnd?.description ?? "none"),
            .init("price_base", inputs.priceBase?.description ?? "none"),
            .init("deflator", inputs.priceBase == nil ? "none" : digest(inputs.deflator, absent: "shipped")),
            .init("unit_costs", digest(inputs.unitCosts, absent: "shipped")),
            .init("interventions", digest(inputs.interventions, absent: "none")),
            .init("services", digest(inputs.services, absent: "none")),
            .init("on_error", inputs.policy.mode.rawValue),
        ] + (inputs.interventionsPersonID.isIdentity ? [] : [.init("interventions_person_id", inputs.interventionsPersonID.description)])
            + (inputs.replaceShippedUnitCosts ? [.init("unit_costs_replace_shipped", "true")] : [])
    }

    /// The SHA-256 of the engine version and `parameters`, one `name<TAB>value` line each, as
    /// 64 lowercase hex digits.
    public static func fingerprint(engineVersion: String, _ parameters: [BeforeAfterPartial.Parameter]) -> String {
        var text = "engine\t\(engineVersion)\n"
        for parameter in parameters { text += "\(parameter.name)\t\(parameter.value)\n" }
        return HexDigits.lowercase(SHA256.hash(data: Array(text.utf8)))
    }
}
