/// Each cohort member's windows and time at risk, by cohort code, for the per-person folds:
/// on the streaming path the scan's windows are laid out by cohort code already; a ``Study``
/// lays them out by the events' person codes, and a member with no events has the plain
/// windows of their index date.
public struct CohortWindows: Sendable {
    /// The windows, laid out by ``code``'s codes.
    private let windows: PersonWindows
    /// Each member's code in ``windows`` (-1: none; laid out from ``indexDates``), or `nil`
    /// when the codes are the members' own.
    private let code: [Int32]?
    /// Each member's index date, by cohort code.
    private let indexDates: [CivilDate]

    /// Windows laid out by cohort code (the streaming scan's).
    public init(cohortCoded windows: PersonWindows) {
        self.windows = windows
        code = nil
        indexDates = []
    }

    /// Windows laid out by other codes: member `m` is `code[m]` in `windows` (-1 for a member
    /// without one, whose windows follow from `indexDates[m]` with no time removed).
    public init(windows: PersonWindows, code: [Int32], indexDates: [CivilDate]) {
        self.windows = windows
        self.code = code
        self.indexDates = indexDates
    }

    /// Members.
    public var count: Int { code?.count ?? windows.count }

    /// Member `member`'s windows and exposure.
    public func bounds(of member: Int32) -> StudyWindows.Bounds {
        guard let code else { return windows.bounds(of: member) }
        let coded = code[Int(member)]
        return coded < 0 ? windows.windows.bounds(index: indexDates[Int(member)]) : windows.bounds(of: coded)
    }

    /// Days of `[from, to)` member `member` could not use services (see
    /// ``PersonWindows/daysRemoved(person:from:to:)``).
    public func daysRemoved(member: Int32, from: Int32, to: Int32) -> Int {
        guard let code else { return windows.daysRemoved(person: member, from: from, to: to) }
        let coded = code[Int(member)]
        return coded < 0 ? 0 : windows.daysRemoved(person: coded, from: from, to: to)
    }

    /// The windows' definition.
    public var definition: StudyWindows { windows.windows }
}
