/// A line chart over whole-number positions (months from the index date) as inline SVG: a dot
/// per value joined by lines, a value axis with ticks, position ticks, and a marker line (the
/// index date) with the points before it in one colour and from it on in another.
///
/// Every dot has the class `mark` and a `<title>` naming its position and value; the line only
/// joins neighbours that both have values, so a gap stays a gap. A suppressed value draws the
/// marker on the axis instead of a dot (class `suppressed-label`).
public struct LineChart: Sendable {
    /// One point.
    public struct Point: Sendable, Equatable {
        /// Its position along the axis (a month).
        public var x: Int
        /// Its name in titles (`month -3`).
        public var label: String
        /// Its value.
        public var value: ChartValue

        /// Creates a point.
        public init(x: Int, label: String, value: ChartValue) {
            self.x = x
            self.label = label
            self.value = value
        }
    }

    /// A page-unique identifier.
    public var id: String
    /// What the chart shows, for screen readers.
    public var title: String
    /// The points, left to right, at increasing `x`.
    public var points: [Point]
    /// What the numbers are.
    public var unit: ChartUnit
    /// A vertical line at `x`, with its label; points before it take the first colour.
    public var marker: (x: Int, label: String)?
    /// The colours before the marker and from it on (the same without a marker).
    public var colours: (before: String, after: String)
    /// Positions that get an axis tick and a value label: every `tickEvery`-th from the marker.
    public var tickEvery: Int
    /// What a suppressed value shows.
    public var suppressedMarker: String

    /// Creates a chart.
    public init(id: String, title: String, points: [Point], unit: ChartUnit, marker: (x: Int, label: String)? = nil,
                colours: (before: String, after: String) = (ChartPalette.before, ChartPalette.after), tickEvery: Int = 6,
                suppressedMarker: String = "[c]") {
        self.id = id
        self.title = title
        self.points = points
        self.unit = unit
        self.marker = marker
        self.colours = colours
        self.tickEvery = max(1, tickEvery)
        self.suppressedMarker = suppressedMarker
    }

    /// The chart as an `<svg>` element.
    public func render() -> String {
        let width = 820.0, left = 70.0, right = 16.0, top = 34.0, plotHeight = 240.0, axisHeight = 32.0
        let plotWidth = width - left - right, baseline = top + plotHeight, height = baseline + axisHeight
        let numbers = points.compactMap(\.value.number)
        let scale = ChartScale(minimum: numbers.min() ?? 0, maximum: numbers.max() ?? 0, unit: unit)
        let firstX = points.first?.x ?? 0, lastX = max(points.last?.x ?? 1, firstX + 1)
        func x(_ position: Int) -> Double { left + Double(position - firstX) / Double(lastX - firstX) * plotWidth }
        func y(_ value: Int64) -> Double { top + plotHeight - scale.position(value, length: plotHeight) }
        let origin = marker?.x ?? firstX
        func ticked(_ position: Int) -> Bool { (position - origin) % tickEvery == 0 }
        func colour(_ position: Int) -> String { marker.map { position < $0.x } == true ? colours.before : colours.after }

        var summary = "\(points.count) points"
        if let first = points.first, let last = points.last { summary += " from \(first.label) to \(last.label)" }
        summary += ". The table below gives every value."
        var out = SVGMarkup.open(id: id, width: width, height: height, title: title, description: summary)
        out += "<g class=\"axis\">\n" + SVGMarkup.valueGrid(scale, unit: unit, left: left, right: left + plotWidth, y: y)
        for point in points where ticked(point.x) {
            out += SVGMarkup.positionTick(point.x > 0 ? "+\(point.x)" : "\(point.x)", x: x(point.x), labelX: x(point.x), anchor: "middle", baseline: baseline)
        }
        out += "</g>\n"
        if let marker {
            let position = SVGMarkup.number(x(marker.x))
            out += "<line class=\"index-marker\" x1=\"\(position)\" x2=\"\(position)\" y1=\"\(SVGMarkup.number(top - 14))\" y2=\"\(SVGMarkup.number(baseline))\"/>\n"
            out += SVGMarkup.text(marker.label, x: x(marker.x) + 5, y: top - 4, className: "marker-label")
        }
        // Lines between neighbours that both have values.
        for (a, b) in zip(points, points.dropFirst()) {
            guard let from = a.value.number, let to = b.value.number else { continue }
            out += "<line class=\"line\" x1=\"\(SVGMarkup.number(x(a.x)))\" y1=\"\(SVGMarkup.number(y(from)))\" x2=\"\(SVGMarkup.number(x(b.x)))\" "
                + "y2=\"\(SVGMarkup.number(y(to)))\" stroke=\"\(colour(b.x))\"/>\n"
        }
        for point in points {
            switch point.value {
            case .value(let number):
                out += "<circle class=\"mark\" cx=\"\(SVGMarkup.number(x(point.x)))\" cy=\"\(SVGMarkup.number(y(number)))\" r=\"3.5\" fill=\"\(colour(point.x))\">"
                    + "<title>\(HTMLRenderer.escape("\(point.label): \(unit.label(number))"))</title></circle>\n"
                if ticked(point.x) {
                    out += SVGMarkup.text(unit.label(number), x: x(point.x), y: y(number) - 8, anchor: "middle", className: "value-label")
                }
            case .suppressed:
                out += SVGMarkup.text(suppressedMarker, x: x(point.x), y: y(0) - 4, anchor: "middle", className: "suppressed-label",
                                      title: "\(point.label): suppressed (a figure resting on few people)")
            case .missing:
                break
            }
        }
        return out + "</svg>\n"
    }
}
