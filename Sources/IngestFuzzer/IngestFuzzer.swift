// A fuzz target for the ingester: arbitrary bytes go through `EventLoader` (fail and reject
// policies, several dialects, encodings, date formats and tiny chunk sizes; a streaming scan;
// the same bytes as a file read in parts of a few bytes by two or three workers) and through
// `ProjectFile.parse`, and the loader's promises are checked on every input. A broken promise
// traps, which libFuzzer reports as a crash with the input that caused it. Built with libFuzzer
// by `scripts/fuzz`, or as a deterministic loop by a plain `swift build` (see FuzzDriver).

import CostOfFailure
import Foundation
import FuzzDriver

@main
enum IngestFuzzer {
    static func main() {
        FuzzDriver.run(FuzzTarget(name: "IngestFuzzer", builtInSeeds: builtInSeeds.map { Array($0.utf8) },
                                  interestingBytes: interesting, check: { IngestInvariants.check($0) }))
    }

    static let builtInSeeds = [
        "person_id,service,event,date,quantity,cost\nP1,A&E,attendance,2023-05-01,,\r\n\"P,2\",\"Hostel\nnight\",night,02/05/2023 10:00,7,\"£1,234.50\"\n\nP3,Police,\"arrest \"\"NFA\"\"\",2023-05-03T08:00:00,1,(12.50)\n",
        "\u{FEFF}NHS Number;Arrival Date;Department\r\n9434765919;13/01/2012 10:19;UTC\r\n6.01884E+15;31/02/2023;ED\r\n",
        "Subject ID,Incident Date,Incident Type,Officer Hours,Notes\nJOHN-0001,08/04/2012,officer hour,4,\"Shoplifting, \u{A3}14.50\"\nJ2,1/2/2013,arrest,0,x\"y\n",
        "{\"sources\": [{\"file\": \"a.csv\", \"delimiter\": \"tab\", \"date_format\": \"DD/MM/YYYY HH:MM\", \"columns\": {\"person_id\": \"ID\"}}], \"before\": \"6m\", \"max_rejects\": 3}",
    ]

    /// Bytes that matter to a CSV parser, favoured when inserting or overwriting (the quote first).
    static let interesting: [UInt8] = [0x22, 0x2C, 0x3B, 0x09, 0x0A, 0x0D, 0x20, 0x2F, 0x2D, 0x2E, 0x3A, 0x30, 0x39, 0x45,
                                       0xA3, 0xC2, 0xE9, 0xEF, 0xBB, 0xBF, 0xFF, 0x00, 0x28, 0x29]
}

/// What the ingester promises for any input, checked by loading it several ways.
enum IngestInvariants {
    /// Row-level problems: a reject policy sets these rows aside and goes on.
    static let rowKinds: Set<IngestError.Kind> = [
        .wrongFieldCount, .badQuoting, .unterminatedQuote, .badDate, .badNumber, .badQuantity,
        .missingValue, .excelMangledID, .badEncoding, .nulByte, .byteOrderMark, .badSpell, .idPatternMiss, .badNHSNumber,
    ]

    /// Chunk sizes the first byte chooses from: mostly tiny, so records, quotes, CRLF pairs and
    /// byte-order marks straddle chunk boundaries.
    static let chunkSizes = [1, 2, 3, 5, 7, 16, 251, 4096]

    /// Date formats the first byte chooses from.
    static let dateFormats: [DateFormat] = [
        .auto, DateFormat(order: .dayMonthYear, allowsTime: false),
        DateFormat(order: .yearMonthDay, allowsTime: true), DateFormat(order: .either, allowsTime: false),
    ]

    /// Loads `bytes` as the engine's own format and as a source mapped from its own header, each
    /// under the fail and the reject policy, and checks what every load returns or throws; then
    /// parses `bytes` as a project file.
    static func check(_ bytes: [UInt8]) {
        let selector = bytes.first ?? 0
        let chunk = chunkSizes[Int(selector & 7)]
        let loader = EventLoader(policy: .failFast, chunkSize: chunk,
                                 maxFieldBytes: selector & 0x80 != 0 ? 48 : 1 << 20)
        let input = InputSource.bytes(name: "fuzz.csv", bytes, chunkSize: chunk)
        let engineFormat = EventSource(input)
        let ownHeader = ownHeaderSource(input, bytes,
                                        encoding: selector & 8 == 0 ? .utf8 : .windows1252,
                                        dateFormat: dateFormats[Int(selector >> 4) & 3])
        let maxRejects = selector & 0x40 != 0 ? 2 : nil
        for source in [engineFormat, ownHeader] {
            compare(source, loader: loader, maxRejects: maxRejects)
        }
        checkParts(bytes, selector: selector, chunk: chunk, maxFieldBytes: loader.maxFieldBytes, maxRejects: maxRejects)
        _ = try? ProjectFile.parse(Data(bytes), path: "fuzz/cof.json")
    }

