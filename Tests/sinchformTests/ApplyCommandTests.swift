import Foundation
import Testing

/// What issue #6 asks of the `apply` and `force-unlock` commands themselves, run as the binary on the embedded
/// emulator: confirmation, the rollback notes of a partly failed apply, lock serial and lineage, stale locks.
@Suite struct ApplyCommandTests {
    static let manifest = """
        webhooks:
          ops:
            target: https://ops.example.com/hook
            triggers: [WHATSAPP_TEMPLATE_APPROVED]
            secret: ${env.OPS_SECRET}
        kakaotalkSenders:
          main:
            plusFriendId: "@acme"
            details: {adminPhoneNo: "+48777777777", name: Acme, topLevelCategoryCode: "001", midLevelCategoryCode: "0001", subLevelCategoryCode: "0001"}

        """

    private func project() throws -> (root: URL, folder: URL) {
        let root = try Reliability.scratch("apply-command")
        let folder = root.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.manifest.write(to: folder.appendingPathComponent("main.yaml"), atomically: true, encoding: .utf8)
        return (root, folder)
    }

    private func apply(_ root: URL, _ extra: [String] = ["--auto-approve"]) async throws -> SinchformCLI.Outcome {
        try await SinchformCLI.run(
            ["apply", "project", "--emulator"] + extra, in: root, environment: ["OPS_SECRET": "s"])
    }

    @Test func refusesWithoutConfirmationWhenNotATerminal() async throws {
        let (root, folder) = try project()
        defer { try? FileManager.default.removeItem(at: root) }
        let refused = try await apply(root, [])
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("pass --auto-approve"), "\(refused)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["main.yaml"])
    }

    /// The second apply updates the webhook and fails on the KakaoTalk sender (editable only once verified): exit 1,
    /// a summary, the rollback note of the completed step; the lock keeps its lineage and counts one more apply.
    @Test func aPartlyFailedApplyPrintsRollbackNotes() async throws {
        let (root, folder) = try project()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try await apply(root)
        #expect(first.status == 0, "\(first)")
        let lockURL = folder.appendingPathComponent("sinchform.lock")
        let before = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: lockURL)) as? [String: Any])

        try Self.manifest.replacingOccurrences(of: "[WHATSAPP_TEMPLATE_APPROVED]", with: "[ALL]")
            .replacingOccurrences(of: "name: Acme,", with: "name: Acme Store,")
            .write(to: folder.appendingPathComponent("main.yaml"), atomically: true, encoding: .utf8)
        let second = try await apply(root)
        #expect(second.status == 1, "\(second)")
        #expect(second.stdout.contains("Apply incomplete: 1 done, 1 failed, 0 skipped."), "\(second)")
        #expect(second.stdout.contains("failed:  kakaotalkSender.main"), "\(second)")
        #expect(second.stdout.contains("Rollback notes of the completed steps"), "\(second)")
        #expect(second.stdout.contains("webhook.ops (update): update the fields back"), "\(second)")

        let after = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: lockURL)) as? [String: Any])
        #expect(after["lineage"] as? String == before["lineage"] as? String)
        #expect(after["serial"] as? Int == (before["serial"] as? Int).map { $0 + 1 })
    }

    /// A lock left by a dead process is reported with its id and does not block; force-unlock removes one by id.
    @Test func staleLocksAreReportedAndForceUnlockRemovesThem() async throws {
        let (root, folder) = try project()
        defer { try? FileManager.default.removeItem(at: root) }
        let state = folder.appendingPathComponent(".sinchform")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let stale =
            #"{"id":"dead-beef","pid":999999,"host":"ci","user":"someone","command":"sinchform apply","started":"2026-11-21T10:00:00Z"}"#
        try stale.write(to: state.appendingPathComponent("apply.lock"), atomically: true, encoding: .utf8)
        let applied = try await apply(root)
        #expect(applied.status == 0, "\(applied)")
        #expect(applied.stderr.contains("stale lock dead-beef"), "\(applied)")

        try stale.write(to: state.appendingPathComponent("apply.lock"), atomically: true, encoding: .utf8)
        let wrong = try await SinchformCLI.run(["force-unlock", "other-id", "--directory", "project"], in: root)
        #expect(wrong.status == 1 && wrong.stderr.contains("nothing removed"), "\(wrong)")
        let removed = try await SinchformCLI.run(["force-unlock", "dead-beef", "--directory", "project"], in: root)
        #expect(removed.status == 0, "\(removed)")
        #expect(removed.stdout.contains("Removed lock dead-beef"), "\(removed)")
        #expect(!FileManager.default.fileExists(atPath: state.appendingPathComponent("apply.lock").path))
    }
}
