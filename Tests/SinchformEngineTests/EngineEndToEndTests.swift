import Foundation
import ProvisioningAPI
import SinchformEngine
import SinchformManifest
import Testing

@Suite struct EngineEndToEndTests {
    /// The quickstart applied once plans as no changes, for every kind it holds, before and after review.
    @Test func appliedManifestsPlanAsNoChanges() async throws {
        let harness = try await EmulatorHarness.start(extra: [
            "OPS_WEBHOOK_SECRET": "s3cret-value", "AUDIT_WEBHOOK_SECRET": "audit-s3cret",
        ])
        defer { Task { try? await harness.stop() } }
        for file in ["webhooks.yaml", "whatsapp.yaml", "kakaotalk.yaml"] { try harness.copyExample(file) }

        let first = try await harness.plan()
        #expect(first.plan.summary.create == 6, "\(first.plan.changes.map { "\($0.address) \($0.action)" })")
        let result = try await harness.apply()
        #expect(result.succeeded, "\(result.failed.map { $0.message ?? "" })")
        #expect(result.done.count == 6)

        let lock = try #require(try LockFile.read(in: harness.directory.path))
        #expect(lock.serial == 1)
        #expect(lock.resources.count == 6)
        let lockText = try String(
            contentsOf: harness.directory.appendingPathComponent("sinchform.lock"), encoding: .utf8)
        #expect(!lockText.contains("s3cret-value"))

        let second = try await harness.plan()
        #expect(
            !second.plan.hasChanges,
            "\(second.plan.changes.filter(\.isChange).map { "\($0.address) \($0.action) \($0.fields)" })")
        #expect(second.plan.summary.noop == 6)

        try await harness.review("approve")
        let third = try await harness.plan()
        #expect(
            !third.plan.hasChanges,
            "\(third.plan.changes.filter(\.isChange).map { "\($0.address) \($0.action) \($0.fields)" })")
        let reviews = third.plan.changes.compactMap(\.review).map(\.summary)
        #expect(reviews.contains("approved"))
    }
}
