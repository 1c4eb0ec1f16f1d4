/// Everything sinchform knows about one resource kind's manifest shape.
public struct ResourceDefinition: Sendable {
    public var kind: ResourceKind
    public var description: String
    /// Rules for the resource's name (the map key under the kind's manifest key).
    public var nameRules: StringRules
    /// The spec as written in a manifest, without `lifecycle` (added to every kind).
    public var manifestSpec: ObjectSchema
    /// The spec of one resource as the planner sees it. It differs from `manifestSpec` only for WhatsApp
    /// templates, whose manifest entry expands to one resource per language.
    public var resourceSpec: ObjectSchema

    public var resourceType: SchemaType { .object(resourceSpec) }

    /// The address of a resource of this kind: `webhook.NAME`, `whatsappTemplate.NAME[LANG]`.
    public func address(name: String, language: String? = nil) -> String {
        if let language { return "\(kind.rawValue).\(name)[\(language)]" }
        return "\(kind.rawValue).\(name)"
    }
}

extension ResourceDefinition {
    /// The definitions of every kind, in dependency order.
    public static let all: [ResourceDefinition] = [
        webhook, kakaotalkSender, kakaotalkTemplate, whatsappSender, whatsappTemplate, rcsSender,
    ]

    public static func definition(for kind: ResourceKind) -> ResourceDefinition {
        switch kind {
        case .webhook: return webhook
        case .whatsappTemplate: return whatsappTemplate
        case .whatsappSender: return whatsappSender
        case .kakaotalkSender: return kakaotalkSender
        case .kakaotalkTemplate: return kakaotalkTemplate
        case .rcsSender: return rcsSender
        }
    }

    /// `lifecycle:`, accepted in every spec.
    public static let lifecycle = Field(
        "lifecycle",
        .object(
            ObjectSchema(
                "How sinchform may change this resource.",
                [
                    Field("protect", .boolean, "Never delete or replace this resource; a plan that would is an error."),
                    Field(
                        "ignoreChanges", .array(.string(StringRules(minLength: 1)), ArrayRules(uniqueItems: true)),
                        "Dotted field paths (e.g. details.components) whose differences are ignored."),
                ])),
        "How sinchform may change this resource.")
}
