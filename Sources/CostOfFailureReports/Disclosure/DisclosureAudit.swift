import CostOfFailure

/// The input of the interval audit (`scripts/disclosure-audit`): for every count and money cell
/// of tables written together, its exact value and what was published of it, and the sums that
/// tie the cells. An auditor solves, for each withheld cell, the least and the greatest value it
/// can take given every published figure (a rounded count as a range) and every sum.
///
/// The description holds exact figures: it is working data for the secure environment, written
/// like any person-level output, never for release.
public enum DisclosureAudit {
    /// The audit's JSON for `exact` (the tables as the analyses made them) and what `control`
    /// decided of them (`decision`, from ``DisclosureControl/decide(_:)``).
    public static func json(_ exact: LinkedTables, decision: DisclosureControl.Decision, control: DisclosureControl) -> String {
        let rule = control.rule
        var included = Set<String>()
        var cells: [String] = []
        for (t, table) in exact.tables.enumerated() {
            let published = decision.published.tables[t]
            for (c, column) in table.columns.enumerated() {
                guard let basis = DisclosureControl.State.basis(of: column, in: table) else { continue }
                let values: [Int64], isMoney: Bool
                switch column.values {
                case .integer(let v): (values, isMoney) = (v, false)
                case .money(let v): (values, isMoney) = (v, true)
                default: continue
                }
                let shown = published.columns[c]
                for r in values.indices where column.state(r) == .value {
                    let reference = CellReference(table: table.name, column: column.name, row: r)
                    let id = reference.description
                    included.insert(id)
                    var fields = ["\"id\":\(quoted(id))", "\"kind\":\"\(isMoney ? "money" : "count")\"", "\"true\":\(values[r])"]
                    if shown.state(r) == .value {
                        let value: Int64
                        switch shown.values {
                        case .integer(let v): value = v[r]
                        case .money(let v): value = v[r]
                        default: value = 0
                        }
                        fields.append("\"published\":\(value)")
                        fields.append("\"rounded\":\(!isMoney && basis.role == .count && rule.rounding.base > 1)")
                    } else {
                        fields.append("\"published\":null")
                    }
                    fields.append("\"primary\":\(decision.sensitive.contains(reference))")
                    if values[r] < 0 { fields.append("\"signed\":true") }
                    cells.append("{" + fields.joined(separator: ",") + "}")
                }
            }
        }
        // A mirror that repeats its source's value exactly is an equality the attacker knows.
        var values: [String: Int64] = [:]
        for table in exact.tables {
            for column in table.columns {
                switch column.values {
                case .integer(let v), .money(let v):
                    for r in v.indices where column.state(r) == .value { values[CellReference(table: table.name, column: column.name, row: r).description] = v[r] }
                default: continue
                }
            }
        }
        let equalities = exact.mirrors.compactMap { pair -> LinkedTotal? in
            guard let a = values[pair.source.description], let b = values[pair.mirror.description], a == b else { return nil }
            return LinkedTotal(total: pair.source, parts: [pair.mirror])
        }
        let relations = (exact.linkedTotals + equalities).compactMap { relation -> String? in
            let ids = ([relation.total] + relation.parts).map(\.description)
            guard ids.count > 1, ids.allSatisfy(included.contains) else { return nil }
            return "{\"total\":\(quoted(ids[0])),\"parts\":[" + ids.dropFirst().map(quoted).joined(separator: ",") + "]}"
        }
        return "{\"rule\":{\"name\":\(quoted(rule.name.rawValue)),\"threshold\":\(rule.threshold),\"rounding\":\(rule.rounding.base)},\n\"cells\":[\n"
            + cells.joined(separator: ",\n") + "\n],\n\"relations\":[\n" + relations.joined(separator: ",\n") + "\n]}\n"
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
