/// The six kinds of resource a manifest can declare.
public enum ResourceKind: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case webhook
    case whatsappTemplate
    case whatsappSender
    case kakaotalkSender
    case kakaotalkTemplate
    case rcsSender

    /// The top-level manifest key that holds resources of this kind.
    public var manifestKey: String { rawValue + "s" }

    /// The order kinds are processed in: what others depend on comes first.
    public var rank: Int {
        switch self {
        case .webhook: return 0
        case .kakaotalkSender: return 1
        case .kakaotalkTemplate: return 2
        case .whatsappSender: return 3
        case .whatsappTemplate: return 4
        case .rcsSender: return 5
        }
    }

    public static func < (lhs: ResourceKind, rhs: ResourceKind) -> Bool { lhs.rank < rhs.rank }

    public init?(manifestKey: String) {
        guard let kind = ResourceKind.allCases.first(where: { $0.manifestKey == manifestKey }) else { return nil }
        self = kind
    }
}
