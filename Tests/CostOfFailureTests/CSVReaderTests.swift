import Testing
@testable import CostOfFailure

/// Reads every record of `source` as strings, with the line each starts on.
private func records(_ source: InputSource, dialect: CSVDialect = .standard) throws(IngestError) -> (rows: [[String]], lines: [Int], summary: CSVReader.Summary) {
    var rows: [[String]] = []
    var lines: [Int] = []
    let summary = try CSVReader(dialect: dialect, chunkSize: 1 << 16).read(source) { batch in
        batch.withRecords { view in
            for r in 0..<batch.count {
                let first = view.firstField(of: r)
                rows.append((first..<first + view.fieldCount(of: r)).map { view.string($0) })
                lines.append(batch.recordLines[r])
            }
        }
    }
    return (rows, lines, summary)
}

@Suite("CSV reading through libcsv")
struct CSVReaderTests {
    static let tricky = "id,text,n\r\n1,\"a, b\",2\r\n2,\"say \"\"hi\"\"\",3\r\n\r\n3,\"line one\nline two\",4\n4,  spaced  ,5\n5,\"\",6"

    @Test("Quoted commas, doubled quotes, newlines, CRLF, blank lines and a missing final newline", arguments: [1, 2, 3, 7, 64, 65_536])
    func trickyRecords(chunkSize: Int) throws {
        let result = try records(.bytes(name: "t.csv", Array(Self.tricky.utf8), chunkSize: chunkSize))
        #expect(result.rows == [
            ["id", "text", "n"], ["1", "a, b", "2"], ["2", "say \"hi\"", "3"],
            ["3", "line one\nline two", "4"], ["4", "spaced", "5"], ["5", "", "6"],
        ])
        // Physical lines: the blank line is line 4, the quoted newline makes record 5 take lines 5–6.
        #expect(result.lines == [1, 2, 3, 5, 7, 8])
        #expect(result.summary.records == 6)
        #expect(result.summary.blankLines == 1)
    }

    @Test("A UTF-8 byte-order mark is skipped, even split across chunks", arguments: [1, 2, 3, 4, 65_536])
    func byteOrderMark(chunkSize: Int) throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("person_id,x\nA,1\n".utf8)
        let result = try records(.bytes(name: "bom.csv", bytes, chunkSize: chunkSize))
        #expect(result.rows == [["person_id", "x"], ["A", "1"]])
    }

    @Test("CR-only line ends and quoted CRLF count physical lines")
    func lineEnds() throws {
        let result = try records(csv("a,b\r1,\"x\r\ny\"\r2,z\r"))
        #expect(result.rows == [["a", "b"], ["1", "x\r\ny"], ["2", "z"]])
        #expect(result.lines == [1, 2, 4])
    }

    @Test("Semicolon and tab delimiters")
    func delimiters() throws {
        #expect(try records(csv("a;b\n1;\"x;y\"\n"), dialect: CSVDialect(delimiter: UInt8(ascii: ";"))).rows == [["a", "b"], ["1", "x;y"]])
        #expect(try records(csv("a\tb\n1\t2\n"), dialect: CSVDialect(delimiter: 0x09)).rows == [["a", "b"], ["1", "2"]])
    }

    @Test("An unterminated quote is an error at the record where it opens")
    func unterminatedQuote() {
        let error = ingestError { _ = try records(csv("a,b\n1,2\n3,\"never closed\n4,5\n", name: "u.csv")) }
        #expect(error?.kind == .unterminatedQuote)
        #expect(error?.line == 3)
        #expect(error?.record == 3)
        #expect(error?.file == "u.csv")
    }

    @Test("A stray quote inside an unquoted field is an error with its line")
    func strayQuote() {
        let error = ingestError { _ = try records(csv("a,b\n1,\"two\nlines\"\n3,ab\"c\n", name: "q.csv")) }
        #expect(error?.kind == .badQuoting)
        #expect(error?.line == 4)
        #expect(error?.record == 3)
    }

    @Test("A missing file is reported as such")
    func missingFile() {
        let error = ingestError { _ = try records(.file("/nonexistent/events.csv")) }
        #expect(error?.kind == .missingFile)
        #expect(error?.file == "/nonexistent/events.csv")
    }
}
