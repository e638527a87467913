#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `cof` prints if it ever stops on a fault: one fixed line, and exit code 70 (software
/// error), instead of the Swift runtime's crash report.
///
/// That report dumps the registers and the memory they point at, as hex and as text: a person's
/// ID (a short Swift string lives in a register) or a cost can appear in it, and it goes to
/// standard error, which is often a log kept beside the outputs. No trap is meant to be left
/// (every figure is overflow-checked), so this is the last line of defence, not a way of
/// handling errors. `COF_CRASH_REPORT=1` keeps the runtime's report, for a developer on test
/// data.
enum CrashGuard {
    /// The signals a Swift trap, a bad access or an abort raise.
    static let signals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT]

    /// Replaces the runtime's handlers for ``signals`` (unless `COF_CRASH_REPORT` is set).
    static func install() {
        if let keep = getenv("COF_CRASH_REPORT"), keep.pointee != 0 { return }
        for signal in signals {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = CrashGuard.handle
            #else
            action.__sigaction_u.__sa_handler = CrashGuard.handle
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
    }

    /// The handler: only async-signal-safe calls (`write`, `_exit`) and a static message, which
    /// names no figure and no person.
    private static let handle: @convention(c) (Int32) -> Void = { _ in
        let message: StaticString = "cof: internal error: the program stopped on a fault (no data is shown); please report it with the command line, not the data\n"
        _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
        _exit(70)
    }
}
