#if canImport(Glibc)
import Glibc
#endif

/// Messages for standard error. Data never goes here, and no message carries a cell's value.
enum Diagnostics {
    static func error(_ text: String) { write("cof: error: " + text) }
    static func warn(_ text: String) { write("cof: warning: " + text) }
    static func note(_ text: String) { write("cof: " + text) }

    private static func write(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        bytes.withUnsafeBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
