import Foundation
import JSONSyntax
import ProvisioningAPI
import SinchformEngine
import SinchformManifest
import SinchformTestSupport
import Testing

/// A create whose outcome stays unknown more than once is still resolved in the same apply, by lookup before each
/// new send, and never duplicated; a plan reads through a run of faults on one list. These are the two causes of
/// `sinchform-bench chaos` needing more than one apply (issue 19).
@Suite struct UnknownCreateTests {
    static let manifest = """
        webhooks:
          hook-a:
            target: https://hooks.example.com/unknown/a
            triggers: [ALL]
            secret: ${env.HOOK_SECRET}

        """

    /// Fault rules that fire once each, in order, on `method` requests to `path`.
    static func sequence(_ method: String, _ path: String, _ faults: [JSONValue]) -> [JSONValue] {
        faults.map { fault in
            guard case var .object(rule) = fault else { return fault }
            rule["method"] = .string(method)
            rule["path"] = .string(path)
            rule["count"] = 1
            return .object(rule)
        }
    }

    static func posts(_ requests: [EmulatorControl.RecordedRequest]) -> [Int] {
        requests.filter { $0.method == "POST" && $0.path.hasSuffix("/webhooks") }.map(\.status)
    }

    /// Applies the manifest one step at a time with `faults` firing once each, in order, on its webhook POSTs; the
    /// apply succeeds. The requests it made.
    static func apply(
        through faults: [JSONValue], _ harness: EmulatorHarness
    ) async throws -> [EmulatorControl.RecordedRequest] {
        try harness.write("webhooks.yaml", manifest)
        try await harness.control.setFaults(sequence("POST", "/webhooks$", faults))
        try await harness.control.clearRequests()
        let result = try await harness.apply(parallelism: 1)
        #expect(result.succeeded, "\(result.failed.compactMap(\.message))")
        return try await harness.control.requests()
    }

    /// Three creates refused by a 5xx in a row (the executor used to give up after the second): each is followed by a
    /// lookup that finds nothing, so the fourth send creates the webhook, once.
    @Test func threeFailedCreatesInARowStillCreateOnce() async throws {
        try await EmulatorHarness.run(keyId: "k", keySecret: "s", environment: ["HOOK_SECRET": "h"]) { harness in
            let requests = try await Self.apply(
                through: [
                    ["type": "status", "status": 503], ["type": "status", "status": 500],
                    ["type": "status", "status": 502],
                ], harness)

            #expect(Self.posts(requests) == [503, 500, 502, 201])
            // A lookup (a list of webhooks) between every two sends.
            let sequence = requests.filter { $0.path.hasSuffix("/webhooks") }.map(\.method)
            #expect(sequence.suffix(7) == ["POST", "GET", "POST", "GET", "POST", "GET", "POST"], "\(sequence)")
            #expect(try await harness.control.liveCounts() == ["webhooks": 1])
            let lock = try #require(try LockFile.read(in: harness.directory.path))
            #expect(lock.resources.count == 1)
            #expect(!(try await harness.plan().plan.hasChanges))
        }
    }

    /// Unknown outcomes of every sort in a row — a 5xx, a connection dropped before the server read it, another 5xx,
    /// then one dropped after the server created the webhook: the lookup after the last one finds it, and nothing is
    /// sent a fifth time.
    @Test func aCreateAppliedBehindADroppedAnswerIsFoundNotResent() async throws {
        try await EmulatorHarness.run(keyId: "k", keySecret: "s", environment: ["HOOK_SECRET": "h"]) { harness in
            let requests = try await Self.apply(
                through: [
                    ["type": "status", "status": 500], ["type": "drop", "afterProcessing": false],
                    ["type": "status", "status": 503], ["type": "drop", "afterProcessing": true],
                ], harness)

            let posts = Self.posts(requests)
            #expect(posts.count == 4, "\(posts)")
            #expect(posts.filter { (200..<300).contains($0) }.count == 1, "one create took effect: \(posts)")
            #expect(try await harness.control.liveCounts() == ["webhooks": 1])
            let lock = try #require(try LockFile.read(in: harness.directory.path))
            let recorded = try #require(lock.resources.values.first?.remoteId)
            let live = try await harness.api(.get, "/v1/projects/\(harness.project)/webhooks")
            let liveId = try #require(live?["webhooks"]?.arrayValue?.first?["id"]?.stringValue)
            #expect(recorded == .id(liveId))
            #expect(!(try await harness.plan().plan.hasChanges))
        }
    }

    /// Seven faults in a row on one list (5xx, 429, dropped connections) do not fail a plan with the default retry
    /// policy's attempts: five attempts let one read in 3,000 fail where one answer in five is a fault, which failed
    /// the plan of a populated project one time in fifteen.
    @Test func aPlanReadsThroughSevenFaultsInARow() async throws {
        try await EmulatorHarness.run(keyId: "k", keySecret: "s", environment: ["HOOK_SECRET": "h"]) { harness in
            try harness.write("webhooks.yaml", Self.manifest)
            _ = try await harness.apply()
            try await harness.control.setFaults(
                Self.sequence(
                    "GET", "/webhooks$",
                    [
                        ["type": "status", "status": 503], ["type": "status", "status": 429, "retryAfter": 0],
                        ["type": "drop", "afterProcessing": false], ["type": "status", "status": 500],
                        ["type": "status", "status": 502], ["type": "drop", "afterProcessing": true],
                        ["type": "status", "status": 503],
                    ]))
            try await harness.control.clearRequests()
            // The default attempts, with short waits.
            let retry = RetryPolicy(baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
            #expect(retry.maxAttempts == RetryPolicy().maxAttempts)

            let context = try await harness.withClient(retry: retry) { client in
                try await harness.workspace.plan(client: client)
            }

            #expect(!context.plan.hasChanges)
            let lists = try await harness.control.requests().filter {
                $0.method == "GET" && $0.path.hasSuffix("/webhooks")
            }
            #expect(lists.map(\.status) == [503, 429, 0, 500, 502, 200, 503, 200], "\(lists.map(\.status))")
        }
    }
}
