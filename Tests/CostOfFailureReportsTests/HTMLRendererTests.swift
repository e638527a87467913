import CostOfFailure
import CostOfFailureReports
import Testing

@Suite("HTMLRenderer")
struct HTMLRendererTests {
    @Test("Markup in titles, names and cells stays text: & < > \" ' are escaped")
    func escaping() {
        #expect(HTMLRenderer.escape("<a href=\"x\">Tom & Jerry's</a>") == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        let table = ResultTable(name: "t", title: "Costs <b>&", columns: [
            ResultColumn("service<i>", .text(["<script>alert(\"x\")</script>", "A&E"])),
        ])
        let html = HTMLRenderer().render(table)
        #expect(html.contains("<caption>Costs &lt;b&gt;&amp;</caption>"))
        #expect(html.contains("<th scope=\"col\">service&lt;i&gt;</th>"))
        #expect(html.contains("<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</td>"))
        #expect(html.contains("<td>A&amp;E</td>"))
        #expect(!html.contains("<script"))
    }

    @Test("Golden table: headings without underscores, figures right-aligned, missing and suppressed cells marked")
    func golden() {
        let table = ResultTable(name: "t", title: "", columns: [
            ResultColumn("service", .text(["A&E", "GP"])),
            ResultColumn("before_events", .integer([1_234, 5]), states: [.value, .suppressed]),
            ResultColumn("cost", .money([123_450, 0]), states: [.value, .missing]),
        ])
        let expected = """
            <table>
            <thead><tr><th scope="col">service</th><th scope="col" class="num">before events</th><th scope="col" class="num">cost</th></tr></thead>
            <tbody>
            <tr><td>A&amp;E</td><td class="num">1,234</td><td class="num">£1,234.50</td></tr>
            <tr><td>GP</td><td class="num suppressed" title="suppressed: a small number, or a figure resting on few people">*</td><td class="num missing">–</td></tr>
            </tbody>
            </table>

            """
        #expect(HTMLRenderer(suppressedMarker: "*").render(table) == expected)
    }

    @Test("A one-row table as names and values")
    func record() {
        let table = ResultTable(name: "t", title: "Headline", columns: [
            ResultColumn("people", .integer([12])),
            ResultColumn("change_per_person_year", money: [nil]),
        ])
        let html = HTMLRenderer().renderRecord(table)
        #expect(html.contains("<caption>Headline</caption>"))
        #expect(html.contains("<tr><th scope=\"row\">people</th><td class=\"num\">12</td></tr>"))
        #expect(html.contains("<tr><th scope=\"row\">change per person year</th><td class=\"num missing\">–</td></tr>"))
    }
}
