import Foundation
import ProvisioningAPI
import SinchformManifest
import SinchformTestSupport
import Testing

@testable import SinchformEngine

/// Plan and apply scenarios against the emulator over real HTTP, one per action and origin.
@Suite struct PlanScenarioTests {
    static let webhooks = """
        webhooks:
          ops:
            target: https://ops.example.com/hook
            triggers: [WHATSAPP_TEMPLATE_APPROVED, WHATSAPP_TEMPLATE_REJECTED]
            secret: ${env.OPS_SECRET}
          audit:
            target: https://audit.example.com/hook
            triggers: [ALL]
            secret: ${env.AUDIT_SECRET}

        """

    static let kakaoSender = """
        kakaotalkSenders:
          main:
            plusFriendId: "@acme"
            details: {adminPhoneNo: "+48777777777", name: Acme, topLevelCategoryCode: "001", midLevelCategoryCode: "0001", subLevelCategoryCode: "0001"}

        """

    /// The sender and a template of it, which depends on it.
    static let kakaoSenderAndTemplate =
        kakaoSender + """
            kakaotalkTemplates:
              welcome:
                plusFriendId: "@acme"
                details: {name: welcome, language: KO, content: "Hello"}

            """

    static func withHarness(_ body: (EmulatorHarness) async throws -> Void) async throws {
        try await EmulatorHarness.run(
            environment: ["OPS_SECRET": "ops-secret-1", "AUDIT_SECRET": "audit-secret-1"], body)
    }

    /// A harness whose project already has the two webhooks applied (the starting point of most scenarios).
    static func withAppliedWebhooks(_ body: (EmulatorHarness) async throws -> Void) async throws {
        try await withHarness { harness in
            try harness.write("webhooks.yaml", webhooks)
            #expect(try await harness.apply().succeeded)
            try await body(harness)
        }
    }

    private func summary(_ plan: Plan) -> String {
        plan.changes.filter(\.isChange).map {
            "\($0.address) \($0.action) \($0.origin?.rawValue ?? "-") \($0.fields.map(\.path))"
        }
        .joined(separator: "; ")
    }

    @Test func outOfBandEditIsDriftAndApplyRestoresIt() async throws {
        try await Self.withAppliedWebhooks { harness in

            let lock = try #require(try LockFile.read(in: harness.directory.path))
            let id = try #require(lock.resources["webhook.ops"]?.remoteId.id)
            try await harness.api(
                .patch, "/v1/projects/sinchform-project/webhooks/\(id)", ["triggers": ["ALL"]])

            let plan = try await harness.plan().plan
            let change = try #require(plan.changes.first { $0.address == "webhook.ops" })
            #expect(change.action == .update)
            #expect(change.origin == .drift)
            #expect(change.fields.map(\.path) == ["triggers"])
            #expect(plan.driftOnly().changes.map(\.address) == ["webhook.ops"])
            #expect(plan.changes.first { $0.address == "webhook.audit" }?.action == .noop)

            #expect(try await harness.apply().succeeded)
            #expect(!(try await harness.plan().plan.hasChanges))
        }
    }

    @Test func manifestEditIsAnUpdateAndSetsCompareAsSets() async throws {
        try await Self.withAppliedWebhooks { harness in

            // Same triggers in another order: no change.
            try harness.write(
                "webhooks.yaml",
                Self.webhooks.replacingOccurrences(
                    of: "[WHATSAPP_TEMPLATE_APPROVED, WHATSAPP_TEMPLATE_REJECTED]",
                    with: "[WHATSAPP_TEMPLATE_REJECTED, WHATSAPP_TEMPLATE_APPROVED]"))
            #expect(!(try await harness.plan().plan.hasChanges))

            try harness.write(
                "webhooks.yaml",
                Self.webhooks.replacingOccurrences(
                    of: "https://ops.example.com/hook", with: "https://ops.example.com/v2"))
            let plan = try await harness.plan().plan
            let change = try #require(plan.changes.first { $0.address == "webhook.ops" })
            #expect(change.action == .update, "\(summary(plan))")
            #expect(change.origin == .manifest)
            #expect(change.fields.first?.after == "https://ops.example.com/v2")
            #expect(try await harness.apply().succeeded)
            #expect(!(try await harness.plan().plan.hasChanges))
        }
    }

