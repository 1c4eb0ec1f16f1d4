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

/// Reads live state: one paginated list per kind at the largest page size, kinds in parallel. A kind listed under a
/// parent (KakaoTalk templates under their sender) is listed as soon as the parent's list arrives, and only under
/// the parents that `parents` names (the parents of managed resources); nil lists it under every live parent
/// (import). Given `liveParents` (a parent list read before), it lists only the children, under those parents.
public struct Refresher: Sendable {
    public init() {}

    public func refresh(
        _ client: ProvisioningClient, kinds: Set<ResourceKind> = Set(ResourceKind.allCases),
        parents: Set<String>? = nil, liveParents: [LiveResource]? = nil
    ) async throws -> LiveState {
        try await withThrowingTaskGroup(of: [ResourceKind: [LiveResource]].self) { group in
            let parentKinds = Set(ResourceDefinition.all.compactMap(\.parent?.kind))
            for kind in kinds where kind.definition.parent == nil && !parentKinds.contains(kind) {
                group.addTask { [kind: try await KindAdapters.adapter(for: kind).list(client, parents: [])] }
            }
            for parentKind in parentKinds {
                let children = kinds.filter { $0.definition.parent?.kind == parentKind }
                guard kinds.contains(parentKind) || !children.isEmpty else { continue }
                group.addTask {
                    var result: [ResourceKind: [LiveResource]] = [:]
                    let parentsLive: [LiveResource]
                    if let liveParents {
                        parentsLive = liveParents
                    } else {
                        parentsLive = try await KindAdapters.adapter(for: parentKind).list(client, parents: [])
                        result[parentKind] = parentsLive
                    }
                    // Children of parents that do not exist cannot exist either.
                    let live = Set(parentsLive.compactMap(\.naturalKey))
                    let wanted = (parents.map { live.intersection($0) } ?? live).sorted()
                    for child in children {
                        result[child] = try await KindAdapters.adapter(for: child).list(client, parents: wanted)
                    }
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
