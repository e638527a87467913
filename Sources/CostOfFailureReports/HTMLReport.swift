import CostOfFailure

/// A report as one self-contained HTML file: a title, banners (what the reader must know
/// first), the headline figures, sections of text, charts and tables, the caveats and the
/// provenance footer. The stylesheet is inline and there are no scripts and no external
/// references, so the file reads the same offline, in any browser and on paper.
///
/// It assembles pieces it is handed — rendered charts, ``ResultTable``s, sentences — and knows
/// nothing about which analysis made them.
public struct HTMLReport: Sendable {
    /// Something the reader must see before the figures.
    public struct Banner: Sendable, Equatable {
        /// How loudly it is shown.
        public enum Kind: String, Sendable {
            /// A warning (for example: small numbers are not suppressed).
            case warning
            /// A note (for example: this report is about one person).
            case note
        }

        /// How loudly.
        public var kind: Kind
        /// The text.
        public var text: String

        /// Creates a banner.
        public init(_ kind: Kind, _ text: String) {
            self.kind = kind
            self.text = text
        }
    }

    /// One piece of a section.
    public enum Block: Sendable {
        /// A paragraph of text.
        case paragraph(String)
        /// A chart (an `<svg>` element) with a caption.
        case figure(svg: String, caption: String)
        /// A table, rendered with ``HTMLRenderer``.
        case table(ResultTable)
        /// A one-row table shown as names and values.
        case record(ResultTable)
        /// A warning or note shown as a banner inside the section, beside the figures it is
        /// about (a placebo flagged, too few treated people), not only at the top of the page.
        case callout(Banner)
    }

    /// A titled part of the report.
    public struct Section: Sendable {
        /// A page-unique identifier (the link target of the contents).
        public var id: String
        /// The heading.
        public var title: String
        /// What it holds, in order.
        public var blocks: [Block]

        /// Creates a section.
        public init(id: String, title: String, blocks: [Block]) {
            self.id = id
            self.title = title
            self.blocks = blocks
        }
    }

    /// The title.
    public var title: String
    /// Lines under the title (what prices the money is in, the windows).
    public var subtitle: [String]
    /// Shown above everything else.
    public var banners: [Banner]
    /// The headline figures, as (what, figure) pairs.
    public var headline: [(label: String, value: String)]
    /// The body.
    public var sections: [Section]
    /// What a reader must bear in mind, one sentence or two each.
    public var caveats: [String]
    /// The footer.
    public var provenance: Provenance
    /// What a suppressed cell shows.
    public var suppressedMarker: String

    /// Creates a report.
    public init(title: String, subtitle: [String] = [], banners: [Banner] = [], headline: [(label: String, value: String)] = [],
                sections: [Section] = [], caveats: [String] = [], provenance: Provenance = Provenance(), suppressedMarker: String = "[c]") {
        self.title = title
        self.subtitle = subtitle
        self.banners = banners
        self.headline = headline
        self.sections = sections
        self.caveats = caveats
        self.provenance = provenance
        self.suppressedMarker = suppressedMarker
    }

