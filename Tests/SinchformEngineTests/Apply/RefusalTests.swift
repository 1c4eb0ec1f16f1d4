import Foundation
import SinchformManifest
import SinchformTestSupport
import Testing

@testable import SinchformEngine

/// A saved plan or lock file that cannot be trusted is refused before any call, and the refusal writes nothing:
/// no journal, no lock change, nothing deleted. Against the emulator over HTTP.
@Suite struct RefusalTests {
    static let webhooks = """
        webhooks:
          ops:
            target: https://ops.example.com/refusal
            triggers: [ALL]
            secret: ${env.REFUSAL_SECRET}

        """

    /// The files under `.sinchform/journal` and the lock's bytes.
    static func written(_ harness: EmulatorHarness) -> ([String], Data?) {
        let journal = harness.directory.appendingPathComponent(".sinchform/journal").path
        return (
            ((try? FileManager.default.contentsOfDirectory(atPath: journal)) ?? []).sorted(),
            try? Data(contentsOf: harness.directory.appendingPathComponent("sinchform.lock"))
        )
    }

    /// A saved plan keeps its `--target`: applying it makes that change only, with no `--target` given again, and
    /// from another working directory (the manifests are found from the plan file).
    @Test func aSavedPlanKeepsItsScope() async throws {
        try await EmulatorHarness.run(environment: ["REFUSAL_SECRET": "refusal-secret"]) { harness in
            try harness.write(
                "main.yaml",
                Self.webhooks + """
                      audit:
                        target: https://audit.example.com/refusal
                        triggers: [ALL]
                        secret: ${env.REFUSAL_SECRET}

                    """)
            let session = Session(environment: harness.environment)
            let plan = try await session.plan(harness.directory.path, scope: PlanScope(targets: ["webhook.audit"]))
            #expect(plan.changes.map(\.address) == ["webhook.audit"])
            let planPath = harness.directory.appendingPathComponent("targeted.plan").path
            try SavedPlan.write(plan, to: planPath)
            let result = try #require(try await session.apply(planPath, options: ApplyOptions(parallelism: 2)))
            #expect(result.succeeded && result.done.map(\.address) == ["webhook.audit"])
            #expect(
                try LockFile.read(in: harness.directory.path)?.resources.keys.map(\.description) == ["webhook.audit"])
        }
    }

    @Test func anEditedOrRepeatingPlanFileAndAnInconsistentLockWriteNothing() async throws {
        try await EmulatorHarness.run(environment: ["REFUSAL_SECRET": "refusal-secret"]) { harness in
            try harness.write("main.yaml", Self.webhooks)
            #expect(try await harness.apply().succeeded)
            try harness.write("main.yaml", Self.webhooks.replacingOccurrences(of: "[ALL]", with: "[BUNDLE_DONE]"))
            let session = Session(environment: harness.environment)
            let planPath = harness.directory.appendingPathComponent("update.plan").path
            try SavedPlan.write(try await session.plan(harness.directory.path), to: planPath)
            try await harness.control.clearRequests()
            let before = Self.written(harness)

            // Edited after it was written: refused, nothing sent, nothing written.
            let original = try String(contentsOfFile: planPath, encoding: .utf8)
            try original.replacingOccurrences(of: "BUNDLE_DONE", with: "ALL").write(
                toFile: planPath, atomically: true, encoding: .utf8)
            await #expect(throws: SavedPlanError.self) {
                try await session.apply(planPath, options: ApplyOptions(parallelism: 2))
            }
            #expect(Self.written(harness) == before)
            #expect(try await harness.control.requests().isEmpty)

            // A lock recording one webhook under two addresses: refused, the webhook is not deleted.
            let lockURL = harness.directory.appendingPathComponent("sinchform.lock")
            let lock = try #require(try LockFile.read(in: harness.directory.path))
            var entry = try #require(lock.resources["webhook.ops"])
            entry.address = "webhook.ghost"
            var doubled = lock
            doubled.resources["webhook.ghost"] = entry
            try doubled.write(in: harness.directory.path)
            let doubledBytes = try Data(contentsOf: lockURL)
            await #expect(throws: EngineError.self) {
                try await session.apply(harness.directory.path, options: ApplyOptions(parallelism: 2))
            }
            #expect(try Data(contentsOf: lockURL) == doubledBytes)
            #expect(Self.written(harness).0 == before.0, "no journal")
            #expect(try await harness.control.liveCounts()["webhooks"] == 1)
            #expect(try await harness.control.requests().filter { $0.method == "DELETE" }.isEmpty)
        }
    }
}
