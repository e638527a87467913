import CostOfFailure
import CostOfFailureReports
import Testing

@Suite("HTMLReport")
struct HTMLReportTests {
    func report() -> HTMLReport {
        var provenance = Provenance()
        provenance.add("engine", "cof <0.6.0>")
        let chart = BarChart(id: "c1", title: "Chart", seriesNames: ["before", "after"], unit: .count,
                             rows: [.init(label: "A&E", values: [.value(116), .value(7)])])
        return HTMLReport(
            title: "Cost of failure: P&1", subtitle: ["Money in 2024-25 prices"],
            banners: [.init(.warning, "UNSUPPRESSED: small numbers are shown exactly")],
            headline: [("people", "1"), ("change a year", "-£10,000")],
            sections: [
                .init(id: "by-service", title: "By service", blocks: [
                    .paragraph("Sorted <by> change."),
                    .figure(svg: chart.render(), caption: "Events"),
                    .table(ResultTable(name: "t", title: "The table", columns: [ResultColumn("service", .text(["A&E"]))])),
                ]),
                .init(id: "other", title: "Other", blocks: []),
            ],
            caveats: ["A before/after change is not an effect."],
            provenance: provenance)
    }

    @Test("One self-contained document: inline style, no script, no external reference, print rules")
    func selfContained() {
        let html = report().render()
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en-GB\">"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(html.contains("<style>"))
        #expect(html.contains("@media print"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains(" src="))
    }

    @Test("Title, banner, headline, sections with contents, caveats and the provenance footer, all escaped")
    func parts() {
        let html = report().render()
        #expect(html.contains("<title>Cost of failure: P&amp;1</title>"))
        #expect(html.contains("<p class=\"banner warning\" role=\"alert\">UNSUPPRESSED: small numbers are shown exactly</p>"))
        #expect(html.contains("<div><dt>change a year</dt><dd>-£10,000</dd></div>"))
        #expect(html.contains("<li><a href=\"#by-service\">By service</a></li>"))
        #expect(html.contains("<section id=\"by-service\">\n<h2>By service</h2>\n<p>Sorted &lt;by&gt; change.</p>"))
        #expect(html.contains("<figure>\n<svg"))
        #expect(html.contains("<figcaption>Events</figcaption>"))
        #expect(html.contains("<caption>The table</caption>"))
        #expect(html.contains("<li>A before/after change is not an effect.</li>"))
        #expect(html.contains("<tr><th scope=\"row\">engine</th><td>cof &lt;0.6.0&gt;</td></tr>"))
        // The order a reader meets them in.
        let order = ["banner warning", "id=\"headline\"", "id=\"by-service\"", "id=\"caveats\"", "id=\"provenance\""].map { html.range(of: $0)!.lowerBound }
        #expect(order == order.sorted())
    }
}
