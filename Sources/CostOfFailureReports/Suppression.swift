import CostOfFailure

/// Small-number suppression for anything that leaves the engine, as NHS England publishes
/// counts from health records (statistical disclosure control):
/// - a count of 1 to ``threshold`` is suppressed (shown as the renderer's marker, `[c]`); zero
///   stays 0; any other count is rounded to the nearest 5;
/// - money figures, means and rates of a row that rests on ``threshold`` people or fewer (the
///   table's ``ResultTable/peopleColumn``) are suppressed;
/// - secondary suppression: in a table of several rows, a column with exactly one suppressed
///   cell also loses its smallest other non-zero cell, so that the suppressed value cannot be
///   worked out from a total published elsewhere. The same holds within each group of the
///   table's ``ResultTable/linkedGroupColumns`` (the services of one category, whose total the
///   by-category table publishes), repeated until no group has a lone suppressed cell.
///
/// Text, dates and label columns (months, ranks) are left alone. A table that does not say
/// which column counts its people keeps its money as it is.
public struct Suppression: Sendable {
    /// The largest count suppressed.
    public var threshold: Int64
    /// What counts are rounded to.
    public var rounding: Int64

    /// The usual rule: suppress 1–7, round to 5.
    public init(threshold: Int64 = 7, rounding: Int64 = 5) {
        self.threshold = threshold
        self.rounding = rounding
    }

    /// The rule in words, for a cover sheet or a report's footer; suppressed cells show `marker`.
    public func ruleDescription(marker: String) -> String {
        "counts of 1 to \(threshold) show as \(marker), other counts are rounded to the nearest \(rounding); money, means and rates of a row resting on \(threshold) people or fewer show as \(marker); secondary suppression: a column with exactly one suppressed cell, in the whole table or among the services of one category or agency, loses its smallest other non-zero cell too, so that no suppressed figure can be worked out from a total"
    }

    /// `table` with the rule applied.
    public func apply(_ table: ResultTable) -> ResultTable {
        let rows = table.rowCount
        // Each row's people, exactly, before any rounding.
        var basis: [Int64]?
        if let name = table.peopleColumn, let column = table.column(name), case .integer(let values) = column.values {
            basis = values
        }
        // The sets of rows whose totals may be published: each group of every linked column,
        // then the whole table (last, so that a partner found within a group serves the whole
        // table too instead of a third cell being taken).
        var groups = table.linkedRowGroups.filter { $0.allSatisfy { $0 >= 0 && $0 < rows } }
        for name in table.linkedGroupColumns {
            guard let column = table.column(name), case .text(let values) = column.values else { continue }
            var members: [String: [Int]] = [:]
            for (row, value) in values.enumerated() { members[value, default: []].append(row) }
            groups += members.keys.sorted().compactMap { members[$0] }
        }
        groups.append(Array(0..<rows))
        var columns = table.columns
        for index in columns.indices {
            var column = columns[index]
            var states = column.states ?? Array(repeating: .value, count: rows)
            var primary = [Bool](repeating: false, count: rows)
            var magnitude = [Int64](repeating: 0, count: rows)  // for choosing secondary cells
            switch column.values {
            case .integer(var values) where !column.isLabel:
                for row in 0..<rows where states[row] == .value {
                    let value = values[row]
                    magnitude[row] = value.magnitude > UInt64(Int64.max) ? .max : Int64(value.magnitude)
                    if value != 0 && value.magnitude <= threshold.magnitude {
                        primary[row] = true
                    } else {
                        values[row] = rounded(value)
                    }
                }
                column.values = .integer(values)
            case .money, .rate:
                guard let basis else { continue }
                for row in 0..<rows where states[row] == .value {
                    magnitude[row] = basis[row]
                    if basis[row] <= threshold { primary[row] = true }
                }
            default:
                continue
            }
            for row in 0..<rows where primary[row] { states[row] = .suppressed }
            var changed = true
            while changed {
                changed = false
                for group in groups where group.count > 1 && group.count(where: { states[$0] == .suppressed }) == 1 {
                    let candidates = group.filter { states[$0] == .value && magnitude[$0] != 0 }
                    if let smallest = candidates.min(by: { magnitude[$0] < magnitude[$1] }) {
                        states[smallest] = .suppressed
                        changed = true
                    }
                }
            }
            column.states = states
            columns[index] = column
        }
        var result = ResultTable(name: table.name, title: table.title, columns: columns, peopleColumn: table.peopleColumn)
        result.linkedGroupColumns = table.linkedGroupColumns
        result.linkedRowGroups = table.linkedRowGroups
        return result
    }

    /// `value` rounded to the nearest multiple of ``rounding`` (halves away from zero).
    private func rounded(_ value: Int64) -> Int64 {
        guard rounding > 1 else { return value }
        let magnitude = (value.magnitude + UInt64(rounding) / 2) / UInt64(rounding) * UInt64(rounding)
        return value < 0 ? -Int64(magnitude) : Int64(magnitude)
    }
}
