import Foundation
import ProvisioningAPI
import SinchformTestSupport
import Testing

@Suite struct FaultTests {
    @Test func getRecoversFrom429HonouringRetryAfter() async throws {
        try await APIHarness.run { harness in
            _ = try await harness.client.webhooks.create(APIHarness.webhook(1)).get()
            try await harness.control.setFaults([
                ["type": "status", "status": 429, "retryAfter": 1, "method": "GET", "path": "/webhooks", "count": 1]
            ])
            let clock = ContinuousClock()
            let start = clock.now
            #expect(try await harness.client.webhooks.list().count == 1)
            #expect(clock.now - start >= .milliseconds(950))
            let gets = try await harness.requests("GET", pathSuffix: "/webhooks")
            #expect(gets.map(\.status) == [429, 200])
        }
    }

    @Test(arguments: [500, 502, 503, 504])
    func getRecoversFromGatewayErrors(status: Int) async throws {
        try await APIHarness.run { harness in
            try await harness.control.setFaults([
                ["type": "status", "status": .number(Double(status)), "method": "GET", "count": 2]
            ])
            #expect(try await harness.client.webhooks.list().isEmpty)
            let gets = try await harness.requests("GET", pathSuffix: "/webhooks")
            #expect(gets.map(\.status) == [status, status, 200])
        }
    }

    @Test func getRecoversFromADroppedConnection() async throws {
        try await APIHarness.run { harness in
            try await harness.control.setFaults([["type": "drop", "method": "GET", "count": 2]])
            #expect(try await harness.client.webhooks.list().isEmpty)
            #expect(harness.logs.text.contains("connection closed by the server"))
        }
    }

