import ProvisioningAPI
import SinchformManifest

/// What sinchform knows about one kind's API: how to list it, identify it, read its comparable state, and
/// change it. Everything kind-specific lives behind this, one type per kind.
protocol KindAdapter: Sendable {
    var kind: ResourceKind { get }
    /// False for kinds the API cannot delete (RCS senders): removing them from the manifests forgets them.
    var canDelete: Bool { get }
    /// What deleting means beyond the call itself (grace periods, name blocks), for plans and rollback notes.
    var deleteConsequence: String? { get }

    /// Every live resource of this kind (one paginated pass; KakaoTalk templates once per sender).
    func list(_ client: ProvisioningClient, plusFriendIds: [String]) async throws -> [LiveResource]
    /// One API body as a live resource (`plusFriendId`: the sender a KakaoTalk template was listed under).
    func live(_ item: JSONValue, plusFriendId: String?) -> LiveResource
    /// How the server identifies a desired resource before it has a server id (nil when only a server id can).
    func identity(of desired: DesiredResource) -> RemoteIdentity?
    /// The key a desired resource and an unowned live one are matched on for adoption.
    func naturalKey(_ spec: JSONValue, name: String, language: String?) -> String?

    func create(_ spec: JSONValue, desired: DesiredResource, client: ProvisioningClient) async throws -> PostResult
    func update(
        _ identity: RemoteIdentity, _ spec: JSONValue, client: ProvisioningClient, label: String
    )
        async throws -> JSONValue?
    func delete(_ identity: RemoteIdentity, client: ProvisioningClient, label: String) async throws
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
    init(kind: ResourceKind, identity: RemoteIdentity, effective: JSONValue, review: ReviewStatus?) {
        self.kind = kind
        self.identity = identity
        let schema = ResourceDefinition.definition(for: kind).resourceSpec
        self.effective = Normalizer().normalize(effective, as: .object(schema)) ?? .object([:])
        self.review = review
    }
}

