import Foundation
import ProvisioningAPI
import SinchformEngine
import SinchformManifest
import SinchformTestSupport
import Testing

/// Every action on every kind, applied through the engine against the emulator over real HTTP, each apply checked
/// against the emulator's state. One ``MatrixCase`` per kind describes its manifest variants; ``MatrixDriver`` runs
/// the same steps for all of them.
///
/// | kind              | create | noop | update | replace                         | delete / forget | adopt |
/// |-------------------|--------|------|--------|---------------------------------|-----------------|-------|
/// | webhook           | yes    | yes  | yes    | – (no immutable field)          | delete          | yes   |
/// | whatsappTemplate  | yes    | yes  | yes    | category: blocked 30 days       | delete          | yes   |
/// | whatsappSender    | yes    | yes  | yes    | region (old one in grace)       | delete (grace)  | yes   |
/// | kakaotalkSender   | yes    | yes  | yes    | plusFriendId (old one in grace) | delete (grace)  | yes   |
/// | kakaotalkTemplate | yes    | yes  | yes    | details.language                | delete          | yes   |
/// | rcsSender         | yes    | yes  | yes    | region: refused (no DELETE)     | forget          | yes   |
@Suite struct ActionMatrixTests {
    @Test(arguments: MatrixCase.all)
    func createNoopUpdate(_ row: MatrixCase) async throws {
        try await MatrixDriver.run(row) { driver in
            try await driver.create()
            try await driver.noop()
            try await driver.update()
        }
    }

    @Test(arguments: MatrixCase.all.filter { $0.replace != nil })
    func replace(_ row: MatrixCase) async throws {
        try await MatrixDriver.run(row) { driver in
            try await driver.create()
            try await driver.replace()
        }
    }

    @Test(arguments: MatrixCase.all)
    func deleteOrForget(_ row: MatrixCase) async throws {
        try await MatrixDriver.run(row) { driver in
            try await driver.create()
            try await driver.remove()
        }
    }

    @Test(arguments: MatrixCase.all)
    func adopt(_ row: MatrixCase) async throws {
        try await MatrixDriver.run(row) { driver in try await driver.adopt() }
    }
}

/// One kind: its manifest, the edits that make it plan each action, and how to read it back from the API.
struct MatrixCase: Sendable, CustomTestStringConvertible {
    /// A textual edit of the base manifest, the plan field it must name, and where its new value shows live.
    struct Edit: Sendable {
        var from: String
        var to: String
        var field: String
        var livePath: String
        var value: JSONValue
    }

    /// What applying a replace leads to.
    enum ReplaceOutcome: Sendable {
        /// Delete, then create, in one apply.
        case replaced
        /// The delete goes through, the create is refused with `errorCode` until `days` have passed.
        case blocked(errorCode: String, days: Double)
        /// The kind has no DELETE: the plan is refused with a message containing this.
        case refused(String)
    }

    /// A deleted resource that stays in the project for `days` (removal grace), probed with a second DELETE.
    struct Grace: Sendable {
        var days: Double
        var delete: @Sendable (ProvisioningClient, JSONValue) async throws -> Void
    }

    var kind: ResourceKind
    var address: Address
    var base: String
    /// The manifest once the resource is removed from it (nil: no manifest left).
    var remainder: String? = nil
    var update: Edit
    var replace: Edit? = nil
    var replaceOutcome = ReplaceOutcome.replaced
    var removal = Action.delete
    var grace: Grace? = nil
    /// Every live resource of the kind.
    var list: @Sendable (ProvisioningClient) async throws -> [JSONValue]
    /// A live item's identity, spelled as ``MatrixDriver/key(_:)`` spells a lock entry's.
    var liveKey: @Sendable (JSONValue) -> String?
    /// Creates the resource with a plain API call from its manifest spec (adoption).
    var createDirectly: @Sendable (ProvisioningClient, JSONValue) async throws -> PostResult
    /// Brings a new resource to the state in which the API accepts an update.
    var makeUpdatable: @Sendable (EmulatorHarness) async throws -> Void = { try await $0.control.reviewAll(.approve) }

    var testDescription: String { kind.rawValue }

    static let kakaotalkSender = """
        kakaotalkSenders:
          main:
            plusFriendId: "@matrix"
            details:
              adminPhoneNo: "+48777777777"
              name: Acme Store
              topLevelCategoryCode: "001"
              midLevelCategoryCode: "0001"
              subLevelCategoryCode: "0001"

        """