    @Test func idempotentWritesAreRetried() async throws {
        try await APIHarness.run { harness in
            let id = try #require(
                try await harness.client.webhooks.create(APIHarness.webhook(1)).get()?["id"]?.stringValue)
            try await harness.control.setFaults([["type": "status", "status": 503, "method": "PATCH", "count": 1]])
            _ = try await harness.client.webhooks.update(id: id, ["triggers": ["ALL"]])
            try await harness.control.setFaults([
                ["type": "drop", "afterProcessing": true, "method": "DELETE", "count": 1]
            ])
            // The first DELETE is applied but its answer lost; the retry then finds nothing to delete.
            let error = try await #require(throws: APIError.self) { try await harness.client.webhooks.delete(id: id) }
            #expect(error.status == 404)
            #expect(try await harness.client.webhooks.list().isEmpty)
        }
    }

    @Test func retriesStopAfterMaxAttempts() async throws {
        try await APIHarness.run { harness in
            try await harness.control.setFaults([["type": "status", "status": 503, "method": "GET"]])
            let error = try await #require(throws: APIError.self) { try await harness.client.webhooks.list() }
            #expect(error.status == 503)
            #expect(error.kind == .api)
            #expect(try await harness.requests("GET", pathSuffix: "/webhooks").count == 5)
        }
    }

    @Test(arguments: [500, 502, 503, 504])
    func postAnswered5xxIsOutcomeUnknownAndNotResent(status: Int) async throws {
        try await APIHarness.run { harness in
            try await harness.control.setFaults([
                ["type": "status", "status": .number(Double(status)), "method": "POST"]
            ])
            let result = try await harness.client.webhooks.create(APIHarness.webhook(1), label: "webhook.a")
            let error = try #require(result.unknownError)
            #expect(error.kind == .outcomeUnknown)
            #expect(error.underlying?.status == status)
            #expect(error.description.hasPrefix("webhook.a: create webhook outcome unknown"))
            #expect(try await harness.requests("POST", pathSuffix: "/webhooks").count == 1)
        }
    }

    @Test func postDroppedAfterProcessingIsOutcomeUnknownAndResolvableByLookup() async throws {
        try await APIHarness.run { harness in
            try await harness.control.setFaults([
                ["type": "drop", "afterProcessing": true, "method": "POST", "count": 1]
            ])
            let result = try await harness.client.webhooks.create(APIHarness.webhook(7))
            let error = try #require(result.unknownError)
            #expect(error.underlying?.kind == .network)
            #expect(try await harness.requests("POST", pathSuffix: "/webhooks").count == 1)
            // The engine resolves the outcome by identity (target): the webhook exists.
            let live = try await harness.client.webhooks.list()
            #expect(live.compactMap { $0["target"]?.stringValue } == ["https://hooks.example.com/sinch/007"])
        }
    }

    @Test func postDroppedBeforeProcessingIsOutcomeUnknownToo() async throws {
        try await APIHarness.run { harness in
            try await harness.control.setFaults([
                ["type": "drop", "afterProcessing": false, "method": "POST", "count": 1]
            ])
            let result = try await harness.client.webhooks.create(APIHarness.webhook(8))
            #expect(result.unknownError != nil)
            #expect(try await harness.requests("POST", pathSuffix: "/webhooks").count <= 1)
            #expect(try await harness.client.webhooks.list().isEmpty)
        }
    }

    @Test func postAnswered429IsRetriedBecauseItWasNotApplied() async throws {
        try await APIHarness.run { harness in
            try await harness.control.setFaults([
                ["type": "status", "status": 429, "retryAfter": 0, "method": "POST", "count": 1]
            ])
            let created = try await harness.client.webhooks.create(APIHarness.webhook(1)).get()
            #expect(created?["id"] != nil)
            let posts = try await harness.requests("POST", pathSuffix: "/webhooks")
            #expect(posts.map(\.status) == [429, 201])
            #expect(try await harness.client.webhooks.list().count == 1)
        }
    }

    @Test func postTimeoutIsOutcomeUnknown() async throws {
        // Deadlines in seconds, latencies well beyond them: a loaded machine must not turn one into the other.
        try await APIHarness.run(client: { $0.requestTimeout = .seconds(2) }) { harness in
            _ = try await harness.client.webhooks.list()  // token obtained before the fault
            try await harness.control.setFaults([["type": "latency", "fixedMs": 6000, "method": "POST"]])
            let result = try await harness.client.webhooks.create(APIHarness.webhook(1))
            let error = try #require(result.unknownError)
            #expect(error.underlying?.kind == .timeout)
            #expect(error.underlying?.description.contains("no response from") == true)
        }
    }

    @Test func getTimeoutIsRetriedThenReported() async throws {
        try await APIHarness.run(
            client: {
                $0.requestTimeout = .seconds(2)
                $0.retry.maxAttempts = 2
            }
        ) { harness in
            _ = try await harness.client.webhooks.list()
            try await harness.control.setFaults([["type": "latency", "fixedMs": 6000, "method": "GET"]])
            let error = try await #require(throws: APIError.self) { try await harness.client.webhooks.list() }
            #expect(error.kind == .timeout)
            #expect(error.description.contains("list webhooks failed: no response from http://127.0.0.1:"))
        }
    }

    @Test func oversizedBodiesAreRefused() async throws {
        try await APIHarness.run(client: { $0.maxResponseBodyBytes = 200 }) { harness in
            // Seeded through the uncapped control client: three webhooks list to well over 200 bytes.
            for index in 1...3 {
                _ = try await harness.admin.webhooks.create(APIHarness.webhook(index)).get()
            }
            let error = try await #require(throws: APIError.self) { try await harness.client.webhooks.list() }
            #expect(error.kind == .responseTooLarge)
            #expect(error.description.contains("exceeds the limit of 200 bytes"))
            // Not retried: the same body would come back.
            #expect(try await harness.requests("GET", pathSuffix: "/webhooks").count == 1)
        }
    }

    @Test func unreachableServerIsANetworkErrorAndPostIsNotUnknown() async throws {
        // A port that was just free: nothing listens there.
        var configuration = try APIHarness.configuration(baseURL: "http://127.0.0.1:9", auth: .basic)
        configuration.retry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(5), maxDelay: .milliseconds(5))
        try await withProvisioningClient(configuration: configuration) { client in
            let error = try await #require(throws: APIError.self) { try await client.webhooks.list() }
            #expect(error.kind == .network)
            #expect(error.description == "list webhooks failed: cannot reach http://127.0.0.1:9 (connection refused)")
            // Nothing was sent, so a POST fails plainly rather than with an unknown outcome.
            let postError = try await #require(throws: APIError.self) {
                try await client.webhooks.create(APIHarness.webhook(1))
            }
            #expect(postError.kind == .network)
        }
    }

    @Test func concurrencyIsLimitedPerHost() async throws {
        try await APIHarness.run(auth: .basic, client: { $0.maxConcurrentRequestsPerHost = 2 }) { harness in
            try await harness.control.setFaults([["type": "latency", "fixedMs": 150, "method": "GET"]])
            let clock = ContinuousClock()
            let start = clock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<6 { group.addTask { _ = try await harness.client.webhooks.list() } }
                try await group.waitForAll()
            }
            // Six 150 ms requests, two at a time: at least three rounds.
            #expect(clock.now - start >= .milliseconds(440))
        }
    }
}
