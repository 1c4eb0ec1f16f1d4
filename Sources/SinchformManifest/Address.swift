/// A resource's address: `webhook.NAME`, `whatsappTemplate.NAME[LANG]`, `kakaotalkSender.NAME`, …, or the kind alone
/// for a kind with one resource per project and no name (`whatsappAccount`, whose name is empty). Used in plans,
/// errors, `--target` and the lock file, where it is written as that same text.
public struct Address: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let kind: ResourceKind
    public let name: String
    /// The language of a WhatsApp template's resource.
    public let language: String?
    /// The text form, made once: addresses are compared and hashed by it (a plan of 10,000 sorts by address).
    public let description: String

    public init(kind: ResourceKind, name: String, language: String? = nil) {
        self.kind = kind
        self.name = name
        self.language = language
        var description = kind.rawValue
        if !name.isEmpty || language != nil {
            // Into one buffer of the final size: `+` made a string for each part (one address per resource loaded).
            description.reserveCapacity(
                description.utf8.count + 1 + name.utf8.count + (language.map { $0.utf8.count + 2 } ?? 0))
            description += "."
            description += name
            if let language {
                description += "["
                description += language
                description += "]"
            }
        }
        self.description = description
    }

    /// Parses `KIND.NAME`, `KIND.NAME[LANG]`, or `KIND` for a kind without names.
    ///
    /// Read by UTF-8 bytes (the separators are ASCII), not by Characters: a lock file of 10,000 entries parses
    /// 10,000 addresses. The text is the description: it is the same text an address of these parts writes.
    public init(parsing text: String) throws(AddressError) {
        let utf8 = text.utf8
        guard let dot = utf8.firstIndex(of: UInt8(ascii: ".")) else {
            guard let kind = ResourceKind(rawValue: text), kind.isSingleton else {
                throw AddressError(text: text, problem: .noKind)
            }
            self.init(kind: kind, name: "")
            return
        }
        guard let kind = ResourceKind(rawValue: String(text[..<dot])) else {
            throw AddressError(text: text, problem: .unknownKind(String(text[..<dot])))
        }
        guard !kind.isSingleton else { throw AddressError(text: text, problem: .nameNotAllowed(kind)) }
        var name = text[utf8.index(after: dot)...]
        var language: String?
        if name.utf8.last == UInt8(ascii: "]"), let open = name.utf8.lastIndex(of: UInt8(ascii: "[")) {
            language = String(name[name.utf8.index(after: open)..<name.utf8.index(before: name.endIndex)])
            name = name[..<open]
        }
        guard !name.isEmpty, language?.isEmpty != true else { throw AddressError(text: text, problem: .noName) }
        self.init(kind: kind, name: String(name), language: language, description: text)
    }

    private init(kind: ResourceKind, name: String, language: String?, description: String) {
        self.kind = kind
        self.name = name
        self.language = language
        self.description = description
    }

    /// This address without its language: `whatsappTemplate.NAME[LANG]` → `whatsappTemplate.NAME`.
    public var withoutLanguage: Address { Address(kind: kind, name: name) }

    /// Whether `pattern` selects this address: the same address, or (without a language) every language of it.
    public func isSelected(by pattern: Address) -> Bool {
        self == pattern || (pattern.language == nil && withoutLanguage == pattern)
    }

    /// The known addresses closest to a text that matched none (a typo in `--target`), nearest first, at most
    /// `limit`; those of the same kind and name come first for a wrong language.
    public static func closest(to text: String, in known: [Address], limit: Int = 3) -> [Address] {
        let lowered = text.lowercased()
        let ranked = known.map { ($0, Suggestion.editDistance(lowered, $0.description.lowercased())) }
            .filter { $0.1 <= max(2, $0.0.description.count / 3) || $0.0.withoutLanguage.description == text }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        return Array(ranked.prefix(limit).map(\.0))
    }

    public static func == (lhs: Address, rhs: Address) -> Bool { lhs.description == rhs.description }
    public func hash(into hasher: inout Hasher) { hasher.combine(description) }
    public static func < (lhs: Address, rhs: Address) -> Bool { lhs.description < rhs.description }
}

extension Address: Codable, CodingKeyRepresentable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Address(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var codingKey: any CodingKey { AddressKey(stringValue: description) }

    public init?<T: CodingKey>(codingKey: T) {
        guard let address = try? Address(parsing: codingKey.stringValue) else { return nil }
        self = address
    }

    private struct AddressKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

extension Address: ExpressibleByStringLiteral {
    /// A literal address (tests, fixed examples). One that does not parse keeps its text as its name, so that it
    /// still prints and compares as written.
    public init(stringLiteral text: String) {
        if let address = try? Address(parsing: text) {
            self = address
        } else {
            kind = .webhook
            name = text
            language = nil
            description = text
        }
    }
}

/// Why a text is not an address.
public struct AddressError: Error, Sendable, CustomStringConvertible {
    public enum Problem: Sendable {
        case noKind
        case unknownKind(String)
        case noName
        /// A name given to a kind that has none (`whatsappAccount.x`).
        case nameNotAllowed(ResourceKind)
    }

    public var text: String
    public var problem: Problem

    public var description: String {
        let kinds = ResourceKind.allCases.map(\.rawValue).joined(separator: ", ")
        switch problem {
        case .noKind:
            return "'\(text)' is not an address: expected KIND.NAME or whatsappTemplate.NAME[LANG] (kinds: \(kinds))"
        case let .unknownKind(kind):
            return "'\(text)' is not an address: unknown kind '\(kind)' (kinds: \(kinds))"
        case .noName:
            return "'\(text)' is not an address: the name (or the language in brackets) is empty"
        case let .nameNotAllowed(kind):
            return
                "'\(text)' is not an address: a project has one \(kind.rawValue), addressed '\(kind.rawValue)' without a name"
        }
    }
}
