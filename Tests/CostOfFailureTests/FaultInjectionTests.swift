import Testing
import CostOfFailure

/// Where a rejected row was, as the loader must report it.
private struct RejectPosition: Hashable, Comparable, CustomStringConvertible {
    var line: Int
    var record: Int
    var kind: IngestError.Kind
    var column: String?

    init(line: Int, record: Int, kind: IngestError.Kind, column: String?) {
        self.line = line
        self.record = record
        self.kind = kind
        self.column = column
    }

    init(_ error: IngestError) {
        self.init(line: error.line ?? -1, record: error.record ?? -1, kind: error.kind, column: error.column)
    }

    static func < (a: RejectPosition, b: RejectPosition) -> Bool { (a.record, a.line) < (b.record, b.line) }

    var description: String { "line \(line) record \(record) \(kind.rawValue) \(column ?? "-")" }
}

/// An events file written from a seed with known faults in it, and the same file without them.
///
/// Text fields come from pools that hold quoted commas, doubled quotes and quoted line breaks
/// (LF and CRLF), so physical lines run ahead of record numbers; rows end in LF or CRLF; blank
/// (and space-only) lines fall between rows. A few rows per thousand carry exactly one fault,
/// and the position the loader must report for it is worked out while writing.
private struct FaultyEventsFile {
    /// A good row as the table must hold it.
    struct Row: Equatable, CustomStringConvertible {
        var person, service, event: String
        var day: Int32
        var quantity: Int32
        var cost: Pence?
        var description: String { "\(person)|\(service)|\(event)|\(day)|\(quantity)|\(cost.map { String($0) } ?? "-")" }
    }

    /// The kinds of fault injected (blank lines are not faults, so they are not here).
    enum Fault: CaseIterable {
        case impossibleDate, badQuantity, badAmount, emptyPersonID, excelMangledID, extraField, missingField
        case strayQuote, invalidUTF8
    }

    static let header = ["person_id", "service", "event", "date", "quantity", "cost"]
    static let services = ["A&E", "Police", "Supported accommodation", "Hostel, night shelter", "Court \"Crown\"",
                           "Mental health\ncrisis", "Probation\r\nservice", "Älvsjö", "GP", "Ambulance"]
    static let events = ["attendance", "arrest", "night", "visit, follow-up", "arrest \"NFA\"", "bed day", "see\nand\ntreat"]
    /// Fields that need no quoting, for the fields after a stray quote (the loader skips to the
    /// end of that physical line, so nothing after it may break the line).
    static let plainWords = ["x", "Police", "arrest", "night", "GP"]

    /// The file with faults, and without them (same rows in the same order otherwise).
    var faulty: [UInt8] = []
    var clean: [UInt8] = []
    /// Each injected fault's position, in file order.
    var faults: [RejectPosition] = []
    /// Records after the header, faulty ones included, and blank lines written.
    var dataRows = 0
    var blankLines = 0
    /// The good rows, in order.
    var rows: [Row] = []
    var people: [String] = []
    let firstDay = day("2015-01-01").daysSinceEpoch
    let lastDay = day("2024-12-31").daysSinceEpoch

    init(seed: UInt64, rows rowCount: Int) {
        var random = SplitMix64(seed: seed)
        people = (0..<Int.random(in: 40...150, using: &random)).map { "P\($0 * 7919 % 100_000)-\($0)" }
        people += ["9434765919", "O'Brien, Pat", "Quote \"Q\" 7", "Zoë"]
        let crlfShare = [0, 1, 4, 8].randomElement(using: &random)!  // eighths of rows ending in CRLF
        let faultsPerThousand = Int.random(in: 2...8, using: &random)
        var line = 1, record = 1

        func terminator(_ random: inout SplitMix64) -> [UInt8] {
            Int.random(in: 0..<8, using: &random) < crlfShare ? [0x0D, 0x0A] : [0x0A]
        }
        func write(_ bytes: [UInt8], clean isClean: Bool) {
            faulty += bytes
            if isClean { clean += bytes }
        }

        if Int.random(in: 0..<3, using: &random) == 0 { write([0xEF, 0xBB, 0xBF], clean: true) }
        write(Self.join(Self.header.map { Array($0.utf8) }) + terminator(&random), clean: true)
        line += 1
        let endsWithoutTerminator = Bool.random(using: &random)
        for r in 0..<rowCount {
            while Int.random(in: 0..<250, using: &random) == 0 {
                let spaces = [UInt8](repeating: 0x20, count: Int.random(in: 0...2, using: &random))
                write(spaces + terminator(&random), clean: true)
                blankLines += 1
                line += 1
            }
            var row = Row(person: people.randomElement(using: &random)!, service: Self.services.randomElement(using: &random)!,
                          event: Self.events.randomElement(using: &random)!,
                          day: Int32.random(in: firstDay...lastDay, using: &random), quantity: 1, cost: nil)
            var fields: [[UInt8]] = [Self.text(row.person, &random), Self.text(row.service, &random),
                                     Self.text(row.event, &random), Self.date(row.day, &random)]
            if Bool.random(using: &random) {
                row.quantity = Int32.random(in: 1...14, using: &random)
                fields.append(Self.maybeQuoted(Array(String(row.quantity).utf8), &random))
            } else {
                fields.append([])
            }
            if Int.random(in: 0..<4, using: &random) == 0 {
                let pence = Pence.random(in: -500_000...5_000_000, using: &random)
                row.cost = pence
                fields.append(Self.money(pence, &random))
            } else {
                fields.append([])
            }
            record += 1
            dataRows += 1
            let isLast = r == rowCount - 1
            let end = isLast && endsWithoutTerminator ? [] : terminator(&random)

            let isFaulty = Int.random(in: 0..<1000, using: &random) < faultsPerThousand
            if isFaulty {
                let (kind, column) = Self.inject(Fault.allCases.randomElement(using: &random)!, into: &fields, &random)
                faults.append(RejectPosition(line: line, record: record, kind: kind, column: column))
            } else {
                rows.append(row)
            }
            let bytes = Self.join(fields)
            write(bytes + end, clean: !isFaulty)
            line += Self.lineBreaks(in: bytes) + (end.isEmpty ? 0 : 1)
        }
        if !endsWithoutTerminator {
            for _ in 0..<Int.random(in: 0...2, using: &random) {
                write(terminator(&random), clean: true)
                blankLines += 1
            }
        }
    }

