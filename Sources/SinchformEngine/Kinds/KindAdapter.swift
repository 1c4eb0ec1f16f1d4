import ProvisioningAPI
import SinchformManifest

/// What sinchform knows about one kind's API: how to list it, identify it, read its comparable state, change it,
/// and what the API cannot do with it. One type per kind, one file each (`Kinds/`); what needs no API (schema,
/// natural key, parent, review, import naming) is the kind's ``ResourceDefinition``.
protocol KindAdapter: Sendable {
    var kind: ResourceKind { get }
    /// False for kinds the API cannot delete (RCS senders): removing them from the manifests forgets them.
    var canDelete: Bool { get }
    /// What deleting means beyond the call itself (grace periods, name blocks), for plans and rollback notes.
    var deleteConsequence: String? { get }
    /// What a replace means beyond delete + create (a WhatsApp template's name is blocked after its delete).
    var replaceConsequences: [String] { get }
    /// How long the API refuses to create a resource under the identity of one deleted (nil: it does not).
    var reuseBlock: Duration? { get }
    /// Why sinchform does not create resources of this kind (the WhatsApp account), for the plan error of a
    /// declared one that does not exist; nil: it creates them.
    var createRefusal: String? { get }

    /// Every live resource of this kind (one paginated pass), or for a kind with a parent those of the parents
    /// with these keys (KakaoTalk templates, listed per sender).
    func list(_ client: ProvisioningClient, parents: [String]) async throws -> [LiveResource]
    /// The members of a listed item that ``live(_:parent:)`` reads beyond those every kind keeps (the spec's fields,
    /// `details`, `changes`, `state`: see ``listedMembers``).
    var itemMembers: Set<String> { get }
    /// One API body as a live resource (`parent`: the parent's key it was listed under). Throws when the body
    /// has no identity: such an item is never adopted or changed.
    func live(_ item: JSONValue, parent: String?) throws -> LiveResource
    /// How the server identifies a desired resource before it has a server id (nil when only a server id can).
    func identity(of desired: DesiredResource) -> RemoteIdentity?

    func create(_ spec: JSONValue, desired: DesiredResource, client: ProvisioningClient) async throws -> PostResult
    func update(
        _ identity: RemoteIdentity, _ spec: JSONValue, client: ProvisioningClient, label: String
    )
        async throws -> JSONValue?
    func delete(_ identity: RemoteIdentity, client: ProvisioningClient, label: String) async throws

    /// Why the API will refuse an update while the resource is in this review state (nil: it will not).
    func updateRefusal(_ review: ReviewStatus) -> String?
    /// The reason of a rejection where the API keeps it outside the object (a comment), or nil.
    func rejectionComment(_ identity: RemoteIdentity, client: ProvisioningClient) async -> String?
    /// A live spec as `import` writes it, once the schema's defaults are pruned: without values the server fills
    /// in that the schema cannot declare.
    func imported(_ spec: JSONValue) -> JSONValue
}

extension KindAdapter {
    var definition: ResourceDefinition { kind.definition }
    var canDelete: Bool { true }
    var deleteConsequence: String? { nil }
    var replaceConsequences: [String] { [] }
    var reuseBlock: Duration? { nil }
    var createRefusal: String? { nil }
    func identity(of desired: DesiredResource) -> RemoteIdentity? { nil }
    func updateRefusal(_ review: ReviewStatus) -> String? { nil }
    func rejectionComment(_ identity: RemoteIdentity, client: ProvisioningClient) async -> String? { nil }
    func imported(_ spec: JSONValue) -> JSONValue { spec }
    var itemMembers: Set<String> { [] }

    /// The members of a listed item that ``live(_:parent:)`` reads: the spec's fields (a live view keeps no others),
    /// `details` and `changes` (``detailsWithPendingChanges(_:)``), `state` (``ReviewStatus``) and the adapter's
    /// ``itemMembers``. The rest of each item (ids, timestamps, credentials, per-country states) is skipped as its page
    /// is parsed (a sixth of the pages' parse in the plan of 10,000: docs/benchmarks.md, session 12).
    var listedMembers: Set<String> {
        Set(definition.resourceSpec.fields.map(\.name)).union(["details", "changes", "state"]).union(itemMembers)
    }

    /// The item's identity, or an error naming the kind: a live item without one is refused, never adopted.
    func require(_ identity: RemoteIdentity?) throws(EngineError) -> RemoteIdentity {
        guard let identity else { throw .liveItemWithoutIdentity(kind) }
        return identity
    }

    /// The server id of a kind identified by one (``RemoteIdentity/id(_:)``).
    func serverId(_ identity: RemoteIdentity) throws(EngineError) -> String {
        guard case let .id(id) = identity else { throw .identityMismatch(kind, identity) }
        return id
    }
}

enum KindAdapters {
    /// One adapter per kind; a new kind adds its adapter here (its case is in ResourceKind.swift, its
    /// definition in ResourceDefinition+Kinds.swift).
    private static let all: [any KindAdapter] = [
        WebhookAdapter(), WhatsAppTemplateAdapter(), WhatsAppSenderAdapter(), KakaoTalkSenderAdapter(),
        KakaoTalkTemplateAdapter(), RCSSenderAdapter(), WhatsAppAccountAdapter(),
    ]

    private static let byKind: [ResourceKind: any KindAdapter] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.kind, $0) })

    static func adapter(for kind: ResourceKind) -> any KindAdapter {
        // Every kind has an adapter (PlannerRulesTests.everyKindHasItsDefinitionAndAdapterAndIsItsName checks it).
        byKind[kind] ?? WebhookAdapter()
    }
}

/// A resource as the API shows it.
public struct LiveResource: Sendable {
    public var kind: ResourceKind
    public var identity: RemoteIdentity
    /// The comparable view in manifest field names, normalized (``Normalizer``): live details with any pending
    /// change laid over them (a change under review counts as the live value, so it is never submitted twice).
    public var effective: JSONValue
    public var review: ReviewStatus?

    /// Normalizes `effective` once, here: a list of 10,000 bodies is kept as the fields the schema knows, not as
    /// the API's whole bodies (server fields, ids, timestamps), and no later comparison normalizes it again.
    public init(kind: ResourceKind, identity: RemoteIdentity, effective: JSONValue, review: ReviewStatus? = nil) {
        self.kind = kind
        self.identity = identity
        self.effective = Normalizer().normalize(effective, as: kind.definition.resourceType)
        self.review = review
    }

    /// The key this resource shares with a desired one that declares it (see ``ResourceDefinition/naturalKey``).
    var naturalKey: String? {
        kind.definition.naturalKey(of: effective, name: identity.name ?? "", language: identity.language)
    }
}

/// `details` with `changes.details` laid over it (templates and senders under review).
func detailsWithPendingChanges(_ live: JSONValue) -> JSONValue? {
    let details = live["details"]
    let pending = live.at(["changes", "details"])
    switch (details, pending) {
    case let (details?, pending?): return details.merging(pending)
    case let (details?, nil): return details
    case let (nil, pending?): return pending
    case (nil, nil): return nil
    }
}

extension JSONValue {
    /// The object without these members.
    func removing(_ keys: [String]) -> JSONValue {
        guard case let .object(members) = self else { return self }
        return .object(members.filter { !keys.contains($0.key) })
    }

    /// A non-empty string member.
    func text(_ key: String) -> String? {
        guard let value = self[key]?.stringValue, !value.isEmpty else { return nil }
        return value
    }
}
