import JSONSyntax

/// How sinchform may treat one resource, from its spec's `lifecycle:`.
public struct Lifecycle: Sendable, Hashable {
    public var protect: Bool
    public var ignoreChanges: [String]

    public init(protect: Bool = false, ignoreChanges: [String] = []) {
        self.protect = protect
        self.ignoreChanges = ignoreChanges
    }
}

/// One resource the manifests ask for.
public struct DesiredResource: Sendable {
    public var kind: ResourceKind
    /// The manifest's own stable name (the map key).
    public var name: String
    /// For WhatsApp templates: the language code of this resource.
    public var language: String?
    public var address: Address
    /// The spec, typed by the kind's `resourceSpec`, without `lifecycle`: validated, and without source locations
    /// (a plan of 10,000 resources keeps plain values; diagnostics that point inside a spec are made while loading).
    public var spec: JSONValue
    public var lifecycle: Lifecycle
    /// Where the resource is declared (its map key).
    public var location: SourceLocation
    /// Leaves of `spec` made from a secret-named variable: shown masked wherever they land, like a webhook secret.
    public var sensitivePaths: [ValuePath] = []

    public var definition: ResourceDefinition { .definition(for: kind) }
}

/// Every resource declared in a directory of manifests, merged, in address order.
public struct ManifestSet: Sendable {
    /// The `project:` of the manifests, if any file sets it.
    public var project: String?
    public private(set) var resources: [DesiredResource]
    /// The files read, in the order read.
    public var files: [String]
    /// Positions in `resources` by address: an apply looks resources up once per step.
    private let positions: [Address: Int]

    public init(project: String? = nil, resources: [DesiredResource] = [], files: [String] = []) {
        self.project = project
        self.resources = resources
        self.files = files
        // By index, not `enumerated()` (docs/CONTRIBUTING.md, "Large values in loops").
        positions = Dictionary(
            resources.indices.map { (resources[$0].address, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func resource(at address: Address) -> DesiredResource? {
        positions[address].map { resources[$0] }
    }
}

/// The outcome of loading: the manifest set when there were no errors, and every diagnostic (errors and warnings).
public struct ManifestLoadResult: Sendable {
    public var manifests: ManifestSet?
    public var diagnostics: [Diagnostic]

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// The manifest set, or the errors as a thrown `ManifestErrors`.
    public func get() throws(ManifestErrors) -> ManifestSet {
        guard let manifests, errors.isEmpty else { throw ManifestErrors(errors) }
        return manifests
    }
}