    /// Spoils one field of a good row, and says what the loader must call it.
    static func inject(_ fault: Fault, into fields: inout [[UInt8]], _ random: inout SplitMix64) -> (IngestError.Kind, String?) {
        switch fault {
        case .impossibleDate:
            fields[3] = Array(["31/02/2023", "2023-13-01", "2021-02-29", "29/02/2021", "2023-04-31T10:00:00"].randomElement(using: &random)!.utf8)
            return (.badDate, "date")
        case .badQuantity:
            fields[4] = maybeQuoted(Array(["0", "-3", "1.5", "00"].randomElement(using: &random)!.utf8), &random)
            return (.badQuantity, "quantity")
        case .badAmount:
            fields[5] = text(["12.345", "1,23.4", "12,34", "£", "1.2.3"].randomElement(using: &random)!, &random)
            return (.badNumber, "cost")
        case .emptyPersonID:
            fields[0] = Array(["", "\"\"", "  "].randomElement(using: &random)!.utf8)
            return (.missingValue, "person_id")
        case .excelMangledID:
            fields[0] = maybeQuoted(Array(["6.01884E+15", "9.43477e+09", "1E10"].randomElement(using: &random)!.utf8), &random)
            return (.excelMangledID, "person_id")
        case .extraField:
            // At the end: one extra field is tolerated when it is blank (a trailing delimiter), never here.
            fields.append(Array(["extra", "0", "x y"].randomElement(using: &random)!.utf8))
            return (.wrongFieldCount, nil)
        case .missingField:
            fields.remove(at: Int.random(in: 1..<fields.count, using: &random))
            return (.wrongFieldCount, nil)
        case .strayQuote:
            let target = Int.random(in: 0...2, using: &random)
            var word = Array(plainWords.randomElement(using: &random)!.utf8)
            word.insert(UInt8(ascii: "\""), at: Int.random(in: 1...word.count, using: &random))
            fields[target] = word
            for later in target + 1..<fields.count where fields[later].contains(0x0A) || fields[later].contains(0x0D) {
                fields[later] = Array(plainWords.randomElement(using: &random)!.utf8)
            }
            return (.badQuoting, header[target])
        case .invalidUTF8:
            let bad: [[UInt8]] = [[0xFF], [0xE9], [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0xAF]]
            var word = Array("Caf".utf8) + bad.randomElement(using: &random)!
            if Bool.random(using: &random) { word += Array(" night".utf8) }
            fields[1] = maybeQuoted(word, &random)
            return (.badEncoding, "service")
        }
    }

    /// A text field, quoted when it must be and sometimes when it need not be.
    static func text(_ value: String, _ random: inout SplitMix64) -> [UInt8] {
        let bytes = Array(value.utf8)
        let special: Set<UInt8> = [UInt8(ascii: ","), UInt8(ascii: "\""), 0x0A, 0x0D]
        return bytes.contains(where: special.contains) ? quoted(bytes) : maybeQuoted(bytes, &random)
    }

    static func quoted(_ bytes: [UInt8]) -> [UInt8] {
        [UInt8(ascii: "\"")] + bytes.flatMap { $0 == UInt8(ascii: "\"") ? [$0, $0] : [$0] } + [UInt8(ascii: "\"")]
    }

