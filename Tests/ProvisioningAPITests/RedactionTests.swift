import ProvisioningAPI
import SinchformTestSupport
import Testing

@Suite struct RedactionTests {
    @Test(arguments: [ProvisioningConfiguration.AuthMode.oauth, .basic])
    func secretsNeverReachTheLogs(auth: ProvisioningConfiguration.AuthMode) async throws {
        let webhookSecret = "whsec-do-not-log-me-42"
        try await APIHarness.run(auth: auth) { harness in
            let id = try #require(
                try await harness.client.webhooks.create(APIHarness.webhook(1, secret: webhookSecret)).get()?[
                    "id"]?.stringValue)
            _ = try await harness.client.webhooks.replace(id: id, APIHarness.webhook(2, secret: webhookSecret))
            _ = try await harness.client.webhooks.list()
            try await harness.control.setFaults([["type": "status", "status": 503, "method": "GET", "count": 1]])
            _ = try await harness.client.webhooks.get(id: id)

            let text = harness.logs.text
            #expect(text.contains("[debug] → POST \(harness.baseURL)/v1/projects/sinchform-project/webhooks"))
            #expect(text.contains("[debug] ← 201 POST"))
            #expect(text.contains("[trace] → body: {"))
            #expect(text.contains(#""secret":"(sensitive)""#))
            #expect(!text.contains(webhookSecret))
            #expect(!text.contains(APIHarness.keySecret))
            #expect(!text.contains("Basic "))
            if auth == .oauth {
                #expect(text.contains(#""access_token":"(sensitive)""#))
                // Whatever token the emulator issued, it never appears after "Bearer".
                #expect(!text.contains("Bearer"))
            }
        }
    }

    @Test func redactsTokenAndPasswordFieldsInBodies() async throws {
        try await APIHarness.run(auth: .basic) { harness in
            _ = try? await harness.client.send(
                .post, path: harness.client.projectPath("webhooks"),
                body: ["bearerToken": "tok-123456", "nested": ["authToken": "tok-abcdef", "password": "pw-987"]],
                operation: "probe")
            let text = harness.logs.text
            for secret in ["tok-123456", "tok-abcdef", "pw-987"] {
                #expect(!text.contains(secret))
            }
        }
    }
}
