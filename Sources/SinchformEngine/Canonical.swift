import Crypto
import Foundation
import JSONSyntax
import ProvisioningAPI
import SinchformManifest
import Synchronization
import _CryptoExtras

extension JSONValue {
    /// `sha256:<hex>` of the deterministic encoding (``JSONValue/jsonString``: sorted keys, no spaces, integral
    /// numbers without a fraction), so equal values always hash equal.
    var digest: String {
        sha256Digest(serialized())
    }
}

/// `sha256:<lower-case hex>` of `bytes`: how every digest sinchform records is spelled (specs, saved plans).
func sha256Digest(_ bytes: some DataProtocol) -> String {
    hexString(SHA256.hash(data: bytes), after: "sha256:")
}

/// Salted fingerprints of write-only values: enough to notice a change, too slow to guess the value from.
///
/// The salt sits in `sinchform.lock`, which is committed: a fast hash would let anyone holding the lock try a
/// dictionary of secrets at hundreds of thousands of guesses a second. PBKDF2-HMAC-SHA256 with ``iterations``
/// rounds costs about 4 ms of processor time a value in optimized code (15 webhook secrets, the most a project has:
/// 55–73 ms a plan on a 2-core CI machine), and each guess costs an attacker the same. A debug build takes about
/// twice as long (`swift test --filter FingerprintTests` prints the figure).
/// Fingerprints of the older form (`hmac-sha256:`) still compare; an entry is written in the new form the next
/// time an apply records it.
enum Fingerprint {
    static let iterations = 16_000
    /// The most rounds a lock file may ask for; a larger count reads as "changed" rather than running for hours.
    static let maximumIterations = 1_000_000
    private static let prefix = "pbkdf2-sha256:"
    private static let legacyPrefix = "hmac-sha256:"

    /// Derived fingerprints of this process, so that a plan and the apply after it derive each value once.
    private static let cache = Mutex<[CacheKey: String]>([:])
    private struct CacheKey: Hashable {
        var value: String
        var salt: String
        var iterations: Int
    }

    /// The fingerprint to record: `pbkdf2-sha256:ITERATIONS:HEX`.
    static func of(_ value: String, salt: String) throws(EngineError) -> String {
        prefix + "\(iterations):" + (try derived(value, salt: salt, iterations: iterations))
    }

    /// Whether `fingerprint`, read from a lock file in either form, is the fingerprint of `value`. A fingerprint of
    /// an unknown form, or one that cannot be derived, does not match: the value is sent again.
    static func matches(_ fingerprint: String, value: String, salt: String) -> Bool {
        if fingerprint.hasPrefix(legacyPrefix) { return fingerprint == legacy(value, salt: salt) }
        guard fingerprint.hasPrefix(prefix) else { return false }
        // `ROUNDS:HEX`, read by UTF-8 bytes: a plan compares a fingerprint for each write-only value of every resource
        // (each WhatsApp sender's `phoneNumberProvider`), and splitting by Characters cost more than the cached
        // derivation it leads to.
        let rest = fingerprint.utf8.dropFirst(prefix.utf8.count)
        guard let colon = rest.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let hex = rest[rest.index(after: colon)...]
        // The round count comes from the lock file: bounded before it is used.
        guard let rounds = Int(Substring(rest[..<colon])), (1...maximumIterations).contains(rounds) else {
            return false
        }
        return (try? derived(value, salt: salt, iterations: rounds)).map { hex.elementsEqual($0.utf8) } ?? false
    }

    /// The form written before December 2026: one HMAC keyed with the salt, fast to guess.
    static func legacy(_ value: String, salt: String) -> String {
        let key = SymmetricKey(data: Data(salt.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: key)
        return legacyPrefix + hexString(mac)
    }

    private static func derived(_ value: String, salt: String, iterations: Int) throws(EngineError) -> String {
        let key = CacheKey(value: value, salt: salt, iterations: iterations)
        if let known = cache.withLock({ $0[key] }) { return known }
        let derived: SymmetricKey
        do {
            derived = try KDF.Insecure.PBKDF2.deriveKey(
                from: Data(value.utf8), salt: Data(salt.utf8), using: .sha256, outputByteCount: 32,
                unsafeUncheckedRounds: iterations)
        } catch {
            throw EngineError.stateFile("cannot derive a fingerprint of a write-only value: \(error)")
        }
        let hex = derived.withUnsafeBytes { hexString($0) }
        cache.withLock { $0[key] = hex }
        return hex
    }

    static func newSalt() -> String {
        var generator = SystemRandomNumberGenerator()
        return hexString((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}

/// Lower-case hexadecimal of bytes, after `prefix`.
private func hexString(_ bytes: some ContiguousBytes, after prefix: StaticString = "") -> String {
    // Read and written in place: an array grown digit by digit was six allocations per digest, two digests per
    // resource; a copy of the bytes first was one more; the prefix added after, one more (0.6 % of a plan).
    bytes.withUnsafeBytes { bytes in
        let start = prefix.utf8CodeUnitCount
        return String(unsafeUninitializedCapacity: start + bytes.count * 2) { out in
            func digit(_ nibble: UInt8) -> UInt8 {
                nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
            }
            prefix.withUTF8Buffer { text in
                for index in text.indices { out[index] = text[index] }
            }
            for (index, byte) in bytes.enumerated() {
                out[start + 2 * index] = digit(byte >> 4)
                out[start + 2 * index + 1] = digit(byte & 0xF)
            }
            return start + bytes.count * 2
        }
    }
}
