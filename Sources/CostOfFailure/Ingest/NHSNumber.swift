/// The NHS number's check: ten digits, the last a modulus 11 check digit of the first nine.
///
/// The check digit is 11 − (Σ digitᵢ × (11 − i), i = 1…9) mod 11, with 11 read as 0; a
/// remainder that gives 10 means no valid number has those nine digits. A transposition of two
/// adjacent digits or one wrong digit always fails it.
public enum NHSNumber {
    /// Why `id` is not a valid NHS number (a reason with no digit of it), or `nil` when it is.
    public static func problem(_ id: UnsafeRawBufferPointer) -> String? {
        guard id.count == 10 else {
            return "not a valid NHS number: expected 10 digits, found \(id.count) characters"
        }
        var sum = 0
        for (index, byte) in id.enumerated() {
            guard byte >= 0x30, byte <= 0x39 else { return "not a valid NHS number: expected digits only" }
            if index < 9 { sum += Int(byte - 0x30) * (10 - index) }
        }
        let check = 11 - sum % 11
        if check == 10 { return "not a valid NHS number: check digit (its first nine digits give none)" }
        guard Int(id[9] - 0x30) == check % 11 else { return "not a valid NHS number: check digit" }
        return nil
    }

    /// Whether `id` is a valid NHS number.
    public static func isValid(_ id: String) -> Bool {
        var id = id
        return id.withUTF8 { problem(UnsafeRawBufferPointer($0)) == nil }
    }
}
