import CostOfFailure
import CostOfFailureReports

/// Hand-built result tables shared by the renderer tests.
enum SampleTables {
    static func date(_ iso: String) -> CivilDate {
        guard let date = CivilDate(iso: iso) else { fatalError("bad test date \(iso)") }
        return date
    }

    /// Five rows exercising every cell type and state, and text that needs quoting or escaping:
    ///
    /// | row | name                   | events      | cost           | rate        | day        |
    /// |-----|------------------------|-------------|----------------|-------------|------------|
    /// | 0   | `Smith, John`          | 3           | 123450p        | 233.9226    | 2023-05-01 |
    /// | 1   | `say "hi"`             | 0           | -7p            | 7.6         | 1970-01-01 |
    /// | 2   | `two⏎lines`            | -2          | missing        | suppressed  | 2024-02-29 |
    /// | 3   | `tab⇥here\back<U+0001>`| suppressed  | suppressed     | 0           | missing    |
    /// | 4   | `£ café`               | 1234567     | 100000000p     | -1.25       | 1999-12-31 |
    static let mixed = ResultTable(name: "sample", title: "A sample", columns: [
        ResultColumn("name", .text(["Smith, John", "say \"hi\"", "two\nlines", "tab\there\\back\u{01}", "£ café"])),
        ResultColumn("events", .integer([3, 0, -2, 1000, 1_234_567]),
                     states: [.value, .value, .value, .suppressed, .value]),
        ResultColumn("cost", .money([123_450, -7, 5, 0, 100_000_000]),
                     states: [.value, .value, .missing, .suppressed, .value]),
        ResultColumn("rate", .rate([233.9226, 7.6, 99, 0, -1.25], decimals: 2),
                     states: [.value, .value, .suppressed, .value, .value]),
        ResultColumn("day", .date([date("2023-05-01"), date("1970-01-01"), date("2024-02-29"), date("2000-01-01"), date("1999-12-31")]),
                     states: [.value, .value, .value, .missing, .value]),
    ])
}
