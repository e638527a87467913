import CostOfFailureReports
import Testing

@Suite("DisplayWidth")
struct DisplayWidthTests {
    @Test("columns on the screen, not bytes or scalars", arguments: [
        ("abc", 3), ("£1,234.50", 9), ("Zoë", 3), ("Zoe\u{0308}", 3), ("Ångström", 8), ("漢字", 4), ("ｶﾅ", 2), ("😀", 2), ("", 0),
    ])
    func width(text: String, columns: Int) {
        #expect(DisplayWidth.of(text) == columns)
    }

    @Test("a header breaks after its underscores, keeping them")
    func underscores() {
        #expect(DisplayWidth.lines("before_cost_per_year", fitting: 12) == ["before_cost_", "per_year"])
        #expect(DisplayWidth.lines("before_cost_per_year", fitting: 20) == ["before_cost_per_year"])
    }

    @Test("a name breaks at its spaces, dropping them")
    func spaces() {
        #expect(DisplayWidth.lines("Supported accommodation (night)", fitting: 14) == ["Supported", "accommodation", "(night)"])
    }

    @Test("a word wider than the line is cut by columns, and nothing is lost", arguments: [1, 2, 3, 5, 7, 11])
    func hardBreak(columns: Int) {
        let word = "Ambulance£Trust"
        let lines = DisplayWidth.lines(word, fitting: columns)
        #expect(lines.joined() == word)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= columns })
    }

    @Test("wide characters are never split across the line's edge")
    func wideCharacters() {
        let lines = DisplayWidth.lines("漢字漢字漢", fitting: 5)
        #expect(lines == ["漢字", "漢字", "漢"])
    }

    @Test("empty text is one empty line")
    func empty() {
        #expect(DisplayWidth.lines("", fitting: 10) == [""])
    }
}

@Suite("DisplayWidth.wrapped")
struct DisplayWidthWrappedTests {
    @Test("lines that fit are left byte for byte; a long one wraps at its spaces under its indent")
    func prose() {
        let text = "Heading\n  a sentence that is much too long for the screen it is on\n  - a bullet that is also far too long to fit\n"
        let wrapped = DisplayWidth.wrapped(text, fitting: 24)
        #expect(wrapped == """
            Heading
              a sentence that is
              much too long for the
              screen it is on
              - a bullet that is
                also far too long to
                fit

            """)
        #expect(DisplayWidth.wrapped(wrapped, fitting: 24) == wrapped)
        #expect(DisplayWidth.wrapped(text, fitting: 200) == text)
    }

    @Test("the renderers' escapes take no columns, and a line with them is not wrapped")
    func escapes() {
        #expect(DisplayWidth.of("\u{1B}[1mservice\u{1B}[0m") == 7)
        let coloured = "\u{1B}[1mservice\u{1B}[0m  \u{1B}[1mevents\u{1B}[0m"
        #expect(DisplayWidth.of(coloured) == 15)
        #expect(DisplayWidth.wrapped(coloured, fitting: 15) == coloured)
    }
}