    static let all: [MatrixCase] = [
        MatrixCase(
            kind: .webhook, address: "webhook.ops",
            base: """
                webhooks:
                  ops:
                    target: https://ops.example.com/matrix
                    triggers: [WHATSAPP_TEMPLATE_APPROVED]
                    secret: ${env.MATRIX_SECRET}

                """,
            update: Edit(
                from: "[WHATSAPP_TEMPLATE_APPROVED]", to: "[BUNDLE_DONE]", field: "triggers", livePath: "triggers",
                value: ["BUNDLE_DONE"]),
            list: { try await $0.webhooks.list() }, liveKey: { $0["id"]?.stringValue },
            createDirectly: { client, spec in try await client.webhooks.create(spec) }, makeUpdatable: { _ in }),
        MatrixCase(
            kind: .whatsappTemplate, address: "whatsappTemplate.matrix_notice[EN]",
            base: """
                whatsappTemplates:
                  matrix_notice:
                    category: UTILITY
                    languages:
                      EN:
                        details:
                          components:
                            - type: BODY
                              text: "Your code {{1}} is ready."
                              examples: ["42"]

                """,
            update: Edit(
                from: "is ready.", to: "is waiting.", field: "details.components",
                livePath: "details.components.0.text", value: "Your code {{1}} is waiting."),
            replace: Edit(
                from: "category: UTILITY", to: "category: MARKETING", field: "category", livePath: "category",
                value: "MARKETING"),
            replaceOutcome: .blocked(errorCode: "template_language_recently_deleted", days: 30),
            list: { try await $0.whatsappTemplates.list() },
            liveKey: { item in
                item["name"]?.stringValue.map { "\($0)[\(item["language"]?.stringValue ?? "")]" }
            },
            createDirectly: { client, spec in
                var body = spec
                body["name"] = "matrix_notice"
                body["language"] = "EN"
                body["status"] = "SUBMIT"
                return try await client.whatsappTemplates.create(body)
            }),
        MatrixCase(
            kind: .whatsappSender, address: "whatsappSender.support-line",
            base: SenderKindsEndToEndTests.senders,
            update: Edit(
                from: "https://www.acme", to: "https://support.acme", field: "details.websiteOne",
                livePath: "details.websiteOne", value: "https://support.acme.example.com"),
            replace: Edit(from: "region: EU", to: "region: US", field: "region", livePath: "region", value: "US"),
            grace: Grace(days: 30) { client, item in
                try await client.whatsappSenders.delete(id: item["id"]?.stringValue ?? "")
            },
            list: { try await $0.whatsappSenders.list() }, liveKey: { $0["id"]?.stringValue },
            createDirectly: { client, spec in try await client.whatsappSenders.create(spec) }),
        MatrixCase(
            kind: .kakaotalkSender, address: "kakaotalkSender.main", base: kakaotalkSender,
            update: Edit(
                from: "name: Acme Store", to: "name: Acme Shop", field: "details.name", livePath: "details.name",
                value: "Acme Shop"),
            replace: Edit(
                from: "\"@matrix\"", to: "\"@matrix2\"", field: "plusFriendId", livePath: "plusFriendId",
                value: "@matrix2"),
            grace: Grace(days: 60) { client, item in
                try await client.kakaotalkSenders.delete(plusFriendId: item["plusFriendId"]?.stringValue ?? "")
            },
            list: { try await $0.kakaotalkSenders.list() }, liveKey: { $0["plusFriendId"]?.stringValue },
            createDirectly: { client, spec in
                var body = spec
                body["status"] = "SUBMIT"
                return try await client.kakaotalkSenders.create(body)
            },
            makeUpdatable: { harness in
                // A new sender stays IN_PROGRESS after review until it is registered and verified: then ACTIVE.
                try await harness.control.reviewAll(.approve)
                try await harness.withClient { client in
                    _ = try await client.kakaotalkSenders.register(plusFriendId: "@matrix")
                    _ = try await client.kakaotalkSenders.verify(plusFriendId: "@matrix", code: 123_456)
                }
            }),
        MatrixCase(
            kind: .kakaotalkTemplate, address: "kakaotalkTemplate.welcome",
            base: kakaotalkSender + """
                kakaotalkTemplates:
                  welcome:
                    plusFriendId: "@matrix"
                    details:
                      name: welcome
                      language: KO
                      content: "Welcome, #{name}!"
                      categoryCode: "001001"

                """,
            remainder: kakaotalkSender,
            update: Edit(
                from: "Welcome, #{name}!", to: "Welcome back, #{name}!", field: "details.content",
                livePath: "details.content", value: "Welcome back, #{name}!"),
            replace: Edit(
                from: "language: KO", to: "language: EN", field: "details.language", livePath: "details.language",
                value: "EN"),
            list: { try await $0.kakaotalkTemplates.list(plusFriendId: "@matrix") },
            liveKey: { $0["code"]?.stringValue },
            createDirectly: { client, spec in
                try await client.kakaotalkTemplates.create(
                    plusFriendId: spec["plusFriendId"]?.stringValue ?? "",
                    ["status": "SUBMIT", "details": spec["details"] ?? [:]])
            }),
        MatrixCase(
            kind: .rcsSender, address: "rcsSender.acme-eu",
            base: """
                rcsSenders:
                  acme-eu:
                    region: EU
                    billingCategory: CONVERSATIONAL
                    useCase: OTP
                    details:
                      brand:
                        name: Matrix Brand
                        description: Order updates.
                        color: "#0a84ff"
                        emails: [{label: Support, address: support@acme.example.com}]
                      testNumbers: ["+46701234567"]
                      countries: [SE, DE]

                """,
            update: Edit(
                from: "Order updates.", to: "Order updates and codes.", field: "details.brand.description",
                livePath: "details.brand.description", value: "Order updates and codes."),
            replace: Edit(from: "region: EU", to: "region: US", field: "region", livePath: "region", value: "US"),
            replaceOutcome: .refused("has no DELETE"), removal: .forget,
            list: { try await $0.rcsSenders.list() }, liveKey: { $0["id"]?.stringValue },
            createDirectly: { client, spec in try await client.rcsSenders.create(spec) }, makeUpdatable: { _ in }),
    ]
}

