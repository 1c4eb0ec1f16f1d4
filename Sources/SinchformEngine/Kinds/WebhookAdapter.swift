import ProvisioningAPI
import SinchformManifest

/// Webhooks (part A §2): identified by a server id, matched by `target`; the secret is write-only.
struct WebhookAdapter: KindAdapter {
    let kind = ResourceKind.webhook

    func list(_ client: ProvisioningClient, parents: [String]) async throws -> [LiveResource] {
        try await client.webhooks.list(members: listedMembers) { try live($0, parent: nil) }
    }

    func live(_ item: JSONValue, parent: String?) throws -> LiveResource {
        LiveResource(kind: kind, identity: try require(item.text("id").map(RemoteIdentity.id)), effective: item)
    }

    func create(_ spec: JSONValue, desired: DesiredResource, client: ProvisioningClient) async throws -> PostResult {
        try await client.webhooks.create(spec, label: desired.address.description)
    }

    func update(
        _ identity: RemoteIdentity, _ spec: JSONValue, client: ProvisioningClient, label: String
    )
        async throws -> JSONValue?
    {
        try await client.webhooks.update(id: try serverId(identity), spec, label: label)
    }

    func delete(_ identity: RemoteIdentity, client: ProvisioningClient, label: String) async throws {
        try await client.webhooks.delete(id: try serverId(identity), label: label)
    }
}
