private import CCompilerHints

/// Every person's windows, laid out by person code of an ``EventTable`` so that kernels classify
/// an event with one read.
///
/// A person's index date and window bounds sit together in one 16-byte record: with four
/// separate arrays, classifying an event of one of 750,000 treated people (100M rows) was four
/// cache misses, not one.
public struct PersonWindows: Sendable {
    /// Marks a person with no index date.
    public static let noIndex = Int32.min

    /// One person's index date and windows as half-open day ranges (see ``StudyWindows/Bounds``).
    struct Record: Sendable {
        var index: Int32 = PersonWindows.noIndex
        var beforeStart: Int32 = 0
        var beforeEnd: Int32 = 0
        var afterEnd: Int32 = 0
    }

    private let records: [Record]
    /// The windows' definition.
    public let windows: StudyWindows

    /// One person's days out of exposure in each window (custody, after death; see ``TimeAtRisk``).
    public struct Removed: Sendable, Hashable {
        /// Days out of the before window.
        public var before: Int32
        /// Days out of the after window.
        public var after: Int32
    }
    /// Days out of exposure of the people who have any, by person code: apart from ``records``,
    /// which the classification of every event reads and which stay 16 bytes.
    private var removed: [Int32: Removed] = [:]
    /// Each marked person's days out of exposure for any span (``TimeAtRisk/Removal``).
    private var removals: [Int32: TimeAtRisk.Removal] = [:]
    /// Treated people with an event dated after their death (kept in their windows; see ``TimeAtRisk``).
    public private(set) var peopleWithEventsAfterDeath = 0

    /// Takes each person's days out of exposure (custody, after death) found by `timeAtRisk`
    /// out of their windows' exposure (``StudyWindows/Bounds/beforeDays`` and
    /// ``StudyWindows/Bounds/afterDays`` of ``bounds(of:)``). Called once, when every event has been met.
    mutating func removeExposure(_ timeAtRisk: TimeAtRisk) {
        precondition(removed.isEmpty, "exposure removed twice")
        (removed, removals, peopleWithEventsAfterDeath) = timeAtRisk.removedDays(self)
    }

    /// Days of `[from, to)` (day numbers) that person `person` could not use services (custody,
    /// after death), by ``TimeAtRisk``'s rule: for spans other than the windows, such as the
    /// trajectory's months and the baseline check's baseline. 0 before ``removeExposure(_:)``
    /// and for a person with no marked event.
    public func daysRemoved(person: Int32, from: Int32, to: Int32) -> Int {
        guard !removals.isEmpty, let removal = removals[person] else { return 0 }
        return Int(removal.days(from: from, to: to))
    }

    /// Lays out the windows of each person in `persons` whose ID has an index date in `indexDates`.
    public init(persons: StringDictionary, indexDates: [PersonID: CivilDate], windows: StudyWindows) {
        var records = [Record](repeating: Record(), count: persons.count)
        for (id, date) in indexDates {
            guard let code = persons.code(of: id.description) else { continue }
            records[Int(code)] = Self.record(date, windows)
        }
        self.records = records
        self.windows = windows
    }

    /// Lays out the windows of people coded 0, 1, 2, ... whose index dates are `indexDates`.
    ///
    /// A cohort's index dates fall on a few thousand days at most, so each day's windows are
    /// worked out once (calendar months are no simple sum): for 750,000 people, working them
    /// out person by person was a tenth of the start-up.
    public init(indexDates: [CivilDate], windows: StudyWindows) {
        self.windows = windows
        guard let first = indexDates.min()?.daysSinceEpoch, let last = indexDates.max()?.daysSinceEpoch,
              Int(last) - Int(first) < max(1 << 16, indexDates.count) else {
            records = indexDates.map { Self.record($0, windows) }
            return
        }
        var byDay = [Record?](repeating: nil, count: Int(last) - Int(first) + 1)
        records = indexDates.map { date in
            let slot = Int(date.daysSinceEpoch - first)
            if let known = byDay[slot] { return known }
            let record = Self.record(date, windows)
            byDay[slot] = record
            return record
        }
    }

    private static func record(_ date: CivilDate, _ windows: StudyWindows) -> Record {
        let bounds = windows.bounds(index: date)
        return Record(index: date.daysSinceEpoch, beforeStart: bounds.beforeStart, beforeEnd: bounds.beforeEnd, afterEnd: bounds.afterEnd)
    }

    /// The same people's windows with the observation end `end` (their index dates kept).
    public func cut(at end: CivilDate) -> PersonWindows {
        var windows = self.windows
        windows.observationEnd = end
        return PersonWindows(records: records.map { record in
            record.index == PersonWindows.noIndex ? record : Self.record(CivilDate(daysSinceEpoch: record.index), windows)
        }, windows: windows)
    }

    private init(records: [Record], windows: StudyWindows) {
        self.records = records
        self.windows = windows
    }

    /// Number of people laid out.
    public var count: Int { records.count }

    /// The index date of person `person` as a day number, or ``noIndex``.
    public func index(of person: Int32) -> Int32 { records[Int(person)].index }

    /// The windows of person `person`, who has an index date, as laid out (no calendar
    /// arithmetic again: working them out from the index date was 3% of the time spent on the
    /// 10M-row comparison's result).
    public func bounds(of person: Int32) -> StudyWindows.Bounds {
        let record = records[Int(person)]
        precondition(record.index != PersonWindows.noIndex, "a person with no index date")  // no code or ID in a trap message
        var bounds = StudyWindows.Bounds(index: CivilDate(daysSinceEpoch: record.index), beforeStart: record.beforeStart,
                                         beforeEnd: record.beforeEnd, afterEnd: record.afterEnd)
        if !removed.isEmpty, let days = removed[person] {
            (bounds.beforeRemoved, bounds.afterRemoved) = (days.before, days.after)
        }
        return bounds
    }

    /// Starts loading `person`'s record, so that classifying one of their events a few rows
    /// later does not wait on memory (the records of a large cohort are far bigger than a cache).
    @inline(__always)
    func prefetch(person: Int32) {
        // Sound: a prefetch of any address is harmless; `person` is a code below `count` here.
        records.withUnsafeBufferPointer { cof_prefetch($0.baseAddress! + Int(person)) }
    }

    /// Which window an event of person `person` on `day` falls in.
    @inline(__always)
    public func period(person: Int32, day: Int32) -> Period {
        let record = records[Int(person)]
        if record.index == PersonWindows.noIndex { return .outside }
        return Period.classify(day: day, index: record.index, beforeStart: record.beforeStart,
                               beforeEnd: record.beforeEnd, afterEnd: record.afterEnd)
    }
}
