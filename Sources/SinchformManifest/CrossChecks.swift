import JSONSyntax

/// Rules that look at more than one field or resource: limits and uniqueness the API enforces, so a plan never
/// discovers them half-way through an apply.
enum CrossChecks {
    /// The API's limit of webhooks per project (part A §2.3, `webhook_limit_reached`).
    static let maxWebhooks = 15

    /// A KakaoTalk template's sender, where it is written: the one cross-resource check that points inside a spec.
    struct SenderReference: Sendable {
        var template: String
        var plusFriendId: String
        var location: SourceLocation
    }

    static func run(
        resources: [DesiredResource], projects: [(String, SourceLocation)], senderReferences: [SenderReference]
    ) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        // In source order, so that "first" means first written; resources arrive file by file, so the sort has
        // little to do.
        let ordered = resources.indices.sorted { resources[$0].location < resources[$1].location }.map { resources[$0] }

        if let (first, firstLocation) = projects.min(by: { $0.1 < $1.1 }) {
            for (other, location) in projects where other != first {
                diagnostics.append(
                    .error(at: location, "project '\(other)' differs from project '\(first)' set at \(firstLocation)"))
            }
        }

        unique(ordered, key: { $0.address }, diagnostics: &diagnostics) { resource, first in
            "duplicate address \(resource.address): also defined at \(first.location)"
        }

        let webhooks = ordered.filter { $0.kind == .webhook }
        if webhooks.count > maxWebhooks {
            diagnostics.append(
                .error(
                    at: webhooks[maxWebhooks].location,
                    "\(webhooks[maxWebhooks].address): \(webhooks.count) webhooks declared; a project may have at most \(maxWebhooks)"
                ))
        }
        unique(webhooks, key: { $0.spec["target"]?.stringValue }, diagnostics: &diagnostics) { resource, first in
            "\(resource.address).target: the same target as \(first.address) (\(first.location)); targets are unique per project"
        }
        let kakaoSenders = ordered.filter { $0.kind == .kakaotalkSender }
        unique(kakaoSenders, key: { $0.spec["plusFriendId"]?.stringValue }, diagnostics: &diagnostics) {
            resource, first in
            "\(resource.address).plusFriendId: already used by \(first.address) (\(first.location)); plusFriendId is unique"
        }
        let senderIds = Set(kakaoSenders.compactMap { $0.spec["plusFriendId"]?.stringValue })
        for reference in senderReferences where !senderIds.contains(reference.plusFriendId) {
            diagnostics.append(
                .warning(
                    at: reference.location,
                    "\(reference.template).plusFriendId: no kakaotalkSender in these manifests has plusFriendId '\(reference.plusFriendId)'; it must exist in the project already"
                ))
        }
        unique(
            ordered.filter { $0.kind == .kakaotalkTemplate },
            key: { t in
                t.spec["plusFriendId"]?.stringValue.flatMap { p in
                    t.spec.value(atPath: "details.name")?.stringValue.map { p + "\u{0}" + $0 }
                }
            },
            diagnostics: &diagnostics
        ) { resource, first in
            "\(resource.address).details.name: the same name as \(first.address) (\(first.location)) for one sender; names are unique per sender"
        }

        unique(
            ordered.filter { $0.kind == .whatsappSender },
            key: { s in
                guard let code = s.spec.value(atPath: "details.countryCode")?.stringValue,
                    let number = s.spec.value(atPath: "details.phoneNumber")?.stringValue
                else { return nil }
                return code + number
            }, diagnostics: &diagnostics
        ) { resource, first in
            "\(resource.address).details.phoneNumber: the same phone number as \(first.address) (\(first.location))"
        }
        return diagnostics
    }

    /// Delivery time-to-live per category (part A §3.3).
    static let ttlRanges: [String: ClosedRange<Double>] = [
        "AUTHENTICATION": 10...900, "UTILITY": 30...43200, "MARKETING": 43200...2_592_000,
    ]

    /// Rules within one resource that the schema cannot say, checked on its located spec while its file is read.
    static func resource(_ address: String, _ kind: ResourceKind, _ spec: ManifestValue) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        switch kind {
        case .webhook:
            if let triggers = spec["triggers"]?.array, triggers.count > 1,
                let all = triggers.first(where: { $0.string == "ALL" })
            {
                diagnostics.append(
                    .error(
                        at: all.location,
                        "\(address).triggers: ALL already receives every event; remove the other triggers or ALL"))
            }
        case .whatsappTemplate:
            guard let details = spec["details"] else { break }
            let components = details["components"]?.array ?? []
            if !components.isEmpty, !components.contains(where: { $0["type"]?.string == "BODY" }) {
                diagnostics.append(
                    .error(
                        at: details["components"]?.location ?? details.location,
                        "\(address).details.components: a template needs a BODY component"))
            }
            if let ttl = details["messageSendTtlSeconds"], let seconds = ttl.number,
                let category = spec["category"]?.string, let range = ttlRanges[category], !range.contains(seconds)
            {
                diagnostics.append(
                    .error(
                        at: ttl.location,
                        "\(address).details.messageSendTtlSeconds: \(Int(seconds)) is outside \(Int(range.lowerBound))–\(Int(range.upperBound)) seconds allowed for \(category) templates"
                    ))
            }
        default:
            break
        }
        return diagnostics
    }

    /// Reports every resource whose key repeats an earlier one's.
    private static func unique(
        _ resources: [DesiredResource], key: (DesiredResource) -> String?, diagnostics: inout [Diagnostic],
        message: (DesiredResource, DesiredResource) -> String
    ) {
        // Positions, not copies of the resources: this runs over every resource after the files are read.
        var seen: [String: Int] = [:]
        seen.reserveCapacity(resources.count)
        for (position, resource) in resources.enumerated() {
            guard let value = key(resource) else { continue }
            if let first = seen[value] {
                diagnostics.append(.error(at: resource.location, message(resource, resources[first])))
            } else {
                seen[value] = position
            }
        }
    }
}
