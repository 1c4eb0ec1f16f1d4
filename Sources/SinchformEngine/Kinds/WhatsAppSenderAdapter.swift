import ProvisioningAPI
import SinchformManifest

/// WhatsApp senders (part A §4): identified by a server id, matched by phone number; reviewed.
struct WhatsAppSenderAdapter: KindAdapter {
    let kind = ResourceKind.whatsappSender
    let itemMembers: Set<String> = ["id", "metadata", "countryCode", "phoneNumber"]
    let deleteConsequence: String? = "the sender keeps working for 30 days after deletion, then it is removed"

    func list(_ client: ProvisioningClient, parents: [String]) async throws -> [LiveResource] {
        try await client.whatsappSenders.list(members: listedMembers) { try live($0, parent: nil) }
    }

    func live(_ item: JSONValue, parent: String?) throws -> LiveResource {
        var effective = item.removing(["details", "changes", "metadata", "id", "state"]).objectValue ?? [:]
        var details = detailsWithPendingChanges(item)?.objectValue ?? [:]
        // A display name under review lives in metadata, not in changes (part A §4.3 S4).
        if let pendingName = item.at(["metadata", "displayName", "value"]),
            details["displayName"] == nil || item.at(["metadata", "displayName", "status"])?.stringValue == "PENDING"
        {
            details["displayName"] = pendingName
        }
        details["countryCode"] = item["countryCode"]
        details["phoneNumber"] = item["phoneNumber"]
        effective["details"] = .object(details)
        return LiveResource(
            kind: kind, identity: try require(item.text("id").map(RemoteIdentity.id)), effective: .object(effective),
            review: ReviewStatus.of(item, reasonKeys: [["changes", "errorReason"], ["changes", "errorCode"]]))
    }

    func create(_ spec: JSONValue, desired: DesiredResource, client: ProvisioningClient) async throws -> PostResult {
        try await client.whatsappSenders.create(spec, label: desired.address.description)
    }

    func update(
        _ identity: RemoteIdentity, _ spec: JSONValue, client: ProvisioningClient, label: String
    )
        async throws -> JSONValue?
    {
        var body: JSONObject = ["status": "SUBMIT"]
        body["details"] = spec["details"].map { $0.removing(["countryCode", "phoneNumber"]) }
        return try await client.whatsappSenders.update(id: try serverId(identity), .object(body), label: label)
    }

    func delete(_ identity: RemoteIdentity, client: ProvisioningClient, label: String) async throws {
        try await client.whatsappSenders.delete(id: try serverId(identity), label: label)
    }
}
