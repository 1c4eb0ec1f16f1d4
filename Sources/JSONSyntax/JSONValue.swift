import Foundation

/// A JSON document of any shape, as the Provisioning API sends and receives it.
///
/// Resources are kept as plain JSON so the engine can diff any field the API has, including fields this client does
/// not know yet. Integral numbers encode without a fraction (`5`, not `5.0`) and objects encode with sorted keys, so
/// the same value always serialises to the same bytes.
public enum JSONValue: Sendable, Hashable, Codable {
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// Any JSON number.
    case number(Double)
    /// A JSON string.
    case string(String)
    /// A JSON array.
    case array([JSONValue])
    /// A JSON object.
    case object(JSONObject)

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode(JSONObject.self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Not a JSON value.")
        }
    }

    /// Encodes the value; integral numbers are written without a fraction.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if let integer = Self.exactInteger(value) {
                try container.encode(integer)
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The value as an `Int64` when it is a whole number that a double holds exactly; `nil` otherwise.
    static func exactInteger(_ value: Double) -> Int64? {
        guard value.isFinite, value.rounded(.towardZero) == value, abs(value) <= 9_007_199_254_740_992 else {
            return nil
        }
        return Int64(value)
    }
}

// MARK: - Serialisation

extension JSONValue: JSONTree {
    /// The value a ``JSONNode`` of values describes (``JSONTree``).
    public init(node: JSONNode<JSONValue>) {
        switch node {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .number(let value): self = .number(value)
        case .string(let value): self = .string(value)
        case .array(let value): self = .array(value)
        case .object(let members): self = .object(JSONObject(sortedMembers: members))
        }
    }

    /// The value one level deep (``JSONTree``).
    public var node: JSONNode<JSONValue> {
        switch self {
        case .null: .null
        case .bool(let value): .bool(value)
        case .number(let value): .number(value)
        case .string(let value): .string(value)
        case .array(let value): .array(value)
        case .object(let value): .object(value.members)
        }
    }

    /// Parses JSON bytes (a strict parser straight from the bytes, not `JSONDecoder`: list pages are large), building
    /// the parts `projection` names (the rest is checked, not built).
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the bytes are not exactly one JSON value.
    public init(bytes: [UInt8], keeping projection: JSONProjection = .all) throws {
        guard let value = JSONValue.parse(bytes, keeping: projection) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "The data is not valid JSON."))
        }
        self = value
    }

    /// Parses JSON bytes (see ``init(bytes:)``).
    public init(data: Data) throws {
        try self.init(bytes: Array(data))
    }

    /// Parses a JSON string (see ``init(bytes:)``).
    public init(json: String) throws {
        try self.init(bytes: Array(json.utf8))
    }

    /// The compact, deterministic JSON text of the value (``serialized()``): sorted keys, no escaped slashes,
    /// integral numbers without a fraction.
    public var jsonString: String { serializedString() }
}

// MARK: - Convenience accessors

extension JSONValue {
    /// The string, when this is a `.string`.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number, when this is a `.number`.
    public var doubleValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The number as an integer, when this is a `.number` holding a whole value.
    public var intValue: Int? {
        guard case .number(let value) = self, let integer = Self.exactInteger(value) else { return nil }
        return Int(exactly: integer)
    }

    /// The Boolean, when this is a `.bool`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements, when this is an `.array`.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members, when this is an `.object`.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// Whether this is `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The member named `key` of an object; `nil` for a missing key or a value that is not an object.
    ///
    /// Setting a member on a value that is not an object does nothing.
    public subscript(key: String) -> JSONValue? {
        get { objectValue?[key] }
        set {
            guard case .object(var members) = self else { return }
            members[key] = newValue
            self = .object(members)
        }
    }

    /// The element at `index` of an array; `nil` when out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The value at a path of object keys (`["details", "name"]`).
    public func at(_ path: [String]) -> JSONValue? {
        var current: JSONValue? = self
        for key in path { current = current?[key] }
        return current
    }

    /// The value at a dotted path such as `details.components`; array indices are numbers (`buttons.0`).
    public func value(atPath path: String) -> JSONValue? {
        var current: JSONValue? = self
        for component in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard let value = current else { return nil }
            if let index = Int(component), case .array = value {
                current = value[index]
            } else {
                current = value[String(component)]
            }
        }
        return current
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// `nil` is JSON `null`.
    public init(nilLiteral: ()) { self = .null }
    /// A Boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An integer literal.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// A floating-point literal.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An array literal.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// A dictionary literal; a repeated key keeps the last value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension JSONValue: CustomStringConvertible {
    /// The deterministic JSON text.
    public var description: String { jsonString }
}
