import Foundation
import ProvisioningAPI
import SinchformManifest
import SinchformTestSupport
import Testing

@testable import SinchformEngine

/// Hand-built plans for the rendering tests. Together they hold every action, resource kind and origin, the review
/// states, a sensitive field, a long multi-line text and a dependency.
enum RenderingSamples {
    /// A secret given to the model only through a sensitive `FieldChange`: it must never appear in any rendering.
    static let secret = "hunter2-do-not-print-me"

    static func change(
        _ address: Address, _ kind: ResourceKind, _ action: Action, reason: String, origin: Origin? = .manifest,
        before: JSONValue? = nil, after: JSONValue? = nil, fields: [FieldChange] = [], forcesReplacement: [String] = [],
        consequences: [String] = [], review: ReviewStatus? = nil, remoteId: RemoteIdentity? = nil,
        dependsOn: [Address] = [], liveDigest: String? = nil, desiredDigest: String? = nil
    ) -> Change {
        Change(
            address: address, kind: kind, action: action, reason: reason, origin: origin, before: before, after: after,
            fields: fields, forcesReplacement: forcesReplacement, consequences: consequences, review: review,
            remoteId: remoteId, dependsOn: dependsOn, liveDigest: liveDigest, desiredDigest: desiredDigest)
    }

    static let oldContent = (1...14).map { "Line \($0) of the welcome message." }.joined(separator: "\n")
    static let newContent =
        oldContent
        .replacingOccurrences(of: "Line 3 of the welcome message.", with: "Line 3, reworded.")
        .replacingOccurrences(
            of: "Line 12 of the welcome message.", with: "Line 12 of the welcome message.\nA new line 13.")