    static func maybeQuoted(_ bytes: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        Int.random(in: 0..<6, using: &random) == 0 ? quoted(bytes) : bytes
    }

    /// A day as `YYYY-MM-DD` or `D/M/YYYY` (padded or not), sometimes with a time.
    static func date(_ day: Int32, _ random: inout SplitMix64) -> [UInt8] {
        let (y, m, d) = CivilDate(daysSinceEpoch: day).components
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let text: String
        switch Int.random(in: 0..<5, using: &random) {
        case 0: text = "\(y)-\(two(m))-\(two(d))"
        case 1: text = "\(two(d))/\(two(m))/\(y)"
        case 2: text = "\(d)/\(m)/\(y)"
        case 3: text = "\(y)-\(two(m))-\(two(d))T\(two(Int.random(in: 0...23, using: &random))):30:00"
        default: text = "\(two(d))/\(two(m))/\(y) \(two(Int.random(in: 0...23, using: &random))):05"
        }
        return maybeQuoted(Array(text.utf8), &random)
    }

    /// An amount in one of the forms exports use: `12.5`, `£1,234.56` (quoted), `-12.50`, `(12.50)`.
    static func money(_ pence: Pence, _ random: inout SplitMix64) -> [UInt8] {
        let m = pence.magnitude
        let pounds = m / 100, rest = m % 100
        let grouped = Bool.random(using: &random)
        var digits = String(pounds)
        if grouped {
            var groups: [String] = []
            var p = pounds
            repeat {
                let g = p % 1000
                p /= 1000
                groups.insert(p > 0 ? String(repeating: "0", count: 3 - String(g).count) + String(g) : String(g), at: 0)
            } while p > 0
            digits = groups.joined(separator: ",")
        }
        var number = digits
        if rest != 0 || Bool.random(using: &random) {
            number += rest % 10 == 0 && Bool.random(using: &random) ? ".\(rest / 10)" : ".\(rest < 10 ? "0" : "")\(rest)"
        }
        if Bool.random(using: &random) { number = "£" + number }
        if pence < 0 { number = Bool.random(using: &random) ? "(\(number))" : "-" + number }
        let bytes = Array(number.utf8)
        return grouped && pounds >= 1000 ? quoted(bytes) : maybeQuoted(bytes, &random)
    }

    static func join(_ fields: [[UInt8]]) -> [UInt8] {
        Array(fields.joined(separator: [UInt8(ascii: ",")]))
    }

    /// Physical line breaks in `bytes`: CR, LF and CRLF each count once.
    static func lineBreaks(in bytes: [UInt8]) -> Int {
        var count = 0
        for (i, byte) in bytes.enumerated() where byte == 0x0D || (byte == 0x0A && (i == 0 || bytes[i - 1] != 0x0D)) {
            count += 1
        }
        return count
    }

    /// Interventions for about half the people, and prices for most services.
    func studyInputs(seed: UInt64) -> (InterventionTable, UnitCostTable) {
        var random = SplitMix64(seed: seed ^ 0xFA17)
        var interventions: [InterventionTable.Entry] = []
        for person in people where Bool.random(using: &random) {
            interventions.append(.init(personID: person, start: CivilDate(daysSinceEpoch: Int32.random(in: firstDay...lastDay, using: &random))))
        }
        var prices: [UnitCostTable.Entry] = []
        for service in Self.services {
            for event in Self.events where Int.random(in: 0..<3, using: &random) > 0 {
                prices.append(.init(service: service, event: event, unitCostPence: Pence.random(in: 0...400_000, using: &random)))
            }
            if Bool.random(using: &random) {
                prices.append(.init(service: service, event: UnitCostTable.anyEvent, unitCostPence: Pence.random(in: 1...9_000, using: &random)))
            }
        }
        return (InterventionTable(entries: interventions), UnitCostTable(entries: prices))
    }
}

/// The table's rows in the test's own terms.
private func rows(_ table: EventTable) -> [FaultyEventsFile.Row] {
    (0..<table.count).map { i in
        FaultyEventsFile.Row(person: table.persons[table.person[i]], service: table.services[table.service[i]],
                             event: table.events[table.event[i]], day: table.day[i], quantity: table.quantity[i],
                             cost: table.explicitCostValidity[i] ? table.explicitCost[i] : nil)
    }
}

/// A chunk size in 1...4096, log-uniform so that tiny chunks come up as often as large ones.
private func chunkSize(_ random: inout SplitMix64) -> Int {
    let bits = Int.random(in: 0...12, using: &random)
    return Int.random(in: (1 << bits)...min(4096, (2 << bits) - 1), using: &random)
}

