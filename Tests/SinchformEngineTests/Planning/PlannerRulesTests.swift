import Foundation
import JSONSyntax
import ProvisioningAPI
import SinchformManifest
import SinchformTestSupport
import Testing

@testable import SinchformEngine

/// Each kind's planning rules, from manifests, live resources made in the test and a lock: no HTTP.
@Suite struct PlannerRulesTests {
    /// Plans `yaml` against `live` and `lock` (entries by address and identity).
    static func plan(
        _ yaml: String, live: [LiveResource] = [], lock entries: [(Address, ResourceKind, RemoteIdentity)] = [],
        scope: PlanScope = PlanScope(), deleted: [RemoteIdentity: Date] = [:]
    ) async throws -> Plan {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("planner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try yaml.write(to: directory.appendingPathComponent("main.yaml"), atomically: true, encoding: .utf8)
        let (manifests, _) = try await Workspace(directory: directory.path, environment: ["SECRET": "s3cret"])
            .loadManifests()
        var lock = LockFile(project: "p")
        for (address, kind, identity) in entries {
            lock.resources[address] = LockFile.Entry(
                address: address, kind: kind, remoteId: identity, specDigest: "sha256:0", managedFields: [],
                writeOnly: [:], appliedAt: "2026-12-01T00:00:00Z")
        }
        return try await Planner().plan(
            manifests: manifests, live: LiveState(resources: Dictionary(grouping: live, by: \.kind)),
            lock: entries.isEmpty ? nil : lock, project: "p", manifestDirectory: directory.path, scope: scope,
            deleted: deleted)
    }

    static let webhook = """
        webhooks:
          ops:
            target: https://ops.example.com/hook
            triggers: [ALL]
        """

    @Test func aWebhookIsCreatedOnlyWithASecret() async throws {
        await #expect(throws: EngineError.self) { try await Self.plan(Self.webhook) }
        let plan = try await Self.plan(Self.webhook + "\n    secret: ${env.SECRET}")
        #expect(plan.changes.map(\.action) == [.create])
        #expect(plan.changes.first?.after?["secret"] == Plan.sensitiveMarker)
    }

    @Test func aLiveWebhookWithTheSameTargetIsAdoptedNotDuplicated() async throws {
        let live = LiveResource(
            kind: .webhook, identity: .id("w1"),
            effective: ["target": "https://ops.example.com/hook", "triggers": ["ALL"]])
        let plan = try await Self.plan(Self.webhook, live: [live])
        #expect(plan.changes.map(\.action) == [.adopt])
        #expect(plan.changes.first?.remoteId == .id("w1"))
    }

    @Test func aRemovedRCSSenderIsForgottenAndAWebhookDeleted() async throws {
        let live = [
            LiveResource(kind: .rcsSender, identity: .id("r1"), effective: ["region": "EU"]),
            LiveResource(kind: .webhook, identity: .id("w1"), effective: ["target": "https://a.example.com/h"]),
        ]
        let plan = try await Self.plan(
            "{}", live: live,
            lock: [("rcsSender.brand", .rcsSender, .id("r1")), ("webhook.old", .webhook, .id("w1"))])
        let actions = Dictionary(uniqueKeysWithValues: plan.changes.map { ($0.address, $0.action) })
        #expect(actions == ["rcsSender.brand": .forget, "webhook.old": .delete])
    }

    static let kakaotalk = """
        kakaotalkSenders:
          main:
            plusFriendId: "@acme"
            details: {adminPhoneNo: "+48770000001", name: Acme, topLevelCategoryCode: "001", midLevelCategoryCode: "0001", subLevelCategoryCode: "0001"}
        kakaotalkTemplates:
          welcome:
            plusFriendId: "@acme"
            details: {name: welcome, language: KO, content: "Hello #{name}"}
        """

    @Test func aKakaoTalkTemplateWaitsForItsSender() async throws {
        let plan = try await Self.plan(Self.kakaotalk)
        let template = try #require(plan.changes.first { $0.kind == .kakaotalkTemplate })
        #expect(template.dependsOn == ["kakaotalkSender.main"])
        #expect(plan.changes.map(\.kind) == [.kakaotalkSender, .kakaotalkTemplate])
        #expect(template.consequences.contains { $0.contains("submitted for review") })
    }

    @Test func anUpdateOfAnUnverifiedKakaoTalkSenderSaysTheAPIWillRefuseIt() async throws {
        let sender = LiveResource(
            kind: .kakaotalkSender, identity: .plusFriendId("@acme"),
            effective: ["plusFriendId": "@acme", "details": ["name": "Old name"]],
            review: ReviewStatus(state: "PENDING_VERIFICATION"))
        let plan = try await Self.plan(
            Self.kakaotalk, live: [sender], lock: [("kakaotalkSender.main", .kakaotalkSender, .plusFriendId("@acme"))])
        let change = try #require(plan.changes.first { $0.kind == .kakaotalkSender })
        #expect(change.action == .update)
        #expect(change.consequences.contains { $0.contains("sender_not_updatable") })
    }

    @Test func aWhatsAppTemplateCategoryChangeIsAReplaceThatBlocksTheName() async throws {
        let yaml = """
            whatsappTemplates:
              notice:
                category: MARKETING
                languages:
                  EN: {details: {components: [{type: BODY, text: "Hello"}]}}
            """
        let live = LiveResource(
            kind: .whatsappTemplate, identity: .name("notice", language: "EN"),
            effective: ["category": "UTILITY", "details": ["components": [["type": "BODY", "text": "Hello"]]]],
            review: ReviewStatus(state: "APPROVED"))
        let plan = try await Self.plan(
            yaml, live: [live],
            lock: [("whatsappTemplate.notice[EN]", .whatsappTemplate, .name("notice", language: "EN"))])
        let change = try #require(plan.changes.first)
        #expect(change.action == .replace && change.forcesReplacement == ["category"])
        #expect(change.consequences.contains { $0.contains("30-day block") })
    }

    @Test func anUnknownTargetIsAnErrorWithTheClosestAddresses() async throws {
        do {
            _ = try await Self.plan(
                Self.webhook + "\n    secret: ${env.SECRET}", scope: PlanScope(targets: ["webhook.osp"]))
            Issue.record("a typo in --target planned")
        } catch let EngineError.unknownAddresses(messages) {
            #expect(
                messages == [
                    "--target webhook.osp matches no address in the manifests or sinchform.lock; did you mean webhook.ops?"
                ])
        }
        let plan = try await Self.plan(
            Self.webhook + "\n    secret: ${env.SECRET}", scope: PlanScope(excludes: ["webhook.ops"]))
        #expect(plan.changes.isEmpty)
    }

