extension ReadProgress.Reading {
    /// The reading as a person reads it, `elapsedSeconds` after the read started:
    /// `read 1.2 GB of 3.4 GB (35%), 12,345,678 rows, 210 MB/s, about 11 s left`.
    ///
    /// Sizes and rates are in decimal units (1 MB = 1,000,000 bytes), rows with thousands
    /// separators. Without a known total there is no share and no time left; the rate is the
    /// average since the start (steadier than the last interval's), and the time left the
    /// bytes still to read at that rate. Counts only, never anything read.
    public func statement(elapsedSeconds: Double) -> String {
        // A read that has to go over the files again (an error found after another file's)
        // can count past their size: it shows as all read.
        var text = "read " + Self.size(totalBytes.map { min(bytes, $0) } ?? bytes)
        if let totalBytes, totalBytes > 0 {
            let percent = min(100, Int((Double(bytes) * 100 / Double(totalBytes)).rounded(.down)))
            text += " of \(Self.size(totalBytes)) (\(percent)%)"
        }
        text += ", \(Self.grouped(rows)) \(rows == 1 ? "row" : "rows")"
        guard elapsedSeconds > 0, bytes > 0 else { return text }
        let rate = Double(bytes) / elapsedSeconds
        text += ", " + Self.size(Int(rate.rounded())) + "/s"
        if let totalBytes, totalBytes > bytes {
            text += ", about " + Self.duration(Double(totalBytes - bytes) / rate) + " left"
        }
        return text
    }

    /// `bytes` in B, KB, MB, GB or TB (decimal): one decimal below 10 units, whole units above.
    public static func size(_ bytes: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB", "PB"]
        var unit = 0, scale = 1.0
        let value = Double(max(0, bytes))
        while unit < units.count - 1, value >= scale * 999.5 {
            unit += 1
            scale *= 1000
        }
        let scaled = value / scale
        if unit == 0 { return "\(Int(scaled)) B" }
        if scaled < 9.95 {
            let tenths = Int((scaled * 10).rounded())
            return "\(tenths / 10).\(tenths % 10) \(units[unit])"
        }
        return "\(Int(scaled.rounded())) \(units[unit])"
    }

    /// `count` with a comma between each group of three digits: `12,345,678`.
    public static func grouped(_ count: Int) -> String {
        let digits = String(count.magnitude)
        var text = ""
        for (position, digit) in digits.enumerated() {
            if position > 0, (digits.count - position) % 3 == 0 { text += "," }
            text.append(digit)
        }
        return count < 0 ? "-" + text : text
    }

    /// A time to come, rounded up: `11 s` below a minute and a half, else `3 min` (nearest).
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "a long time" }
        let whole = max(1, Int(min(seconds, 1e9).rounded(.up)))
        if whole < 90 { return "\(whole) s" }
        return "\(Int((Double(whole) / 60).rounded())) min"
    }
}
