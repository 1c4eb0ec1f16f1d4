import Foundation

/// Where and how the client talks to the Provisioning API: project, access key, auth mode, endpoints and limits.
///
/// Usually built from the environment with ``init(environment:projectOverride:)``. The key secret never appears in
/// `description` or `debugDescription`.
public struct ProvisioningConfiguration: Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// How requests are authenticated.
    public enum AuthMode: String, Sendable, Hashable {
        /// OAuth2 client-credentials bearer tokens, cached and renewed (`SINCH_AUTH=oauth`, the default).
        case oauth
        /// HTTP Basic with the access key on every request (`SINCH_AUTH=basic`; heavily rate limited by Sinch).
        case basic
    }

    /// The default API base URL.
    public static let defaultProvisioningURL = "https://provisioning.api.sinch.com"
    /// The default OAuth2 token URL.
    public static let defaultAuthURL = "https://auth.sinch.com/oauth2/token"

    /// The Sinch project every path is scoped to.
    public var projectId: String
    /// The access key ID.
    public var keyId: String
    /// The access key secret. Never logged or described.
    public var keySecret: String
    /// Bearer tokens or Basic credentials.
    public var authMode: AuthMode
    /// The API base URL, without a trailing slash.
    public private(set) var provisioningURL: String
    /// The OAuth2 token endpoint.
    public private(set) var authURL: String

    /// Retry behaviour for idempotent requests and POSTs that were certainly not applied.
    public var retry: RetryPolicy = RetryPolicy()
    /// Requests in flight at once per host (scheme, host and port).
    public var maxConcurrentRequestsPerHost: Int = 8
    /// The deadline of one HTTP attempt, from sending to having read the whole body.
    public var requestTimeout: Duration = .seconds(30)
    /// The largest response body read; larger bodies fail with ``APIError/Kind-swift.struct/responseTooLarge``.
    public var maxResponseBodyBytes: Int = 32 * 1024 * 1024
    /// A token is renewed this long before it expires (at most 10% of its lifetime).
    public var tokenRenewalMargin: Duration = .seconds(60)
    /// The most pages one list may take before its pagination counts as endless: 1,000 pages is 100,000 senders or
    /// a million templates, far beyond a project's limits, and a bound for a server that reports no `totalSize`.
    public var maxListPages: Int = 1000

    /// Creates a configuration from explicit values.
    ///
    /// - Throws: ``APIError`` of kind `configuration` when a value is empty, a URL is malformed, or a URL uses plain
    ///   `http` for a host that is not loopback.
    public init(
        projectId: String, keyId: String, keySecret: String, authMode: AuthMode = .oauth,
        provisioningURL: String = Self.defaultProvisioningURL, authURL: String = Self.defaultAuthURL
    ) throws {
        for (name, value) in [("project ID", projectId), ("key ID", keyId), ("key secret", keySecret)]
        where value.isEmpty {
            throw Self.error("the \(name) is empty")
        }
        self.projectId = projectId
        self.keyId = keyId
        self.keySecret = keySecret
        self.authMode = authMode
        self.provisioningURL = try Self.validatedURL(provisioningURL, variable: "SINCH_PROVISIONING_URL")
        self.authURL = try Self.validatedURL(authURL, variable: "SINCH_AUTH_URL")
    }

    /// Reads `SINCH_PROJECT_ID`, `SINCH_KEY_ID`, `SINCH_KEY_SECRET`, `SINCH_AUTH`, `SINCH_PROVISIONING_URL` and
    /// `SINCH_AUTH_URL`.
    ///
    /// - Parameters:
    ///   - environment: The variables; the process environment by default.
    ///   - projectOverride: A project that wins over `SINCH_PROJECT_ID` (a manifest's `project:`).
    /// - Throws: ``APIError`` of kind `configuration` naming the missing or invalid variable.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment, projectOverride: String? = nil
    ) throws {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty
            else { return nil }
            return raw
        }
        func required(_ name: String, _ purpose: String) throws -> String {
            guard let found = value(name) else {
                throw Self.error("\(name) is not set; export it with \(purpose)")
            }
            return found
        }
        let project: String
        if let projectOverride, !projectOverride.isEmpty {
            project = projectOverride
        } else {
            project = try required("SINCH_PROJECT_ID", "your Sinch project ID (or set `project:` in a manifest)")
        }
        let keyId = try required("SINCH_KEY_ID", "the access key ID from the Sinch dashboard")
        let keySecret = try required("SINCH_KEY_SECRET", "the access key secret from the Sinch dashboard")
        let mode: AuthMode
        switch value("SINCH_AUTH")?.lowercased() {
        case nil, "oauth": mode = .oauth
        case "basic": mode = .basic
        case let other?:
            throw Self.error("SINCH_AUTH is \"\(other)\"; use `oauth` (the default) or `basic`")
        }
        try self.init(
            projectId: project, keyId: keyId, keySecret: keySecret, authMode: mode,
            provisioningURL: value("SINCH_PROVISIONING_URL") ?? Self.defaultProvisioningURL,
            authURL: value("SINCH_AUTH_URL") ?? Self.defaultAuthURL)
    }

    /// A summary with the secret redacted.
    public var description: String {
        "ProvisioningConfiguration(project: \(projectId), keyId: \(keyId), keySecret: (sensitive), "
            + "auth: \(authMode.rawValue), provisioningURL: \(provisioningURL), authURL: \(authURL))"
    }

    /// The same as ``description``: the secret is redacted here too.
    public var debugDescription: String { description }

    /// What `dump` and debuggers show: every setting, the secret redacted.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "projectId": projectId, "keyId": keyId, "keySecret": "(sensitive)", "authMode": authMode,
                "provisioningURL": provisioningURL, "authURL": authURL, "retry": retry,
                "maxConcurrentRequestsPerHost": maxConcurrentRequestsPerHost, "requestTimeout": requestTimeout,
                "maxResponseBodyBytes": maxResponseBodyBytes, "tokenRenewalMargin": tokenRenewalMargin,
                "maxListPages": maxListPages,
            ], displayStyle: .struct)
    }

    // MARK: - URL checks

    private static func error(_ message: String) -> APIError {
        APIError(
            kind: .configuration, operation: "configure the Provisioning API client", message: message)
    }

    /// Checks the scheme and host: `https` anywhere, plain `http` only for loopback hosts, and no credentials in the
    /// URL (the access key authenticates; a `user:password@` would end up in messages). Messages never repeat
    /// what a URL holds before an `@`.
    static func validatedURL(_ string: String, variable: String) throws -> String {
        guard let url = URL(string: string), let scheme = url.scheme?.lowercased(),
            let host = url.host, !host.isEmpty
        else {
            throw error("\(variable) is not a valid URL: \(withoutCredentials(string))")
        }
        guard url.user == nil, url.password == nil, !authority(of: string).contains("@") else {
            throw error(
                "\(variable) contains credentials (\(withoutCredentials(string))); remove them: the API is "
                    + "authenticated with SINCH_KEY_ID and SINCH_KEY_SECRET")
        }
        switch scheme {
        case "https":
            break
        case "http":
            guard isLoopback(host) else {
                throw error(
                    "\(variable) uses plain http for \(host); only loopback hosts (127.0.0.0/8, localhost, ::1) "
                        + "may use http, use https")
            }
        default:
            throw error("\(variable) has unsupported scheme \"\(scheme)\"; use https")
        }
        guard url.query == nil, url.fragment == nil else {
            throw error("\(variable) must not contain a query or fragment: \(withoutCredentials(string))")
        }
        var normalized = string
        while normalized.hasSuffix("/") { normalized.removeLast() }
        return normalized
    }

    /// The authority of a URL string (after `scheme://`, up to the path, query or fragment), found by text so that
    /// it works on strings `URL` refuses.
    private static func authority(of string: String) -> Substring {
        let start = string.range(of: "://")?.upperBound ?? string.startIndex
        let rest = string[start...]
        return rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    }

    /// `string` with everything between `scheme://` and its last `@` (a user and password, which may hold any
    /// character when the string is not a valid URL) replaced by `…`.
    static func withoutCredentials(_ string: String) -> String {
        guard let at = string.lastIndex(of: "@") else { return string }
        let scheme = string.range(of: "://").flatMap { $0.upperBound <= at ? $0.upperBound : nil }
        let start = scheme ?? string.startIndex
        return String(string[..<start]) + "…" + String(string[at...])
    }

    /// Whether a host name or address is loopback: `localhost`, `::1` or an address in 127.0.0.0/8.
    static func isLoopback(_ rawHost: String) -> Bool {
        var host = rawHost.lowercased()
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" || host == "localhost." || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.first == "127" else { return false }
        return octets.allSatisfy { octet in
            !octet.isEmpty && octet.count <= 3 && octet.allSatisfy(\.isASCII) && UInt8(octet) != nil
        }
    }
}
