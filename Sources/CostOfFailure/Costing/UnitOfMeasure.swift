/// What one unit of a unit cost, or of an event's quantity, is: a contact (an attendance, an
/// arrest, a call: anything counted), or a span of time (an hour, a day or night, a week, a year).
///
/// Time units convert into each other through hours: a day and a night are 24 hours (a night in a
/// hostel is a day of its week), a week 168, a year 8,760 (365 days, as the published yearly costs
/// are divided: "per night is the yearly figure divided by 365"). A contact converts to nothing but
/// a contact.
///
/// **Rounding rule (the one for every conversion):** a price converted to another unit is
/// `price × hours(quantity unit) / hours(cost unit)`, computed exactly in 128-bit integers and
/// rounded to the penny once, **half up** (half away from zero, the rule ``PriceIndex`` uses to
/// restate prices; unit costs are never negative). £334.95 a week is £47.85 a night exactly;
/// £1 a week is 14.29p a night, so 14p; 60p a day is 2.5p an hour, so 3p (half to even would
/// say 2p). The converted price is
/// made once per unit cost, into the price grid, so pricing an event stays one lookup and one
/// multiply.
public enum UnitOfMeasure: String, Sendable, CaseIterable, Equatable {
    /// One contact with the service (an attendance, an incident, a call, an arrest, an episode).
    case contact
    /// An hour.
    case hour
    /// A day (a bed day).
    case day
    /// A night (a night's stay; the same length as a day).
    case night
    /// A week.
    case week
    /// A year of 365 days.
    case year

    /// Hours in one unit; `nil` for a contact.
    public var hours: Int64? {
        switch self {
        case .contact: return nil
        case .hour: return 1
        case .day, .night: return 24
        case .week: return 168
        case .year: return 8_760
        }
    }

    /// A unit named in a `quantity_unit` cell: `contact`, `hour`, `day`, `night`, `week`, `year`,
    /// in any case, optionally plural or after `per` (`per night`, `Nights`); `nil` otherwise.
    public init?(name: String) {
        var word = name.lowercased().trimmingSpaces
        if word.hasPrefix("per ") { word = String(word.dropFirst(4)).trimmingSpaces }
        if word.hasSuffix("s") { word.removeLast() }
        if word == "bed day" { word = "day" }
        self.init(rawValue: word)
    }

    /// The unit a unit cost's free-text `unit` describes ("per household per week" is a week,
    /// "per bed day" a day, "per hour (sergeant and below)" an hour, "per attendance" a contact):
    /// the last of the words hour, day, night, week, year (singular or plural) it holds, else a
    /// contact. No text (no `unit` column) is a contact.
    public init(unitText: String?) {
        var found = UnitOfMeasure.contact
        let words = (unitText ?? "").lowercased().split { !$0.isLetter }
        for word in words {
            let singular = word.hasSuffix("s") ? word.dropLast() : word[...]
            if let unit = UnitOfMeasure(rawValue: String(singular)), unit != .contact { found = unit }
        }
        self = found
    }

    /// `pence` per one `self` restated per one `unit` (see the type's rounding rule); `nil` when
    /// the two cannot convert (a contact and a time) or the result does not fit in 64 bits.
    public func price(_ pence: Pence, per unit: UnitOfMeasure) -> Pence? {
        if unit == self || (unit.hours != nil && unit.hours == hours) { return pence }
        guard let from = hours, let to = unit.hours else { return nil }
        return PriceIndex.scale(pence, by: to, over: from)
    }
}
