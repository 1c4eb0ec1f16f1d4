import Foundation
import ProvisioningAPI
import SinchformManifest
import SinchformTestSupport
import Testing

@testable import SinchformEngine

/// Renaming a manifest entry moves its lock entry: no API call, never a create plus a delete of the same live
/// resource. Against the emulator over HTTP.
@Suite struct RenameTests {
    /// Every kind with a natural key, under `names` (old or new), with the webhook's triggers.
    static func manifests(_ names: [String: String], triggers: String = "[WHATSAPP_TEMPLATE_APPROVED]") -> String {
        """
        webhooks:
          \(names["webhook"] ?? ""):
            target: https://ops.example.com/rename
            triggers: \(triggers)
            secret: ${env.RENAME_SECRET}
        kakaotalkSenders:
          \(names["sender"] ?? ""):
            plusFriendId: "@rename"
            details:
              adminPhoneNo: "+48777777777"
              name: Acme Store
              topLevelCategoryCode: "001"
              midLevelCategoryCode: "0001"
              subLevelCategoryCode: "0001"
        kakaotalkTemplates:
          \(names["template"] ?? ""):
            plusFriendId: "@rename"
            details: {name: welcome, language: KO, content: "Welcome, #{name}!", categoryCode: "001001"}
        rcsSenders:
          \(names["rcs"] ?? ""):
            region: EU
            billingCategory: CONVERSATIONAL
            useCase: OTP
            details:
              brand: {name: Rename Brand, description: Order updates., color: "#0a84ff"}
              testNumbers: ["+46701234567"]
              countries: [SE]

        """ + SenderKindsEndToEndTests.senders.replacingOccurrences(of: "support-line", with: names["whatsapp"] ?? "")
    }

    static let old = [
        "webhook": "ops", "sender": "main", "template": "welcome", "rcs": "acme-eu", "whatsapp": "support-line",
    ]
    static let new = [
        "webhook": "operations", "sender": "primary", "template": "greeting", "rcs": "acme-europe",
        "whatsapp": "support",
    ]

    @Test func renamesOfEveryKindMoveWithoutAPICallsAndRollBack() async throws {
        try await EmulatorHarness.run(environment: ["RENAME_SECRET": "rename-secret"]) { harness in
            try harness.write("main.yaml", Self.manifests(Self.old))
            let first = try await harness.apply()
            #expect(first.succeeded, "\(first.failed.map { $0.message ?? "" })")
            let before = try #require(try LockFile.read(in: harness.directory.path))

            // Every key renamed; the webhook also gets another trigger in the same apply.
            try harness.write("main.yaml", Self.manifests(Self.new, triggers: "[BUNDLE_DONE]"))
            let plan = try await harness.plan().plan
            let actions = Dictionary(uniqueKeysWithValues: plan.changes.map { ($0.address.description, $0.action) })
            #expect(
                actions == [
                    "webhook.operations": .update, "kakaotalkSender.primary": .move,
                    "kakaotalkTemplate.greeting": .move,
                    "rcsSender.acme-europe": .move, "whatsappSender.support": .move,
                ], "\(plan.changes.map { "\($0.address) \($0.action): \($0.reason)" })")
            let webhook = try #require(plan.changes.first { $0.kind == .webhook })
            #expect(webhook.movedFrom == "webhook.ops" && webhook.fields.map(\.path) == ["triggers"])
            #expect(plan.summary.move == 4 && plan.summary.create == 0 && plan.summary.delete == 0)

            try await harness.control.clearRequests()
            let result = try await harness.apply()
            #expect(result.succeeded, "\(result.failed.map { $0.message ?? "" })")
            let calls = try await harness.control.requests().filter { $0.path.hasPrefix("/v1/") && $0.method != "GET" }
            #expect(calls.map(\.method) == ["PATCH"], "only the webhook's trigger change calls the API: \(calls)")

            let after = try #require(try LockFile.read(in: harness.directory.path))
            for (key, oldName) in Self.old {
                let from = try #require(before.resources.values.first { $0.address.name == oldName })
                let to = try #require(after.resources[Address(kind: from.kind, name: Self.new[key] ?? "")])
                #expect(to.remoteId == from.remoteId, "\(key) keeps its live resource")
                #expect(after.resources[from.address] == nil)
            }
            #expect(!(try await harness.plan().plan.hasChanges))

            // Rollback moves the lock entries back; the webhook's update is undone by the API.
            let rollback = Rollback(journalPath: result.journalPath)
            let outcome = try await harness.withClient { client in
                let steps = try await rollback.plan(client: client)
                return try await rollback.execute(steps, workspace: harness.workspace, client: client)
            }
            #expect(outcome.failed.isEmpty, "\(outcome.failed.map(\.1))")
            let restored = try #require(try LockFile.read(in: harness.directory.path))
            for name in ["main", "welcome", "acme-eu", "support-line"] {
                #expect(restored.resources.values.contains { $0.address.name == name }, "\(name) is back")
            }
        }
    }

    /// A WhatsApp template's name is its identity in the API: a rename is a create and a delete, and says so.
    @Test func aWhatsAppTemplateRenameIsCreateAndDeleteAndSaysWhy() async throws {
        try await EmulatorHarness.run { harness in
            let template = { (name: String) in
                """
                whatsappTemplates:
                  \(name):
                    category: UTILITY
                    languages:
                      EN: {details: {components: [{type: BODY, text: "Your code {{1}} is ready.", examples: ["42"]}]}}

                """
            }
            try harness.write("main.yaml", template("order_ready"))
            #expect(try await harness.apply().succeeded)
            try harness.write("main.yaml", template("order_waiting"))
            let plan = try await harness.plan().plan
            #expect(
                plan.changes.filter(\.isChange).map(\.action).sorted { $0.rawValue < $1.rawValue } == [
                    .create, .delete,
                ])
            for change in plan.changes where change.isChange {
                #expect(
                    change.consequences.contains {
                        $0.contains("whatsappTemplate.order_ready[EN] renamed to whatsappTemplate.order_waiting[EN]")
                    }, "\(change.consequences)")
            }
            let delete = try #require(plan.changes.first { $0.action == .delete })
            #expect(delete.consequences.contains { $0.contains("30 days") })
        }
    }

    /// The name block comes from this project's journals: the plan finds the apply's delete among its other lines.
    @Test func aTemplateDeletedByAnEarlierApplyBlocksItsNameInTheNextPlan() async throws {
        try await EmulatorHarness.run { harness in
            let templates = { (names: [String]) in
                "whatsappTemplates:\n"
                    + names.map {
                        "  \($0):\n    category: UTILITY\n    languages:\n"
                            + "      EN: {details: {components: [{type: BODY, text: \"Hello\"}]}}\n"
                    }.joined()
            }
            try harness.write("main.yaml", templates(["notice", "keep"]))
            #expect(try await harness.apply().succeeded)
            try harness.write("main.yaml", templates(["keep"]))
            #expect(try await harness.apply().succeeded)
            try harness.write("main.yaml", templates(["notice", "keep"]))
            do {
                let plan = try await harness.plan().plan
                Issue.record("a name deleted a moment ago planned: \(plan.changes.map(\.action))")
            } catch let EngineError.plan(messages) {
                #expect(
                    messages.count == 1 && messages[0].contains("whatsappTemplate.notice[EN]")
                        && messages[0].contains("refuses to reuse it until"), "\(messages)")
            }
        }
    }
}
