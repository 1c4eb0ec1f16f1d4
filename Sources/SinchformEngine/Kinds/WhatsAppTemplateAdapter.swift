import ProvisioningAPI
import SinchformManifest

/// WhatsApp templates (part A §3): one resource per name and language, identified by both; reviewed.
struct WhatsAppTemplateAdapter: KindAdapter {
    let kind = ResourceKind.whatsappTemplate
    let itemMembers: Set<String> = ["name", "language", "rejectionCode"]
    let deleteConsequence: String? =
        "the template name and language are blocked for new templates for 30 days after deletion"
    let replaceConsequences = ["the create will be refused until the 30-day block ends; consider a new template name"]
    /// part A §3.4: `template_language_recently_deleted` for 30 days after a delete.
    let reuseBlock: Duration? = .seconds(30 * 86_400)

    func list(_ client: ProvisioningClient, parents: [String]) async throws -> [LiveResource] {
        try await client.whatsappTemplates.list(members: listedMembers) { try live($0, parent: nil) }
    }

    func live(_ item: JSONValue, parent: String?) throws -> LiveResource {
        // At most three members: made at that size, not grown from empty one member at a time.
        var effective = JSONObject()
        effective.reserveCapacity(3)
        effective["category"] = item["category"]
        if let allow = item.at(["changes", "allowCategoryChange"]) { effective["allowCategoryChange"] = allow }
        if let details = detailsWithPendingChanges(item) { effective["details"] = Self.readable(details) }
        let identity = item.text("name").flatMap { name in
            item.text("language").map { RemoteIdentity.name(name, language: $0) }
        }
        return LiveResource(
            kind: kind, identity: try require(identity), effective: .object(effective),
            review: ReviewStatus.of(item, reasonKeys: [["rejectionCode"]]))
    }

    /// Response spellings mapped back to input ones (part A §3.2/§3.3): `BID_STRATEGY_…` and a text header's
    /// singular `example`. Details that have neither come back as they are, not copied.
    static func readable(_ details: JSONValue) -> JSONValue {
        guard case var .object(members) = details else { return details }
        if case var .object(optimization)? = members["optimization"],
            let strategy = optimization["bidStrategy"]?.stringValue, strategy.hasPrefix("BID_STRATEGY_")
        {
            optimization["bidStrategy"] = .string(String(strategy.dropFirst("BID_STRATEGY_".count)))
            members["optimization"] = .object(optimization)
        }
        if let components = members["components"]?.arrayValue,
            components.contains(where: { $0["example"] != nil && $0["examples"] == nil })
        {
            members["components"] = .array(
                components.map { component in
                    guard case var .object(fields) = component, fields["examples"] == nil,
                        let example = fields.removeValue(forKey: "example")
                    else { return component }
                    fields["examples"] = example.arrayValue != nil ? example : .array([example])
                    return .object(fields)
                })
        }
        return .object(members)
    }

    func identity(of desired: DesiredResource) -> RemoteIdentity? {
        desired.language.map { .name(desired.name, language: $0) }
    }

    func create(_ spec: JSONValue, desired: DesiredResource, client: ProvisioningClient) async throws -> PostResult {
        var body = spec.objectValue ?? [:]
        body["name"] = .string(desired.name)
        body["language"] = desired.language.map(JSONValue.string)
        body["status"] = "SUBMIT"
        return try await client.whatsappTemplates.create(.object(body), label: desired.address.description)
    }

    func update(
        _ identity: RemoteIdentity, _ spec: JSONValue, client: ProvisioningClient, label: String
    )
        async throws -> JSONValue?
    {
        let (name, language) = try nameAndLanguage(identity)
        var body: JSONObject = ["status": "SUBMIT"]
        body["details"] = spec["details"]
        return try await client.whatsappTemplates.update(name: name, language: language, .object(body), label: label)
    }

    func delete(_ identity: RemoteIdentity, client: ProvisioningClient, label: String) async throws {
        let (name, language) = try nameAndLanguage(identity)
        try await client.whatsappTemplates.delete(name: name, language: language, deleteSubmitted: true, label: label)
    }

    /// The server fills in `details.messageSendTtlSeconds` with its category default (part A §3.3 TTL table: 10
    /// minutes for AUTHENTICATION, or 30 days for templates made before 2024-10-23; 30 days for MARKETING and
    /// UTILITY). The default depends on the category, so the schema cannot declare it; and 30 days is outside the
    /// range a UTILITY template may ask for, so writing it would make the manifest invalid.
    func imported(_ spec: JSONValue) -> JSONValue {
        let defaults: [String: Set<Double>] = [
            "AUTHENTICATION": [600, 2_592_000], "MARKETING": [2_592_000], "UTILITY": [2_592_000],
        ]
        guard case var .object(members) = spec, case var .object(details)? = members["details"],
            let category = members["category"]?.stringValue,
            case let .number(ttl)? = details["messageSendTtlSeconds"], defaults[category]?.contains(ttl) == true
        else { return spec }
        details["messageSendTtlSeconds"] = nil
        members["details"] = .object(details)
        return .object(members)
    }

    private func nameAndLanguage(_ identity: RemoteIdentity) throws(EngineError) -> (String, String) {
        guard case let .name(name, language) = identity else { throw .identityMismatch(kind, identity) }
        return (name, language)
    }
}
