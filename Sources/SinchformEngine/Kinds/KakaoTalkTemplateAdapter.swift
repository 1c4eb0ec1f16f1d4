import ProvisioningAPI
import SinchformManifest

/// KakaoTalk templates (part B §3): listed per sender, identified by their code under it, matched by
/// `details.name` within the sender; reviewed.
struct KakaoTalkTemplateAdapter: KindAdapter {
    let kind = ResourceKind.kakaotalkTemplate
    let itemMembers: Set<String> = ["code"]

    /// One list per sender, at most as many at once as the client sends to a host: queuing all of them at once
    /// would put every next page of the other kinds' lists behind hundreds of these, and those page chains would
    /// finish last.
    func list(_ client: ProvisioningClient, parents plusFriendIds: [String]) async throws -> [LiveResource] {
        let members = listedMembers
        return try await withThrowingTaskGroup(of: [LiveResource].self) { group in
            var pending = plusFriendIds[...]
            func startNext() {
                guard let plusFriendId = pending.popFirst() else { return }
                group.addTask {
                    try await client.kakaotalkTemplates.list(plusFriendId: plusFriendId, members: members) {
                        try live($0, parent: plusFriendId)
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

    func live(_ item: JSONValue, parent plusFriendId: String?) throws -> LiveResource {
        var effective: JSONObject = ["plusFriendId": plusFriendId.map(JSONValue.string) ?? .null]
        effective["details"] = detailsWithPendingChanges(item)
        let identity = item.text("code").flatMap { code in
            plusFriendId.flatMap { $0.isEmpty ? nil : RemoteIdentity.code(code, plusFriendId: $0) }
        }
        return LiveResource(
            kind: kind, identity: try require(identity), effective: .object(effective), review: ReviewStatus.of(item))
    }

    func create(_ spec: JSONValue, desired: DesiredResource, client: ProvisioningClient) async throws -> PostResult {
        var body: JSONObject = ["status": "SUBMIT"]
        body["details"] = spec["details"]
        return try await client.kakaotalkTemplates.create(
            plusFriendId: spec["plusFriendId"]?.stringValue ?? "", .object(body), label: desired.address.description)
    }

    func update(
        _ identity: RemoteIdentity, _ spec: JSONValue, client: ProvisioningClient, label: String
    )
        async throws -> JSONValue?
    {
        let (code, plusFriendId) = try codeAndSender(identity)
        var body: JSONObject = ["status": "SUBMIT"]
        body["details"] = spec["details"].map { $0.removing(["language"]) }
        return try await client.kakaotalkTemplates.update(
            plusFriendId: plusFriendId, code: code, .object(body), label: label)
    }

    func delete(_ identity: RemoteIdentity, client: ProvisioningClient, label: String) async throws {
        let (code, plusFriendId) = try codeAndSender(identity)
        try await client.kakaotalkTemplates.delete(plusFriendId: plusFriendId, code: code, label: label)
    }

    /// KakaoTalk puts the reason of a rejection in a comment of the activity list: the newest commented one.
    func rejectionComment(_ identity: RemoteIdentity, client: ProvisioningClient) async -> String? {
        guard case let .code(code, plusFriendId) = identity,
            let activities = try? await client.kakaotalkTemplates.activities(plusFriendId: plusFriendId, code: code)
        else { return nil }
        return newestComment(activities)
    }

    private func codeAndSender(_ identity: RemoteIdentity) throws(EngineError) -> (String, String) {
        guard case let .code(code, plusFriendId) = identity else { throw .identityMismatch(kind, identity) }
        return (code, plusFriendId)
    }
}
