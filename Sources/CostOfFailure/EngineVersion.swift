/// The engine's version, stated in reports' provenance and by `cof --version`, so a figure can
/// be traced to the code that computed it. Raised when a change alters any figure or format.
public enum EngineVersion {
    /// The version: `major.minor.patch`.
    public static let current = "0.6.0"
}
