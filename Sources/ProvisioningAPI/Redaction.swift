/// Hides secrets before anything reaches a log line.
///
/// A JSON member is sensitive when its key contains `secret`, `password` or `token` (case-insensitive), which covers
/// webhook `secret`, `access_token`, RCS `authToken`, WhatsApp `bearerToken` and the like. Page tokens are hidden too;
/// they are opaque and harmless, but one simple rule is easier to trust than a list of exceptions. Single-use codes
/// that buy a token (`facebookCode`, `authenticationCode`) are named one by one: "code" alone would hide `errorCode`.
enum Redaction {
    /// What a hidden value is shown as.
    static let placeholder = "(sensitive)"

    static func isSensitiveKey(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return lowered.contains("secret") || lowered.contains("password") || lowered.contains("token")
            || lowered == "authorization" || lowered == "facebookcode" || lowered == "authenticationcode"
    }

    /// The value with every sensitive member replaced by ``placeholder``.
    static func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (key, member) in members {
                result[key] = isSensitiveKey(key) && !member.isNull ? .string(placeholder) : redact(member)
            }
            return .object(result)
        case .array(let elements):
            return .array(elements.map(redact))
        default:
            return value
        }
    }

    /// A body for a trace line: redacted JSON, or a size note for bytes that are not JSON.
    static func describeBody(_ bytes: [UInt8]) -> String {
        if bytes.isEmpty { return "(empty)" }
        if let value = try? JSONValue(bytes: bytes) {
            return redact(value).jsonString
        }
        return "(\(bytes.count) bytes, not JSON)"
    }
}