/// The steps shared by every kind, each followed by assertions on the emulator's state, the lock and a re-plan.
struct MatrixDriver {
    let row: MatrixCase
    let harness: EmulatorHarness
    static let file = "matrix.yaml"

    static func run(_ row: MatrixCase, _ body: (MatrixDriver) async throws -> Void) async throws {
        try await EmulatorHarness.run(environment: ["MATRIX_SECRET": "matrix-s3cret"]) { harness in
            try await body(MatrixDriver(row: row, harness: harness))
        }
    }

    /// A lock entry's identity in the spelling of ``MatrixCase/liveKey``.
    static func key(_ identity: RemoteIdentity?) -> String? {
        guard let identity else { return nil }
        if let name = identity.name { return "\(name)[\(identity.language ?? "")]" }
        return identity.id ?? identity.plusFriendId
    }

    func edited(_ edit: MatrixCase.Edit) throws -> String {
        try #require(row.base.contains(edit.from), "\(row.kind): the edit must change the manifest")
        return row.base.replacingOccurrences(of: edit.from, with: edit.to)
    }

    func live() async throws -> [JSONValue] { try await harness.withClient { try await row.list($0) } }

    func lockEntry() throws -> LockFile.Entry? {
        try LockFile.read(in: harness.directory.path)?.resources[row.address]
    }

    func replan() async throws -> (Plan, Change?) {
        let plan = try await harness.plan().plan
        return (plan, plan.changes.first { $0.address == row.address })
    }

    func describe(_ plan: Plan) -> String {
        "\(plan.changes.filter(\.isChange).map { "\($0.address) \($0.action) \($0.fields.map(\.path)): \($0.reason)" })"
    }

    func describe(_ result: ApplyResult) -> String {
        "done \(result.done.map { "\($0.address) \($0.action)" }), failed \(result.failed.map { $0.message ?? "" }), "
            + "skipped \(result.skipped.map { "\($0.address): \($0.message ?? "")" })"
    }

