import ProvisioningAPI
import SinchformManifest

/// Everything live in the project, as one list pass per kind.
public struct LiveState: Sendable {
    public var resources: [ResourceKind: [LiveResource]]

    public init(resources: [ResourceKind: [LiveResource]] = [:]) {
        self.resources = resources
    }

    public func all(_ kind: ResourceKind) -> [LiveResource] { resources[kind] ?? [] }
}

/// Reads live state: one paginated list per kind at the largest page size, kinds in parallel. KakaoTalk templates
/// are listed per sender, for the senders that exist or that the manifests and lock file mention.
public struct Refresher: Sendable {
    public init() {}

    public func refresh(
        _ client: ProvisioningClient, kinds: Set<ResourceKind> = Set(ResourceKind.allCases),
        kakaotalkSenders mentioned: Set<String> = []
    ) async throws -> LiveState {
        try await withThrowingTaskGroup(of: (ResourceKind, [LiveResource]).self) { group in
            for kind in kinds where kind != .kakaotalkTemplate && kind != .kakaotalkSender {
                group.addTask { (kind, try await KindAdapters.adapter(for: kind).list(client, plusFriendIds: [])) }
            }
            if kinds.contains(.kakaotalkSender) || kinds.contains(.kakaotalkTemplate) {
                group.addTask {
                    let senders = try await KindAdapters.adapter(for: .kakaotalkSender).list(client, plusFriendIds: [])
                    return (.kakaotalkSender, senders)
                }
            }
            var state = LiveState()
            for try await (kind, resources) in group {
                state.resources[kind] = resources
            }
            if kinds.contains(.kakaotalkTemplate) {
                // Templates hang off senders: list them for every live sender (those the files name but that do
                // not exist have no templates to find).
                let live = Set(state.all(.kakaotalkSender).compactMap(\.identity.plusFriendId))
                let senders = live.intersection(mentioned.isEmpty ? live : mentioned.union(live)).sorted()
                state.resources[.kakaotalkTemplate] = try await KindAdapters.adapter(for: .kakaotalkTemplate)
                    .list(client, plusFriendIds: senders)
            }
            return state
        }
    }
}
