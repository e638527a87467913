/// Says what a field that failed to decode looks like, without quoting it: the "found" half of
/// an error message that must not echo personal data.
enum FieldDiagnosis {
    /// What is wrong with a field that is not a date in `format`.
    static func date(_ field: UnsafeRawBufferPointer, format: DateFormat) -> String {
        let text = String(decoding: field, as: UTF8.self).trimmingSpaces
        let datePart = text.split(whereSeparator: { $0 == " " || $0 == "T" }).first.map(String.init) ?? text
        if datePart.count < text.count, !format.allowsTime {
            return "found a time of day, which this source's date format does not allow"
        }
        var bytes = Array(datePart.utf8)
        let either = bytes.withUnsafeMutableBytes { FieldDecoder.date(UnsafeRawBufferPointer($0), format: DateFormat(order: .either, allowsTime: false)) }
        if either != nil {
            return format.order == .yearMonthDay ? "found a date written DD/MM/YYYY" : "found a date written YYYY-MM-DD"
        }
        let digitGroups = datePart.split(whereSeparator: { !$0.isNumber })
        if datePart.contains(where: { $0 == "/" || $0 == "-" }), digitGroups.count == 3, digitGroups.allSatisfy({ $0.allSatisfy(\.isASCII) }) {
            if digitGroups.contains(where: { $0.count == 2 }) && !digitGroups.contains(where: { $0.count == 4 }) {
                return "found a two-digit year"
            }
            return "found a day or month that does not exist"
        }
        if datePart.count > 0, datePart.allSatisfy(\.isNumber) { return "found a plain number (an Excel date serial?)" }
        return "found text that is not a date"
    }

    /// What is wrong with a field that is not a positive whole quantity.
    static func quantity(_ field: UnsafeRawBufferPointer) -> String {
        let text = String(decoding: field, as: UTF8.self).trimmingSpaces
        if let value = Int(text) {
            if value == 0 { return "found zero" }
            if value < 0 { return "found a negative number" }
            return "found a number too large for a quantity"
        }
        if Double(text) != nil { return "found a number with a fractional part" }
        return "found text that is not a number"
    }

    /// What is wrong with a field that is not an amount of money.
    static func money(_ field: UnsafeRawBufferPointer) -> String {
        let text = String(decoding: field, as: UTF8.self).trimmingSpaces
        if let dot = text.lastIndex(of: "."), text[text.index(after: dot)...].allSatisfy(\.isNumber),
           text.distance(from: dot, to: text.endIndex) > 3 {
            return "found \(text.distance(from: dot, to: text.endIndex) - 1) decimal places"
        }
        if text.contains(",") { return "found thousands separators out of place" }
        if text.lowercased().contains("e") && text.contains(where: \.isNumber) { return "found a number in scientific notation" }
        if text.filter(\.isNumber).count > 14 { return "found an amount too large" }
        return "found text that is not an amount"
    }
}
