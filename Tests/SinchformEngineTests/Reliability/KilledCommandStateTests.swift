import Foundation
import ProvisioningAPI
import SinchformManifest
import SinchformTestSupport
import Testing

@testable import SinchformEngine

/// The files a kill -9 leaves halfway through `rollback` and `state move`, built exactly, and the same command run
/// again: it finishes the job (issue 19). `KilledStateCommandTests` kills the real binary at random moments.
@Suite struct KilledCommandStateTests {
    static let manifests = """
        webhooks:
          ops:
            target: https://ops.example.com/killed
            triggers: [ALL]
            secret: ${env.KILL_SECRET}
        kakaotalkSenders:
          killed-sender:
            plusFriendId: "@killed"
            details: {adminPhoneNo: "+48777000222", name: Killed, topLevelCategoryCode: "001", midLevelCategoryCode: "0001", subLevelCategoryCode: "0001"}

        """

    /// Killed between its DELETE calls and the lock write: the webhook is gone, the sender is marked for removal (it
    /// reads as before, and a second DELETE is refused with 409 sender_already_deleted), and the lock still records
    /// both. `rollback` run again (no journal named) undoes the same apply, not its own half journal: it removes both
    /// entries, and a third run finds nothing to do.
    @Test func aRollbackKilledBeforeItsLockWriteFinishesWhenRunAgain() async throws {
        try await EmulatorHarness.run(environment: ["KILL_SECRET": "k"]) { harness in
            try harness.write("main.yaml", Self.manifests)
            #expect(try await harness.apply().succeeded)
            let lock = try #require(try LockFile.read(in: harness.directory.path))
            let webhookId = try #require(lock.resources["webhook.ops"]?.remoteId.id)
            let project = "/v1/projects/\(harness.project)"
            try await harness.api(.delete, "\(project)/webhooks/\(webhookId)")
            try await harness.api(.delete, "\(project)/kakaotalk/senders/@killed")
            // What the killed rollback left: its journal's header and start lines, no lock write.
            let state = harness.workspace.stateDirectory
            let killed = try Journal(directory: state, name: Timestamp.fileSafe(Date()) + Rollback.journalSuffix)
            var start = JournalEntry(event: .start)
            start.address = "webhook.ops"
            start.kind = .webhook
            start.action = .delete
            try await killed.append(JournalEntry(event: .apply))
            try await killed.append(start)
            try await killed.close()
            #expect(try LockFile.read(in: harness.directory.path)?.resources.count == 2)

            let session = Session(environment: harness.environment)
            let again = try await session.rollback(journal: nil, directory: harness.directory.path)

            #expect(again.failed.map(\.1) == [])
            #expect(Set(again.done.map(\.address)) == ["webhook.ops", "kakaotalkSender.killed-sender"])
            #expect(try LockFile.read(in: harness.directory.path)?.resources.isEmpty == true)
            let third = try await session.rollback(journal: nil, directory: harness.directory.path)
            #expect(third.done.isEmpty && third.failed.isEmpty)
            #expect(third.steps.allSatisfy { $0.skipReason?.contains("no longer records it") == true })
        }
    }

    /// Killed after the lock write, before the journal's closing line: `state move` run again finds the move done,
    /// changes nothing, journals it whole, and `rollback` can then undo it. Killed before the lock write (the
    /// journal's start line only), it simply moves.
    @Test func aStateMoveKilledAtEitherSideOfItsLockWriteConvergesWhenRunAgain() async throws {
        try await EmulatorHarness.run(environment: ["KILL_SECRET": "k"]) { harness in
            try harness.write("main.yaml", Self.manifests)
            #expect(try await harness.apply().succeeded)
            let session = Session(environment: harness.environment)
            let directory = harness.directory.path
            let state = harness.workspace.stateDirectory
            let original = try #require(try LockFile.read(in: directory))

            // Before the lock write: a journal with its start line, the old lock.
            let before = try Journal(directory: state, name: Timestamp.fileSafe(Date()) + Session.stateJournalSuffix)
            var start = JournalEntry(event: .start)
            start.address = "webhook.renamed"
            start.action = .move
            try await before.append(start)
            try await before.close()
            try await Task.sleep(for: .milliseconds(5))
            #expect(
                try await session.stateMove("webhook.ops", to: "webhook.renamed", directory: directory)
                    == "webhook.renamed")
            let moved = try #require(try LockFile.read(in: directory))
            #expect(
                Set(moved.resources.keys.map(\.description)) == ["kakaotalkSender.killed-sender", "webhook.renamed"])
            #expect(moved.serial == original.serial + 1)

            // After the lock write: the move's journal without its closing line.
            let journal = try #require(Rollback.latestJournal(in: state))
            let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
            try (lines.filter { !$0.contains("\"done\"") }.joined(separator: "\n") + "\n")
                .write(toFile: journal, atomically: true, encoding: .utf8)
            // Without its closing line the move counts as not done: rollback of that journal has nothing to undo.
            #expect(try await harness.withClient { try await Rollback(journalPath: journal).plan(client: $0) }.isEmpty)
            try await Task.sleep(for: .milliseconds(5))  // the next journal's name sorts after this one

            #expect(
                try await session.stateMove("webhook.ops", to: "webhook.renamed", directory: directory)
                    == "webhook.renamed")
            let again = try #require(try LockFile.read(in: directory))
            #expect(again.resources == moved.resources && again.serial == moved.serial, "nothing changes")
            let undone = try await session.rollback(journal: nil, directory: directory)
            #expect(undone.done.map(\.address) == ["webhook.renamed"] && undone.failed.isEmpty)
            #expect(try LockFile.read(in: directory)?.resources.keys.contains("webhook.ops") == true)
            #expect(!(try await harness.plan().plan.hasChanges))

            // A move that never started is still refused, naming what is recorded.
            await #expect(throws: EngineError.self) {
                try await session.stateMove("webhook.nothing", to: "webhook.ops", directory: directory)
            }
        }
    }

    /// A writer killed between creating its temporary file and the rename leaves it behind; the next write of the
    /// same file removes it, but not one whose process still runs.
    @Test func aTemporaryFileOfAKilledWriterIsRemovedByTheNextWrite() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinchform-tmp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let abandoned = ".sinchform.lock.\(finished.processIdentifier).\(UUID().uuidString).tmp"
        let running = ".sinchform.lock.\(getppid()).\(UUID().uuidString).tmp"
        let other = ".other.\(finished.processIdentifier).\(UUID().uuidString).tmp"
        for name in [abandoned, running, other] {
            try Data("{half".utf8).write(to: folder.appendingPathComponent(name))
        }

        try AtomicFile.write(Data("{}".utf8), to: folder.appendingPathComponent("sinchform.lock").path)

        let left = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(left == ["sinchform.lock", running, other])
    }
}
