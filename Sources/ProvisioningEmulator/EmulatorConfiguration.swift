/// Settings of an ``EmulatorServer``: who may call it, how fast reviews complete, where state lives.
///
/// Every property has a default, so `EmulatorConfiguration()` gives a ready-to-use emulator with one key
/// (`sinchform-key` / `sinchform-secret`) and one project (`sinchform-project`).
public struct EmulatorConfiguration: Sendable {
    /// Accepted access keys: key id to key secret.
    public var credentials: [String: String]
    /// Project ids the keys may use; any other project id answers `401 unauthorized_error`.
    public var projects: Set<String>
    /// How long a bearer token from `POST /oauth2/token` stays valid, on the emulator clock.
    public var tokenLifetime: Duration
    /// How long (emulator clock) after a submission the review completes on its own (as an approval).
    public var reviewDelay: Duration
    /// When set, state is loaded from this file at start and written atomically after mutations and at stop.
    public var statePath: String?
    /// The `status` a WhatsApp template create uses when the body has none (part A §3.4 T3, a SPEC-CONFLICT).
    public var templateCreateDefaultStatus: String

    /// Creates a configuration with every default.
    public init() {
        self.credentials = ["sinchform-key": "sinchform-secret"]
        self.projects = ["sinchform-project"]
        self.tokenLifetime = .seconds(3600)
        self.reviewDelay = .seconds(3)
        self.statePath = nil
        self.templateCreateDefaultStatus = EmulatorDefaults.templateCreateDefaultStatus
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