    /// Applies and expects exactly `action` on the case's address to be done, and nothing to fail.
    @discardableResult
    func apply(expecting action: Action) async throws -> ApplyResult {
        let result = try await harness.apply()
        #expect(result.succeeded, "\(row.kind) \(action): \(describe(result))")
        #expect(
            result.done.filter { $0.address == row.address }.map(\.action) == [action],
            "\(row.kind) \(action): \(describe(result))")
        return result
    }

    /// The next plan has no changes; the case's address plans as `action` (nil: not in the plan at all).
    func expectConverged(_ action: Action? = .noop, _ step: String) async throws {
        let (plan, change) = try await replan()
        #expect(!plan.hasChanges, "\(row.kind) after \(step): \(describe(plan))")
        #expect(change?.action == action, "\(row.kind) after \(step): \(describe(plan))")
    }

    func advanceClock(days: Double) async throws {
        try await harness.control.advanceClock(seconds: days * 86_400)
    }

    /// A resource in its removal grace period is already deleted: a second DELETE is refused.
    func expectInGrace(_ item: JSONValue, _ grace: MatrixCase.Grace) async throws {
        do {
            try await harness.withClient { try await grace.delete($0, item) }
            Issue.record("\(row.kind): \(item) was still live, not in its deletion grace period")
        } catch let error as APIError {
            #expect(error.errorCode == "sender_already_deleted", "\(error)")
        }
    }

    // MARK: Actions

    func create() async throws {
        try harness.write(Self.file, row.base)
        let (plan, change) = try await replan()
        #expect(change?.action == .create, "\(describe(plan))")
        try await apply(expecting: .create)
        let items = try await live()
        #expect(items.count == 1, "\(row.kind): \(items)")
        let entry = try lockEntry()
        #expect(entry != nil, "\(row.kind): no lock entry after create")
        #expect(Self.key(entry?.remoteId) != nil)
        #expect(Self.key(entry?.remoteId) == items.first.flatMap(row.liveKey), "\(row.kind): \(items)")
        try await expectConverged(.noop, "create")
    }

    /// Applying a plan without changes makes no write call and leaves the lock as it was.
    func noop() async throws {
        let serial = try LockFile.read(in: harness.directory.path)?.serial
        try await harness.control.clearRequests()
        let result = try await harness.apply()
        #expect(result.succeeded && result.done.isEmpty, "\(describe(result))")
        let log = try await harness.control.requests()
        let writes = log.filter { $0.method != "GET" && !$0.path.hasSuffix("/oauth2/token") }
        #expect(!log.isEmpty, "the apply must at least read live state")
        #expect(writes.isEmpty, "\(row.kind): a no-op apply wrote: \(writes)")
        #expect(try LockFile.read(in: harness.directory.path)?.serial == serial)
    }

    func update() async throws {
        let edit = row.update
        let before = Self.key(try lockEntry()?.remoteId)
        try await row.makeUpdatable(harness)
        try harness.write(Self.file, try edited(edit))
        let (plan, change) = try await replan()
        #expect(change?.action == .update, "\(describe(plan))")
        #expect(change?.fields.map(\.path) == [edit.field], "\(describe(plan))")
        try await apply(expecting: .update)
        // A change under review counts as the live value: nothing to submit again.
        try await expectConverged(.noop, "update")
        try await harness.control.reviewAll(.approve)
        let items = try await live()
        #expect(items.count == 1, "\(row.kind): \(items)")
        #expect(items.first?.value(atPath: edit.livePath) == edit.value, "\(row.kind): \(items)")
        #expect(Self.key(try lockEntry()?.remoteId) == before, "updated in place, same identity")
        try await expectConverged(.noop, "update and review")
    }

    func replace() async throws {
        let edit = try #require(row.replace)
        let old = Self.key(try lockEntry()?.remoteId)
        try harness.write(Self.file, try edited(edit))
        if case let .refused(message) = row.replaceOutcome {
            do {
                let plan = try await harness.plan().plan
                Issue.record("\(row.kind): the plan should be refused, got \(describe(plan))")
            } catch {
                #expect("\(error)".contains(message), "\(error)")
                #expect("\(error)".contains(edit.field), "\(error)")
            }
            let items = try await live()
            #expect(items.count == 1 && items.first?.value(atPath: edit.livePath) != edit.value, "\(items)")
            return
        }
        let (plan, change) = try await replan()
        #expect(change?.action == .replace, "\(describe(plan))")
        #expect(change?.forcesReplacement == [edit.field], "\(describe(plan))")
        #expect(change?.fields.map(\.path) == [edit.field], "\(describe(plan))")
        #expect(change?.consequences.contains("delete, then create") == true, "\(change?.consequences ?? [])")

        if case let .blocked(errorCode, days) = row.replaceOutcome {
            #expect(change?.consequences.contains { $0.contains("30 days") } == true, "\(change?.consequences ?? [])")
            // The delete goes through; the name and language are then blocked, so the create is refused.
            let result = try await harness.apply()
            #expect(!result.succeeded)
            let failure = result.failed.first { $0.address == row.address }
            #expect(failure?.action == .replace && failure?.message?.contains(errorCode) == true, "\(describe(result))")
            #expect(try await live().isEmpty, "the delete half of the replace went through")
            // The next plan converges: it creates what the failed step could not.
            let (retry, next) = try await replan()
            #expect(next?.action == .create, "\(describe(retry))")
            #expect(next?.origin == .manifest, "sinchform deleted it, nobody outside: \(describe(retry))")
            let early = try await harness.apply()
            #expect(early.failed.first?.message?.contains(errorCode) == true, "still blocked: \(describe(early))")
            try await advanceClock(days: days + 1)
            try await apply(expecting: .create)
        } else {
            try await apply(expecting: .replace)
        }

        try await harness.control.reviewAll(.approve)
        let entry = Self.key(try lockEntry()?.remoteId)
        #expect(entry != nil)
        if case .replaced = row.replaceOutcome { #expect(entry != old, "a replacement has a new identity") }
        let items = try await live()
        let current = items.filter { row.liveKey($0) == entry }
        #expect(current.count == 1, "\(row.kind): \(items)")
        #expect(current.first?.value(atPath: edit.livePath) == edit.value, "\(row.kind): \(items)")
        let others = items.filter { row.liveKey($0) != entry }
        if let grace = row.grace {
            // The old one may still be listed during its removal grace period, but it is deleted.
            for item in others { try await expectInGrace(item, grace) }
            try await advanceClock(days: grace.days + 1)
            #expect(try await live().map(row.liveKey) == [entry], "old one gone after the grace period")
        } else {
            #expect(others.isEmpty, "\(row.kind): old one still live: \(others)")
        }
        try await expectConverged(.noop, "replace")
    }

    /// Removed from the manifests: deleted (or, without a DELETE in the API, forgotten) and dropped from the lock.
    func remove() async throws {
        let old = Self.key(try lockEntry()?.remoteId)
        if let remainder = row.remainder {
            try harness.write(Self.file, remainder)
        } else {
            try FileManager.default.removeItem(at: harness.directory.appendingPathComponent(Self.file))
        }
        let (plan, change) = try await replan()
        #expect(change?.action == row.removal, "\(describe(plan))")
        try await apply(expecting: row.removal)
        #expect(try lockEntry() == nil, "\(row.kind): still in the lock after \(row.removal)")
        let listed = try await live().filter { row.liveKey($0) == old }
        if row.removal == .forget {
            #expect(listed.count == 1, "the API cannot delete it: it stays in the project")
        } else if let grace = row.grace {
            for item in listed { try await expectInGrace(item, grace) }
            try await advanceClock(days: grace.days + 1)
            #expect(try await live().filter { row.liveKey($0) == old }.isEmpty, "gone after the grace period")
        } else {
            #expect(listed.isEmpty, "\(row.kind): still live after delete: \(listed)")
        }
        try await expectConverged(nil, "\(row.removal)")
    }

    /// A resource created with the API and then named in the manifests (with no lock entry) is adopted, not
    /// created again.
    func adopt() async throws {
        if let remainder = row.remainder {
            // What the resource depends on (a KakaoTalk template's sender) is managed first.
            try harness.write(Self.file, remainder)
            let result = try await harness.apply()
            #expect(result.succeeded, "\(describe(result))")
        }
        try harness.write(Self.file, row.base)
        let (manifests, _) = try await harness.workspace.loadManifests()
        let spec = try #require(manifests.resource(at: row.address)).spec
        let posted = try await harness.withClient { try await row.createDirectly($0, spec) }
        guard case let .completed(body?) = posted, let created = row.liveKey(body) else {
            Issue.record("\(row.kind): the direct create did not complete: \(posted)")
            return
        }
        try await harness.control.reviewAll(.approve)
        let (plan, change) = try await replan()
        #expect(change?.action == .adopt, "\(describe(plan))")
        #expect(plan.summary.create == 0, "\(describe(plan))")
        try await apply(expecting: .adopt)
        #expect(Self.key(try lockEntry()?.remoteId) == created, "\(row.kind): lock entry after adopt")
        #expect(try await live().map(row.liveKey) == [created], "adopted, not duplicated")
        try await expectConverged(.noop, "adopt")
    }
}
