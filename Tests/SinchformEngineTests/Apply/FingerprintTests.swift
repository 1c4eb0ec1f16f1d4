import Foundation
import JSONSyntax
import SinchformManifest
import SinchformTestSupport
import Testing

@testable import SinchformEngine

/// Finding 11 of the December 2026 audit: write-only values are fingerprinted with PBKDF2 (slow to guess from a
/// committed lock); fingerprints of the older HMAC form still compare, and are rewritten by the next apply.
@Suite struct FingerprintTests {
    @Test func newFormMatchesItsValueOnly() throws {
        let salt = Fingerprint.newSalt()
        let fingerprint = try Fingerprint.of("\"s3cret\"", salt: salt)
        #expect(fingerprint.hasPrefix("pbkdf2-sha256:\(Fingerprint.iterations):"))
        #expect(fingerprint.count == "pbkdf2-sha256:\(Fingerprint.iterations):".count + 64)
        #expect(Fingerprint.matches(fingerprint, value: "\"s3cret\"", salt: salt))
        #expect(!Fingerprint.matches(fingerprint, value: "\"s3cret2\"", salt: salt))
        #expect(!Fingerprint.matches(fingerprint, value: "\"s3cret\"", salt: Fingerprint.newSalt()))
    }

    /// PBKDF2-HMAC-SHA256 of RFC 7914 §11's test vector ("passwd", "salt", 1 round, first 32 bytes).
    @Test func derivationIsPBKDF2() {
        #expect(
            Fingerprint.matches(
                "pbkdf2-sha256:1:55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc", value: "passwd",
                salt: "salt"))
    }

    /// A spec's digest is SHA-256 of its canonical JSON, spelled `sha256:<hex>` (the prefix written with the digits).
    @Test func specDigestIsSHA256OfTheCanonicalJSON() {
        let value: JSONValue = ["a": 1]
        #expect(value.digest == "sha256:015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862")
    }

    @Test func legacyFormStillCompares() {
        let salt = "00112233445566778899aabbccddeeff"
        let legacy = Fingerprint.legacy("\"s3cret\"", salt: salt)
        #expect(legacy.hasPrefix("hmac-sha256:"))
        #expect(Fingerprint.matches(legacy, value: "\"s3cret\"", salt: salt))
        #expect(!Fingerprint.matches(legacy, value: "\"other\"", salt: salt))
    }

    /// The round count comes from the lock file: one out of range, or not a number, never matches (the value is sent
    /// again) rather than deriving for hours.
    @Test func hostileRoundCountsDoNotMatch() {
        for fingerprint in [
            "pbkdf2-sha256:0:00", "pbkdf2-sha256:-5:00", "pbkdf2-sha256:99999999999999999999:00",
            "pbkdf2-sha256:\(Fingerprint.maximumIterations + 1):00", "pbkdf2-sha256:1e300:00", "pbkdf2-sha256:",
            "md5:abc", "pbkdf2-sha256:1", "pbkdf2-sha256::00",
            // One colon after the round count, no more: the derivation itself, with a colon inside or after it.
            "pbkdf2-sha256:1:55ac046e56e3089fec1691c22544b605:f94185216dde0465e68b9d57c20dacbc",
            "pbkdf2-sha256:1:55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc:",
        ] {
            #expect(!Fingerprint.matches(fingerprint, value: "passwd", salt: "salt"), "\(fingerprint)")
        }
    }

    /// What 15 webhook secrets (the most a project can have) cost a plan. No bound asserted: the figure is printed.
    @Test func costOfFifteenSecrets() throws {
        let salt = Fingerprint.newSalt()
        let clock = ContinuousClock()
        var fingerprints: Set<String> = []
        // Processor time as well as wall time: on a machine shared with builds, the wall time mostly measures them.
        let processorStart = threadProcessorNanoseconds()
        let elapsed = try clock.measure {
            for index in 0..<15 { fingerprints.insert(try Fingerprint.of("\"secret-\(index)-\(salt)\"", salt: salt)) }
        }
        let processor = Double(threadProcessorNanoseconds() - processorStart) / 1e6
        #expect(fingerprints.count == 15)
        print(
            "fingerprints: 15 derivations of \(Fingerprint.iterations) rounds: wall \(elapsed), thread CPU \(processor) ms"
        )
    }

    /// The processor time this thread has used, in nanoseconds.
    private func threadProcessorNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// A lock written before PBKDF2: plans as no change while the secrets are unchanged, is rewritten in the new form
    /// by the next apply of the entry, and a changed secret is still noticed.
    @Test func oldLockIsReadComparedAndUpgraded() async throws {
        try await EmulatorHarness.run(environment: [
            "OPS_WEBHOOK_SECRET": "s3cret-value", "AUDIT_WEBHOOK_SECRET": "audit-s3cret",
        ]) { harness in
            try harness.copyExample("webhooks.yaml")
            #expect(try await harness.apply().succeeded)

            // Rewrite the lock as the previous version wrote it.
            var lock = try #require(try LockFile.read(in: harness.directory.path))
            let secrets = ["webhook.ops-events": "s3cret-value", "webhook.audit-all": "audit-s3cret"]
            for (address, entry) in lock.resources {
                let secret = try #require(secrets["\(address)"], "\(address)")
                #expect(entry.writeOnly["secret"]?.hasPrefix("pbkdf2-sha256:") == true)
                lock.resources[address]?.writeOnly["secret"] = Fingerprint.legacy(
                    JSONValue.string(secret).jsonString, salt: lock.salt)
            }
            try lock.write(in: harness.directory.path)
            let legacyText = try String(
                contentsOf: harness.directory.appendingPathComponent("sinchform.lock"), encoding: .utf8)
            #expect(legacyText.contains("hmac-sha256:") && !legacyText.contains("pbkdf2-sha256:"))

            let unchanged = try await harness.plan()
            #expect(!unchanged.plan.hasChanges, "\(unchanged.plan.changes.map { "\($0.address) \($0.fields)" })")

            // A change to another field of one webhook: its entry is recorded anew, in the new form.
            let manifest = try String(
                contentsOf: harness.directory.appendingPathComponent("webhooks.yaml"), encoding: .utf8)
            try harness.write(
                "webhooks.yaml",
                manifest.replacingOccurrences(of: "triggers: [ALL]", with: "triggers: [WHATSAPP_TEMPLATE_APPROVED]"))
            #expect(try await harness.apply().succeeded)
            let upgraded = try #require(try LockFile.read(in: harness.directory.path))
            let audit = try #require(upgraded.resources.first { "\($0.key)" == "webhook.audit-all" }?.value)
            let ops = try #require(upgraded.resources.first { "\($0.key)" == "webhook.ops-events" }?.value)
            #expect(audit.writeOnly["secret"]?.hasPrefix("pbkdf2-sha256:\(Fingerprint.iterations):") == true)
            #expect(ops.writeOnly["secret"]?.hasPrefix("hmac-sha256:") == true)

            // A rotated secret is noticed against either form.
            for variable in ["OPS_WEBHOOK_SECRET", "AUDIT_WEBHOOK_SECRET"] {
                var environment = harness.environment
                environment[variable] = "rotated"
                let rotated = try await harness.withClient(environment: environment) { client in
                    try await Workspace(directory: harness.directory.path, environment: environment).plan(
                        client: client)
                }
                let changed = rotated.plan.changes.filter(\.isChange)
                #expect(changed.count == 1, "\(variable): \(changed.map(\.address))")
                #expect(changed.first?.fields.map(\.path) == ["secret"], "\(variable)")
            }
        }
    }
}