    /// The whole document.
    public func render() -> String {
        let e = HTMLRenderer.escape
        let tables = HTMLRenderer(suppressedMarker: suppressedMarker)
        var out = """
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(title))</title>
            <style>
            \(Self.stylesheet)</style>
            </head>
            <body>
            <header>
            <h1>\(e(title))</h1>

            """
        for line in subtitle { out += "<p class=\"subtitle\">\(e(line))</p>\n" }
        out += "</header>\n"
        for banner in banners { out += Self.banner(banner) }
        out += "<main>\n"
        if !headline.isEmpty {
            out += "<section class=\"headline\" aria-labelledby=\"headline\">\n<h2 id=\"headline\">Headline</h2>\n<dl>\n"
            for item in headline {
                out += "<div><dt>\(e(item.label))</dt><dd>\(e(item.value))</dd></div>\n"
            }
            out += "</dl>\n</section>\n"
        }
        if sections.count > 1 {
            out += "<nav aria-label=\"Contents\"><h2>Contents</h2>\n<ol>\n"
            for section in sections { out += "<li><a href=\"#\(e(section.id))\">\(e(section.title))</a></li>\n" }
            if !caveats.isEmpty { out += "<li><a href=\"#caveats\">Caveats</a></li>\n" }
            out += "<li><a href=\"#provenance\">Provenance</a></li>\n</ol>\n</nav>\n"
        }
        for section in sections {
            out += "<section id=\"\(e(section.id))\">\n<h2>\(e(section.title))</h2>\n"
            for block in section.blocks {
                switch block {
                case .paragraph(let text): out += "<p>\(e(text))</p>\n"
                case .figure(let svg, let caption): out += "<figure>\n\(svg)<figcaption>\(e(caption))</figcaption>\n</figure>\n"
                case .table(let table): out += "<div class=\"table-wrap\">\n\(tables.render(table))</div>\n"
                case .record(let table): out += "<div class=\"table-wrap\">\n\(tables.renderRecord(table))</div>\n"
                case .callout(let banner): out += Self.banner(banner)
                }
            }
            out += "</section>\n"
        }
        if !caveats.isEmpty {
            out += "<section id=\"caveats\" class=\"caveats\">\n<h2>Caveats</h2>\n<ul>\n"
            for caveat in caveats { out += "<li>\(e(caveat))</li>\n" }
            out += "</ul>\n</section>\n"
        }
        out += "</main>\n<footer id=\"provenance\">\n<h2>Provenance</h2>\n<table class=\"provenance\">\n<tbody>\n"
        for entry in provenance.entries {
            out += "<tr><th scope=\"row\">\(e(entry.name))</th><td>\(e(entry.value))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n</footer>\n</body>\n</html>\n"
        return out
    }

    /// A banner as a paragraph: a warning with the `alert` role, a note with `note`.
    static func banner(_ banner: Banner) -> String {
        "<p class=\"banner \(banner.kind.rawValue)\" role=\"\(banner.kind == .warning ? "alert" : "note")\">\(HTMLRenderer.escape(banner.text))</p>\n"
    }

    /// The inline stylesheet: dark text on white (contrast above WCAG AA), tables with
    /// right-aligned figures, chart text and lines, and print rules (no breaks inside a chart or a
    /// table row, A4 margins, link targets not shown).
    static let stylesheet = """
        :root { color: #1a1a1a; background: #fff; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
        body { max-width: 1100px; margin: 0 auto; padding: 24px; }
        h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
        h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; border-bottom: 2px solid #1a1a1a; padding-bottom: .2rem; }
        .subtitle { margin: .1rem 0; color: #333; }
        .banner { padding: .6rem .9rem; margin: 1rem 0; border: 2px solid; font-weight: 600; }
        .banner.warning { border-color: #a0321e; background: #fbe9e5; color: #6b1a0c; }
        .banner.note { border-color: #0b5a8a; background: #e6f1f8; color: #0b3b5a; }
        .headline dl { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: .6rem; margin: 0; }
        .headline dl div { border: 1px solid #bbb; border-left: 4px solid #0072B2; padding: .5rem .7rem; }
        .headline dt { font-size: .85rem; color: #333; }
        .headline dd { margin: .15rem 0 0; font-size: 1.2rem; font-weight: 700; font-variant-numeric: tabular-nums; }
        nav ol { columns: 2; margin: 0; }
        nav a { color: #0b4f7a; }
        figure { margin: 1rem 0; }
        figcaption { font-size: .9rem; color: #333; margin-top: .3rem; }
        svg.chart { width: 100%; height: auto; display: block; }
        svg.chart text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: #1a1a1a; }
        svg.chart .tick, svg.chart .legend-label { fill: #333; }
        svg.chart .value-label { font-size: 11px; }
        svg.chart .suppressed-label, svg.chart .missing-label { font-size: 10px; font-style: italic; fill: #555; }
        svg.chart .grid { stroke: #d9d9d9; stroke-width: 1; }
        svg.chart .zero { stroke: #1a1a1a; stroke-width: 1.2; }
        svg.chart .tick-mark { stroke: #1a1a1a; }
        svg.chart .line { stroke-width: 2; }
        svg.chart .period rect.mark { stroke: #fff; stroke-width: .4; }
        svg.chart .index-marker { stroke: #1a1a1a; stroke-width: 1.5; stroke-dasharray: 5 3; }
        svg.chart .marker-label { font-weight: 600; }
        .table-wrap { overflow-x: auto; margin: 1rem 0; }
        table { border-collapse: collapse; font-size: .85rem; font-variant-numeric: tabular-nums; min-width: min(100%, 34rem); }
        caption { text-align: left; font-weight: 600; padding: .3rem 0; caption-side: top; }
        th, td { border-bottom: 1px solid #ccc; padding: .25rem .55rem; text-align: left; vertical-align: top; }
        thead th { border-bottom: 2px solid #1a1a1a; vertical-align: bottom; }
        .num { text-align: right; white-space: nowrap; }
        thead th.num { white-space: normal; }
        td.suppressed { font-style: italic; color: #555; }
        td.missing { color: #555; }
        table.record th { font-weight: normal; color: #333; }
        .caveats li { margin-bottom: .4rem; }
        footer { margin-top: 2.5rem; font-size: .8rem; }
        footer table { width: 100%; }
        footer th { width: 15rem; }
        footer td { overflow-wrap: anywhere; }
        @page { size: A4; margin: 14mm; }
        @media print {
          :root { font-size: 10pt; }
          body { max-width: none; padding: 0; }
          nav { display: none; }
          h2 { break-after: avoid; }
          figure, tr, .headline dl div, .banner { break-inside: avoid; }
          .table-wrap { overflow: visible; }
          table { font-size: 7.5pt; }
          th, td { padding: .1rem .25rem; }
          .banner, .headline dl div { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          svg.chart { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          a { color: inherit; text-decoration: none; }
        }

        """
}
