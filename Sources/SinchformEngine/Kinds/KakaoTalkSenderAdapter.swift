import ProvisioningAPI
import SinchformManifest

/// KakaoTalk senders (part B §2): identified by `plusFriendId`; reviewed, and editable only once verified.
struct KakaoTalkSenderAdapter: KindAdapter {
    let kind = ResourceKind.kakaotalkSender
    let deleteConsequence: String? = "the sender keeps delivering for 60 days after deletion, then it is removed"

    func list(_ client: ProvisioningClient, parents: [String]) async throws -> [LiveResource] {
        try await client.kakaotalkSenders.list(members: listedMembers) { try live($0, parent: nil) }
    }

    func live(_ item: JSONValue, parent: String?) throws -> LiveResource {
        var effective: JSONObject = ["plusFriendId": item["plusFriendId"] ?? .null]
        effective["details"] = detailsWithPendingChanges(item)
        return LiveResource(
            kind: kind, identity: try require(item.text("plusFriendId").map(RemoteIdentity.plusFriendId)),
            effective: .object(effective), review: ReviewStatus.of(item))
    }

    func identity(of desired: DesiredResource) -> RemoteIdentity? {
        desired.spec.text("plusFriendId").map(RemoteIdentity.plusFriendId)
    }

    func create(_ spec: JSONValue, desired: DesiredResource, client: ProvisioningClient) async throws -> PostResult {
        var body = spec.objectValue ?? [:]
        body["status"] = "SUBMIT"
        return try await client.kakaotalkSenders.create(.object(body), label: desired.address.description)
    }

    func update(
        _ identity: RemoteIdentity, _ spec: JSONValue, client: ProvisioningClient, label: String
    )
        async throws -> JSONValue?
    {
        var body: JSONObject = ["status": "SUBMIT"]
        body["details"] = spec["details"]
        return try await client.kakaotalkSenders.update(
            plusFriendId: try plusFriendId(identity), .object(body), label: label)
    }

    func delete(_ identity: RemoteIdentity, client: ProvisioningClient, label: String) async throws {
        try await client.kakaotalkSenders.delete(plusFriendId: try plusFriendId(identity), label: label)
    }

    /// KS4: a sender can be edited once verified (state ACTIVE) or while its pending changes are a draft.
    func updateRefusal(_ review: ReviewStatus) -> String? {
        guard review.state != "ACTIVE", review.pending != "DRAFT", review.pending != "REJECTED" else { return nil }
        return "the API accepts sender edits only once the sender is ACTIVE (registered and verified with its "
            + "one-time code) or while its changes are a DRAFT; it is \(review.description), so this update "
            + "will be refused (409 sender_not_updatable / sender_changes_not_updatable)"
    }

    /// KakaoTalk puts the reason of a rejection in a comment of the activity list: the newest commented one.
    func rejectionComment(_ identity: RemoteIdentity, client: ProvisioningClient) async -> String? {
        guard let plusFriendId = identity.plusFriendId,
            let activities = try? await client.kakaotalkSenders.activities(plusFriendId: plusFriendId)
        else { return nil }
        return newestComment(activities)
    }

    private func plusFriendId(_ identity: RemoteIdentity) throws(EngineError) -> String {
        guard case let .plusFriendId(plusFriendId) = identity else { throw .identityMismatch(kind, identity) }
        return plusFriendId
    }
}

/// The comment of the newest commented activity (KakaoTalk senders and templates).
func newestComment(_ activities: [JSONValue]) -> String? {
    activities.filter { $0["comment"]?.stringValue != nil }
        .max { ($0["created"]?.stringValue ?? "") < ($1["created"]?.stringValue ?? "") }?["comment"]?.stringValue
}
