import ProvisioningAPI
import SinchformManifest

/// Errors of planning and applying, each one line a user can act on.
public enum EngineError: Error, Sendable, CustomStringConvertible {
    case manifests(ManifestErrors)
    case api(APIError)
    case lockFile(String, String)
    case plan([String])
    case configuration(String)
    case stalePlan([String])
    case other(String)

    public var description: String {
        switch self {
        case let .manifests(errors): return errors.description
        case let .api(error): return "error: \(error)"
        case let .lockFile(path, message): return "error: \(path): \(message)"
        case let .plan(messages): return messages.map { "error: \($0)" }.joined(separator: "\n")
        case let .configuration(message): return "error: \(message)"
        case let .stalePlan(messages):
            return "error: the saved plan is stale; run plan again:\n"
                + messages.map { "  - \($0)" }.joined(separator: "\n")
        case let .other(message): return "error: \(message)"
        }
    }
}
