import CostOfFailure
@testable import CostOfFailureReports
import Testing

/// How many times `needle` occurs in `text`.
private func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}

@Suite("Charts")
struct ChartTests {
    /// Four services, before and after (pence a year):
    ///
    /// | service | before  | after   | change   |
    /// |---------|---------|---------|----------|
    /// | A&E     | 100,000 | 10,000  | −90,000  |
    /// | GP      | 5,000   | 6,000   | +1,000   |
    /// | Police  | 50,000  | 0       | −50,000  |
    /// | Prison  | [c]     | 20,000  | unknown  |
    let services = BarChart(id: "ba", title: "Before and after", seriesNames: ["before", "after"], unit: .pence, rows: [
        .init(label: "A&E", values: [.value(100_000), .value(10_000)]),
        .init(label: "GP", values: [.value(5_000), .value(6_000)]),
        .init(label: "Police", values: [.value(50_000), .value(0)]),
        .init(label: "Prison", values: [.suppressed, .value(20_000)]),
    ])

    @Test("Bars: one mark per non-zero value; a suppressed value is labelled, not drawn; values are labelled")
    func barMarks() {
        let svg = services.render()
        // 8 values: one zero, one suppressed → 6 bars.
        #expect(occurrences(of: "class=\"mark\"", in: svg) == 6)
        #expect(occurrences(of: "class=\"suppressed-label\"", in: svg) == 1)
        #expect(svg.contains("<title>A&amp;E, before: £1,000</title>"))
        #expect(svg.contains(">£0</text>"))
        #expect(svg.contains(">£100</text>"))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"ba\""))
        #expect(svg.contains("<title id=\"ba-title\">Before and after</title>"))
    }

    @Test("Sorted by change: the largest fall first, rows with an unknown change last")
    func sortedByChange() {
        let sorted = services.sortedByChange()
        #expect(sorted.rows.map(\.label) == ["A&E", "Police", "GP", "Prison"])
        let svg = sorted.render()
        let positions = ["A&E", "Police", "GP", "Prison"].compactMap { svg.range(of: ">\(HTMLRenderer.escape($0))</text>")?.lowerBound }
        #expect(positions.count == 4 && positions == positions.sorted())
    }

    @Test("Timeline: a mark per positive segment, suppressed segments labelled once per period, ticks and the marker")
    func timeline() {
        let chart = TimelineChart(
            id: "tl", title: "Timeline",
            periods: [.init(label: "2012 Q1", tick: "2012"), .init(label: "2012 Q2"), .init(label: "2012 Q3"), .init(label: "2012 Q4")],
            seriesNames: ["Health", "Police"],
            values: [[.value(3), .value(2)], [.value(0), .value(4)], [.suppressed, .suppressed], [.value(10), .suppressed]],
            marker: (period: 2, label: "index date"))
        let svg = chart.render()
        #expect(occurrences(of: "class=\"mark\"", in: svg) == 4)
        #expect(occurrences(of: "class=\"suppressed-label\"", in: svg) == 2)
        #expect(svg.contains("<title>2012 Q4, Health: 10</title>"))
        #expect(svg.contains(">2012</text>"))
        #expect(occurrences(of: "class=\"index-marker\"", in: svg) == 1)
        #expect(svg.contains("2012 Q3: Health, Police suppressed (small numbers)"))
    }

    @Test("Line: a dot per value, lines only between neighbours with values, the index marker")
    func line() {
        let points = (-3...2).map { month -> LineChart.Point in
            let value: ChartValue = month == -1 ? .suppressed : month == 1 ? .missing : .value(Int64(1_000 * (month + 4)))
            return LineChart.Point(x: month, label: "month \(month)", value: value)
        }
        let svg = LineChart(id: "tr", title: "Trajectory", points: points, unit: .pence, marker: (x: 0, label: "index date"), tickEvery: 2).render()
        #expect(occurrences(of: "class=\"mark\"", in: svg) == 4)  // -3, -2, 0, 2
        #expect(occurrences(of: "class=\"line\"", in: svg) == 1)  // -3 to -2 only
        #expect(occurrences(of: "class=\"suppressed-label\"", in: svg) == 1)
        #expect(occurrences(of: "class=\"index-marker\"", in: svg) == 1)
        #expect(svg.contains("<title>month -3: £10</title>"))
        #expect(svg.contains(">+2</text>"))
    }

    @Test("Axis ticks are round, cover the values and zero, and are at least a pound apart")
    func scale() {
        let money = ChartScale(minimum: 0, maximum: 1_234_567, unit: .pence)
        #expect(money.ticks == [0, 500_000, 1_000_000, 1_500_000])
        let negative = ChartScale(minimum: -2_500, maximum: 7_000, unit: .count)
        #expect(negative.lower == -4_000 && negative.upper == 8_000 && negative.step == 2_000)
        #expect(ChartScale(minimum: 0, maximum: 0, unit: .pence).ticks == [0, 100])
        #expect(ChartScale(minimum: 0, maximum: 3, unit: .count).ticks == [0, 1, 2, 3])
    }

    @Test("A result column's cells as chart values")
    func chartValues() {
        let column = ResultColumn("cost", .money([5, 6, 7]), states: [.value, .suppressed, .missing])
        #expect(column.chartValues == [.value(5), .suppressed, .missing])
        #expect(ResultColumn("name", .text(["x"])).chartValues == nil)
    }
}