    @Test func removingAResourceDeletesOnlyWhatTheLockOwns() async throws {
        try await Self.withAppliedWebhooks { harness in
            // A webhook sinchform does not own.
            try await harness.api(
                .post, "/v1/projects/sinchform-project/webhooks",
                ["target": "https://someone-else.example.com", "triggers": ["ALL"], "secret": "x"])

            try harness.write(
                "webhooks.yaml",
                "webhooks:\n" + Self.webhooks.split(separator: "\n").dropFirst(5).joined(separator: "\n"))
            let plan = try await harness.plan().plan
            #expect(summary(plan) == "webhook.ops delete manifest []")
            let result = try await harness.apply()
            #expect(result.succeeded)
            let lock = try #require(try LockFile.read(in: harness.directory.path))
            #expect(lock.resources.keys.sorted() == ["webhook.audit"])
            #expect(lock.serial == 2)
            let live = try await harness.withClient { try await $0.webhooks.list() }
            #expect(
                Set(live.compactMap { $0["target"]?.stringValue }) == [
                    "https://audit.example.com/hook", "https://someone-else.example.com",
                ])
        }
    }

    @Test func aMatchingLiveResourceIsAdoptedAndItsSecretSent() async throws {
        try await Self.withHarness { harness in
            try await harness.api(
                .post, "/v1/projects/sinchform-project/webhooks",
                [
                    "target": "https://ops.example.com/hook",
                    "triggers": ["WHATSAPP_TEMPLATE_APPROVED", "WHATSAPP_TEMPLATE_REJECTED"], "secret": "old",
                ])
            try harness.write("webhooks.yaml", Self.webhooks)
            let plan = try await harness.plan().plan
            let adopt = try #require(plan.changes.first { $0.address == "webhook.ops" })
            #expect(adopt.action == .adopt)
            #expect(adopt.fields.map(\.path) == ["secret"])
            #expect(adopt.fields.first?.after == Plan.sensitiveMarker)
            #expect(plan.summary.adopt == 1 && plan.summary.create == 1)
            #expect(try await harness.apply().succeeded)
            #expect((try await harness.withClient { try await $0.webhooks.list() }).count == 2)
            #expect(!(try await harness.plan().plan.hasChanges))
        }
    }

    @Test func aRotatedSecretIsAnUpdateThatNeverShowsTheValue() async throws {
        try await Self.withAppliedWebhooks { harness in

            var rotated = harness.workspace
            rotated.environment["OPS_SECRET"] = "ops-secret-2"
            let plan = try await harness.withClient { try await rotated.plan(client: $0).plan }
            let change = try #require(plan.changes.first { $0.address == "webhook.ops" })
            #expect(change.action == .update)
            #expect(change.fields.map(\.path) == ["secret"])
            let json = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
            #expect(
                !json.contains("ops-secret-2") && !json.contains("ops-secret-1") && !json.contains("audit-secret-1"))
        }
    }

    @Test func protectTurnsAReplaceIntoAnError() async throws {
        try await Self.withHarness { harness in
            let sender =
                Self.kakaoSender + """
                    kakaotalkTemplates:
                      welcome:
                        plusFriendId: "@acme"
                        details: {name: welcome, language: KO, content: "Hello"}
                        lifecycle: {protect: true}

                    """
            try harness.write("kakao.yaml", sender)
            let first = try await harness.plan().plan
            let template = try #require(first.changes.first { $0.address == "kakaotalkTemplate.welcome" })
            #expect(template.dependsOn == ["kakaotalkSender.main"])
            #expect(first.changes.map(\.address) == ["kakaotalkSender.main", "kakaotalkTemplate.welcome"])
            #expect(try await harness.apply().succeeded)

            try harness.write("kakao.yaml", sender.replacingOccurrences(of: "language: KO", with: "language: EN"))
            await #expect(throws: EngineError.self) { try await harness.plan() }
            try harness.write(
                "kakao.yaml",
                sender.replacingOccurrences(of: "language: KO", with: "language: EN").replacingOccurrences(
                    of: "    lifecycle: {protect: true}\n", with: ""))
            let plan = try await harness.plan().plan
            let replace = try #require(plan.changes.first { $0.address == "kakaotalkTemplate.welcome" })
            #expect(replace.action == .replace)
            #expect(replace.forcesReplacement == ["details.language"])
        }
    }

    @Test func aCreateWhoseAnswerIsLostIsNotRepeated() async throws {
        try await Self.withHarness { harness in
            try harness.write("webhooks.yaml", Self.webhooks)
            try await harness.control.setFaults([
                ["type": "drop", "afterProcessing": true, "method": "POST", "path": "/webhooks$", "count": 2]
            ])
            try await harness.control.clearRequests()
            let result = try await harness.apply(parallelism: 1)
            #expect(result.succeeded, "\(result.failed.map { $0.message ?? "" })")
            let live = try await harness.withClient { try await $0.webhooks.list() }
            #expect(live.count == 2)
            let lock = try #require(try LockFile.read(in: harness.directory.path))
            #expect(
                Set(lock.resources.values.compactMap(\.remoteId.id)) == Set(live.compactMap { $0["id"]?.stringValue }))
            #expect(!(try await harness.plan().plan.hasChanges))
        }
    }

    @Test func aSavedPlanIsRefusedWhenLiveStateMoved() async throws {
        try await Self.withAppliedWebhooks { harness in
            try harness.write(
                "webhooks.yaml",
                Self.webhooks.replacingOccurrences(of: "triggers: [ALL]", with: "triggers: [BUNDLE_DONE]"))
            let saved = try await harness.plan().plan
            #expect(try await harness.plan().plan == saved)  // deterministic

            let lock = try #require(try LockFile.read(in: harness.directory.path))
            let id = try #require(lock.resources["webhook.audit"]?.remoteId.id)
            try await harness.api(
                .patch, "/v1/projects/sinchform-project/webhooks/\(id)", ["target": "https://moved.example.com"])
            let fresh = try await harness.plan()
            #expect(throws: EngineError.self) { try fresh.confirming(saved) }
            do {
                _ = try fresh.confirming(saved)
            } catch let error as EngineError {
                #expect(error.description.contains("webhook.audit"))
            }
        }
    }

    @Test func aFailureSkipsOnlyWhatDependsOnIt() async throws {
        try await Self.withHarness { harness in
            try harness.write("webhooks.yaml", Self.webhooks)
            try harness.write("kakao.yaml", Self.kakaoSenderAndTemplate)
            // Every create of a KakaoTalk sender fails with 500 (outcome unknown, not found by lookup, sent once more).
            try await harness.control.setFaults([
                ["type": "status", "status": 500, "method": "POST", "path": "kakaotalk/senders$"]
            ])
            let result = try await harness.apply(parallelism: 2)
            #expect(!result.succeeded)
            #expect(result.failed.map(\.address) == ["kakaotalkSender.main"])
            #expect(result.skipped.map(\.address) == ["kakaotalkTemplate.welcome"])
            #expect(result.skipped.first?.message == "kakaotalkSender.main did not complete")
            #expect(Set(result.done.map(\.address)) == ["webhook.ops", "webhook.audit"])
            let journal = try Journal.read(result.journalPath)
            #expect(journal.contains { $0.event == .skipped && $0.address == "kakaotalkTemplate.welcome" })
            #expect(journal.contains { $0.event == .failed && $0.address == "kakaotalkSender.main" })

            try await harness.control.clearFaults()
            #expect(try await harness.apply().succeeded)
            #expect(!(try await harness.plan().plan.hasChanges))
        }
    }

    /// A KakaoTalk sender can be edited only once verified (ACTIVE): the plan says so before the API refuses it, and
    /// after register + verify with the one-time code the same update applies.
    @Test func aKakaoTalkSenderUpdateWarnsUntilTheSenderIsVerified() async throws {
        try await Self.withHarness { harness in
            let sender = Self.kakaoSender
            try harness.write("kakao.yaml", sender)
            #expect(try await harness.apply().succeeded)
            try await harness.control.reviewAll(.approve)
            try harness.write("kakao.yaml", sender.replacingOccurrences(of: "name: Acme", with: "name: Acme Store"))

            let warned = try #require(
                try await harness.plan().plan.changes.first { $0.address == "kakaotalkSender.main" })
            #expect(warned.action == .update)
            #expect(
                warned.consequences.contains { $0.contains("only once the sender is ACTIVE") }, "\(warned.consequences)"
            )
            let refused = try await harness.apply()
            #expect(
                refused.failed.first?.message?.contains("409") == true, "\(refused.failed.map { $0.message ?? "" })")

            let path = "/v1/projects/sinchform-project/kakaotalk/senders/@acme"
            try await harness.api(.post, path + "/register")
            try await harness.api(.post, path + "/verify", ["code": 123456])
            let verified = try #require(
                try await harness.plan().plan.changes.first { $0.address == "kakaotalkSender.main" })
            #expect(verified.action == .update)
            #expect(!verified.consequences.contains { $0.contains("only once the sender is ACTIVE") })
            #expect(try await harness.apply().succeeded)
        }
    }

    /// Live state is read for SINCH_PROJECT_ID while the manifests load; a manifest's `project:` wins, so the
    /// attempt reports the other project and the plan is made again for it from the inputs already loaded.
    @Test func aManifestProjectWinsOverTheEnvironment() async throws {
        try await Self.withHarness { harness in
            try harness.write("webhooks.yaml", "project: sinchform-project\n" + Self.webhooks)
            var elsewhere = harness.workspace
            elsewhere.environment["SINCH_PROJECT_ID"] = "another-project"
            #expect(elsewhere.provisionalProject(lock: nil) == "another-project")
            var configuration = try ProvisioningConfiguration(environment: elsewhere.environment)
            configuration.retry = RetryPolicy(maxAttempts: 1)
            let attempt = try await withProvisioningClient(configuration: configuration) { client in
                try await elsewhere.plan(client: client, lock: nil)
            }
            guard case let .otherProject(inputs) = attempt else {
                Issue.record("planned against the environment's project")
                return
            }
            #expect(inputs.project == "sinchform-project")
            let context = try await harness.withClient { client in try await elsewhere.plan(inputs, client: client) }
            #expect(context.plan.project == "sinchform-project")
            #expect(context.plan.summary.create == 2, "\(summary(context.plan))")
        }
    }

    /// `lifecycle.ignoreChanges`: a drifted field listed there plans as no change; the other fields still diff.
    @Test func ignoreChangesHidesOnlyTheListedField() async throws {
        try await Self.withAppliedWebhooks { harness in
            let lock = try #require(try LockFile.read(in: harness.directory.path))
            let id = try #require(lock.resources["webhook.ops"]?.remoteId.id)
            try await harness.api(.patch, "/v1/projects/sinchform-project/webhooks/\(id)", ["triggers": ["ALL"]])
            let ignoring = Self.webhooks.replacingOccurrences(
                of: "    secret: ${env.OPS_SECRET}\n",
                with: "    secret: ${env.OPS_SECRET}\n    lifecycle: {ignoreChanges: [triggers]}\n")
            #expect(ignoring != Self.webhooks)
            try harness.write("webhooks.yaml", ignoring)
            #expect(!(try await harness.plan().plan.hasChanges), "the drifted triggers are ignored")

            try harness.write(
                "webhooks.yaml",
                ignoring.replacingOccurrences(of: "https://ops.example.com/hook", with: "https://ops.example.com/v2"))
            let change = try #require(try await harness.plan().plan.changes.first { $0.address == "webhook.ops" })
            #expect(change.action == .update)
            #expect(change.fields.map(\.path) == ["target"], "only the field not ignored")
        }
    }

    /// `--target` pulls in what a target depends on; `--exclude` leaves an address out.
    @Test func targetPullsInDependenciesAndExcludeLeavesOut() async throws {
        try await Self.withHarness { harness in
            try harness.write("webhooks.yaml", Self.webhooks)
            try harness.write("kakao.yaml", Self.kakaoSenderAndTemplate)
            let targeted = try await harness.plan(scope: PlanScope(targets: ["kakaotalkTemplate.welcome"])).plan
            #expect(targeted.changes.map(\.address) == ["kakaotalkSender.main", "kakaotalkTemplate.welcome"])
            let excluded = try await harness.plan(scope: PlanScope(excludes: ["webhook.ops"])).plan
            #expect(
                Set(excluded.changes.map(\.address)) == [
                    "webhook.audit", "kakaotalkSender.main", "kakaotalkTemplate.welcome",
                ])
        }
    }

    @Test func aSecondApplyInTheSameDirectoryIsRefusedNamingTheHolder() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sinchform-lock-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try await ApplyLock.acquire(stateDirectory: directory.path, command: "sinchform apply first")
        do {
            _ = try await ApplyLock.acquire(stateDirectory: directory.path, command: "sinchform apply second")
            Issue.record("the second lock was granted")
        } catch {
            #expect(error.description.contains("sinchform apply first"))
            #expect(error.description.contains(first.info.id))
        }
        first.release()
        let again = try await ApplyLock.acquire(stateDirectory: directory.path, command: "sinchform apply third")

        // --lock-timeout: a waiting apply gets the lock once the holder releases it.
        let release = Task {
            try await Task.sleep(for: .milliseconds(200))
            again.release()
        }
        let waited = try await ApplyLock.acquire(
            stateDirectory: directory.path, command: "sinchform apply fourth", timeout: .seconds(60))
        #expect(waited.info.command == "sinchform apply fourth")
        try await release.value
        waited.release()
    }
}
