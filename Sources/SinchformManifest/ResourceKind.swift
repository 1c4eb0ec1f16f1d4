/// A kind of resource a manifest can declare. Each kind is named, ordered and defined in one place,
/// ResourceDefinition+Kinds.swift: its constant (`ResourceKind.webhook`), its ``ResourceDefinition`` and its place in
/// ``ResourceDefinition/all``. A new kind adds those three there, and its adapter in the engine.
public struct ResourceKind: RawRepresentable, Sendable, Hashable, CaseIterable, Codable, Comparable,
    CustomStringConvertible
{
    public let rawValue: String

    /// A kind sinchform knows (one of ``allCases``); nil for any other name, so that decoding an unknown kind fails.
    public init?(rawValue: String) {
        guard let kind = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = kind
    }

    /// Declares a kind: only the definitions' file does this.
    init(declaring rawValue: String) { self.rawValue = rawValue }

    /// Every kind, in the order of ``ResourceDefinition/all`` (what others depend on first).
    public static let allCases: [ResourceKind] = ResourceDefinition.all.map(\.kind)

    public var description: String { rawValue }

    /// The top-level manifest key that holds resources of this kind: the kind in the plural, or the kind itself for
    /// a kind with one resource per project and no name (`whatsappAccount:`).
    public var manifestKey: String { definition.isSingleton ? rawValue : rawValue + "s" }

    /// The kind's definition: its schema and everything else sinchform knows about it.
    public var definition: ResourceDefinition { ResourceDefinition.definition(for: self) }

    /// The order kinds are processed in (the order of ``ResourceDefinition/all``): what others depend on comes first.
    public var rank: Int { Self.ranks[self] ?? 0 }

    private static let ranks: [ResourceKind: Int] = Dictionary(
        uniqueKeysWithValues: allCases.enumerated().map { ($0.element, $0.offset) })

    public static func < (lhs: ResourceKind, rhs: ResourceKind) -> Bool { lhs.rank < rhs.rank }

    public init?(manifestKey: String) {
        guard let kind = ResourceKind.allCases.first(where: { $0.manifestKey == manifestKey }) else { return nil }
        self = kind
    }
}
