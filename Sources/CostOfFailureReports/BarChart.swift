/// A grouped horizontal bar chart as inline SVG: a group of bars per row (a service), one bar
/// per series (before, after), each labelled with its value, over a value axis with ticks.
///
/// Every drawn bar has the class `mark` and a `<title>` naming its row, series and value. A
/// suppressed value draws no bar but the marker in its place (class `suppressed-label`); a
/// missing one draws `–`; a zero draws no bar and the label `£0`.
public struct BarChart: Sendable {
    /// One group of bars.
    public struct Row: Sendable, Equatable {
        /// The row's name (a service).
        public var label: String
        /// One value per series.
        public var values: [ChartValue]

        /// Creates a row.
        public init(label: String, values: [ChartValue]) {
            self.label = label
            self.values = values
        }
    }

    /// A page-unique identifier (for the accessible title's id).
    public var id: String
    /// What the chart shows, for screen readers (the page shows its own caption).
    public var title: String
    /// The series' names, in the order of each row's values.
    public var seriesNames: [String]
    /// The series' colours.
    public var colours: [String]
    /// What the numbers are.
    public var unit: ChartUnit
    /// The rows, top to bottom.
    public var rows: [Row]
    /// What a suppressed value shows.
    public var suppressedMarker: String

    /// Creates a chart; `colours` default to the palette.
    public init(id: String, title: String, seriesNames: [String], colours: [String]? = nil, unit: ChartUnit,
                rows: [Row], suppressedMarker: String = "[c]") {
        self.id = id
        self.title = title
        self.seriesNames = seriesNames
        self.colours = colours ?? seriesNames.indices.map(ChartPalette.colour)
        self.unit = unit
        self.rows = rows
        self.suppressedMarker = suppressedMarker
    }

    /// The chart with its rows ordered by the change from the first series to the last, the
    /// largest fall first; rows whose change cannot be worked out (a value suppressed or missing)
    /// go last. Ties keep their order.
    public func sortedByChange() -> BarChart {
        func change(_ row: Row) -> Int128? {  // 128 bits: the change of any two 64-bit values fits
            guard let first = row.values.first?.number, let last = row.values.last?.number else { return nil }
            return Int128(last) - Int128(first)
        }
        var chart = self
        chart.rows = rows.enumerated().sorted { a, b in
            switch (change(a.element), change(b.element)) {
            case let (x?, y?): return x != y ? x < y : a.offset < b.offset
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.offset < b.offset
            }
        }.map(\.element)
        return chart
    }

    /// The chart as an `<svg>` element.
    public func render() -> String {
        let width = 820.0, labelWidth = 200.0, valueSpace = 96.0, legendHeight = 30.0, axisHeight = 28.0
        let barHeight = 13.0, gap = 11.0
        let rowHeight = Double(seriesNames.count) * barHeight + gap
        let plotLeft = labelWidth + 8, plotWidth = width - plotLeft - valueSpace
        let plotTop = legendHeight, plotHeight = Double(rows.count) * rowHeight
        let height = plotTop + plotHeight + axisHeight
        let numbers = rows.flatMap { $0.values.compactMap(\.number) }
        let scale = ChartScale(minimum: numbers.min() ?? 0, maximum: numbers.max() ?? 0, unit: unit)
        func x(_ value: Int64) -> Double { plotLeft + scale.position(value, length: plotWidth) }

        let summary = "\(rows.count) rows, \(seriesNames.joined(separator: " and ")) for each; the table below gives every value."
        var out = SVGMarkup.open(id: id, width: width, height: height, title: title, description: summary)
        out += SVGMarkup.legend(Array(zip(seriesNames, colours)), x: plotLeft, y: 16)
        // Value axis: grid lines and tick labels.
        out += "<g class=\"axis\">\n"
        for tick in scale.ticks {
            let position = SVGMarkup.number(x(tick))
            out += "<line class=\"\(tick == 0 ? "zero" : "grid")\" x1=\"\(position)\" x2=\"\(position)\" y1=\"\(SVGMarkup.number(plotTop))\" y2=\"\(SVGMarkup.number(plotTop + plotHeight))\"/>\n"
            out += SVGMarkup.text(unit.label(tick), x: x(tick), y: plotTop + plotHeight + 17, anchor: "middle", className: "tick")
        }
        out += "</g>\n"
        for (index, row) in rows.enumerated() {
            let top = plotTop + Double(index) * rowHeight + gap / 2
            out += "<g class=\"row\">\n"
            out += SVGMarkup.text(SVGMarkup.truncated(row.label, to: 30), x: labelWidth, y: top + rowHeight / 2 - 2,
                                  anchor: "end", className: "row-label", title: row.label)
            for (series, value) in row.values.enumerated() where series < seriesNames.count {
                let y = top + Double(series) * barHeight
                let textY = y + barHeight - 3
                let what = "\(row.label), \(seriesNames[series])"
                switch value {
                case .value(let number):
                    if number != 0 {
                        let start = x(min(0, number)), end = x(max(0, number))
                        out += "<rect class=\"mark\" x=\"\(SVGMarkup.number(start))\" y=\"\(SVGMarkup.number(y))\" "
                            + "width=\"\(SVGMarkup.number(max(1, end - start)))\" height=\"\(SVGMarkup.number(barHeight - 1))\" fill=\"\(colours[series])\">"
                            + "<title>\(HTMLRenderer.escape("\(what): \(unit.label(number))"))</title></rect>\n"
                    }
                    let labelX = number < 0 ? x(number) - 4 : x(max(0, number)) + 4
                    out += SVGMarkup.text(unit.label(number), x: labelX, y: textY, anchor: number < 0 ? "end" : "start", className: "value-label")
                case .suppressed:
                    out += SVGMarkup.text(suppressedMarker, x: x(0) + 4, y: textY, className: "suppressed-label",
                                          title: "\(what): suppressed (a small number, or a figure resting on few people)")
                case .missing:
                    out += SVGMarkup.text("–", x: x(0) + 4, y: textY, className: "missing-label", title: "\(what): no value")
                }
            }
            out += "</g>\n"
        }
        return out + "</svg>\n"
    }
}
