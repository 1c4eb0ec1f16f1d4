import ProvisioningAPI
import SinchformManifest

/// RCS senders (part B §5): identified by a server id, matched by brand name; the API has no DELETE.
struct RCSSenderAdapter: KindAdapter {
    let kind = ResourceKind.rcsSender
    let itemMembers: Set<String> = ["id"]
    let canDelete = false
    let deleteConsequence: String? = "the API has no DELETE for RCS senders; it stays in the project"

    func list(_ client: ProvisioningClient, parents: [String]) async throws -> [LiveResource] {
        try await client.rcsSenders.list(members: listedMembers) { try live($0, parent: nil) }
    }

    func live(_ item: JSONValue, parent: String?) throws -> LiveResource {
        LiveResource(
            kind: kind, identity: try require(item.text("id").map(RemoteIdentity.id)), effective: item,
            review: ReviewStatus(state: item["state"]?.stringValue))
    }

    func create(_ spec: JSONValue, desired: DesiredResource, client: ProvisioningClient) async throws -> PostResult {
        try await client.rcsSenders.create(spec, label: desired.address.description)
    }

    func update(
        _ identity: RemoteIdentity, _ spec: JSONValue, client: ProvisioningClient, label: String
    )
        async throws -> JSONValue?
    {
        try await client.rcsSenders.update(
            id: try serverId(identity), ["details": spec["details"] ?? .object([:])], label: label)
    }

    func delete(_ identity: RemoteIdentity, client: ProvisioningClient, label: String) async throws {
        throw EngineError.notDeletable(Address(kind: kind, name: label), kind)
    }
}
