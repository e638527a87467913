import CostOfFailure

/// A result `cof compare`'s tables can be written from: the one-pass before/after table of all
/// the events, a loaded study's, or merged partial results — so that each writes the very bytes
/// the others write for the same events.
public protocol BeforeAfterResult {
    /// The cohort summary.
    var cohortSummary: CohortSummary { get throws(CostResolver.Overflow) }
    /// The whole person × service before/after table.
    var beforeAfter: BeforeAfterTable { get }
    /// The person table as CSV rows (no header), in blocks of people rendered on `workers`
    /// threads at once, handed to `body` in output order.
    func forEachCSVBlock(workers: Int, _ body: ([UInt8]) throws -> Void) throws
}

extension BeforeAfterResult {
    /// The person table as CSV: its header, then every block of rows (see
    /// ``forEachCSVBlock(workers:_:)``), each handed to `body` as it is made, so that the table
    /// is never held whole.
    public func forEachCSVPiece(workers: Int, _ body: ([UInt8]) throws -> Void) throws {
        try body(CSVRenderer().renderBytes(BeforeAfterTable.empty.resultTable()))
        try forEachCSVBlock(workers: workers, body)
    }
}

extension StreamingPass: BeforeAfterResult {
    public func forEachCSVBlock(workers: Int, _ body: ([UInt8]) throws -> Void) throws {
        // In codes: no String is made for a row (see CodedBeforeAfterTable).
        try forEachCodedBlock(workers: workers, transform: BeforeAfterCSV.rows, body)
    }
}

/// The before/after table of a loaded study (the table path), for the inputs the streaming pass
/// cannot take in one read (see ``StudyInputs/endNeedsEventsBeforeWindows``).
public struct LoadedBeforeAfterTable: BeforeAfterResult {
    /// The person × service before/after table.
    public let beforeAfter: BeforeAfterTable
    /// Its cohort summary.
    public let cohortSummary: CohortSummary

    /// The before/after table and cohort summary of `study`.
    public init(_ study: Study) throws(CostResolver.Overflow) {
        beforeAfter = try BeforeAfterTable(study: study)
        cohortSummary = try CohortSummary(beforeAfter: beforeAfter, members: study.cohortMembers, services: study.services,
                                          prices: study.pricesDescription)
    }

    public func forEachCSVBlock(workers: Int, _ body: ([UInt8]) throws -> Void) throws {
        try body(BeforeAfterCSV.rows(beforeAfter))
    }
}

extension BeforeAfterPartial: BeforeAfterResult {
    public func forEachCSVBlock(workers: Int, _ body: ([UInt8]) throws -> Void) throws {
        try forEachBlock(workers: workers, transform: BeforeAfterCSV.rows, body)
    }
}
