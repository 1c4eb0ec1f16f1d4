import Foundation
import ProvisioningAPI
import SinchformEngine
import SinchformManifest
import SinchformTestSupport
import Testing

@Suite struct RollbackTests {
    static let manifests = """
        webhooks:
          ops:
            target: https://ops.example.com/hook
            triggers: [WHATSAPP_TEMPLATE_APPROVED]
            secret: ${env.OPS_SECRET}
        whatsappTemplates:
          order_shipped:
            category: UTILITY
            languages:
              EN:
                details:
                  components: [{type: BODY, text: "Your order {{1}} has shipped.", examples: ["42"]}]

        """

    @Test func rollbackRestoresAnUpdatedWebhookAndAnUpdatedTemplate() async throws {
        try await EmulatorHarness.run(environment: ["OPS_SECRET": "s"]) { harness in
            try harness.write("main.yaml", Self.manifests)
            #expect(try await harness.apply().succeeded)
            try await harness.control.reviewAll(.approve)

            try harness.write(
                "main.yaml",
                Self.manifests.replacingOccurrences(of: "[WHATSAPP_TEMPLATE_APPROVED]", with: "[BUNDLE_DONE]")
                    .replacingOccurrences(of: "has shipped.", with: "is on its way."))
            let update = try await harness.apply()
            #expect(update.succeeded)
            #expect(update.done.map(\.action) == [.update, .update])
            #expect(update.done.allSatisfy { $0.rollback?.inverse == .update })

            let rollback = Rollback(journalPath: update.journalPath)
            #expect(rollback.workspaceDirectory == harness.directory.path)
            // While the template's change is under review the API refuses another update: rollback says so.
            let early = try await harness.withClient { try await rollback.plan(client: $0) }
            #expect(early.first { $0.kind == .whatsappTemplate }?.skipReason?.contains("under review") == true)
            #expect(early.first { $0.kind == .webhook }?.skipReason == nil)
            try await harness.control.reviewAll(.approve)
            let result = try await harness.withClient { client in
                let steps = try await rollback.plan(client: client)
                #expect(steps.map(\.inverse) == [.update, .update])
                #expect(steps.allSatisfy { $0.skipReason == nil }, "\(steps.map { $0.skipReason ?? "" })")
                return try await rollback.execute(steps, workspace: harness.workspace, client: client)
            }
            #expect(result.done.count == 2 && result.failed.isEmpty)

            let webhooks = try await harness.withClient { try await $0.webhooks.list() }
            #expect(webhooks.first?["triggers"] == ["WHATSAPP_TEMPLATE_APPROVED"])
            let template = try await harness.withClient {
                try await $0.whatsappTemplates.get(name: "order_shipped", language: "EN")
            }
            let pending = template.value(atPath: "changes.details.components")?[0]?["text"]?.stringValue
            #expect(pending == "Your order {{1}} has shipped.")

            // The manifests still say the new values: the next plan shows them as changes from the manifests.
            let plan = try await harness.plan().plan
            #expect(
                plan.changes.filter(\.isChange).map(\.address) == ["webhook.ops", "whatsappTemplate.order_shipped[EN]"])
        }
    }

    @Test func aResourceChangedSinceTheApplyIsSkipped() async throws {
        try await EmulatorHarness.run(environment: ["OPS_SECRET": "s"]) { harness in
            try harness.write("main.yaml", Self.manifests)
            let created = try await harness.apply()
            #expect(created.succeeded)
            let lock = try #require(try LockFile.read(in: harness.directory.path))
            let id = try #require(lock.resources["webhook.ops"]?.remoteId.id)
            try await harness.api(.patch, "/v1/projects/sinchform-project/webhooks/\(id)", ["triggers": ["ALL"]])

            let steps = try await harness.withClient {
                try await Rollback(journalPath: created.journalPath).plan(client: $0)
            }
            let webhook = try #require(steps.first { $0.address == "webhook.ops" })
            #expect(webhook.inverse == .delete)
            #expect(webhook.skipReason?.contains("changed after the apply") == true)
            let template = try #require(steps.first { $0.address.kind == .whatsappTemplate })
            #expect(template.inverse == .delete && template.skipReason == nil)
        }
    }
}
