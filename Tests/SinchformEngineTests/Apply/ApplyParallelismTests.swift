import Foundation
import ProvisioningAPI
import SinchformEngine
import SinchformManifest
import SinchformTestSupport
import Testing

/// `--parallelism` bounds the API calls in flight, although steps write their journal start lines ahead of a free
/// slot.
@Suite struct ApplyParallelismTests {
    @Test func atMostParallelismCallsAreInFlight() async throws {
        try await EmulatorHarness.run(environment: ["HOOK_SECRET": "hook-secret"]) { harness in
            let hooks = (1...9).map {
                "  hook\($0):\n    target: https://hooks.example.com/\($0)\n    triggers: [ALL]\n    secret: ${env.HOOK_SECRET}"
            }
            try harness.write("webhooks.yaml", "webhooks:\n" + hooks.joined(separator: "\n") + "\n")
            // Every create takes 150 ms: 9 creates 3 at a time take at least three rounds.
            try await harness.control.setFaults([
                ["type": "latency", "fixedMs": 150, "method": "POST", "path": "/webhooks$"]
            ])
            let started = ContinuousClock.now
            let result = try await harness.withClient { client in
                let context = try await harness.workspace.plan(client: client)
                return try await Applier().apply(
                    context, workspace: harness.workspace, client: client, options: ApplyOptions(parallelism: 3))
            }
            let elapsed = ContinuousClock.now - started
            #expect(result.done.count == 9, "\(result.failed.map { $0.message ?? "" })")
            #expect(elapsed >= .milliseconds(450), "9 calls of 150 ms, 3 at a time, took \(elapsed)")
            let creates = try await harness.withClient { try await $0.webhooks.list() }
            #expect(creates.count == 9)
        }
    }
}
