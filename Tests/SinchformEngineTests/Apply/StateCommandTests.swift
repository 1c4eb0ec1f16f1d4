import Foundation
import SinchformManifest
import SinchformTestSupport
import Testing

@testable import SinchformEngine

/// `sinchform state`: list, show, forget and move change only sinchform.lock (journaled, under the apply lock), and
/// `rollback` undoes a move. Against the emulator over HTTP.
@Suite struct StateCommandTests {
    static let webhook = """
        webhooks:
          ops:
            target: https://ops.example.com/state
            triggers: [ALL]
            secret: ${env.STATE_SECRET}

        """

    /// Security audit 21: a journal outside DIR/.sinchform/journal names no workspace, and nothing is created.
    @Test func aJournalOutsideAStateFolderIsRefused() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sinchform-j-\(UUID().uuidString)")
        let journal = scratch.appendingPathComponent("x/y/j.jsonl")
        try FileManager.default.createDirectory(
            at: journal.deletingLastPathComponent(), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try "{}\n".write(to: journal, atomically: true, encoding: .utf8)
        do {
            _ = try await Session(environment: [:]).rollback(journal: journal.path, directory: ".")
            Issue.record("a stray journal was rolled back")
        } catch let EngineError.configuration(message) {
            #expect(message.contains("is not in a .sinchform/journal folder"), "\(message)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["x"], "nothing created")
    }

    @Test func listShowMoveRollBackAndForget() async throws {
        try await EmulatorHarness.run(environment: ["STATE_SECRET": "state-secret"]) { harness in
            try harness.write("main.yaml", Self.webhook)
            #expect(try await harness.apply().succeeded)
            let session = Session(environment: harness.environment)
            let directory = harness.directory.path
            let lockPath = harness.directory.appendingPathComponent("sinchform.lock").path

            #expect(try session.stateList(directory).map(\.address) == ["webhook.ops"])
            #expect(try session.stateShow("webhook.ops", directory: directory).kind == .webhook)
            do {
                _ = try session.stateShow("webhook.osp", directory: directory)
                Issue.record("an unknown address was shown")
            } catch let EngineError.unknownAddresses(messages) {
                #expect(messages == ["webhook.osp is not in sinchform.lock; did you mean webhook.ops?"])
            }

            // Refusals write nothing.
            let before = try Data(contentsOf: URL(fileURLWithPath: lockPath))
            await #expect(throws: EngineError.self) {
                try await session.stateMove("webhook.ops", to: "rcsSender.ops", directory: directory)
            }
            await #expect(throws: EngineError.self) {
                try await session.stateMove("webhook.nope", to: "webhook.other", directory: directory)
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: lockPath)) == before)

            try await harness.control.clearRequests()
            let moved = try await session.stateMove("webhook.ops", to: "webhook.operations", directory: directory)
            #expect(moved == "webhook.operations")
            let lock = try #require(try LockFile.read(in: directory))
            #expect(lock.resources.keys.map(\.description) == ["webhook.operations"])
            // The manifests still say ops: the plan moves it back, with no call.
            let plan = try await harness.plan().plan
            #expect(plan.changes.map(\.action) == [.move] && plan.changes.first?.movedFrom == "webhook.operations")

            // rollback undoes the move from its journal.
            let journal = try #require(Journal.files(in: harness.workspace.stateDirectory).last)
            #expect(journal.hasSuffix(Session.stateJournalSuffix + ".jsonl"))
            let rollback = Rollback(journalPath: journal)
            let outcome = try await harness.withClient { client in
                try await rollback.execute(
                    try await rollback.plan(client: client), workspace: harness.workspace, client: client)
            }
            #expect(outcome.done.count == 1 && outcome.failed.isEmpty)
            #expect(try LockFile.read(in: directory)?.resources.keys.map(\.description) == ["webhook.ops"])
            #expect(!(try await harness.plan().plan.hasChanges))

            // Forget: the entry goes, the webhook stays; the manifests still declare it, so it is adopted again.
            #expect(try await session.stateForget(["webhook.ops"], directory: directory) == ["webhook.ops"])
            #expect(try LockFile.read(in: directory)?.resources.isEmpty == true)
            #expect(try await harness.control.liveCounts()["webhooks"] == 1)
            #expect(try await harness.plan().plan.changes.map(\.action) == [.adopt])
            let calls = try await harness.control.requests().filter { $0.path.hasPrefix("/v1/") && $0.method != "GET" }
            #expect(calls.isEmpty, "state commands make no API call: \(calls)")
        }
    }
}
