import JSONSyntax
import Logging

/// The current OAuth2 access token, shared by every request of a client.
///
/// Concurrent callers that find no valid token wait for one fetch instead of each fetching their own.
actor TokenCache {
    struct Token: Sendable {
        var value: String
        var renewAt: ContinuousClock.Instant
    }

    private var current: Token?
    private var inFlight: Task<Token, any Error>?

    /// A valid token: the cached one, the one being fetched, or a new one from `fetch`.
    func token(fetch: @escaping @Sendable () async throws -> Token) async throws -> String {
        if let current, ContinuousClock.now < current.renewAt {
            return current.value
        }
        if let inFlight {
            return try await inFlight.value.value
        }
        let task = Task { try await fetch() }
        inFlight = task
        defer { inFlight = nil }
        let token = try await task.value
        current = token
        return token.value
    }

    /// Forgets `value` if it is still the current token (a 401 proved it stale); a newer token is kept.
    func invalidate(_ value: String) {
        if current?.value == value {
            current = nil
        }
    }
}

extension ProvisioningClient {
    /// Requests a client-credentials token from the configured token URL.
    func fetchToken(label: String?) async throws -> TokenCache.Token {
        let operation = "obtain an access token"
        let exchange = Exchange(
            method: .post, url: configuration.authURL, body: Array("grant_type=client_credentials".utf8),
            contentType: "application/x-www-form-urlencoded", operation: operation, label: label,
            authentication: .fixed(basicCredentials), resendable: true)
        let requested = ContinuousClock.now
        let raw: RawResponse
        do {
            raw = try await execute(exchange)
        } catch let error as APIError where error.kind == .unauthorized || error.status == 401 {
            throw APIError(
                kind: .unauthorized, operation: operation,
                message: "the token endpoint refused the access key \(configuration.keyId)",
                status: error.status, errorCode: error.errorCode,
                resolution: "check SINCH_KEY_ID and SINCH_KEY_SECRET", resource: label, url: configuration.authURL)
        }
        guard let body = try? JSONValue(bytes: raw.body), let value = body["access_token"]?.stringValue,
            !value.isEmpty
        else {
            throw APIError(
                kind: .undecodableResponse, operation: operation, message: "the response has no access_token",
                status: raw.status, resource: label, url: configuration.authURL)
        }
        sensitive.insert(value)
        let lifetimeSeconds = Self.tokenLifetimeSeconds(body["expires_in"])
        let lifetime = Duration.seconds(lifetimeSeconds)
        let margin = min(configuration.tokenRenewalMargin, lifetime / 10)
        logger.debug("obtained an access token valid for \(lifetimeSeconds) s")
        return TokenCache.Token(value: value, renewAt: requested + lifetime - margin)
    }

    /// The longest lifetime a token is trusted for, whatever `expires_in` says (Sinch's tokens last an hour).
    static let maxTokenLifetimeSeconds = 86_400

    /// A token's `expires_in`, range-checked before it is converted: 1 s to a day. Without it (or when it is not a
    /// number), a short life rather than the risk of using an expired token.
    static func tokenLifetimeSeconds(_ expiresIn: JSONValue?) -> Int {
        guard let seconds = expiresIn?.doubleValue else { return 300 }
        let clamped = min(max(seconds, 1), Double(maxTokenLifetimeSeconds))
        return Int(clamped.rounded(.down))  // range-checked: clamped to 1...maxTokenLifetimeSeconds just above.
    }
}
