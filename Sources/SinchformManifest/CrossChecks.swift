import JSONSyntax

/// Rules that look at more than one field or resource: limits and uniqueness the API enforces, so a plan never
/// discovers them half-way through an apply.
enum CrossChecks {
    /// A resource's reference to its parent (a KakaoTalk template's `plusFriendId`), where it is written: the one
    /// cross-resource check that points inside a spec.
    struct ParentReference: Sendable {
        var child: Address
        var parent: ResourceDefinition.Parent
        var key: String
        var location: SourceLocation
    }

    static func run(
        resources: [DesiredResource], projects: [(String, SourceLocation)], parentReferences: [ParentReference]
    ) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        // In source order, so that "first" means first written; resources arrive file by file, so the sort has
        // little to do. Positions, not copies of the resources (docs/CONTRIBUTING.md, "Large values in loops").
        let ordered = resources.indices.sorted { resources[$0].location < resources[$1].location }

        if let (first, firstLocation) = projects.min(by: { $0.1 < $1.1 }) {
            for (other, location) in projects where other != first {
                diagnostics.append(
                    .error(at: location, "project '\(other)' differs from project '\(first)' set at \(firstLocation)"))
            }
        }

        unique(ordered, of: resources, key: { resources[$0].address.description }, diagnostics: &diagnostics) {
            resource, first in
            "duplicate address \(resource.address): also defined at \(first.location)"
        }

        var byKind: [ResourceKind: [Int]] = [:]
        for position in ordered { byKind[resources[position].kind, default: []].append(position) }
        for definition in ResourceDefinition.all {
            let declared = byKind[definition.kind] ?? []
            if let limit = definition.limit, declared.count > limit {
                let over = resources[declared[limit]]
                diagnostics.append(
                    .error(
                        at: over.location,
                        "\(over.address): \(declared.count) \(definition.kind.manifestKey) declared; a project may have at most \(limit)"
                    ))
            }
            let naturalKey = definition.naturalKey
            if let duplicate = naturalKey.duplicate, let field = naturalKey.reportedField {
                unique(
                    declared, of: resources,
                    key: {
                        definition.naturalKey(
                            of: resources[$0].spec, name: resources[$0].name, language: resources[$0].language)
                    },
                    diagnostics: &diagnostics
                ) { resource, first in
                    "\(resource.address).\(field): " + duplicate(first.address.description, first.location.description)
                }
            }
        }

        var parentKeys: [ResourceKind: Set<String>] = [:]
        for reference in parentReferences where parentKeys[reference.parent.kind] == nil {
            let definition = reference.parent.kind.definition
            parentKeys[reference.parent.kind] = Set(
                (byKind[reference.parent.kind] ?? []).compactMap {
                    definition.naturalKey(
                        of: resources[$0].spec, name: resources[$0].name, language: resources[$0].language)
                })
        }
        for reference in parentReferences where parentKeys[reference.parent.kind]?.contains(reference.key) != true {
            let field = reference.parent.field
            diagnostics.append(
                .warning(
                    at: reference.location,
                    "\(reference.child).\(field): no \(reference.parent.kind.rawValue) in these manifests has \(field) '\(reference.key)'; it must exist in the project already"
                ))
        }
        return diagnostics
    }

    /// Reports every resource (of those at `positions`, in that order) whose key, given its position, repeats an
    /// earlier one's.
    private static func unique(
        _ positions: [Int], of resources: [DesiredResource], key: (Int) -> String?,
        diagnostics: inout [Diagnostic], message: (DesiredResource, DesiredResource) -> String
    ) {
        var seen: [String: Int] = [:]
        seen.reserveCapacity(positions.count)
        for position in positions {
            guard let value = key(position) else { continue }
            if let first = seen[value] {
                diagnostics.append(
                    .error(at: resources[position].location, message(resources[position], resources[first])))
            } else {
                seen[value] = position
            }
        }
    }
}
