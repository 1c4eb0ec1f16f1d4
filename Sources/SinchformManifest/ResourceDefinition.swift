import JSONSyntax

/// Everything sinchform knows about one resource kind that does not need the API: its manifest shape, how its
/// resources are told apart, what it depends on, whether it goes through review, and how `import` writes it.
/// The engine's adapter for the kind adds the API calls; nothing else holds per-kind rules.
///
/// A class, immutable: each resource of a plan asks for its kind's definition several times (docs/CONTRIBUTING.md,
/// "Large values in loops").
public final class ResourceDefinition: Sendable {
    public let kind: ResourceKind
    public let description: String
    /// Rules for the resource's name (the map key under the kind's manifest key).
    public let nameRules: StringRules
    /// The spec as written in a manifest, without `lifecycle` (added to every kind).
    public let manifestSpec: ObjectSchema
    /// What a manifest entry is checked against: `manifestSpec` and `lifecycle` (made once, not per resource read).
    public let manifestEntry: ObjectSchema
    /// The spec of one resource as the planner sees it. It differs from `manifestSpec` only for WhatsApp
    /// templates, whose manifest entry expands to one resource per language.
    public let resourceSpec: ObjectSchema
    /// `resourceSpec` as a schema type, made once: every live resource listed is normalized against it.
    public let resourceType: SchemaType
    /// How two resources of this kind are known to be the same one, whatever their manifest names.
    public let naturalKey: NaturalKey
    /// The resource of another kind this one belongs to, named by one of its fields (a KakaoTalk template's
    /// `plusFriendId` names its sender): it is created after it, deleted before it, and listed under it.
    public let parent: Parent?
    /// Creates and updates are submitted for review; live content changes only once approved.
    public let isReviewed: Bool
    /// The API's limit of resources of this kind per project, checked before any call.
    public let limit: Int?
    /// Rules within one resource that the schema cannot say, on its located spec (address, spec).
    public let checks: [@Sendable (String, ManifestValue) -> [Diagnostic]]
    /// How `import` writes resources of this kind.
    public let importing: Importing
    /// One resource per project, with no name (the WhatsApp account): its manifest key holds the spec itself, and
    /// its address is the kind alone (`whatsappAccount`).
    public let isSingleton: Bool
    /// The resource spec's write-only fields (a webhook's `secret`), by their path of nested objects (never inside
    /// arrays, in the API facts), in schema order. A plan looks up each resource's values at these paths rather than
    /// walking the schema for every resource.
    public let writeOnlyFields: [(path: [String], dotted: String, field: Field)]
    /// Whether a field of the resource spec is sensitive (a webhook's `secret`): only then does a plan look for such
    /// values in each resource of the kind.
    public let hasSensitiveFields: Bool

    public init(
        kind: ResourceKind, description: String, nameRules: StringRules, manifestSpec: ObjectSchema,
        resourceSpec: ObjectSchema, naturalKey: NaturalKey = NaturalKey(), parent: Parent? = nil,
        isReviewed: Bool = false, limit: Int? = nil, checks: [@Sendable (String, ManifestValue) -> [Diagnostic]] = [],
        importing: Importing, isSingleton: Bool = false
    ) {
        self.kind = kind
        self.description = description
        self.nameRules = nameRules
        self.manifestSpec = manifestSpec
        manifestEntry = ObjectSchema(manifestSpec.description, manifestSpec.fields + [ResourceDefinition.lifecycle])
        self.resourceSpec = resourceSpec
        resourceType = .object(resourceSpec)
        var naturalKey = naturalKey
        naturalKey.paths = resourceSpec.paths(with: .identity)
        self.naturalKey = naturalKey
        self.parent = parent
        self.isReviewed = isReviewed
        self.limit = limit
        self.checks = checks
        self.importing = importing
        self.isSingleton = isSingleton
        writeOnlyFields = resourceSpec.paths(with: .writeOnly).compactMap { path in
            resourceSpec.field(at: path).map { (path, path.joined(separator: "."), $0) }
        }
        hasSensitiveFields = !resourceSpec.paths(with: .sensitive).isEmpty
    }

    /// A manifest entry declares one resource per member of its `languages:` map (WhatsApp templates), each
    /// addressed `KIND.NAME[LANG]`.
    public var expandsLanguages: Bool {
        manifestSpec.field("languages") != nil && resourceSpec.field("languages") == nil
    }

    /// The address of a resource of this kind: `webhook.NAME`, `whatsappTemplate.NAME[LANG]`, or the kind alone for
    /// a singleton (whose name is empty).
    public func address(name: String, language: String? = nil) -> Address {
        Address(kind: kind, name: name, language: language)
    }

