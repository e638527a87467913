import CostOfFailure
import CostOfFailureReports
import Testing

@Suite("BeforeAfterResult")
struct BeforeAfterResultTests {
    @Test("A loaded study's CSV pieces are the header, then the rows: together the before/after table's CSV")
    func tableBeforeAfterCSV() throws {
        let study = try ReportFixture.study()
        let result = try LoadedBeforeAfterTable(study)
        var pieces: [[UInt8]] = []
        try result.forEachCSVPiece(workers: 2) { pieces.append($0) }
        #expect(pieces.count == 2)
        #expect(pieces[0] == CSVRenderer().renderBytes(BeforeAfterTable.empty.resultTable()))
        #expect(pieces.joined().elementsEqual(CSVRenderer().renderBytes(result.beforeAfter.resultTable())))
        #expect(try result.cohortSummary.resultTable().name == CohortSummary.tableNames.cohort)
    }
}
