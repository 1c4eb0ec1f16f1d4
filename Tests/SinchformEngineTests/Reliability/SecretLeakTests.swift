import Foundation
import ProvisioningAPI
import SinchformEngine
import SinchformManifest
import SinchformTestSupport
import Testing

/// Known secret values go in (webhook secrets from `${env...}`, the key secret, the bearer tokens the emulator
/// issues); every rendering, saved plan, journal, lock file and trace-level log line is searched for them.
@Suite struct SecretLeakTests {
    static let keySecret = "KEYSECRET-q7Zx1-never-shown"
    static let opsSecret = "HOOKSECRET-ops-4Rt9-never-shown"
    static let auditSecret = "HOOKSECRET-audit-8Kp2-never-shown"
    static let rotated = "HOOKSECRET-rotated-3Hq6-never-shown"

    /// Every way a secret could appear: as is, base64 in a Basic header, or an emulator bearer token (48
    /// alphanumerics; the emulator's tokens are random, so the shape is what can be searched for).
    static func leaks(in text: String, source: String) -> [String] {
        var found: [String] = []
        let basic = Data("reliability-key:\(keySecret)".utf8).base64EncodedString()
        for secret in [keySecret, opsSecret, auditSecret, rotated, basic] where text.contains(secret) {
            found.append("\(source): contains \(secret.prefix(12))…")
        }
        if text.range(of: #"(?<![A-Za-z0-9])[A-Za-z0-9]{48}(?![A-Za-z0-9])"#, options: .regularExpression) != nil {
            found.append("\(source): contains a bearer-token-shaped value")
        }
        if text.range(of: #"Bearer (?!\(sensitive\))"#, options: .regularExpression) != nil {
            found.append("\(source): contains a Bearer header value")
        }
        return found
    }

    static func filesBelow(_ directory: URL) -> [URL] {
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        return (enumerator?.allObjects as? [URL] ?? []).filter {
            (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
        }
    }

    @Test func noSecretInAnyOutputFileOrLogLine() async throws {
        try await EmulatorHarness.run(
            keyId: "reliability-key", keySecret: Self.keySecret,
            environment: ["OPS_SECRET": Self.opsSecret, "AUDIT_SECRET": Self.auditSecret]
        ) { harness in
            try harness.write("webhooks.yaml", PlanScenarioTests.webhooks)
            let sink = LogCapture()
            var outputs: [(String, String)] = []
            let renderer = PlanRenderer()

            // Plan in every format, a saved plan, and the apply that creates both webhooks.
            let applied = try await harness.withClient(retry: EmulatorHarness.reliabilityRetry, logger: sink.logger()) {
                client in
                let context = try await harness.workspace.plan(client: client)
                for format in PlanFormat.allCases {
                    outputs.append(("plan \(format)", try renderer.render(context.plan, format: format)))
                }
                outputs.append(
                    ("plan JSONEncoder", String(decoding: try JSONEncoder().encode(context.plan), as: UTF8.self)))
                try SavedPlan.write(context.plan, to: harness.directory.appendingPathComponent("saved.plan").path)
                return try await Applier().apply(context, workspace: harness.workspace, client: client)
            }
            #expect(applied.succeeded)

            // A rotated secret: an update that must send the new value yet never show it; then drift and a failure.
            var rotated = harness.workspace
            rotated.environment["OPS_SECRET"] = Self.rotated
            var environment = harness.environment
            environment["OPS_SECRET"] = Self.rotated
            try await harness.withClient(
                retry: EmulatorHarness.reliabilityRetry, logger: sink.logger(), environment: environment
            ) { client in
                let context = try await rotated.plan(client: client)
                #expect(context.plan.changes.first { $0.address == "webhook.ops" }?.action == .update)
                for format in PlanFormat.allCases {
                    outputs.append(("rotated plan \(format)", try renderer.render(context.plan, format: format)))
                }
                let result = try await Applier().apply(context, workspace: rotated, client: client)
                #expect(result.succeeded)
                outputs += result.done.map { ("apply step", "\($0.address) \($0.rollback?.note ?? "")") }
            }
            let lock = try #require(try LockFile.read(in: harness.directory.path))
            let id = try #require(lock.resources["webhook.audit"]?.remoteId.id)
            try await harness.api(.patch, "/v1/projects/sinchform-project/webhooks/\(id)", ["secret": "oob"])
            try await harness.api(.patch, "/v1/projects/sinchform-project/webhooks/\(id)", ["triggers": ["ALL"]])
            try await harness.withClient(
                retry: EmulatorHarness.reliabilityRetry, logger: sink.logger(), environment: environment
            ) { client in
                let context = try await rotated.plan(client: client)
                for format in PlanFormat.allCases {
                    outputs.append(
                        ("drift \(format)", try renderer.render(context.plan.driftOnly(), format: format, mode: .drift))
                    )
                }
            }
            // A failing apply: its error messages and journal lines are searched too.
            var failing = rotated
            failing.environment["AUDIT_SECRET"] = Self.opsSecret + "-changed"
            environment["AUDIT_SECRET"] = Self.opsSecret + "-changed"
            try await harness.control.setFaults([["type": "status", "status": 503, "method": "PATCH"]])
            try await harness.withClient(
                retry: EmulatorHarness.reliabilityRetry, logger: sink.logger(), environment: environment
            ) { client in
                let context = try await failing.plan(client: client)
                let result = try await Applier().apply(context, workspace: failing, client: client)
                #expect(!result.failed.isEmpty)
                outputs += result.failed.map { ("failure", $0.message ?? "") }
            }

            outputs.append(("log", sink.text))
            #expect(sink.text.contains("Authorization: (sensitive)"), "trace logging must really be on")
            for file in Self.filesBelow(harness.directory) {
                let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
                outputs.append((file.lastPathComponent, text))
            }
            #expect(outputs.contains { $0.0.hasSuffix(".jsonl") })
            #expect(outputs.contains { $0.0 == "sinchform.lock" })
            #expect(outputs.contains { $0.0 == "saved.plan" })
            let leaks = outputs.flatMap { Self.leaks(in: $0.1, source: $0.0) }
            #expect(leaks.isEmpty, "\(leaks)")
            // The scan itself finds what it looks for.
            #expect(!Self.leaks(in: "x \(Self.opsSecret) Bearer abc", source: "probe").isEmpty)
        }
    }
}
