import ProvisioningAPI
import SinchformManifest

/// Errors of planning and applying, each one line a user can act on. Tests match them by case.
public enum EngineError: Error, Sendable, CustomStringConvertible {
    case manifests(ManifestErrors)
    case api(APIError)
    case lockFile(String, String)
    case plan([String])
    case configuration(String)
    case stalePlan([String])
    /// `--target` / `--exclude` values that match no address, each with the closest ones.
    case unknownAddresses([String])
    /// The API listed an item of this kind without the id (or name, code) that identifies it.
    case liveItemWithoutIdentity(ResourceKind)
    /// An identity of another shape than the kind's (a lock entry edited by hand, or of another kind).
    case identityMismatch(ResourceKind, RemoteIdentity)
    /// The API cannot delete resources of this kind (address, kind).
    case notDeletable(Address, ResourceKind)
    /// A file or folder under `.sinchform/` (journal, apply lock) cannot be created, read or written.
    case stateFile(String)
    /// Another apply holds the apply lock (who).
    case applyLockHeld(String)
    /// `force-unlock`: no lock, another id, or a holder that still runs.
    case forceUnlock(String)
    /// A create answered without an id and not found by identity afterwards (address).
    case createWithoutIdentity(Address)
    /// A step's resource is no longer in the manifests the plan was made from (address).
    case notInManifests(Address)
    /// A step that needs the resource's server identity has none (address).
    case noRemoteIdentity(Address)
    /// A test's crash point was reached (address).
    case crashPoint(Address)
    /// Reading live state failed for a reason that is not an API error.
    case refresh(String)
    /// `import` cannot write or check what it wrote.
    case importFailed(String)
    /// Nothing to do without it (no journal, no lock file): what is missing and where.
    case missing(String)
    /// The user answered something else than `yes` (what was cancelled).
    case cancelled(String)
    /// A command that asks for `yes` runs without a terminal and without `--auto-approve` (the command).
    case needsConfirmation(String)
    /// The in-process emulator of `--emulator` did not start.
    case emulator(String)

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
        case let .unknownAddresses(messages): return messages.map { "error: \($0)" }.joined(separator: "\n")
        case let .liveItemWithoutIdentity(kind):
            return "error: the API listed a \(kind.rawValue) without the id that identifies it; sinchform will not "
                + "adopt or change it. Check SINCH_PROVISIONING_URL"
        case let .identityMismatch(kind, identity):
            return "error: \(identity) does not identify a \(kind.rawValue); restore sinchform.lock from git"
        case let .notDeletable(address, kind):
            return "error: \(address): the API cannot delete a \(kind.rawValue)"
        case let .stateFile(message): return "error: \(message)"
        case let .applyLockHeld(holder):
            return
                "error: another apply is running in this directory: \(holder); wait for it, or pass --lock-timeout SECONDS"
        case let .forceUnlock(message): return "error: \(message)"
        case let .createWithoutIdentity(address):
            return "error: \(address): the create was answered without an id, and no such resource exists; "
                + "check SINCH_PROVISIONING_URL and try again"
        case let .notInManifests(address): return "error: \(address): not in the manifests any more"
        case let .noRemoteIdentity(address): return "error: \(address): no remote identity"
        case let .crashPoint(address): return "error: apply stopped at a crash point in \(address)"
        case let .refresh(message): return "error: refresh failed: \(message)"
        case let .importFailed(message): return "error: \(message)"
        case let .missing(message): return "error: \(message)"
        case let .cancelled(what): return "error: \(what) cancelled; nothing was changed"
        case let .needsConfirmation(command):
            return "error: \(command) asks for confirmation, but standard input is not a terminal; pass --auto-approve"
        case let .emulator(message): return "error: the embedded emulator did not start: \(message)"
        }
    }
}