    /// Bytes per part the read in parts chooses from: a small input still makes many parts.
    static let partSizes = [16, 61, 251, 4096]

    /// Where inputs are written for the read in parts (which reads regular files only).
    static let scratchFile = FileManager.default.temporaryDirectory.appendingPathComponent("cof-fuzz-\(getpid()).csv").path

    /// `bytes` written to a file and scanned in parts of a few bytes, taken in turn by two or
    /// three workers, must give the rows (in any order), reconciliation and rejects of scanning
    /// the file whole, or the same error, under both policies; every other person is followed.
    static func checkParts(_ bytes: [UInt8], selector: UInt8, chunk: Int, maxFieldBytes: Int, maxRejects: Int?) {
        guard FileManager.default.createFile(atPath: scratchFile, contents: Data(bytes)) else { fail("cannot write \(scratchFile)") }
        let source = EventSource(.file(scratchFile))
        var followed = StringDictionary()
        if let table = try? EventLoader(policy: ErrorPolicy(mode: .reject)).load([source]) {
            for code in table.persons.codesInByteOrder() where code % 2 == 0 { _ = followed.intern(table.persons[code]) }
        }
        let following = FollowedPeople(followed)
        for policy in [ErrorPolicy.failFast, ErrorPolicy(mode: .reject, maxRejectsPerSource: maxRejects)] {
            var whole = EventLoader(policy: policy, chunkSize: chunk, maxFieldBytes: maxFieldBytes, workers: 1)
            whole.morselRows = 3
            var parts = EventLoader(policy: policy, chunkSize: chunk, maxFieldBytes: maxFieldBytes,
                                    workers: 2 + Int(selector >> 5 & 1), parallelThreshold: 0)
            parts.partBytes = partSizes[Int(selector >> 3) & 3]
            parts.morselRows = 3
            let expected = scanOutcome(source, loader: whole, following: following)
            let actual = scanOutcome(source, loader: parts, following: following)
            require(actual == expected, "read in parts of \(parts.partBytes) bytes by \(parts.workers) workers (\(policy.mode)): \(actual.prefix(2_000))\nwhole: \(expected.prefix(2_000))")
        }
    }

    /// A scan's rows (sorted), reconciliation and rejects, or its error, as text.
    static func scanOutcome(_ source: EventSource, loader: EventLoader, following: FollowedPeople) -> String {
        var recorder = RowRecorder()
        do {
            let table = try loader.scan([source], following: following, into: &recorder).finish()
            let rows = recorder.rows.map { "\($0.person)|\($0.service)|\($0.event)|\($0.day)|\($0.quantity)" }.sorted()
            return (rows + table.sources.map(\.description) + table.rejects.map(\.description)).joined(separator: "\n")
        } catch {
            return "error: \(error)"
        }
    }

    /// Loads `source` under both policies and checks each result and how they agree.
    static func compare(_ source: EventSource, loader: EventLoader, maxRejects: Int?) {
        var failing = loader
        failing.policy = .failFast
        var rejecting = loader
        rejecting.policy = ErrorPolicy(mode: .reject, maxRejectsPerSource: maxRejects)
        let failed = Result { () throws(IngestError) in try failing.load([source]) }
        let rejected = Result { () throws(IngestError) in try rejecting.load([source]) }
        for (result, policy) in [(failed, failing.policy), (rejected, rejecting.policy)] {
            switch result {
            case .success(let table): checkTable(table, policy: policy)
            case .failure(let error): checkError(error)
            }
        }
        checkScan(source, loader: rejecting, table: rejected)
        switch (failed, rejected) {
        case (.success(let a), .success(let b)):
            require(b.rejects.isEmpty, "fail mode loaded the file but reject mode rejected \(b.rejects.count) rows")
            require(sameRows(a, b), "fail and reject mode loaded different rows from a file with no bad rows")
        case (.success, .failure(let error)):
            fail("fail mode loaded the file but reject mode stopped: \(error)")
        case (.failure(let error), .success(let table)):
            require(rowKinds.contains(error.kind), "fail mode stopped on \(error.kind.rawValue), which reject mode got past")
            require(table.rejects.first == error, "fail mode stopped at \(error) but reject mode's first reject is \(String(describing: table.rejects.first))")
        case (.failure(let a), .failure(let b)):
            if !rowKinds.contains(a.kind) {
                require(a == b, "fail mode stopped at \(a) but reject mode at \(b)")
            } else if let failedAt = a.record, let rejectedAt = b.record {
                require(rejectedAt >= failedAt, "fail mode stopped at \(a) but reject mode earlier, at \(b)")
            }
        }
    }

