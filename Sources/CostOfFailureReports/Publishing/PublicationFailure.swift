import CostOfFailure

/// Why a report or a table could not be made from the analyses: the one error the publishing
/// layer throws, so that the executable maps it to an exit code in one place.
public enum PublicationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// A figure beyond what the engine holds: bad data. The message names the figure, never a
    /// value or a person.
    case overflow(CostResolver.Overflow)
    /// Settings that contradict each other or what the data holds (a usage error).
    case settings(String)
    /// The data cannot give what was asked (a person without an intervention, an empty cohort).
    case badData(String)

    /// A message for the user.
    public var description: String {
        switch self {
        case .overflow(let overflow): overflow.description
        case .settings(let message), .badData(let message): message
        }
    }

    /// Runs `body`, an analysis, turning its overflow error into ``overflow(_:)``.
    public static func checkingOverflow<T>(_ body: () throws(CostResolver.Overflow) -> T) throws(PublicationFailure) -> T {
        do {
            return try body()
        } catch {
            throw .overflow(error)
        }
    }
}