@Suite("Fault injection: nothing is lost")
struct FaultInjectionTests {
    @Test("Each injected fault is rejected once where it was written; the rest loads as if the faults were never there",
          arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func everyFaultAccountedFor(seed: UInt64) throws {
        var random = SplitMix64(seed: seed &* 0x5DEE_CE66)
        let file = FaultyEventsFile(seed: seed, rows: Int.random(in: 2_000...4_000, using: &random))
        let chunk = chunkSize(&random)
        let context = "seed \(seed), chunk size \(chunk)"
        #expect(!file.faults.isEmpty, "\(context): the generator should inject faults")

        let loader = EventLoader(policy: ErrorPolicy(mode: .reject), chunkSize: chunk)
        let loaded = try loader.load([.bytes(name: "faulty.csv", file.faulty, chunkSize: chunk)])

        let reconciliation = try #require(loaded.sources.first)
        #expect(reconciliation.balances, "\(context): \(reconciliation)")
        #expect(reconciliation.read == file.dataRows + file.blankLines, "\(context): \(reconciliation)")
        #expect(reconciliation.blank == file.blankLines, "\(context)")
        #expect(reconciliation.rejected == file.faults.count, "\(context)")
        #expect(reconciliation.loaded == file.rows.count, "\(context)")

        let rejected = loaded.rejects.map(RejectPosition.init)
        #expect(Set(rejected).count == rejected.count, "\(context): a row was rejected twice")
        let missed = Set(file.faults).subtracting(rejected).sorted()
        let unexpected = Set(rejected).subtracting(file.faults).sorted()
        #expect(missed.isEmpty, "\(context): faults not rejected where written: \(missed)")
        #expect(unexpected.isEmpty, "\(context): rejects that match no fault: \(unexpected)")
        #expect(loaded.rejects.allSatisfy { $0.file == "faulty.csv" }, "\(context)")

        let clean = try EventLoader().load([.bytes(name: "clean.csv", file.clean, chunkSize: 1 << 16)])
        #expect(clean.sources.first?.rejected == 0)
        let cleanRows = rows(clean), loadedRows = rows(loaded)
        #expect(cleanRows.count == file.rows.count, "\(context)")
        let firstWrong = zip(cleanRows, file.rows).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstWrong == nil, "\(context): the clean file loads other values than were written")
        #expect(loadedRows.count == cleanRows.count, "\(context)")
        let firstDifference = zip(loadedRows, cleanRows).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstDifference == nil, "\(context): first differing row")
        // Rejected rows add nothing to the dictionaries, so codes agree too.
        #expect(loaded.persons.values == clean.persons.values, "\(context)")
        #expect(loaded.services.values == clean.services.values, "\(context)")
        #expect(loaded.events.values == clean.events.values, "\(context)")

        let (interventions, unitCosts) = file.studyInputs(seed: seed)
        let windows = StudyWindows(before: WindowSpan(1, .years), after: WindowSpan(18, .months),
                                   observationEnd: seed.isMultiple(of: 2) ? day("2023-06-30") : nil)
        let fromFaulty = try BeforeAfterTable(study: Study(events: loaded, unitCosts: unitCosts, interventions: interventions, windows: windows)).rows
        let fromClean = try BeforeAfterTable(study: Study(events: clean, unitCosts: unitCosts, interventions: interventions, windows: windows)).rows
        #expect(!fromClean.isEmpty, "\(context)")
        #expect(fromFaulty == fromClean, "\(context)")
    }

    @Test("A reject limit of 2 stops on the third fault; fail mode stops on the first, where reject mode set it aside",
          arguments: [21, 22, 23, 24] as [UInt64])
    func limitsAndFailFast(seed: UInt64) throws {
        var random = SplitMix64(seed: seed &* 0x5DEE_CE66)
        let file = FaultyEventsFile(seed: seed, rows: 3_000)
        try #require(file.faults.count >= 3, "seed \(seed) injected too few faults")
        let chunk = chunkSize(&random)
        let input = InputSource.bytes(name: "faulty.csv", file.faulty, chunkSize: chunk)
        let context = "seed \(seed), chunk size \(chunk)"

        let limited = ingestError {
            _ = try EventLoader(policy: ErrorPolicy(mode: .reject, maxRejectsPerSource: 2), chunkSize: chunk).load([input])
        }
        #expect(limited?.kind == .tooManyRejects, "\(context)")
        #expect(limited?.line == file.faults[2].line, "\(context)")
        #expect(limited?.record == file.faults[2].record, "\(context)")

        let rejecting = try EventLoader(policy: ErrorPolicy(mode: .reject), chunkSize: chunk).load([input])
        let firstReject = try #require(rejecting.rejects.first)
        let failure = ingestError { _ = try EventLoader(policy: .failFast, chunkSize: chunk).load([input]) }
        #expect(failure == firstReject, "\(context)")
        #expect(failure.map(RejectPosition.init) == file.faults.first, "\(context)")
    }
}
