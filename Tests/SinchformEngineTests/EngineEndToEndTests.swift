import Foundation
import ProvisioningAPI
import SinchformEngine
import SinchformManifest
import SinchformTestSupport
import Testing

@Suite struct EngineEndToEndTests {
    /// The quickstart applied once plans as no changes, for every kind it holds, before and after review.
    @Test func appliedManifestsPlanAsNoChanges() async throws {
        try await EmulatorHarness.run(environment: [
            "OPS_WEBHOOK_SECRET": "s3cret-value", "AUDIT_WEBHOOK_SECRET": "audit-s3cret",
        ]) { harness in
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

            try await harness.control.reviewAll(.approve)
            let third = try await harness.plan()
            #expect(
                !third.plan.hasChanges,
                "\(third.plan.changes.filter(\.isChange).map { "\($0.address) \($0.action) \($0.fields)" })")
            let reviews = third.plan.changes.compactMap(\.review).map(\.summary)
            #expect(reviews.contains(.approved))
        }
    }
}

@Suite struct SenderKindsEndToEndTests {
    static let senders = """
        whatsappSenders:
          support-line:
            region: EU
            metaLocalStorage: DE
            businessManager: SINCH_UK
            phoneNumberProvider: SINCH
            details:
              displayName: Acme Support
              vertical: SHOPPING_AND_RETAIL
              countryCode: "48"
              phoneNumber: "777777777"
              websiteOne: https://www.acme.example.com

        """

    /// RCS and WhatsApp senders, applied once, plan as no changes; removing an RCS sender forgets it.
    @Test func sendersApplyAndReplanEmptyAndRCSIsForgotten() async throws {
        try await EmulatorHarness.run { harness in
            try harness.copyExample("rcs.yaml")
            try harness.write("senders.yaml", Self.senders)
            let result = try await harness.apply()
            #expect(result.succeeded, "\(result.failed.map { $0.message ?? "" })")
            let again = try await harness.plan().plan
            #expect(
                !again.hasChanges,
                "\(again.changes.filter(\.isChange).map { "\($0.address) \($0.action) \($0.fields)" })")
            try await harness.control.reviewAll(.approve)
            let reviewed = try await harness.plan().plan
            #expect(
                !reviewed.hasChanges,
                "\(reviewed.changes.filter(\.isChange).map { "\($0.address) \($0.action) \($0.fields)" })")

            try FileManager.default.removeItem(at: harness.directory.appendingPathComponent("rcs.yaml"))
            let removal = try await harness.plan().plan
            let forget = try #require(removal.changes.first { $0.address == "rcsSender.acme-eu" })
            #expect(forget.action == .forget)
            #expect(forget.consequences.contains { $0.contains("no DELETE") })
            #expect(try await harness.apply().succeeded)
            #expect((try await harness.withClient { try await $0.rcsSenders.list() }).count == 1)
            #expect(try LockFile.read(in: harness.directory.path)?.resources["rcsSender.acme-eu"] == nil)
        }
    }
}
