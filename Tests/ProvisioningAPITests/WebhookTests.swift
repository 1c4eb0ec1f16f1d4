import ProvisioningAPI
import SinchformTestSupport
import Testing

@Suite struct WebhookTests {
    @Test(arguments: [ProvisioningConfiguration.AuthMode.oauth, .basic])
    func lifecycle(auth: ProvisioningConfiguration.AuthMode) async throws {
        try await APIHarness.run(auth: auth) { harness in
            let webhooks = harness.client.webhooks
            let created = try #require(try await webhooks.create(APIHarness.webhook(1)).completedBody)
            let id = try #require(created["id"]?.stringValue)
            #expect(created["secret"] == nil)
            #expect(created["target"]?.stringValue == "https://hooks.example.com/sinch/001")

            let fetched = try await webhooks.get(id: id)
            #expect(fetched["id"]?.stringValue == id)

            let patched = try await webhooks.update(id: id, ["triggers": ["ALL"]])
            #expect(patched["triggers"] == ["ALL"])

            let replaced = try await webhooks.replace(id: id, APIHarness.webhook(2))
            #expect(replaced["target"]?.stringValue == "https://hooks.example.com/sinch/002")

            #expect(try await webhooks.list().compactMap { $0["id"]?.stringValue } == [id])
            try await webhooks.delete(id: id)
            #expect(try await webhooks.list().isEmpty)

            let authorization = auth == .oauth ? 1 : 0
            #expect(try await harness.tokenRequests.count == authorization)
        }
    }

    @Test func listFollowsEveryPage() async throws {
        try await APIHarness.run { harness in
            for index in 1...15 {
                _ = try await harness.client.webhooks.create(APIHarness.webhook(index)).get()
            }
            // The typed list asks for the largest page (15): one request.
            #expect(try await harness.client.webhooks.list().count == 15)
            let listPath = harness.client.projectPath("webhooks")
            #expect(try await harness.requests("GET", pathSuffix: "/webhooks").count == 1)

            // Small pages: 8 requests, every webhook exactly once.
            let targets = try await harness.client.listAll(
                path: listPath, itemsKey: "webhooks", pageSize: 2, operation: "list webhooks"
            ) { $0["target"]?.stringValue }.compactMap { $0 }
            #expect(targets.count == 15)
            #expect(Set(targets).count == 15)
            let pages = try await harness.requests("GET", pathSuffix: "/webhooks").dropFirst()
            #expect(pages.count == 8)
            #expect(pages.allSatisfy { $0.query.contains("pageSize=2") })
            #expect(pages.dropFirst().allSatisfy { $0.query.contains("pageToken=") })
        }
    }

    @Test func apiErrorsCarryCodeAndReadableDescription() async throws {
        try await APIHarness.run { harness in
            let webhooks = harness.client.webhooks
            _ = try await webhooks.create(APIHarness.webhook(1)).get()
            let duplicate = try await #require(throws: APIError.self) {
                try await webhooks.create(APIHarness.webhook(1), label: "webhook.ops-events")
            }
            #expect(duplicate.kind == .api)
            #expect(duplicate.status == 409)
            #expect(duplicate.errorCode == "webhook_exists")
            #expect(duplicate.resource == "webhook.ops-events")
            #expect(duplicate.operation == "create webhook")
            #expect(duplicate.description.hasPrefix("webhook.ops-events: create webhook failed: 409 webhook_exists — "))
            #expect(duplicate.resolution.map { duplicate.description.contains($0) } == true)

            let invalid = try await #require(throws: APIError.self) {
                try await webhooks.create(["target": "not a url", "secret": "x", "triggers": ["ALL"]])
            }
            #expect(invalid.status == 400)
            #expect(invalid.errorCode == "invalid_input")
            #expect(invalid.additionalInformation?["validationErrors"]?.arrayValue?.isEmpty == false)

            let missing = try await #require(throws: APIError.self) {
                try await webhooks.get(id: "00000000-0000-4000-8000-000000000000")
            }
            #expect(missing.status == 404)
            #expect(missing.errorCode == "webhook_not_found")
            #expect(missing.isNotFound)
            #expect(
                missing.with(resource: "webhook.gone").description.hasPrefix("webhook.gone: get webhook failed: 404"))

            for index in 2...15 { _ = try await webhooks.create(APIHarness.webhook(index)).get() }
            let limit = try await #require(throws: APIError.self) {
                try await webhooks.create(APIHarness.webhook(16))
            }
            #expect(limit.status == 424)
            #expect(limit.errorCode == "webhook_limit_reached")
            // Non-retryable errors are sent once.
            #expect(try await harness.requests("POST", pathSuffix: "/webhooks").count == 18)
        }
    }
}
