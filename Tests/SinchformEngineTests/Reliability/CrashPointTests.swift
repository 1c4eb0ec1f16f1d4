import Foundation
import ProvisioningAPI
import SinchformManifest
import SinchformTestSupport
import Testing

@testable import SinchformEngine

/// An apply stopped as a crash would stop it — after the journal's start line, after the API call, after the lock
/// entry, after the closing journal line — at every step of a plan that creates, updates and deletes across the
/// kinds, and renames one (a move); each time the next plan and apply converge: no changes left, nothing live twice, the lock naming exactly
/// the manifests' resources. (`ReliabilityProcessTests` does the same with kill -9 of the real binary.)
@Suite struct CrashPointTests {
    static let base = """
        webhooks:
          hook-a:
            target: https://hooks.example.com/crash/a
            triggers: [WHATSAPP_TEMPLATE_APPROVED]
            secret: ${env.HOOK_SECRET}
          hook-gone:
            target: https://hooks.example.com/crash/gone
            triggers: [ALL]
            secret: ${env.HOOK_SECRET}
          hook-old-name:
            target: https://hooks.example.com/crash/moved
            triggers: [ALL]
            secret: ${env.HOOK_SECRET}
        whatsappTemplates:

        """ + ManifestText.whatsappTemplate("crash_keep", body: "Order {{1}} ships soon.")

    static let target = """
        webhooks:
          hook-a:
            target: https://hooks.example.com/crash/a
            triggers: [WHATSAPP_TEMPLATE_APPROVED, WHATSAPP_TEMPLATE_REJECTED]
            secret: ${env.HOOK_SECRET}
          hook-new:
            target: https://hooks.example.com/crash/new
            triggers: [ALL]
            secret: ${env.HOOK_SECRET}
          hook-renamed:
            target: https://hooks.example.com/crash/moved
            triggers: [ALL]
            secret: ${env.HOOK_SECRET}
        whatsappTemplates:

        """ + ManifestText.whatsappTemplate("crash_keep", body: "Order {{1}} ships today.")
        + ManifestText.whatsappTemplate("crash_new", body: "Order {{1}} arrived.") + """
            kakaotalkSenders:
              crash-sender:
                plusFriendId: "@crash"
                details: {adminPhoneNo: "+48777000111", name: Crash, topLevelCategoryCode: "001", midLevelCategoryCode: "0001", subLevelCategoryCode: "0001"}
            kakaotalkTemplates:
              crash-welcome:
                plusFriendId: "@crash"
                details: {name: welcome, language: KO, content: "Hello #{name}."}

            """

    /// What the target manifests leave live, by kind.
    static let expectedLive = [
        "webhooks": 3, "whatsappTemplates": 2, "kakaotalkSenders": 1, "kakaotalkTemplates": 1, "rcsSenders": 1,
    ]

    /// The steps of the target plan, found once.
    static func steps() async throws -> [String] {
        try await Self.withStarted { harness in
            try await harness.plan().plan.changes.filter(\.isChange).map(\.address.description)
        }
    }

    /// Runs `body` against an emulator where the base manifests are applied and the target ones written.
    static func withStarted<Value>(_ body: (EmulatorHarness) async throws -> Value) async throws -> Value {
        try await EmulatorHarness.run(environment: ["HOOK_SECRET": "crash-secret"]) { harness in
            try harness.write("main.yaml", base)
            let result = try await harness.apply()
            #expect(result.succeeded, "base apply: \(result.failed.map { $0.message ?? "" })")
            // Approved, so the template can be edited (an in-review template cannot).
            try await harness.control.reviewAll(.approve)
            try harness.write("main.yaml", target)
            try harness.copyExample("rcs.yaml")
            return try await body(harness)
        }
    }

    @Test func everyBoundaryOfEveryStepConverges() async throws {
        let steps = try await Self.steps()
        // update hook-a, create hook-new, delete hook-gone, update and create a template, create a KakaoTalk sender
        // and its template (after it), create an RCS sender, move hook-old-name to hook-renamed.
        #expect(steps.count == 9 && steps.contains("webhook.hook-renamed"), "\(steps)")
        for address in steps {
            for boundary in StepBoundary.allCases {
                try await crashAndConverge(at: CrashPoint(address: Address(stringLiteral: address), boundary: boundary))
            }
        }
    }

    private func crashAndConverge(at point: CrashPoint) async throws {
        let label = "\(point.address) after \(point.boundary.rawValue)"
        try await Self.withStarted { harness in

            var options = ApplyOptions(parallelism: 1)
            options.crashPoint = point
            let crashed = await #expect(throws: EngineError.self, "\(label): the apply must stop") {
                try await harness.withClient { client in
                    let context = try await harness.workspace.plan(client: client)
                    return try await Applier().apply(
                        context, workspace: harness.workspace, client: client, options: options)
                }
            }
            #expect("\(crashed.map { "\($0)" } ?? "")".contains(point.address.description), "\(label)")
            // The journal stops where the crash was: no footer.
            let journal = try Journal.read(#require(Journal.files(in: harness.workspace.stateDirectory).last))
            #expect(!journal.contains { $0.event == .finish }, "\(label)")

            let rerun = try await harness.apply()
            #expect(rerun.succeeded, "\(label): \(rerun.failed.map { $0.message ?? "" })")
            let after = try await harness.plan().plan
            #expect(
                !after.hasChanges, "\(label): \(after.changes.filter(\.isChange).map { "\($0.address) \($0.action)" })")
            var live = try await harness.control.liveCounts()
            live["rcsSenders"] = try await harness.withClient { try await $0.rcsSenders.list().count }
            #expect(live == Self.expectedLive, "\(label)")
            let lock = try #require(try LockFile.read(in: harness.directory.path))
            #expect(Set(lock.resources.keys) == Set(after.changes.map(\.address)), "\(label)")
        }
    }
}
