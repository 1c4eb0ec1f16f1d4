import ProvisioningAPI

/// How the server identifies a resource; stored in the lock file and plans. Never empty: a live item or a lock
/// entry without one is refused where it is read.
public enum RemoteIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A server id: webhooks, WhatsApp and RCS senders.
    case id(String)
    /// A KakaoTalk sender.
    case plusFriendId(String)
    /// A KakaoTalk template: its code, under its sender.
    case code(String, plusFriendId: String)
    /// A WhatsApp template: its name and language.
    case name(String, language: String)

    /// The identity of an encoded form (`{"id": …}`, `{"plusFriendId": …}`, `{"id": …, "plusFriendId": …}`,
    /// `{"name": …, "language": …}`), or nil when it is none of those or a part is empty.
    public init?(json: JSONValue) {
        func text(_ key: String) -> String? {
            guard let value = json[key]?.stringValue, !value.isEmpty else { return nil }
            return value
        }
        switch (text("id"), text("plusFriendId"), text("name"), text("language")) {
        case let (id?, nil, nil, nil): self = .id(id)
        case let (nil, plusFriendId?, nil, nil): self = .plusFriendId(plusFriendId)
        case let (code?, plusFriendId?, nil, nil): self = .code(code, plusFriendId: plusFriendId)
        case let (nil, nil, name?, language?): self = .name(name, language: language)
        default: return nil
        }
    }

    /// The encoded form, the same as earlier lock files and plans hold.
    public var json: JSONValue {
        switch self {
        case let .id(id): return ["id": .string(id)]
        case let .plusFriendId(plusFriendId): return ["plusFriendId": .string(plusFriendId)]
        case let .code(code, plusFriendId): return ["id": .string(code), "plusFriendId": .string(plusFriendId)]
        case let .name(name, language): return ["name": .string(name), "language": .string(language)]
        }
    }

    /// The server id or template code.
    public var id: String? {
        switch self {
        case let .id(id), let .code(id, _): return id
        case .plusFriendId, .name: return nil
        }
    }

    /// The KakaoTalk sender: the resource's own, or the one a template belongs to.
    public var plusFriendId: String? {
        switch self {
        case let .plusFriendId(plusFriendId), let .code(_, plusFriendId): return plusFriendId
        case .id, .name: return nil
        }
    }

    /// The key of the parent resource this one is listed under (a KakaoTalk template's sender).
    public var parentKey: String? {
        if case let .code(_, plusFriendId) = self { return plusFriendId }
        return nil
    }

    public var name: String? {
        if case let .name(name, _) = self { return name }
        return nil
    }

    public var language: String? {
        if case let .name(_, language) = self { return language }
        return nil
    }

    public var description: String {
        switch self {
        case let .id(id): return "id \(id)"
        case let .plusFriendId(plusFriendId): return plusFriendId
        case let .code(code, plusFriendId): return "id \(code) \(plusFriendId)"
        case let .name(name, language): return "\(name) \(language)"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let fields = try container.decode([String: String].self)
        guard let identity = RemoteIdentity(json: .object(JSONObject(fields.mapValues(JSONValue.string)))) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a remote identity is empty or of an unknown shape")
        }
        self = identity
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(json.objectValue?.compactMapValues(\.stringValue) ?? [:])
    }
}
