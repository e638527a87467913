/// How a table too wide for the screen is laid out: which columns label the rows (and so begin
/// every panel), which columns go in which panel, and how wide each is.
///
/// The label columns are the table's leading text columns, at most two (`person_id, service`;
/// `agency`; a unit cost's `service, event`: more would leave each panel little room), or its
/// first column when it starts with a figure (a trajectory's month); when every column is
/// text, only the first. Every other column can narrow to its *least width*: a figure's
/// widest cell and its header's longest word (the header wraps after its underscores, as
/// `before_` over `cost`), a text column's ten columns (its names wrap), never less than a
/// withheld or missing marker in it.
///
/// The label columns keep their natural width when the other columns all fit beside them at
/// their least widths, or when they do not but at least the widest of them does. When narrowing
/// the labels (the widest first) lets every other column fit while each keeps sixteen columns
/// (or its natural width, if less), they are narrowed and the table is one panel. Otherwise they
/// are narrowed until the widest other column fits beside them; if they cannot then keep six
/// columns each, only the first labels the rows (and keeps six, the widest other column wrapping
/// if the screen is narrower still). The other columns fill panels in their order
/// at their least widths; the room left in a panel then goes to its columns in the order of
/// how little each needs to be shown unwrapped, so that as many headers as can be are on one
/// line; one that cannot have all it needs takes only what saves its header a line.
struct TerminalTableLayout {
    /// One panel: the columns it shows, in order, and their widths.
    struct Panel: Equatable {
        var columns: [Int]
        var widths: [Int]
    }

    /// The panels, top to bottom.
    let panels: [Panel]

    /// The most leading text columns that label the rows.
    static let mostLabels = 2
    /// The narrowest a label column is made while there is more than one.
    static let narrowestLabel = 6
    /// The width down to which label columns give way to fit a table in one panel.
    static let readableLabel = 16

    /// Lays out `cells` for `width` columns (at least ``TerminalTableRenderer/narrowestWidth``).
    init(_ cells: TerminalTableRenderer.Cells, width: Int) {
        let natural = cells.naturalWidths
        let count = natural.count
        guard count > 1 else {
            panels = [Panel(columns: Array(0..<count), widths: natural.map { min($0, width) })]
            return
        }
        let least = natural.indices.map { Self.leastWidth(cells, column: $0, natural: natural[$0]) }
        let leadingText = cells.rightAligned.firstIndex(of: true) ?? count
        var labelCount = leadingText == 0 || leadingText == count ? 1 : min(leadingText, Self.mostLabels)

        var labelWidths: [Int]
        var others: Range<Int>
        repeat {
            others = labelCount..<count
            labelWidths = Array(natural[0..<labelCount])
            let labelTotal = labelWidths.reduce(0, +)
            let allBeside = width - 2 * labelCount - TerminalTableRenderer.Cells.lineWidth(others.map { least[$0] })
            if labelTotal <= allBeside { break }
            let readable = labelWidths.map { min($0, Self.readableLabel) }.reduce(0, +)
            if allBeside >= readable && allBeside >= labelCount * Self.narrowestLabel {
                labelWidths = Self.narrowed(labelWidths, toFit: allBeside, floor: Self.narrowestLabel)
                break
            }
            // Room for the widest other column whole beside the labels, narrowed to no less than
            // six columns each; else the first label alone, given at least six.
            let budget = width - 2 * labelCount - (others.map { least[$0] }.max() ?? 0)
            if labelTotal <= budget { break }
            let floors = labelWidths.map { min($0, Self.narrowestLabel) }
            if labelCount > 1 && floors.reduce(0, +) > budget {
                labelCount = 1
                continue
            }
            labelWidths = Self.narrowed(labelWidths, toFit: max(budget, floors.reduce(0, +)), floor: Self.narrowestLabel)
            break
        } while true

        let labels = Array(0..<labelCount)
        let labelLine = TerminalTableRenderer.Cells.lineWidth(labelWidths)
        let room = max(1, width - labelLine - 2)
        // Columns into panels at their least widths.
        var groups: [[Int]] = [[]]
        var line = labelLine
        for column in others {
            let columnWidth = min(least[column], room)
            if !groups[groups.count - 1].isEmpty && line + 2 + columnWidth > width {
                groups.append([])
                line = labelLine
            }
            groups[groups.count - 1].append(column)
            line += 2 + columnWidth
        }
        // Then each panel's room left to the columns that need least of it to be unwrapped.
        panels = groups.map { group in
            var widths = group.map { min(least[$0], room) }
            var spare = width - labelLine - 2 * group.count - widths.reduce(0, +)
            for k in group.indices.sorted(by: { natural[group[$0]] - widths[$0] < natural[group[$1]] - widths[$1] }) {
                let full = min(natural[group[k]], room)
                if full - widths[k] <= spare {
                    spare -= full - widths[k]
                    widths[k] = full
                    continue
                }
                // Not enough to unwrap it: the least of the spare that gives its header fewest lines.
                let header = cells.header[group[k]]
                let candidates = widths[k]...(widths[k] + spare)
                let fewest = candidates.map { DisplayWidth.lines(header, fitting: $0).count }.min() ?? 1
                if let best = candidates.first(where: { DisplayWidth.lines(header, fitting: $0).count == fewest }) {
                    spare -= best - widths[k]
                    widths[k] = best
                }
            }
            return Panel(columns: labels + group, widths: labelWidths + widths)
        }
    }

    /// The least width `column` is given beside the labels (see the type's description).
    private static func leastWidth(_ cells: TerminalTableRenderer.Cells, column: Int, natural: Int) -> Int {
        let body = cells.body[column]
        if cells.rightAligned[column] {
            // A word's width and the underscore it keeps at the end of its line.
            let words = cells.header[column].split(whereSeparator: { $0 == "_" || $0 == " " })
            let longestWord = words.map { DisplayWidth.of($0) + 1 }.max() ?? 0
            return min(natural, max(body.map(DisplayWidth.of).max() ?? 0, longestWord))
        }
        let markers = body.indices.filter { !cells.isValue(column, $0) }.map { DisplayWidth.of(body[$0]) }
        return min(natural, max(10, markers.max() ?? 0))
    }

    /// `widths` with the widest narrowed, one column at a time, until they sum to at most
    /// `budget` or all are at `floor` (a width already under it is left as it is).
    private static func narrowed(_ widths: [Int], toFit budget: Int, floor: Int) -> [Int] {
        var widths = widths
        while widths.reduce(0, +) > budget {
            guard let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > floor else { break }
            widths[widest] -= 1
        }
        return widths
    }
}