    /// What must hold of a loaded table.
    static func checkTable(_ table: EventTable, policy: ErrorPolicy) {
        require(table.sources.count == 1, "one source gave \(table.sources.count) reconciliations")
        let source = table.sources[0]
        require(source.balances, "unbalanced: \(source)")
        // A loaded row is one event, or a spell's nights (at least one, at most the cap each).
        require(source.loaded <= table.count && table.count <= source.loaded * Int(Spell.maximumNights),
                "\(source) but the table has \(table.count) rows")
        require(source.rejected == table.rejects.count, "\(source) but \(table.rejects.count) rejects were kept")
        require(source.read >= 0 && source.blank >= 0 && source.rejected >= 0, "negative count: \(source)")
        if policy.mode == .fail { require(table.rejects.isEmpty, "fail mode kept rejects") }
        if let limit = policy.maxRejectsPerSource { require(table.rejects.count <= limit, "\(table.rejects.count) rejects over a limit of \(limit)") }
        let columns = [table.person.count, table.service.count, table.event.count, table.day.count,
                       table.quantity.count, table.explicitCost.count, table.explicitCostValidity.count]
        require(columns.allSatisfy { $0 == table.count }, "columns of unequal length \(columns) for \(table.count) rows")
        for i in 0..<table.count {
            require(table.person[i] >= 0 && Int(table.person[i]) < table.persons.count, "row \(i): person code out of range")
            require(table.service[i] >= 0 && Int(table.service[i]) < table.services.count, "row \(i): service code out of range")
            require(table.event[i] >= 0 && Int(table.event[i]) < table.events.count, "row \(i): event code out of range")
            require(table.quantity[i] > 0, "row \(i): quantity \(table.quantity[i])")
            require(!table.persons[table.person[i]].isEmpty, "row \(i): empty person ID loaded")
            require(!table.services[table.service[i]].isEmpty && !table.events[table.event[i]].isEmpty, "row \(i): empty service or event loaded")
            for name in [table.persons[table.person[i]], table.services[table.service[i]], table.events[table.event[i]]] {
                require(!name.unicodeScalars.contains { $0 == "\u{0}" || $0 == "\u{FEFF}" }, "row \(i): a NUL or a byte-order mark loaded in an ID or a name")
            }
        }
        var previous = 1
        for reject in table.rejects {
            require(rowKinds.contains(reject.kind), "a \(reject.kind.rawValue) was rejected instead of stopping the load")
            guard let record = reject.record, let line = reject.line else { fail("reject without a position: \(reject)") }
            require(record >= 2, "the header (record 1) was rejected as a data row: \(reject)")
            require(record > previous, "rejects out of order or repeated: record \(record) after \(previous)")
            require(line >= record, "reject at record \(record) on line \(line): a record cannot start before its own line")
            previous = record
        }
    }

    /// A streaming scan of `source` that follows every other person of the table load must
    /// see the same rows (in morsels of three), code the followed people as the table's
    /// dictionary does and everyone else -1, and report the same sources, rejects or error.
    static func checkScan(_ source: EventSource, loader: EventLoader, table: Result<EventTable, IngestError>) {
        var followed = StringDictionary()
        if case .success(let table) = table {
            for code in table.persons.codesInByteOrder() where code % 2 == 0 { _ = followed.intern(table.persons[code]) }
        }
        var scanning = loader
        scanning.morselRows = 3
        var recorder = RowRecorder()
        let scanned = Result { () throws(IngestError) in
            try scanning.scan([source], following: FollowedPeople(followed), into: &recorder)
        }
        switch (table, scanned) {
        case (.success(let table), .success(let builder)):
            let scannedTable = builder.finish()
            require(scannedTable.count == 0, "a scan kept \(scannedTable.count) rows")
            require(scannedTable.sources == table.sources && scannedTable.rejects == table.rejects, "a scan reported other sources or rejects")
            require(recorder.rows.count == table.count, "a scan saw \(recorder.rows.count) rows of \(table.count)")
            for (i, row) in recorder.rows.enumerated() where i < table.count {
                let expected = followed.code(of: table.persons[table.person[i]]) ?? -1
                require(row.person == expected, "row \(i): the scan coded the person \(row.person), expected \(expected)")
                require(row.day == table.day[i] && row.quantity == table.quantity[i]
                            && row.service == table.services[table.service[i]] && row.event == table.events[table.event[i]],
                        "row \(i) differs between the scan and the table")
            }
        case (.failure(let a), .failure(let b)):
            require(a == b, "the table load stopped at \(a) but the scan at \(b)")
        default:
            fail("the table load and the scan disagree: \(table) vs \(scanned)")
        }
    }

