import Crypto
import Foundation
import ProvisioningAPI
import SinchformManifest

extension ManifestValue {
    /// The value as JSON, without source locations.
    public var json: JSONValue { kind.json }
}

extension ManifestValue.Kind {
    var json: JSONValue {
        switch self {
        case .null: return .null
        case let .bool(value): return .bool(value)
        case let .number(value): return .number(value)
        case let .string(value): return .string(value)
        case let .array(values): return .array(values.map(\.json))
        case let .object(values): return .object(values.mapValues(\.json))
        }
    }
}

extension JSONValue {
    /// A deterministic text form: sorted keys, no spaces, integral numbers without a fraction. Digests and
    /// set comparisons use it, so equal values always hash equal.
    public var canonical: String {
        var output = ""
        write(into: &output)
        return output
    }

    private func write(into output: inout String) {
        switch self {
        case .null: output += "null"
        case let .bool(value): output += value ? "true" : "false"
        case let .number(value):
            if value.rounded() == value, abs(value) < 1e15 {
                output += String(Int64(value))
            } else {
                output += String(value)
            }
        case let .string(value): output += Self.quoted(value)
        case let .array(values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.write(into: &output)
            }
            output += "]"
        case let .object(members):
            output += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output += "," }
                output += Self.quoted(key) + ":"
                members[key]?.write(into: &output)
            }
            output += "}"
        }
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// `sha256:<hex>` of the canonical form.
    public var digest: String {
        "sha256:" + SHA256.hash(data: Data(canonical.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Salted fingerprints of write-only values: enough to notice a change, useless for recovering the value.
public enum Fingerprint {
    public static func of(_ value: String, salt: String) -> String {
        let key = SymmetricKey(data: Data(salt.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: key)
        return "hmac-sha256:" + mac.map { String(format: "%02x", $0) }.joined()
    }

    public static func newSalt() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
