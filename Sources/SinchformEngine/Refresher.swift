import ProvisioningAPI
import SinchformManifest

/// Everything live in the project, as one list pass per kind.
public struct LiveState: Sendable {
    public var resources: [ResourceKind: [LiveResource]]

    public init(resources: [ResourceKind: [LiveResource]] = [:]) {
        self.resources = resources
    }

    public func all(_ kind: ResourceKind) -> [LiveResource] { resources[kind] ?? [] }

    /// Adds what another refresh listed (other kinds, or templates of other senders).
    public mutating func add(_ other: LiveState) {
        for (kind, items) in other.resources { resources[kind, default: []] += items }
    }
}

/// Reads live state: one paginated list per kind at the largest page size, kinds in parallel. KakaoTalk templates
/// are listed per sender (the API nests them), as soon as the sender list arrives, and only for the senders that
/// `templateSenders` names (the senders of managed templates); nil lists them for every live sender (import).
/// Given `liveSenders` (a sender list read before), it lists only templates, of those senders.
public struct Refresher: Sendable {
    public init() {}

    public func refresh(
        _ client: ProvisioningClient, kinds: Set<ResourceKind> = Set(ResourceKind.allCases),
        templateSenders: Set<String>? = nil, liveSenders: [LiveResource]? = nil
    ) async throws -> LiveState {
        try await withThrowingTaskGroup(of: [ResourceKind: [LiveResource]].self) { group in
            for kind in kinds where kind != .kakaotalkTemplate && kind != .kakaotalkSender {
                group.addTask { [kind: try await KindAdapters.adapter(for: kind).list(client, plusFriendIds: [])] }
            }
            if kinds.contains(.kakaotalkSender) || kinds.contains(.kakaotalkTemplate) {
                group.addTask {
                    var result: [ResourceKind: [LiveResource]] = [:]
                    let senders: [LiveResource]
                    if let liveSenders {
                        senders = liveSenders
                    } else {
                        senders = try await KindAdapters.adapter(for: .kakaotalkSender).list(client, plusFriendIds: [])
                        result[.kakaotalkSender] = senders
                    }
                    guard kinds.contains(.kakaotalkTemplate) else { return result }
                    // Templates of senders that do not exist cannot exist either.
                    let live = Set(senders.compactMap(\.identity.plusFriendId))
                    let wanted = (templateSenders.map { live.intersection($0) } ?? live).sorted()
                    result[.kakaotalkTemplate] = try await KindAdapters.adapter(for: .kakaotalkTemplate)
                        .list(client, plusFriendIds: wanted)
                    return result
                }
            }
            var state = LiveState()
            for try await part in group {
                state.resources.merge(part) { $1 }
            }
            return state
        }
    }
}