    /// The key two resources of this kind share when they are one resource: the values of the fields marked
    /// `.identity` (webhook `target`, a WhatsApp sender's country code and number, …), or the name and language
    /// for kinds identified by name. Nil when a value is missing.
    public func naturalKey(of spec: JSONValue, name: String, language: String?) -> String? {
        if naturalKey.byName {
            // Into one string of its final size: `+` made one per part (a key per template loaded and listed).
            var key = ""
            key.reserveCapacity(name.utf8.count + (language?.utf8.count ?? 0) + 2)
            key += name
            key += "["
            key += language ?? ""
            key += "]"
            return key
        }
        guard !naturalKey.paths.isEmpty else { return nil }
        var key = ""
        for (index, path) in naturalKey.paths.enumerated() {
            guard let value = spec.at(path)?.stringValue else { return nil }
            if index > 0 { key += "\u{0}" }
            key += value
        }
        return key
    }

    /// The value of the parent reference in a spec (the sender's `plusFriendId` of a KakaoTalk template).
    public func parentKey(of spec: JSONValue) -> String? {
        parent.flatMap { spec[$0.field]?.stringValue }
    }
}

extension ResourceDefinition {
    /// How resources of a kind are matched across names (adoption, renames, duplicates in the manifests).
    public struct NaturalKey: Sendable {
        /// The paths of the fields marked `.identity` in the resource spec, in declaration order (filled in from
        /// the schema, not written by hand).
        public internal(set) var paths: [[String]] = []
        /// Identified by the manifest name (and language) itself: WhatsApp templates, whose key is their API name.
        public var byName: Bool
        /// Two manifest entries with the same key are an error; the message's end, after "ADDRESS.FIELD: ", given
        /// the first holder's address and location (nil: not checked).
        public var duplicate: (@Sendable (_ first: String, _ location: String) -> String)?

        public init(
            byName: Bool = false, duplicate: (@Sendable (_ first: String, _ location: String) -> String)? = nil
        ) {
            self.byName = byName
            self.duplicate = duplicate
        }

        /// The field a duplicate is reported on (the last identity field).
        public var reportedField: String? { paths.last?.joined(separator: ".") }
    }

    /// A field naming the resource of another kind that this one belongs to.
    public struct Parent: Sendable {
        public var kind: ResourceKind
        /// The field in this kind's spec, holding the parent's natural key.
        public var field: String

        public init(kind: ResourceKind, field: String) {
            self.kind = kind
            self.field = field
        }
    }

    /// How `import` writes a kind.
    public struct Importing: Sendable {
        /// `webhooks.yaml`, `whatsapp-templates.yaml`, …
        public var fileName: String
        /// Comment lines written under the file's header.
        public var comment: [String]
        /// The readable basis of an imported resource's manifest name, from its live view (`name`: the server's
        /// name, for kinds identified by name).
        public var nameBasis: @Sendable (_ effective: JSONValue, _ name: String?) -> String?

        public init(
            fileName: String, comment: [String] = [],
            nameBasis: @escaping @Sendable (_ effective: JSONValue, _ name: String?) -> String?
        ) {
            self.fileName = fileName
            self.comment = comment
            self.nameBasis = nameBasis
        }
    }
}

extension ObjectSchema {
    /// The dotted paths, below this object, of the fields that have `trait` (objects are stepped into).
    public func paths(with trait: FieldTraits) -> [[String]] {
        fields.flatMap { field -> [[String]] in
            var found: [[String]] = field.traits.contains(trait) ? [[field.name]] : []
            if case let .object(inner) = field.type {
                found += inner.paths(with: trait).map { [field.name] + $0 }
            }
            return found
        }
    }

    /// The field at a path of nested objects (`["details", "displayName"]`), or nil.
    public func field(at path: [String]) -> Field? {
        guard let head = path.first, let field = field(head) else { return nil }
        if path.count == 1 { return field }
        if case let .object(inner) = field.type { return inner.field(at: Array(path.dropFirst())) }
        return nil
    }
}

extension ResourceDefinition {
    // `all`, the definitions of every kind, is beside them in ResourceDefinition+Kinds.swift.

    /// A switch, not a dictionary: each resource of a plan asks several times, a lookup hashes the kind, and a new
    /// kind does not compile without its definition.
    public static func definition(for kind: ResourceKind) -> ResourceDefinition {
        switch kind {
        case .webhook: webhook
        case .whatsappTemplate: whatsappTemplate
        case .whatsappSender: whatsappSender
        case .kakaotalkSender: kakaotalkSender
        case .kakaotalkTemplate: kakaotalkTemplate
        case .rcsSender: rcsSender
        case .whatsappAccount: whatsappAccount
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
