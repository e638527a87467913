import CostOfFailure

/// A named rule for what may leave the secure environment: which counts are withheld, how the
/// others are rounded, and when a money figure is withheld for resting on too few people or on
/// one person too much (statistical disclosure control).
///
/// - `nhs-england` (the default): counts of 1 to 7 withheld, other counts rounded to the nearest
///   5; money, means, rates, percentiles, shares and person-years resting on 1 to 7 people withheld
///   (NHS England's rule for HES and ECDS).
/// - `ons-srs`: counts under 10 withheld, counts not rounded; figures resting on fewer than 10
///   people withheld; and a dominance rule: a money figure to which one person contributes more
///   than half is withheld (the share configurable), as trusted research environments such as
///   the ONS Secure Research Service check outputs.
/// - `none`: nothing withheld, every output marked UNSUPPRESSED.
///
/// Under every rule but `none`, complementary cells are withheld across the tables written
/// together (see ``DisclosureControl``).
public struct DisclosureRule: Sendable, Equatable {
    /// The rule sets there are.
    public enum Name: String, Sendable, CaseIterable {
        /// NHS England: 1–7 withheld, rounded to 5.
        case nhsEngland = "nhs-england"
        /// ONS Secure Research Service style: under 10 withheld, not rounded, dominance.
        case onsSRS = "ons-srs"
        /// No disclosure control.
        case none
    }

    /// Which rule set.
    public var name: Name
    /// The largest count withheld, and the most people a withheld figure may rest on.
    public var threshold: Int64
    /// How published counts are rounded.
    public var rounding: CountRounding
    /// Under a dominance rule, the per cent of a money figure above which one person's part
    /// makes it withheld; `nil`: no dominance rule.
    public var dominancePercent: Int?

    /// A rule; `threshold` and `dominancePercent` default to the named set's.
    public init(_ name: Name, threshold: Int64? = nil, dominancePercent: Int? = nil) {
        self.name = name
        switch name {
        case .nhsEngland:
            self.threshold = threshold ?? 7
            rounding = CountRounding(base: 5)
            self.dominancePercent = dominancePercent
        case .onsSRS:
            self.threshold = threshold ?? 9
            rounding = .exact
            self.dominancePercent = dominancePercent ?? 50
        case .none:
            self.threshold = 0
            rounding = .exact
            self.dominancePercent = nil
        }
    }

    /// The default rule: NHS England's.
    public static let nhsEngland = DisclosureRule(.nhsEngland)

    /// Whether the rule withholds anything.
    public var isSuppressing: Bool { name != .none }

    /// The rule in words, for a cover sheet, a report's footer or a table's title; withheld
    /// cells show `marker`.
    public func description(marker: String) -> String {
        guard isSuppressing else {
            return "none: UNSUPPRESSED, small numbers are shown exactly; not for release as it is"
        }
        var words = "\(name.rawValue): counts of 1 to \(threshold) show as \(marker)"
        words += rounding.base > 1 ? ", other counts are rounded to the nearest \(rounding.base)" : ", other counts are exact"
        words += "; money, means, rates, percentiles, shares and person-years resting on \(threshold) people or fewer show as \(marker)"
        if let dominancePercent { words += ", as does a money figure to which one person contributes more than \(dominancePercent)%" }
        if rounding.base > 1 { words += "; figures per person and per person-year are over the rounded people counts" }
        words += "; complementary cells are withheld across the tables published together, so that no withheld figure can be worked out from a total"
        return words
    }

    /// A short tag for a table's title: `[disclosure: nhs-england]`.
    public var titleTag: String {
        isSuppressing ? "[disclosure: \(name.rawValue), threshold \(threshold)]" : "[UNSUPPRESSED: small numbers are shown exactly]"
    }

    /// Why `marker` cannot mark a withheld cell, or `nil` when it can: it must be non-empty,
    /// must not start like a spreadsheet formula (`=`, `+`, `-`, `@`), and must hold no
    /// delimiter, quote, tab, control character or line end.
    public static func problem(withMarker marker: String) -> String? {
        guard let first = marker.unicodeScalars.first else { return "the suppression marker is empty" }
        if "=+-@".unicodeScalars.contains(first) { return "the suppression marker starts with '\(first)', which a spreadsheet reads as a formula" }
        for scalar in marker.unicodeScalars {
            if ",;\"'|".unicodeScalars.contains(scalar) { return "the suppression marker holds a delimiter or quote ('\(scalar)')" }
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}" {
                return "the suppression marker holds a control character or line end"
            }
        }
        return nil
    }
}