    /// Every action, kind and origin.
    static var mixed: Plan {
        var plan = Plan(
            project: "3f0c1d2e-project", manifestDirectory: "infra", lockLineage: "7d3a-lineage", lockSerial: 4,
            changes: [
                change(
                    "webhook.new-hook", .webhook, .create, reason: "not in the project yet",
                    after: [
                        "target": "https://hooks.example.com/sinch",
                        "triggers": ["WHATSAPP_TEMPLATE_APPROVED", "WHATSAPP_TEMPLATE_REJECTED"],
                        "secret": Plan.sensitiveMarker,
                    ],
                    desiredDigest: "sha256:aaa1"),
                change(
                    "webhook.ops-events", .webhook, .update, reason: "3 fields differ", origin: .manifestAndDrift,
                    before: [
                        "target": "https://ops.example.com/old", "triggers": ["WHATSAPP_TEMPLATE_APPROVED"],
                    ],
                    after: [
                        "target": "https://ops.example.com/sinch/provisioning",
                        "triggers": ["WHATSAPP_TEMPLATE_APPROVED", "WHATSAPP_TEMPLATE_REJECTED"],
                        "secret": Plan.sensitiveMarker,
                    ],
                    fields: [
                        FieldChange(
                            path: "secret", before: .string(secret + "-old"), after: .string(secret), sensitive: true,
                            note: "write-only: changed since the last apply (compared by fingerprint)"),
                        FieldChange(
                            path: "target", before: "https://ops.example.com/old",
                            after: "https://ops.example.com/sinch/provisioning"),
                        FieldChange(
                            path: "triggers", before: ["WHATSAPP_TEMPLATE_APPROVED"],
                            after: ["WHATSAPP_TEMPLATE_APPROVED", "WHATSAPP_TEMPLATE_REJECTED"]),
                    ],
                    remoteId: RemoteIdentity.id("01HWEBHOOK"), liveDigest: "sha256:bbb1", desiredDigest: "sha256:bbb2"),
                change(
                    "kakaotalkSender.main", .kakaotalkSender, .adopt,
                    reason: "exists in the project; sinchform takes ownership and updates 1 field",
                    before: ["plusFriendId": "@acme", "details": ["name": "Acme"]],
                    after: ["plusFriendId": "@acme", "details": ["name": "Acme Korea"]],
                    fields: [FieldChange(path: "details.name", before: "Acme", after: "Acme Korea")],
                    consequences: ["submitted for review; live content changes only once approved"],
                    review: ReviewStatus(state: "ACTIVE"), remoteId: RemoteIdentity.plusFriendId("@acme"),
                    liveDigest: "sha256:ccc1", desiredDigest: "sha256:ccc2"),
                change(
                    "kakaotalkTemplate.welcome", .kakaotalkTemplate, .update,
                    reason: "1 field differs (changed outside sinchform since the last apply)", origin: .drift,
                    before: ["details": ["content": .string(oldContent)]],
                    after: ["details": ["content": .string(newContent)]],
                    fields: [
                        FieldChange(path: "details.content", before: .string(oldContent), after: .string(newContent))
                    ],
                    consequences: [
                        "submitted for review; live content changes only once approved",
                        "a change is already under review; this update replaces it",
                    ],
                    review: ReviewStatus(state: "APPROVED", pending: "IN_PROGRESS"),
                    remoteId: RemoteIdentity.id("TPL-0042"), dependsOn: ["kakaotalkSender.main"],
                    liveDigest: "sha256:ddd1", desiredDigest: "sha256:ddd2"),
                change(
                    "whatsappTemplate.order_shipped[EN_US]", .whatsappTemplate, .replace,
                    reason: "category cannot change in place",
                    before: [
                        "category": "UTILITY", "details": ["components": [["type": "BODY", "text": "Shipped."]]],
                    ],
                    after: [
                        "category": "MARKETING", "details": ["components": [["type": "BODY", "text": "Shipped."]]],
                    ],
                    fields: [FieldChange(path: "category", before: "UTILITY", after: "MARKETING")],
                    forcesReplacement: ["category"],
                    consequences: [
                        "delete, then create",
                        "the template name is blocked for 30 days after deletion",
                        "the create will be refused until the 30-day block ends; consider a new template name",
                    ],
                    review: ReviewStatus(state: "REJECTED", rejectionReason: "INVALID_FORMAT"),
                    remoteId: RemoteIdentity.name("order_shipped", language: "EN_US"), liveDigest: "sha256:eee1",
                    desiredDigest: "sha256:eee2"),
                change(
                    "whatsappTemplate.order_shipped[DE]", .whatsappTemplate, .noop, reason: "up to date",
                    origin: nil, before: ["category": "UTILITY"], after: ["category": "UTILITY"],
                    review: ReviewStatus(state: "APPROVED"),
                    remoteId: RemoteIdentity.name("order_shipped", language: "DE"), liveDigest: "sha256:fff1",
                    desiredDigest: "sha256:fff1"),
                change(
                    "whatsappAccount", .whatsappAccount, .update, reason: "1 field differs",
                    before: ["templateAnalytics": false], after: ["templateAnalytics": true],
                    fields: [FieldChange(path: "templateAnalytics", before: false, after: true)],
                    consequences: ["templateAnalytics cannot be turned off again: the API has no way to disable it"],
                    review: ReviewStatus(state: "ONBOARDED"), remoteId: RemoteIdentity.id("whatsapp"),
                    liveDigest: "sha256:jjj1", desiredDigest: "sha256:jjj2"),
                change(
                    "webhook.audit", .webhook, .noop, reason: "up to date", origin: nil,
                    before: ["target": "https://audit.example.com"], after: ["target": "https://audit.example.com"],
                    remoteId: RemoteIdentity.id("01HAUDIT"), liveDigest: "sha256:ggg1", desiredDigest: "sha256:ggg1"),
                change(
                    "rcsSender.acme-eu", .rcsSender, .forget,
                    reason: "removed from the manifests; the API cannot delete it, so sinchform stops managing it",
                    before: ["region": "EU", "useCase": "OTP"], remoteId: RemoteIdentity.id("rcs-eu-1"),
                    liveDigest: "sha256:hhh1"),
                change(
                    "whatsappSender.support-line", .whatsappSender, .delete, reason: "removed from the manifests",
                    before: ["phoneNumber": "+15550100", "details": ["displayName": "Acme Support"]],
                    consequences: ["sender removal takes effect after a grace period"],
                    review: ReviewStatus(state: "PAUSED"), remoteId: RemoteIdentity.id("ws-77"),
                    liveDigest: "sha256:iii1"),
                moved(
                    change(
                        "webhook.billing-events", .webhook, .move,
                        reason: "renamed from webhook.billing in the manifests; sinchform.lock follows, no API call",
                        before: ["target": "https://billing.example.com/hook"],
                        after: ["target": "https://billing.example.com/hook"], remoteId: RemoteIdentity.id("01HBILL"),
                        liveDigest: "sha256:jjj1", desiredDigest: "sha256:jjj1"),
                    from: "webhook.billing"),
            ], scope: PlanScope(excludes: ["whatsappSender.legacy"]))
        // As a saved plan carries it (`show` of the golden JSON checks it).
        plan.digest = try? SavedPlan.digest(of: plan)
        return plan
    }

    static func moved(_ change: Change, from: Address) -> Change {
        var change = change
        change.movedFrom = from
        return change
    }

    /// Nothing to do.
    static var unchanged: Plan {
        Plan(
            project: "3f0c1d2e-project", manifestDirectory: ".", lockLineage: nil, lockSerial: nil,
            changes: mixed.changes.filter { !$0.isChange })
    }

    /// The drift part of `mixed`, as `sinchform drift` reports it.
    static var drift: Plan { mixed.driftOnly() }

    /// Many similar updates, for the Markdown cap.
    static func large(_ count: Int) -> Plan {
        Plan(
            project: "big", manifestDirectory: ".", lockLineage: "l", lockSerial: 1,
            changes: (0..<count).map { index in
                change(
                    Address(kind: .webhook, name: "hook-\(index)"), .webhook, .update, reason: "1 field differs",
                    fields: [
                        FieldChange(
                            path: "target", before: .string("https://old.example.com/\(index)"),
                            after: .string("https://new.example.com/\(index)"))
                    ])
            })
    }
}

extension Snapshot {
    /// The rendering goldens, under `Fixtures/Rendering`.
    static let renderingDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/Rendering")

    /// Expects `actual` to equal the golden file `name` of the renderings (`RECORD_SNAPSHOTS=1` rewrites it).
    static func expect(
        _ actual: String, matches name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        let expected = try expected(actual, in: renderingDirectory.appendingPathComponent(name))
        #expect(
            actual == expected, "\(name) differs; if intended, re-record with RECORD_SNAPSHOTS=1",
            sourceLocation: sourceLocation)
    }
}
