// A fuzz target for the project file (`cof.json` and `cof.toml`, `ProjectFile.parse`): arbitrary
// bytes are parsed as one of each, and what it promises is checked: a refusal names the file and is a
// `ProjectFile.Failure`; what it accepts is consistent (spans, dates and the price base read back
// from their own text; paths resolved against the project's folder; a whole number of rejects of
// 0 or more) and its windows lay out every index date from 0001 to 9999 without trapping. Built
// with libFuzzer by `scripts/fuzz`, or as a deterministic loop by a plain `swift build` (see
// FuzzDriver).

import CostOfFailure
import Foundation
import FuzzDriver

@main
enum ProjectFileFuzzer {
    static func main() {
        FuzzDriver.run(FuzzTarget(name: "ProjectFileFuzzer", builtInSeeds: builtInSeeds.map { Array($0.utf8) },
                                  interestingBytes: interesting, check: { ProjectFileInvariants.check($0) }))
    }

    static let builtInSeeds = [
        #"{"sources": [{"file": "a.csv", "delimiter": "tab", "date_format": "DD/MM/YYYY HH:MM", "columns": {"person_id": "ID", "quantity": "Nights"}, "service": "Hostel"}], "before": "6m", "after": "12m", "observation_end": "2024-03-31", "price_base": "2024-25", "max_rejects": 3, "on_error": "reject"}"#,
        #"{"sources": [{"file": "/abs/b.csv", "encoding": "windows-1252", "delimiter": ";", "event": "night"}], "unit_costs": "u.csv", "interventions": "../i.csv", "services": "s.csv", "deflator": "d.csv", "comparison": "c.csv", "rejects": "r.csv", "before": "100000y", "after": "0d", "title": "\u00a3 \ud83d\ude00"}"#,
        #"{"sources": [], "before": 6}"#,
        #"{"sources": [{"file": "x.csv", "columns": {"person_id": "P", "date": "D", "service": "S", "event": "E", "quantity": "Q", "cost": "C"}, "date_format": "YYYY-MM-DDTHH:MM:SS"}], "before": "3650d", "after": "1y", "observation_end": "9999-12-31", "price_base": "1999-00", "on_error": "fail", "max_rejects": 0}"#,
        #"{"sources": [{"file": "-", "service": "A&E", "event": "attendance", "columns": {"person_id": "NHS Number"}}], "before": "0m", "observation_end": "0001-01-01"}"#,
        #"{"sources": [{"file": "a.csv", "name": "\"file\": 1"}], "interventions": {"file": "i.csv", "delimiter": ";", "date_format": "DD/MM/YYYY", "encoding": "cp1252", "columns": {"person_id": "Client Ref"}, "person_id": {"trim": true}}, "unit_costs": {"path": "u.csv"}, "before": "6m", "before": "3m"}"#,
        """
        interventions = { file = "i.csv", columns = { person_id = "Client Ref", start_date = "Referral" }, date_format = "DD/MM/YYYY" }
        before = "6m"
        after = "12m"
        observation_end = 2024-03-31
        max_rejects = 3
        [[sources]]
        file = "a.csv"
        columns = { person_id = "NHS Number", date = "Arrival" }
        extract_date = 2024-03-30T10:00:00Z
        [[sources]]
        file = "b.csv"
        file = "c.csv"
        """,
    ]

    /// Bytes that matter to JSON, to TOML and to the values in them (the quote first).
    static let interesting: [UInt8] = [0x22, 0x7B, 0x7D, 0x5B, 0x5D, 0x3A, 0x2C, 0x5C, 0x75, 0x30, 0x39, 0x2D, 0x2E, 0x65,
                                       0x64, 0x6D, 0x79, 0x2F, 0x00, 0xFF, 0xC3, 0xA3, 0x3D, 0x0A, 0x23, 0x27, 0x54, 0x5A]
}

/// What `ProjectFile.parse` promises for any input.
enum ProjectFileInvariants {
    /// The names the bytes are parsed under: as JSON, and as TOML (chosen by the name).
    static let paths = ["fuzz/cof.json", "fuzz/cof.toml"]

    /// Index dates the windows are laid out around: the calendar's ends and a few between.
    static let indexDates = ["0001-01-01", "0001-03-01", "1970-01-01", "2000-02-29", "2023-05-01", "9999-12-31"].map { CivilDate(iso: $0)! }

    static func check(_ bytes: [UInt8]) {
        for path in paths { check(bytes, path: path) }
    }

    static func check(_ bytes: [UInt8], path: String) {
        let project: ProjectFile
        do {
            project = try ProjectFile.parse(Data(bytes), path: path)
        } catch {
            // Compared as bytes: a key quoted after the file may begin with a combining mark,
            // which joins the ": " before it into one Character (found by this fuzzer).
            FuzzDriver.require(error.file == path && error.description.utf8.starts(with: (path + ": ").utf8) && !error.isMissing,
                               "a refusal that does not name the file: \(error)")
            return
        }
        for span in [project.before, project.after].compactMap({ $0 }) {
            FuzzDriver.require(span.count >= 0 && WindowSpan(span.description) == span, "the span \(span) does not read back")
        }
        if let end = project.observationEnd {
            FuzzDriver.require(CivilDate(iso: end.description) == end, "the observation end \(end) does not read back")
        }
        if let base = project.priceBase {
            FuzzDriver.require(FinancialYear(base.description) == base, "the price base \(base) does not read back")
        }
        if let maxRejects = project.maxRejects { FuzzDriver.require(maxRejects >= 0, "max_rejects \(maxRejects)") }
        for input in [project.unitCosts, project.interventions, project.services, project.deflator, project.comparison].compactMap({ $0 })
            + project.sources.map(\.input) {
            if case .file(let file) = input {
                // Bytes, not Characters: a combining mark joins the "/" before it into one.
                FuzzDriver.require(file.utf8.first == UInt8(ascii: "/") || file.utf8.starts(with: "fuzz/".utf8) || file == "-",
                                   "a path not resolved against the project's folder: \(file)")
            }
        }
        let windows = StudyWindows(before: project.before ?? WindowSpan(12, .months), after: project.after ?? WindowSpan(12, .months),
                                   observationEnd: project.observationEnd)
        for index in indexDates + [project.observationEnd].compactMap({ $0 }) {
            let bounds = windows.bounds(index: index)
            FuzzDriver.require(bounds.beforeStart <= index.daysSinceEpoch && bounds.beforeEnd <= index.daysSinceEpoch
                                   && bounds.afterEnd >= index.daysSinceEpoch,
                               "windows around \(index) out of order: \(bounds)")
            if bounds.afterDays > 0 {
                FuzzDriver.require(bounds.period(of: index.daysSinceEpoch) == .after, "the index date \(index) is not in the after window")
            }
            if bounds.beforeDays > 0 {
                FuzzDriver.require(bounds.period(of: bounds.beforeStart) == .before, "the before window's first day is not in it")
            }
        }
    }
}
