import JSONSyntax

/// A validated manifest value: JSON-shaped, typed by its schema, and still carrying where it was written.
public struct ManifestValue: Sendable, Hashable {
    public indirect enum Kind: Sendable, Hashable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([ManifestValue])
        case object(SortedMembers<ManifestValue>)
    }

    public var kind: Kind
    public var location: SourceLocation
    /// Made from a variable whose name says it is secret (DESIGN "Interpolation and variables"): masked wherever it
    /// is shown, whatever the field.
    public var sensitive = false

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// The value as JSON, without source locations.
    public var json: JSONValue { kind.json }

    public var string: String? {
        if case let .string(value) = kind { return value }
        return nil
    }

    public var bool: Bool? {
        if case let .bool(value) = kind { return value }
        return nil
    }

    public var number: Double? {
        if case let .number(value) = kind { return value }
        return nil
    }

    public var array: [ManifestValue]? {
        if case let .array(value) = kind { return value }
        return nil
    }

    public var object: SortedMembers<ManifestValue>? {
        if case let .object(value) = kind { return value }
        return nil
    }

    public subscript(key: String) -> ManifestValue? {
        object?[key]
    }

    /// The text of the member `key`: `self[key]?.string` without copying the member.
    public func string(_ key: String) -> String? {
        guard case let .object(members) = kind else { return nil }
        return members.withValue(forKey: key) { $0.string }
    }

    /// The paths of the sensitive leaves below this value.
    public var sensitivePaths: [ValuePath] {
        var paths: [ValuePath] = []
        collectSensitive(into: &paths, prefix: ValuePath())
        return paths
    }

    private func collectSensitive(into paths: inout [ValuePath], prefix: ValuePath) {
        if sensitive { paths.append(prefix) }
        switch kind {
        case let .array(items):
            for (index, item) in items.enumerated() {
                item.collectSensitive(into: &paths, prefix: prefix + .index(index))
            }
        case let .object(members):
            for (key, member) in members { member.collectSensitive(into: &paths, prefix: prefix + .key(key)) }
        case .null, .bool, .number, .string:
            break
        }
    }

    /// The value at a dotted path of object keys, or nil.
    public func value(at path: [String]) -> ManifestValue? {
        var current = self
        for key in path {
            guard let next = current[key] else { return nil }
            current = next
        }
        return current
    }
}

extension ManifestValue.Kind {
    /// The value as JSON.
    public var json: JSONValue {
        switch self {
        case .null: return .null
        case let .bool(value): return .bool(value)
        case let .number(value): return .number(value)
        case let .string(value): return .string(value)
        case let .array(values): return .array(values.map(\.json))
        case let .object(values): return .object(values.mapValues(\.json))
        }
    }
}
