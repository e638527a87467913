#if canImport(Glibc)
import CostOfFailureReports
import Glibc
#endif

/// Creating output folders.
enum Directory {
    /// Creates `path` and its parents when missing.
    static func create(_ path: String) throws {
        var current = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            current += part + "/"
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw CommandFailure(OutputFile.Failure(path: current, reason: String(cString: strerror(errno))))
            }
        }
    }
}
