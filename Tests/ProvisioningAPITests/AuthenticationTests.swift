import ProvisioningAPI
import ProvisioningEmulator
import SinchformTestSupport
import Testing

@Suite struct AuthenticationTests {
    @Test func tokenIsCachedAndSharedByConcurrentCallers() async throws {
        try await APIHarness.run { harness in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<12 {
                    group.addTask { _ = try await harness.client.webhooks.list() }
                }
                try await group.waitForAll()
            }
            _ = try await harness.client.webhooks.list()
            #expect(try await harness.tokenRequests.count == 1)
        }
    }

    @Test func tokenIsRenewedBeforeItExpires() async throws {
        // A 10 s token is renewed 10% (1 s) before its end, so the client never presents an expired one. The
        // second call comes 9.3 s later: inside the renewal window, with 0.7 s to spare on a loaded machine.
        try await APIHarness.run(emulator: { $0.tokenLifetime = .seconds(10) }) { harness in
            _ = try await harness.client.webhooks.list()
            try await Task.sleep(for: .milliseconds(9300))
            _ = try await harness.client.webhooks.list()
            let requests = try await harness.control.requests()
            #expect(requests.filter { $0.path == "/oauth2/token" }.count == 2)
            #expect(requests.allSatisfy { $0.status != 401 })
        }
    }

    @Test func tokenIsRenewedOnceOn401AndTheRequestRetried() async throws {
        try await APIHarness.run { harness in
            _ = try await harness.client.webhooks.create(APIHarness.webhook(1)).get()
            // The emulator clock moves past the token's lifetime; the client's clock does not, so the next
            // request carries a token the server now refuses.
            try await harness.control.advanceClock(seconds: 7200)
            #expect(try await harness.client.webhooks.list().count == 1)
            _ = try await harness.client.webhooks.create(APIHarness.webhook(2)).get()

            let requests = try await harness.control.requests()
            #expect(requests.filter { $0.path == "/oauth2/token" }.count == 2)
            #expect(requests.filter { $0.status == 401 }.count == 1)
            // The POST after renewal went out once.
            #expect(requests.filter { $0.method == "POST" && $0.path.hasSuffix("/webhooks") }.count == 2)
        }
    }

    @Test(arguments: [ProvisioningConfiguration.AuthMode.oauth, .basic])
    func wrongSecretIsUnauthorized(auth: ProvisioningConfiguration.AuthMode) async throws {
        try await APIHarness.run(auth: auth, client: { $0.keySecret = "wrong-secret" }) { harness in
            let error = try await #require(throws: APIError.self) { try await harness.client.webhooks.list() }
            #expect(error.kind == .unauthorized)
            #expect(error.status == 401)
            #expect(!error.description.contains("wrong-secret"))
            if auth == .oauth {
                #expect(error.description.contains("SINCH_KEY_SECRET"))
            } else {
                #expect(error.errorCode == "unauthorized_error")
            }
        }
    }

    @Test func unknownProjectIsUnauthorized() async throws {
        try await APIHarness.run(auth: .basic, client: { $0.projectId = "someone-elses-project" }) { harness in
            let error = try await #require(throws: APIError.self) { try await harness.client.webhooks.list() }
            #expect(error.status == 401)
            #expect(error.errorCode == "unauthorized_error")
            #expect(error.description.contains("list webhooks failed: 401 unauthorized_error"))
        }
    }
}
