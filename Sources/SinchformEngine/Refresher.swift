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
/// parent (KakaoTalk templates under their sender) is listed only under the parents that `parents` names (the parents
/// of managed resources), alongside the parent list, and kept for the parents that list shows; nil lists it under
/// every live parent once the parent list has arrived (import). Given `liveParents` (a parent list read before), it
/// lists only the children, under the parents of `parents` that that list shows.
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
                    if let liveParents {
                        return try await Self.children(children, client, parentsLive: liveParents, parents: parents)
                    }
                    guard let parents else {
                        let parentsLive = try await KindAdapters.adapter(for: parentKind).list(client, parents: [])
                        var result = try await Self.children(children, client, parentsLive: parentsLive, parents: nil)
                        result[parentKind] = parentsLive
                        return result
                    }
                    // The parents are named: their children are listed alongside the parent list rather than after
                    // its last page (a parent deleted meanwhile has none), and kept for the parents that are live.
                    async let listed = Self.children(children, client, parents: parents.sorted())
                    let parentsLive = try await KindAdapters.adapter(for: parentKind).list(client, parents: [])
                    let live = Set(parentsLive.compactMap(\.naturalKey))
                    var result = try await listed.mapValues { items in
                        items.filter { $0.identity.parentKey.map(live.contains) ?? false }
                    }
                    result[parentKind] = parentsLive
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

    /// The children of the live parents (of those in `parents`, when given): children of parents that do not exist
    /// cannot exist either.
    private static func children(
        _ kinds: Set<ResourceKind>, _ client: ProvisioningClient, parentsLive: [LiveResource], parents: Set<String>?
    ) async throws -> [ResourceKind: [LiveResource]] {
        let live = Set(parentsLive.compactMap(\.naturalKey))
        return try await children(kinds, client, parents: (parents.map { live.intersection($0) } ?? live).sorted())
    }

    private static func children(
        _ kinds: Set<ResourceKind>, _ client: ProvisioningClient, parents: [String]
    ) async throws -> [ResourceKind: [LiveResource]] {
        var result: [ResourceKind: [LiveResource]] = [:]
        for kind in kinds {
            result[kind] = try await KindAdapters.adapter(for: kind).list(client, parents: parents)
        }
        return result
    }
}
