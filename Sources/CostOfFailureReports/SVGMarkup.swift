/// Small pieces of SVG shared by the charts: the root element with its accessible title, text,
/// numbers for coordinates.
enum SVGMarkup {
    /// A coordinate with at most one decimal place (`12`, `12.5`).
    static func number(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        let whole = Int(tenths) / 10, rest = abs(Int(tenths) % 10)
        if rest == 0 { return String(whole) }
        return (tenths < 0 && whole == 0 ? "-" : "") + String(whole) + "." + String(rest)
    }

    /// The opening `<svg>` of a chart `width` × `height`, labelled by its `title` and
    /// `description` (screen readers read these; `id` keeps them apart on a page of charts).
    static func open(id: String, width: Double, height: Double, title: String, description: String) -> String {
        let id = HTMLRenderer.escape(id)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"\(id)\" viewBox=\"0 0 \(number(width)) \(number(height))\" "
            + "role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\">\n"
            + "<title id=\"\(id)-title\">\(HTMLRenderer.escape(title))</title>\n"
            + "<desc id=\"\(id)-desc\">\(HTMLRenderer.escape(description))</desc>\n"
    }

    /// A `<text>` element at (`x`, `y`).
    static func text(_ content: String, x: Double, y: Double, anchor: String = "start", className: String, title: String? = nil) -> String {
        let tooltip = title.map { "<title>\(HTMLRenderer.escape($0))</title>" } ?? ""
        return "<text class=\"\(className)\" x=\"\(number(x))\" y=\"\(number(y))\" text-anchor=\"\(anchor)\">\(tooltip)\(HTMLRenderer.escape(content))</text>\n"
    }

    /// A legend of coloured squares and names in a row from (`x`, `y`).
    static func legend(_ entries: [(name: String, colour: String)], x: Double, y: Double) -> String {
        var out = "<g class=\"legend\">\n"
        var left = x
        for entry in entries {
            out += "<rect x=\"\(number(left))\" y=\"\(number(y - 10))\" width=\"12\" height=\"12\" fill=\"\(entry.colour)\"/>\n"
            out += text(entry.name, x: left + 17, y: y, className: "legend-label")
            left += 17 + Double(entry.name.count) * 7 + 18
        }
        return out + "</g>\n"
    }

    /// `text` cut to `limit` characters, with an ellipsis when cut.
    static func truncated(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// Grid lines across the plot from `left` to `right` at each tick of `scale` (the zero line
    /// darker), with their labels to the left: the value axis of a chart whose values run up.
    static func valueGrid(_ scale: ChartScale, unit: ChartUnit, left: Double, right: Double, y: (Int64) -> Double) -> String {
        var out = ""
        for tick in scale.ticks {
            let position = number(y(tick))
            out += "<line class=\"\(tick == 0 ? "zero" : "grid")\" x1=\"\(number(left))\" x2=\"\(number(right))\" y1=\"\(position)\" y2=\"\(position)\"/>\n"
            out += text(unit.label(tick), x: left - 6, y: y(tick) + 4, anchor: "end", className: "tick")
        }
        return out
    }

    /// A short tick below the `baseline` at `x`, labelled `label` at `labelX`.
    static func positionTick(_ label: String, x: Double, labelX: Double, anchor: String, baseline: Double) -> String {
        "<line class=\"tick-mark\" x1=\"\(number(x))\" x2=\"\(number(x))\" y1=\"\(number(baseline))\" y2=\"\(number(baseline + 5))\"/>\n"
            + text(label, x: labelX, y: baseline + 18, anchor: anchor, className: "tick")
    }
}
