import CostOfFailure

/// Rejected rows as a table: `file,line,record,column,kind,message`, one row per reject.
public struct RejectsTable: Sendable {
    /// The rejects, in file order.
    public let rejects: [IngestError]

    /// Wraps rejects.
    public init(_ rejects: [IngestError]) {
        self.rejects = rejects
    }

    /// The rejects as a result table.
    public var table: ResultTable {
        func number(_ value: Int?) -> Int64 { Int64(value ?? 0) }
        return ResultTable(name: "rejects", title: "Rejected rows", columns: [
            ResultColumn("file", .text(rejects.map(\.file))),
            ResultColumn("line", .integer(rejects.map { number($0.line) }), states: rejects.map { $0.line == nil ? .missing : .value }),
            ResultColumn("record", .integer(rejects.map { number($0.record) }), states: rejects.map { $0.record == nil ? .missing : .value }),
            ResultColumn("column", .text(rejects.map { $0.column ?? "" })),
            ResultColumn("kind", .text(rejects.map(\.kind.rawValue))),
            ResultColumn("message", .text(rejects.map(\.detail))),
        ])
    }

    /// The rejects as CSV.
    public func csv() -> String { CSVRenderer().render(table) }

    /// How many rejects of each kind, by kind name.
    public func countsByKind() -> [(kind: String, count: Int)] {
        var counts: [String: Int] = [:]
        for reject in rejects { counts[reject.kind.rawValue, default: 0] += 1 }
        return counts.keys.sorted().map { ($0, counts[$0]!) }
    }
}
