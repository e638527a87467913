/// Colours for charts: the Okabe–Ito palette, told apart by people with any common form of
/// colour blindness, in an order that keeps neighbouring series far apart. Yellow and black come
/// last (yellow is faint on white, black is the text colour).
public enum ChartPalette {
    /// Blue, vermillion, bluish green, reddish purple, sky blue, orange, yellow, black.
    public static let okabeIto = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#F0E442", "#000000"]

    /// The colour of the before window (vermillion).
    public static let before = "#D55E00"
    /// The colour of the after window (blue).
    public static let after = "#0072B2"

    /// The colour of series number `index` (the palette repeats after eight).
    public static func colour(_ index: Int) -> String {
        okabeIto[index % okabeIto.count]
    }
}
