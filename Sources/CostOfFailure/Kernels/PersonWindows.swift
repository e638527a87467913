/// Every person's windows, laid out by person code of an ``EventTable`` so that kernels classify
/// an event with a few array reads.
public struct PersonWindows: Sendable {
    /// Marks a person with no index date.
    public static let noIndex = Int32.min

    /// Index date by person code, or ``noIndex``.
    public let index: [Int32]
    /// First day of the before window by person code.
    public let beforeStart: [Int32]
    /// One past the before window's last day by person code.
    public let beforeEnd: [Int32]
    /// One past the after window's last day by person code.
    public let afterEnd: [Int32]
    /// The windows' definition.
    public let windows: StudyWindows

    /// Lays out the windows of each person in `persons` whose ID has an index date in `indexDates`.
    public init(persons: StringDictionary, indexDates: [PersonID: CivilDate], windows: StudyWindows) {
        var index = [Int32](repeating: PersonWindows.noIndex, count: persons.count)
        var beforeStart = [Int32](repeating: 0, count: persons.count)
        var beforeEnd = [Int32](repeating: 0, count: persons.count)
        var afterEnd = [Int32](repeating: 0, count: persons.count)
        for (id, date) in indexDates {
            guard let code = persons.code(of: id.description) else { continue }
            let bounds = windows.bounds(index: date)
            let p = Int(code)
            index[p] = date.daysSinceEpoch
            beforeStart[p] = bounds.beforeStart
            beforeEnd[p] = bounds.beforeEnd
            afterEnd[p] = bounds.afterEnd
        }
        self.index = index
        self.beforeStart = beforeStart
        self.beforeEnd = beforeEnd
        self.afterEnd = afterEnd
        self.windows = windows
    }

    /// Lays out the windows of people coded 0, 1, 2, ... whose index dates are `indexDates`.
    public init(indexDates: [CivilDate], windows: StudyWindows) {
        var index: [Int32] = [], beforeStart: [Int32] = [], beforeEnd: [Int32] = [], afterEnd: [Int32] = []
        for date in indexDates {
            let bounds = windows.bounds(index: date)
            index.append(date.daysSinceEpoch)
            beforeStart.append(bounds.beforeStart)
            beforeEnd.append(bounds.beforeEnd)
            afterEnd.append(bounds.afterEnd)
        }
        self.index = index
        self.beforeStart = beforeStart
        self.beforeEnd = beforeEnd
        self.afterEnd = afterEnd
        self.windows = windows
    }

    /// Which window an event of person `person` on `day` falls in.
    @inline(__always)
    public func period(person: Int32, day: Int32) -> Period {
        let p = Int(person)
        let indexDay = index[p]
        if indexDay == PersonWindows.noIndex { return .outside }
        return Period.classify(day: day, index: indexDay, beforeStart: beforeStart[p], beforeEnd: beforeEnd[p], afterEnd: afterEnd[p])
    }
}
