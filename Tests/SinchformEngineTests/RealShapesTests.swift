import Foundation
import ProvisioningAPI
import SinchformEngine
import SinchformManifest
import SinchformTestSupport
import Testing

/// Manifests of the shapes people really write (Tests/SinchformManifestTests/Fixtures/valid/real-*): each applies to
/// the emulator and re-plans as no changes.
@Suite struct RealShapesTests {
    static let fixtures = EmulatorHarness.packageRoot.appendingPathComponent(
        "Tests/SinchformManifestTests/Fixtures/valid")

    static let shapes = [
        "real-alimtalk", "real-authentication", "real-carousel", "real-flow", "real-headers", "real-offer",
        "real-rcs-brand", "real-us-price",
    ]

    @Test(arguments: shapes)
    func appliesAndReplansWithNoChanges(_ shape: String) async throws {
        try await EmulatorHarness.run { harness in
            let source = Self.fixtures.appendingPathComponent(shape)
            for file in try FileManager.default.contentsOfDirectory(atPath: source.path) where file.hasSuffix(".yaml") {
                try FileManager.default.copyItem(
                    at: source.appendingPathComponent(file), to: harness.directory.appendingPathComponent(file))
            }
            let first = try await harness.plan()
            #expect(first.plan.summary.create > 0)
            let result = try await harness.apply()
            #expect(result.succeeded, "\(shape): \(result.failed.map { $0.message ?? "" })")

            let second = try await harness.plan()
            #expect(
                !second.plan.hasChanges,
                "\(shape): \(second.plan.changes.filter(\.isChange).map { "\($0.address) \($0.action) \($0.fields)" })")
            _ = try await harness.control.reviewAll(.approve)
            let third = try await harness.plan()
            #expect(
                !third.plan.hasChanges,
                "\(shape): \(third.plan.changes.filter(\.isChange).map { "\($0.address) \($0.action) \($0.fields)" })")
        }
    }
}

/// A value from a secret-named variable is masked wherever it lands (DESIGN "Interpolation and variables"): in the
/// plan in every format, the saved plan, the journal and the lock file.
@Suite struct SensitiveInterpolationTests {
    static let canary = "PRIVATE-CANARY-4711"

    @Test func secretNamedVariableIsMaskedInAnyField() async throws {
        try await EmulatorHarness.run(environment: [
            "HOOK_TOKEN": Self.canary, "HOOK_SECRET": "hook-secret-value",
        ]) { harness in
            try harness.write(
                "webhooks.yaml",
                """
                webhooks:
                  ops:
                    target: https://ops.example.com/hook?token=${env.HOOK_TOKEN}
                    triggers: [ALL]
                    secret: ${env.HOOK_SECRET}
                whatsappTemplates:
                  greeting:
                    category: UTILITY
                    languages:
                      EN_US:
                        details:
                          components:
                            - type: BODY
                              text: "Hello {{1}}, your access code is ${env.HOOK_TOKEN} for today."
                              examples: ["Sam"]

                """)
            let first = try await harness.plan()
            let renderer = PlanRenderer()
            for format in PlanFormat.allCases {
                let text = try renderer.render(first.plan, format: format)
                #expect(!text.contains(Self.canary), "\(format) shows the value")
            }
            let saved = String(decoding: try JSONEncoder().encode(first.plan), as: UTF8.self)
            #expect(!saved.contains(Self.canary))
            let webhook = try #require(first.plan.changes.first { $0.kind == .webhook })
            #expect(webhook.after?["target"] == Plan.sensitiveMarker)

            let result = try await harness.apply()
            #expect(result.succeeded, "\(result.failed.map { $0.message ?? "" })")
            var written = try String(
                contentsOf: harness.directory.appendingPathComponent("sinchform.lock"), encoding: .utf8)
            let journals = harness.directory.appendingPathComponent(".sinchform/journal")
            for file in try FileManager.default.contentsOfDirectory(atPath: journals.path) {
                written += try String(contentsOf: journals.appendingPathComponent(file), encoding: .utf8)
            }
            #expect(!written.contains(Self.canary))

            // Live now holds the value: a re-plan shows no change, and a changed value shows masked on both sides.
            let second = try await harness.plan()
            #expect(!second.plan.hasChanges, "\(second.plan.changes.filter(\.isChange).map(\.fields))")
            var changed = harness.workspace
            changed.environment["HOOK_TOKEN"] = "PRIVATE-CANARY-0815"
            let third = try await harness.withClient { client in try await changed.plan(client: client) }
            #expect(third.plan.hasChanges)
            for format in PlanFormat.allCases {
                let text = try renderer.render(third.plan, format: format)
                #expect(!text.contains("CANARY"), "\(format) shows a value")
            }
        }
    }
}
