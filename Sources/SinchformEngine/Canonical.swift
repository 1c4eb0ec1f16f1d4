import Crypto
import Foundation
import JSONSyntax
import ProvisioningAPI
import SinchformManifest

extension JSONValue {
    /// `sha256:<hex>` of the deterministic encoding (``JSONValue/jsonString``: sorted keys, no spaces, integral
    /// numbers without a fraction), so equal values always hash equal.
    var digest: String {
        "sha256:" + hexString(SHA256.hash(data: serialized()))
    }
}

/// Salted fingerprints of write-only values: enough to notice a change, useless for recovering the value.
enum Fingerprint {
    static func of(_ value: String, salt: String) -> String {
        let key = SymmetricKey(data: Data(salt.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: key)
        return "hmac-sha256:" + hexString(mac)
    }

    static func newSalt() -> String {
        var generator = SystemRandomNumberGenerator()
        return hexString((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}

/// Lower-case hexadecimal of bytes.
private func hexString(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}
