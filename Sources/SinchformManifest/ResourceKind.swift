/// The kinds of resource a manifest can declare. What each one means lives in its ``ResourceDefinition``.
public enum ResourceKind: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case webhook
    case whatsappTemplate
    case whatsappSender
    case kakaotalkSender
    case kakaotalkTemplate
    case rcsSender
    case whatsappAccount

    /// The top-level manifest key that holds resources of this kind: the kind in the plural, or the kind itself for
    /// a kind with one resource per project and no name (`whatsappAccount:`).
    public var manifestKey: String { isSingleton ? rawValue : rawValue + "s" }

    /// The kind's definition: its schema and everything else sinchform knows about it.
    public var definition: ResourceDefinition { ResourceDefinition.definition(for: self) }

    /// The order kinds are processed in (the order of ``ResourceDefinition/all``): what others depend on comes first.
    /// A scan of seven cases, not a dictionary: sorting 10,000 resources by kind compares ~280,000 ranks, and a
    /// hash each cost more than the scan.
    public var rank: Int { Self.ranked.firstIndex(of: self) ?? 0 }

    private static let ranked = ResourceDefinition.all.map(\.kind)

    /// ``ResourceDefinition/isSingleton`` without a copy of the definition: every address parsed asks.
    public var isSingleton: Bool { Self.singletons.contains(self) }

    private static let singletons = ResourceDefinition.all.filter(\.isSingleton).map(\.kind)

    public static func < (lhs: ResourceKind, rhs: ResourceKind) -> Bool { lhs.rank < rhs.rank }

    /// Hashes the kind's rank, not its name. `RawRepresentable`'s default hashes the raw string, and kinds key the
    /// dictionaries and sets that a plan of 10,000 resources looks up several times per resource (the string hashing
    /// was 0.7 % of a plan's profile samples; docs/benchmarks.md, session 14).
    public func hash(into hasher: inout Hasher) { hasher.combine(rank) }

    public init?(manifestKey: String) {
        guard let kind = ResourceKind.allCases.first(where: { $0.manifestKey == manifestKey }) else { return nil }
        self = kind
    }
}
