#if canImport(Glibc)
import Glibc
#endif

/// The machine's cores, for sizing worker counts.
public enum Processors {
    /// Cores online now (at least 1).
    public static var online: Int {
        max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }
}
