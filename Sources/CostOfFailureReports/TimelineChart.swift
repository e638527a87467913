/// A stacked column chart over evenly spaced periods (quarters) as inline SVG: a column per
/// period, a coloured segment per series (category) stacked from the axis, with a count axis,
/// period ticks, a legend and an optional marker line (the index date).
///
/// Every drawn segment has the class `mark` and a `<title>` naming its period, series and value.
/// Suppressed values draw no segment; their period gets the marker above its column (class
/// `suppressed-label`), titled with the series withheld.
public struct TimelineChart: Sendable {
    /// One period along the axis.
    public struct Period: Sendable, Equatable {
        /// Its full name (`2014 Q2`), in titles.
        public var label: String
        /// What the axis shows under it (`2014`), or `nil` for no tick.
        public var tick: String?

        /// Creates a period.
        public init(label: String, tick: String? = nil) {
            self.label = label
            self.tick = tick
        }
    }

    /// A page-unique identifier.
    public var id: String
    /// What the chart shows, for screen readers.
    public var title: String
    /// The periods, left to right.
    public var periods: [Period]
    /// The series' names (stacked in this order from the axis up).
    public var seriesNames: [String]
    /// The series' colours.
    public var colours: [String]
    /// Values per period (outer) and series (inner).
    public var values: [[ChartValue]]
    /// What the numbers are.
    public var unit: ChartUnit
    /// A vertical line at the start of a period, with its label.
    public var marker: (period: Int, label: String)?
    /// What a suppressed value shows.
    public var suppressedMarker: String

    /// Creates a chart; `values` holds one row per period, one value per series.
    public init(id: String, title: String, periods: [Period], seriesNames: [String], colours: [String]? = nil,
                values: [[ChartValue]], unit: ChartUnit = .count, marker: (period: Int, label: String)? = nil,
                suppressedMarker: String = "[c]") {
        precondition(values.count == periods.count, "one row of values per period")
        self.id = id
        self.title = title
        self.periods = periods
        self.seriesNames = seriesNames
        self.colours = colours ?? seriesNames.indices.map(ChartPalette.colour)
        self.values = values
        self.unit = unit
        self.marker = marker
        self.suppressedMarker = suppressedMarker
    }

    /// The chart as an `<svg>` element.
    public func render() -> String {
        let width = 820.0, left = 58.0, right = 34.0, legendHeight = 40.0, plotHeight = 260.0, axisHeight = 30.0
        let plotWidth = width - left - right, plotTop = legendHeight, baseline = plotTop + plotHeight
        let height = baseline + axisHeight
        let slot = plotWidth / Double(max(1, periods.count))
        let barWidth = max(1, slot * 0.82)
        // Stacks hold positive values only: a count below zero has no place in a stack.
        // Stacks are summed in 128 bits (no overflow), the axis held at the end of 64 bits.
        let totals = values.map { Int64(min(Int128(Int64.max), $0.reduce(Int128(0)) { $0 + Int128(max(0, $1.number ?? 0)) })) }
        let scale = ChartScale(minimum: 0, maximum: totals.max() ?? 0, unit: unit)
        func y(_ value: Int128) -> Double { baseline - scale.position(value, length: plotHeight) }

        let busiest = totals.indices.max { totals[$0] < totals[$1] }
        var summary = "\(periods.count) periods"
        if let first = periods.first, let last = periods.last { summary += " from \(first.label) to \(last.label)" }
        if let busiest { summary += "; the busiest, \(periods[busiest].label), has \(unit.label(totals[busiest]))" }
        summary += ". The table below gives every value."
        var out = SVGMarkup.open(id: id, width: width, height: height, title: title, description: summary)
        out += SVGMarkup.legend(Array(zip(seriesNames, colours)), x: left, y: 16)
        out += "<g class=\"axis\">\n" + SVGMarkup.valueGrid(scale, unit: unit, left: left, right: left + plotWidth, y: { y(Int128($0)) })
        for (index, period) in periods.enumerated() {
            guard let tick = period.tick else { continue }
            let x = left + Double(index) * slot
            out += SVGMarkup.positionTick(tick, x: x, labelX: x + 2, anchor: "start", baseline: baseline)
        }
        out += "</g>\n"
        for (index, period) in periods.enumerated() {
            let x = left + Double(index) * slot + (slot - barWidth) / 2
            var stacked: Int128 = 0
            var withheld: [String] = []
            out += "<g class=\"period\">\n"
            for (series, value) in values[index].enumerated() where series < seriesNames.count {
                switch value {
                case .value(let number) where number > 0:
                    let top = y(stacked + Int128(number)), bottom = y(stacked)
                    out += "<rect class=\"mark\" x=\"\(SVGMarkup.number(x))\" y=\"\(SVGMarkup.number(top))\" width=\"\(SVGMarkup.number(barWidth))\" "
                        + "height=\"\(SVGMarkup.number(max(0.5, bottom - top)))\" fill=\"\(colours[series])\">"
                        + "<title>\(HTMLRenderer.escape("\(period.label), \(seriesNames[series]): \(unit.label(number))"))</title></rect>\n"
                    stacked += Int128(number)
                case .suppressed:
                    withheld.append(seriesNames[series])
                case .value, .missing:
                    break
                }
            }
            if !withheld.isEmpty {
                out += SVGMarkup.text(suppressedMarker, x: x + barWidth / 2, y: y(stacked) - 3, anchor: "middle", className: "suppressed-label",
                                      title: "\(period.label): \(withheld.joined(separator: ", ")) suppressed (small numbers)")
            }
            out += "</g>\n"
        }
        if let marker, marker.period >= 0, marker.period < periods.count {
            let x = SVGMarkup.number(left + Double(marker.period) * slot)
            out += "<line class=\"index-marker\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(SVGMarkup.number(plotTop - 6))\" y2=\"\(SVGMarkup.number(baseline))\"/>\n"
            out += SVGMarkup.text(marker.label, x: left + Double(marker.period) * slot - 4, y: plotTop + 6, anchor: "end", className: "marker-label")
        }
        return out + "</svg>\n"
    }
}
