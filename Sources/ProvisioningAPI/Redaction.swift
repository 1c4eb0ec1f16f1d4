import Foundation
import JSONSyntax
import Synchronization

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
            var result: JSONObject = [:]
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

    /// A body for a trace line: JSON redacted by key and by the `sensitive` values it repeats, or a size note for
    /// bytes that are not JSON.
    static func describeBody(_ bytes: [UInt8], hiding sensitive: SensitiveValues) -> String {
        if bytes.isEmpty { return "(empty)" }
        if let value = try? JSONValue(bytes: bytes) {
            // Hidden in the parsed strings, before they are escaped again for the line.
            return sensitive.scrub(redact(value)).jsonString
        }
        return "(\(bytes.count) bytes, not JSON)"
    }
}

/// The sensitive values a client has sent or received (the key secret, its Basic credentials, bearer tokens, and
/// the values of sensitive members of request bodies), so that a server that echoes one back (in an error message,
/// `validationErrors`, a header) has it hidden by its value, not only by the name of the member that held it.
///
/// Values shorter than ``minimumLength`` are not hidden: replacing every `a` of a message would garble it, and a
/// secret that short protects nothing.
final class SensitiveValues: Sendable {
    static let minimumLength = 4
    /// Longest first, so a value that contains another is hidden whole.
    private let values = Mutex<[String]>([])

    func insert(_ value: String) {
        guard value.count >= Self.minimumLength else { return }
        // As it is, and as it reads inside a JSON string a server built by pasting the request body into its text.
        let escaped = String(JSONValue.string(value).jsonString.dropFirst().dropLast())
        values.withLock { values in
            for form in Set([value, escaped]) where !values.contains(form) {
                values.append(form)
            }
            values.sort { $0.count > $1.count }
        }
    }

    /// Remembers every string under a sensitive key of `body` (see ``Redaction/isSensitiveKey(_:)``).
    func insert(sensitiveMembersOf body: JSONValue) {
        switch body {
        case .object(let members):
            for (key, member) in members {
                if Redaction.isSensitiveKey(key) {
                    for text in Self.strings(in: member) { insert(text) }
                } else {
                    insert(sensitiveMembersOf: member)
                }
            }
        case .array(let elements):
            for element in elements { insert(sensitiveMembersOf: element) }
        default:
            break
        }
    }

    /// `text` with every remembered value replaced by ``Redaction/placeholder``.
    func scrub(_ text: String) -> String {
        let values = values.withLock { $0 }
        var result = text
        for value in values where result.contains(value) {
            result = result.replacingOccurrences(of: value, with: Redaction.placeholder)
        }
        return result
    }

    /// `value` with every remembered value hidden in its strings and member names.
    func scrub(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text):
            return .string(scrub(text))
        case .array(let elements):
            return .array(elements.map(scrub))
        case .object(let members):
            var result: JSONObject = [:]
            for (key, member) in members { result[scrub(key)] = scrub(member) }
            return .object(result)
        default:
            return value
        }
    }

    private static func strings(in value: JSONValue) -> [String] {
        switch value {
        case .string(let text): return [text]
        case .array(let elements): return elements.flatMap(strings)
        case .object(let members): return members.values.flatMap(strings)
        default: return []
        }
    }
}