enum KindAdapters {
    static func adapter(for kind: ResourceKind) -> any KindAdapter {
        switch kind {
        case .webhook: return WebhookAdapter()
        case .whatsappTemplate: return WhatsAppTemplateAdapter()
        case .whatsappSender: return WhatsAppSenderAdapter()
        case .kakaotalkSender: return KakaoTalkSenderAdapter()
        case .kakaotalkTemplate: return KakaoTalkTemplateAdapter()
        case .rcsSender: return RCSSenderAdapter()
        }
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

func without(_ value: JSONValue, _ keys: Set<String>) -> JSONValue {
    guard case let .object(members) = value else { return value }
    return .object(members.filter { !keys.contains($0.key) })
}

struct WebhookAdapter: KindAdapter {
    let kind = ResourceKind.webhook
    let canDelete = true
    let deleteConsequence: String? = nil

    func list(_ client: ProvisioningClient, plusFriendIds: [String]) async throws -> [LiveResource] {
        try await client.webhooks.list { live($0, plusFriendId: nil) }
    }

    func live(_ item: JSONValue, plusFriendId: String?) -> LiveResource {
        LiveResource(
            kind: kind, identity: RemoteIdentity(id: item["id"]?.stringValue), effective: item,
            review: nil)
    }

    func identity(of desired: DesiredResource) -> RemoteIdentity? { nil }

    func naturalKey(_ spec: JSONValue, name: String, language: String?) -> String? {
        spec["target"]?.stringValue
    }

    func create(_ spec: JSONValue, desired: DesiredResource, client: ProvisioningClient) async throws -> PostResult {
        try await client.webhooks.create(spec, label: desired.address)
    }

    func update(
        _ identity: RemoteIdentity, _ spec: JSONValue, client: ProvisioningClient, label: String
    )
        async throws -> JSONValue?
    {
        try await client.webhooks.update(id: identity.id ?? "", spec, label: label)
    }

    func delete(_ identity: RemoteIdentity, client: ProvisioningClient, label: String) async throws {
        try await client.webhooks.delete(id: identity.id ?? "", label: label)
    }
}

struct WhatsAppTemplateAdapter: KindAdapter {
    let kind = ResourceKind.whatsappTemplate
    let canDelete = true
    let deleteConsequence: String? =
        "the template name and language are blocked for new templates for 30 days after deletion"

    func list(_ client: ProvisioningClient, plusFriendIds: [String]) async throws -> [LiveResource] {
        try await client.whatsappTemplates.list { live($0, plusFriendId: nil) }
    }

    func live(_ item: JSONValue, plusFriendId: String?) -> LiveResource {
        do {
            var effective: [String: JSONValue] = [:]
            effective["category"] = item["category"]
            if let allow = item.at(["changes", "allowCategoryChange"]) { effective["allowCategoryChange"] = allow }
            if let details = detailsWithPendingChanges(item) { effective["details"] = Self.readable(details) }
            return LiveResource(
                kind: kind,
                identity: RemoteIdentity(
                    name: item["name"]?.stringValue, language: item["language"]?.stringValue),
                effective: .object(effective),
                review: ReviewStatus.of(item, reasonKeys: [["rejectionCode"]]))
        }
    }

    /// Response spellings mapped back to input ones (part A §3.2/§3.3): `BID_STRATEGY_…` and a text header's
    /// singular `example`.
    static func readable(_ details: JSONValue) -> JSONValue {
        guard case var .object(members) = details else { return details }
        if case var .object(optimization)? = members["optimization"],
            let strategy = optimization["bidStrategy"]?.stringValue, strategy.hasPrefix("BID_STRATEGY_")
        {
            optimization["bidStrategy"] = .string(String(strategy.dropFirst("BID_STRATEGY_".count)))
            members["optimization"] = .object(optimization)
        }
        if let components = members["components"]?.arrayValue {
            members["components"] = .array(
                components.map { component in
                    guard case var .object(fields) = component, fields["examples"] == nil,
                        let example = fields.removeValue(forKey: "example")
                    else { return component }
                    fields["examples"] = example.arrayValue != nil ? example : .array([example])
                    return .object(fields)
                })
        }
        return .object(members)
    }

    func identity(of desired: DesiredResource) -> RemoteIdentity? {
        RemoteIdentity(name: desired.name, language: desired.language)
    }

    func naturalKey(_ spec: JSONValue, name: String, language: String?) -> String? {
        name + "[" + (language ?? "") + "]"
    }

    func create(_ spec: JSONValue, desired: DesiredResource, client: ProvisioningClient) async throws -> PostResult {
        var body = spec.objectValue ?? [:]
        body["name"] = .string(desired.name)
        body["language"] = desired.language.map(JSONValue.string)
        body["status"] = "SUBMIT"
        return try await client.whatsappTemplates.create(.object(body), label: desired.address)
    }

    func update(
        _ identity: RemoteIdentity, _ spec: JSONValue, client: ProvisioningClient, label: String
    )
        async throws -> JSONValue?
    {
        var body: [String: JSONValue] = ["status": "SUBMIT"]
        body["details"] = spec["details"]
        return try await client.whatsappTemplates.update(
            name: identity.name ?? "", language: identity.language ?? "", .object(body), label: label)
    }

    func delete(_ identity: RemoteIdentity, client: ProvisioningClient, label: String) async throws {
        try await client.whatsappTemplates.delete(
            name: identity.name ?? "", language: identity.language ?? "", deleteSubmitted: true, label: label)
    }
}

struct WhatsAppSenderAdapter: KindAdapter {
    let kind = ResourceKind.whatsappSender
    let canDelete = true
    let deleteConsequence: String? = "the sender keeps working for 30 days after deletion, then it is removed"

    func list(_ client: ProvisioningClient, plusFriendIds: [String]) async throws -> [LiveResource] {
        try await client.whatsappSenders.list { live($0, plusFriendId: nil) }
    }

    func live(_ item: JSONValue, plusFriendId: String?) -> LiveResource {
        do {
            var effective = without(item, ["details", "changes", "metadata", "id", "state"]).objectValue ?? [:]
            var details = detailsWithPendingChanges(item)?.objectValue ?? [:]
            // A display name under review lives in metadata, not in changes (part A §4.3 S4).
            if let pendingName = item.at(["metadata", "displayName", "value"]),
                details["displayName"] == nil
                    || item.at(["metadata", "displayName", "status"])?.stringValue == "PENDING"
            {
                details["displayName"] = pendingName
            }
            details["countryCode"] = item["countryCode"]
            details["phoneNumber"] = item["phoneNumber"]
            effective["details"] = .object(details)
            return LiveResource(
                kind: kind, identity: RemoteIdentity(id: item["id"]?.stringValue), effective: .object(effective),
                review: ReviewStatus.of(item, reasonKeys: [["changes", "errorReason"], ["changes", "errorCode"]]))
        }
    }

    func identity(of desired: DesiredResource) -> RemoteIdentity? { nil }

    func naturalKey(_ spec: JSONValue, name: String, language: String?) -> String? {
        guard let code = spec.at(["details", "countryCode"])?.stringValue,
            let number = spec.at(["details", "phoneNumber"])?.stringValue
        else { return nil }
        return code + number
    }

    func create(_ spec: JSONValue, desired: DesiredResource, client: ProvisioningClient) async throws -> PostResult {
        try await client.whatsappSenders.create(spec, label: desired.address)
    }

    func update(
        _ identity: RemoteIdentity, _ spec: JSONValue, client: ProvisioningClient, label: String
    )
        async throws -> JSONValue?
    {
        var body: [String: JSONValue] = ["status": "SUBMIT"]
        body["details"] = spec["details"].map { without($0, ["countryCode", "phoneNumber"]) }
        return try await client.whatsappSenders.update(id: identity.id ?? "", .object(body), label: label)
    }

    func delete(_ identity: RemoteIdentity, client: ProvisioningClient, label: String) async throws {
        try await client.whatsappSenders.delete(id: identity.id ?? "", label: label)
    }
}

struct KakaoTalkSenderAdapter: KindAdapter {
    let kind = ResourceKind.kakaotalkSender
    let canDelete = true
    let deleteConsequence: String? = "the sender keeps delivering for 60 days after deletion, then it is removed"

    func list(_ client: ProvisioningClient, plusFriendIds: [String]) async throws -> [LiveResource] {
        try await client.kakaotalkSenders.list { live($0, plusFriendId: nil) }
    }

    func live(_ item: JSONValue, plusFriendId: String?) -> LiveResource {
        do {
            var effective: [String: JSONValue] = ["plusFriendId": item["plusFriendId"] ?? .null]
            effective["details"] = detailsWithPendingChanges(item)
            return LiveResource(
                kind: kind, identity: RemoteIdentity(plusFriendId: item["plusFriendId"]?.stringValue),
                effective: .object(effective), review: ReviewStatus.of(item))
        }
    }

    func identity(of desired: DesiredResource) -> RemoteIdentity? {
        desired.spec["plusFriendId"]?.stringValue.map { RemoteIdentity(plusFriendId: $0) }
    }

    func naturalKey(_ spec: JSONValue, name: String, language: String?) -> String? {
        spec["plusFriendId"]?.stringValue
    }

    func create(_ spec: JSONValue, desired: DesiredResource, client: ProvisioningClient) async throws -> PostResult {
        var body = spec.objectValue ?? [:]
        body["status"] = "SUBMIT"
        return try await client.kakaotalkSenders.create(.object(body), label: desired.address)
    }

    func update(
        _ identity: RemoteIdentity, _ spec: JSONValue, client: ProvisioningClient, label: String
    )
        async throws -> JSONValue?
    {
        var body: [String: JSONValue] = ["status": "SUBMIT"]
        body["details"] = spec["details"]
        return try await client.kakaotalkSenders.update(
            plusFriendId: identity.plusFriendId ?? "", .object(body), label: label)
    }

    func delete(_ identity: RemoteIdentity, client: ProvisioningClient, label: String) async throws {
        try await client.kakaotalkSenders.delete(plusFriendId: identity.plusFriendId ?? "", label: label)
    }
}

struct KakaoTalkTemplateAdapter: KindAdapter {
    let kind = ResourceKind.kakaotalkTemplate
    let canDelete = true
    let deleteConsequence: String? = nil

    /// One list per sender, at most as many at once as the client sends to a host: queuing all of them at once
    /// would put every next page of the other kinds' lists behind hundreds of these, and those page chains would
    /// finish last.
    func list(_ client: ProvisioningClient, plusFriendIds: [String]) async throws -> [LiveResource] {
        try await withThrowingTaskGroup(of: [LiveResource].self) { group in
            var pending = plusFriendIds[...]
            func startNext() {
                guard let plusFriendId = pending.popFirst() else { return }
                group.addTask {
                    try await client.kakaotalkTemplates.list(plusFriendId: plusFriendId) {
                        live($0, plusFriendId: plusFriendId)
                    }
                }
            }
            for _ in 0..<max(1, client.configuration.maxConcurrentRequestsPerHost) { startNext() }
            var all: [LiveResource] = []
            for try await part in group {
                all += part
                startNext()
            }
            return all
        }
    }

    func live(_ item: JSONValue, plusFriendId: String?) -> LiveResource {
        var effective: [String: JSONValue] = ["plusFriendId": plusFriendId.map(JSONValue.string) ?? .null]
        effective["details"] = detailsWithPendingChanges(item)
        return LiveResource(
            kind: .kakaotalkTemplate,
            identity: RemoteIdentity(id: item["code"]?.stringValue, plusFriendId: plusFriendId),
            effective: .object(effective), review: ReviewStatus.of(item))
    }

    func identity(of desired: DesiredResource) -> RemoteIdentity? { nil }

    func naturalKey(_ spec: JSONValue, name: String, language: String?) -> String? {
        guard let sender = spec["plusFriendId"]?.stringValue, let name = spec.at(["details", "name"])?.stringValue
        else { return nil }
        return sender + "\u{0}" + name
    }

    func create(_ spec: JSONValue, desired: DesiredResource, client: ProvisioningClient) async throws -> PostResult {
        var body: [String: JSONValue] = ["status": "SUBMIT"]
        body["details"] = spec["details"]
        return try await client.kakaotalkTemplates.create(
            plusFriendId: spec["plusFriendId"]?.stringValue ?? "", .object(body), label: desired.address)
    }

    func update(
        _ identity: RemoteIdentity, _ spec: JSONValue, client: ProvisioningClient, label: String
    )
        async throws -> JSONValue?
    {
        var body: [String: JSONValue] = ["status": "SUBMIT"]
        body["details"] = spec["details"].map { without($0, ["language"]) }
        return try await client.kakaotalkTemplates.update(
            plusFriendId: identity.plusFriendId ?? "", code: identity.id ?? "", .object(body), label: label)
    }

    func delete(_ identity: RemoteIdentity, client: ProvisioningClient, label: String) async throws {
        try await client.kakaotalkTemplates.delete(
            plusFriendId: identity.plusFriendId ?? "", code: identity.id ?? "", label: label)
    }
}

struct RCSSenderAdapter: KindAdapter {
    let kind = ResourceKind.rcsSender
    let canDelete = false
    let deleteConsequence: String? = "the API has no DELETE for RCS senders; it stays in the project"

    func list(_ client: ProvisioningClient, plusFriendIds: [String]) async throws -> [LiveResource] {
        try await client.rcsSenders.list { live($0, plusFriendId: nil) }
    }

    func live(_ item: JSONValue, plusFriendId: String?) -> LiveResource {
        LiveResource(
            kind: kind, identity: RemoteIdentity(id: item["id"]?.stringValue), effective: item,
            review: ReviewStatus(state: item["state"]?.stringValue))
    }

    func identity(of desired: DesiredResource) -> RemoteIdentity? { nil }

    func naturalKey(_ spec: JSONValue, name: String, language: String?) -> String? {
        spec.at(["details", "brand", "name"])?.stringValue
    }

    func create(_ spec: JSONValue, desired: DesiredResource, client: ProvisioningClient) async throws -> PostResult {
        try await client.rcsSenders.create(spec, label: desired.address)
    }

    func update(
        _ identity: RemoteIdentity, _ spec: JSONValue, client: ProvisioningClient, label: String
    )
        async throws -> JSONValue?
    {
        try await client.rcsSenders.update(
            id: identity.id ?? "", ["details": spec["details"] ?? .object([:])], label: label)
    }

    func delete(_ identity: RemoteIdentity, client: ProvisioningClient, label: String) async throws {
        throw EngineError.other("\(label): RCS senders cannot be deleted through the API")
    }
}