    /// Keeps what a scan is handed, row by row, with strings resolved.
    struct RowRecorder: EventScan {
        struct Row { var person: Int32; var service: String; var event: String; var day: Int32; var quantity: Int32 }
        var rows: [Row] = []
        func empty() -> RowRecorder { RowRecorder() }
        var hasStopped: Bool { false }
        mutating func take(_ morsel: borrowing EventTableBuilder) {
            let table = morsel.finish()
            for i in 0..<table.count {
                rows.append(Row(person: table.person[i], service: table.services[table.service[i]], event: table.events[table.event[i]],
                                day: table.day[i], quantity: table.quantity[i]))
            }
        }
        mutating func append(_ later: consuming RowRecorder, recoding: EventTableBuilder.Recoding) {
            rows += later.rows
        }
    }

    /// What must hold of an error: it names the file, and a position when it has one is sane.
    static func checkError(_ error: IngestError) {
        require(error.file == "fuzz.csv", "error names \(error.file)")
        if let record = error.record {
            require(record >= 1, "record \(record)")
            require((error.line ?? record) >= record, "error at record \(record) on line \(error.line ?? -1)")
        }
        if error.kind == .emptyFile { require(error.record == nil, "empty file with a record number") }
    }

    /// Whether two tables hold the same rows with the same strings.
    static func sameRows(_ a: EventTable, _ b: EventTable) -> Bool {
        a.count == b.count && a.day == b.day && a.quantity == b.quantity
            && a.explicitCostValidity == b.explicitCostValidity
            && (0..<a.count).allSatisfy { i in
                a.persons[a.person[i]] == b.persons[b.person[i]] && a.services[a.service[i]] == b.services[b.service[i]]
                    && a.events[a.event[i]] == b.events[b.event[i]]
                    && (!a.explicitCostValidity[i] || a.explicitCost[i] == b.explicitCost[i])
            }
    }

    /// A source mapped from the input's own first line, so that any header (an agency's `NHS
    /// Number`, `Arrival Date`, ...) reaches row decoding: its first cells are taken, in order, as
    /// person_id, date, event, service, quantity and cost; service and event are constants when
    /// there are too few cells. The delimiter is the commonest of `,` `;` tab `|` on that line.
    static func ownHeaderSource(_ input: InputSource, _ bytes: [UInt8], encoding: TextEncoding, dateFormat: DateFormat) -> EventSource {
        var line = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        if let end = line.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) { line = Array(line[..<end]) }
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]
        let delimiter = candidates.max { a, b in line.count(where: { $0 == a }) < line.count(where: { $0 == b }) } ?? UInt8(ascii: ",")
        let cells = line.split(separator: delimiter, omittingEmptySubsequences: false).map { cell in
            String(decoding: cell.filter { $0 != UInt8(ascii: "\"") }, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }
        var columns: [EventLoader.Column: String] = [:]
        let order: [EventLoader.Column] = [.personID, .date, .event, .service, .quantity, .cost]
        for (column, cell) in zip(order, cells) where !cell.isEmpty && !columns.values.contains(cell) {
            columns[column] = cell
        }
        return EventSource(input, name: "own header", columns: columns,
                           constantService: columns[.service] == nil ? "Fuzz service" : nil,
                           constantEvent: columns[.event] == nil ? "fuzz event" : nil,
                           dateFormat: dateFormat, dialect: CSVDialect(delimiter: delimiter), encoding: encoding)
    }

    static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        FuzzDriver.require(condition, message())
    }

    static func fail(_ message: String) -> Never {
        FuzzDriver.fail(message)
    }
}