    /// A delete that frees a natural key (a webhook's target) completes before the create that needs it.
    @Test func aDeleteFreeingATargetRunsBeforeTheCreateNeedingIt() {
        func change(_ address: Address, _ action: Action, before: JSONValue? = nil, after: JSONValue? = nil) -> Change {
            Change(
                address: address, kind: .webhook, action: action, reason: "", origin: .manifest, before: before,
                after: after, fields: [], forcesReplacement: [], consequences: [], review: nil, remoteId: nil,
                dependsOn: [], liveDigest: nil, desiredDigest: nil)
        }
        var ordered = [
            change("webhook.new", .create, after: ["target": "https://a.example.com/h"]),
            change("webhook.other", .create, after: ["target": "https://b.example.com/h"]),
            change("webhook.old", .delete, before: ["target": "https://a.example.com/h"]),
        ]
        Planner().order(&ordered)
        #expect(ordered.first { $0.address == "webhook.new" }?.dependsOn == ["webhook.old"])
        #expect(ordered.first { $0.address == "webhook.other" }?.dependsOn == [])
    }

    /// Creates and updates go in kind order (parents first), removals after them in reverse kind order (children
    /// first); within a kind, by address.
    @Test func changesAreOrderedByKindThenAddressAndRemovalsInReverse() {
        func change(_ address: Address, _ action: Action) -> Change {
            Change(
                address: address, kind: address.kind, action: action, reason: "", origin: .manifest, before: nil,
                after: nil, fields: [], forcesReplacement: [], consequences: [], review: nil, remoteId: nil,
                dependsOn: [], liveDigest: nil, desiredDigest: nil)
        }
        var ordered = [
            change("webhook.b", .delete), change("kakaotalkTemplate.t2", .create), change("webhook.z", .update),
            change("kakaotalkSender.s", .delete), change("kakaotalkTemplate.t1", .create),
            change("kakaotalkTemplate.old", .forget), change("webhook.a", .delete),
            change("kakaotalkSender.n", .create),
            change("webhook.y", .noop),
        ]
        Planner().order(&ordered)
        #expect(
            ordered.map(\.address.description) == [
                "webhook.y", "webhook.z", "kakaotalkSender.n", "kakaotalkTemplate.t1", "kakaotalkTemplate.t2",
                "kakaotalkTemplate.old", "kakaotalkSender.s", "webhook.a", "webhook.b",
            ])
    }

    /// Preflight: what the API would refuse half-way through an apply is a plan error, found from live state.
    @Test func aKakaoTalkTemplateWhoseSenderExistsNowhereIsAPlanError() async throws {
        let yaml = """
            kakaotalkTemplates:
              welcome:
                plusFriendId: "@nowhere"
                details: {name: welcome, language: KO, content: "Hello #{name}"}
            """
        await #expect(throws: EngineError.self) { try await Self.plan(yaml) }
        do {
            _ = try await Self.plan(yaml)
        } catch let EngineError.plan(messages) {
            #expect(
                messages.contains { $0.contains("plusFriendId '@nowhere' names no kakaotalkSender") }, "\(messages)")
        }
        let sender = LiveResource(
            kind: .kakaotalkSender, identity: .plusFriendId("@nowhere"), effective: ["plusFriendId": "@nowhere"])
        #expect(try await Self.plan(yaml, live: [sender]).changes.map(\.action) == [.create])
    }

    @Test func moreWebhooksThanTheAPIAllowsAfterThePlanIsAPlanError() async throws {
        let live = (1...14).map { index in
            LiveResource(
                kind: .webhook, identity: .id("w\(index)"),
                effective: ["target": .string("https://h\(index).example.com/")])
        }
        let two =
            Self.webhook + "\n    secret: ${env.SECRET}\n" + """
                  second:
                    target: https://second.example.com/hook
                    triggers: [ALL]
                    secret: ${env.SECRET}
                """
        do {
            _ = try await Self.plan(two, live: live)
            Issue.record("16 webhooks planned")
        } catch let EngineError.plan(messages) {
            #expect(
                messages.contains { $0.contains("would leave 16 in the project (14 live, 2 to create, 0 to delete)") })
        }
        #expect(try await Self.plan(Self.webhook + "\n    secret: ${env.SECRET}", live: live).summary.create == 1)
    }

    @Test func aWhatsAppTemplateNameDeletedLessThan30DaysAgoIsAPlanError() async throws {
        let yaml = """
            whatsappTemplates:
              notice:
                category: UTILITY
                languages:
                  EN: {details: {components: [{type: BODY, text: "Hello"}]}}
            """
        let identity = RemoteIdentity.name("notice", language: "EN")
        do {
            _ = try await Self.plan(yaml, deleted: [identity: Date().addingTimeInterval(-5 * 86_400)])
            Issue.record("a blocked name planned")
        } catch let EngineError.plan(messages) {
            #expect(messages.count == 1 && messages[0].contains("refuses to reuse it until"), "\(messages)")
        }
        let later = try await Self.plan(yaml, deleted: [identity: Date().addingTimeInterval(-31 * 86_400)])
        #expect(later.changes.map(\.action) == [.create])
    }

    /// The members of a listed item that `live` does not read are skipped as its page is parsed
    /// (``KindAdapter/listedMembers``): the API's example list pages give the same live resources parsed whole and
    /// parsed with the projection the list uses, both as they are and rejected (where a review's reason is read).
    @Test func listedItemsKeepWhatTheAdapterReads() throws {
        typealias Client = ProvisioningClient
        let lists: [(ResourceKind, String, String, [String])] = [
            (.webhook, "webhook", Client.Webhook.itemsKey, Client.Webhook.identity),
            (
                .whatsappTemplate, "whatsapp-template", Client.WhatsAppTemplate.itemsKey,
                Client.WhatsAppTemplate.identity
            ),
            (.whatsappSender, "whatsapp-sender", Client.WhatsAppSender.itemsKey, Client.WhatsAppSender.identity),
            (.kakaotalkSender, "kakaotalk-sender", Client.KakaoTalkSender.itemsKey, Client.KakaoTalkSender.identity),
            (
                .kakaotalkTemplate, "kakaotalk-template", Client.KakaoTalkTemplate.itemsKey,
                Client.KakaoTalkTemplate.identity
            ),
            (.rcsSender, "rcs-sender", Client.RCSSender.itemsKey, Client.RCSSender.identity),
        ]
        let examples = EmulatorHarness.packageRoot.appendingPathComponent("Tests/Fixtures/api-examples")
        for (kind, name, itemsKey, identity) in lists {
            let adapter = KindAdapters.adapter(for: kind)
            let page = try #require(
                JSONValue.parse(
                    Array(try Data(contentsOf: examples.appendingPathComponent("\(name).list.response.json")))))
            let items = try #require(page[itemsKey]?.arrayValue)
            #expect(!items.isEmpty, "\(name)")
            let projection = Client.pageProjection(
                itemsKey: itemsKey, members: adapter.listedMembers, identity: identity)
            for item in items {
                var rejected = try #require(item.objectValue)
                rejected["state"] = "REJECTED"
                for variant in [item, .object(rejected)] {
                    let bytes = JSONValue.object([itemsKey: [variant]]).serialized()
                    let kept = try #require(JSONValue.parse(bytes, keeping: projection)?[itemsKey]?.arrayValue?.first)
                    #expect(kept != variant, "\(name): the example has members the list skips")
                    let whole = try adapter.live(variant, parent: "sender")
                    let listed = try adapter.live(kept, parent: "sender")
                    #expect(listed.effective == whole.effective, "\(name)")
                    #expect(listed.identity == whole.identity, "\(name)")
                    #expect(listed.review == whole.review, "\(name)")
                }
            }
        }
    }

    /// Each kind has exactly one definition (in dependency order) and one adapter, a kind is its name in every
    /// encoding, and a name that is not a kind is refused.
    @Test func everyKindHasItsDefinitionAndAdapterAndIsItsName() throws {
        #expect(ResourceKind.allCases.count == 7)
        #expect(Set(ResourceKind.allCases).count == ResourceKind.allCases.count)
        #expect(Set(ResourceKind.allCases.map(\.hashValue)).count == ResourceKind.allCases.count)
        for kind in ResourceKind.allCases {
            #expect(kind.definition.kind == kind)
            #expect(KindAdapters.adapter(for: kind).kind == kind, "\(kind) has no adapter")
            #expect(ResourceKind(rawValue: kind.rawValue) == kind && "\(kind)" == kind.rawValue)
            #expect(ResourceKind(manifestKey: kind.manifestKey) == kind)
            let encoded = try JSONEncoder().encode([kind])
            #expect(String(decoding: encoded, as: UTF8.self) == "[\"\(kind.rawValue)\"]")
            #expect(try JSONDecoder().decode([ResourceKind].self, from: encoded) == [kind])
        }
        #expect(ResourceKind(rawValue: "smsSender") == nil)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([ResourceKind].self, from: Data(#"["sms"]"#.utf8))
        }
        let ranked = ResourceDefinition.all.map(\.kind)
        #expect(Set(ranked) == Set(ResourceKind.allCases) && ranked.count == ResourceKind.allCases.count)
        #expect(ranked.sorted() == ranked)
        #expect(ResourceKind.kakaotalkSender < .kakaotalkTemplate)
    }

    @Test func addressesParseAndPrintAsWritten() throws {
        let address = try Address(parsing: "whatsappTemplate.order_shipped[EN_US]")
        #expect(address.kind == .whatsappTemplate && address.name == "order_shipped" && address.language == "EN_US")
        #expect(address.description == "whatsappTemplate.order_shipped[EN_US]")
        #expect(address.isSelected(by: try Address(parsing: "whatsappTemplate.order_shipped")))
        #expect(throws: AddressError.self) { try Address(parsing: "webhooks.ops") }
        #expect(throws: AddressError.self) { try Address(parsing: "webhook.") }
        #expect(RemoteIdentity(json: ["id": ""]) == nil)
        #expect(RemoteIdentity(json: ["id": "c", "plusFriendId": "@a"]) == .code("c", plusFriendId: "@a"))
        // Read by bytes, printed as written, and the same as an address made of its parts.
        let parts: [(String, ResourceKind, String, String?)] = [
            ("webhook.ops", .webhook, "ops", nil), ("whatsappTemplate.a[b][EN]", .whatsappTemplate, "a[b]", "EN"),
            ("kakaotalkSender.é.x", .kakaotalkSender, "é.x", nil), ("whatsappAccount", .whatsappAccount, "", nil),
        ]
        for (text, kind, name, language) in parts {
            let parsed = try Address(parsing: text)
            #expect(parsed == Address(kind: kind, name: name, language: language) && parsed.description == text)
            #expect(parsed.kind == kind && parsed.name == name && parsed.language == language, "\(text)")
        }
        for text in ["whatsappTemplate.x[]", "whatsappAccount.x", "webhook", ".ops", "webhook.[EN]"] {
            #expect(throws: AddressError.self, "\(text)") { try Address(parsing: text) }
        }
    }

    /// A WhatsApp template's response spellings read as the input ones; details without them come back unchanged.
    @Test func whatsappTemplateDetailsReadAsWritten() {
        let header: JSONValue = ["type": "HEADER", "format": "TEXT", "text": "Hi {{1}}", "example": "Sam"]
        let body: JSONValue = ["type": "BODY", "text": "Body {{1}}", "examples": [["Ann"]]]
        let read = WhatsAppTemplateAdapter.readable(
            ["components": [header, body], "optimization": ["bidStrategy": "BID_STRATEGY_MAX_CONVERSIONS"]])
        let expected: JSONValue = [
            "components": [["type": "HEADER", "format": "TEXT", "text": "Hi {{1}}", "examples": ["Sam"]], body],
            "optimization": ["bidStrategy": "MAX_CONVERSIONS"],
        ]
        #expect(read == expected)
        let plain: JSONValue = ["components": [body], "optimization": ["bidStrategy": "MAX_CONVERSIONS"]]
        #expect(WhatsAppTemplateAdapter.readable(plain) == plain)
        let both: JSONValue = ["components": [["type": "HEADER", "example": "a", "examples": ["b"]]]]
        #expect(WhatsAppTemplateAdapter.readable(both) == both)
    }

    /// The planner's shortcut for unchanged resources answers as restricting the live value and comparing would.
    @Test func matchesIsRestrictThenCompare() {
        let normalizer = Normalizer()
        let values: [JSONValue] = [
            ["a": 1], ["a": 1, "b": 2], ["a": 2], ["a": ["x": 1]], ["a": ["x": 1, "y": 2]], ["a": [1, 2]],
            ["a": [2, 1]], .object([:]), "text", ["a": nil], ["b": ["x": 1]],
        ]
        for live in values {
            for desired in values {
                #expect(
                    normalizer.matches(live, desired) == (normalizer.restrict(live, to: desired) == desired),
                    "\(live) against \(desired)")
            }
        }
    }
}
