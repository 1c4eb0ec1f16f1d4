/// A YAML value as written, before it is checked against a schema: scalars keep their source text,
/// mappings keep their key order, and every node keeps its location.
struct YAMLNode: Sendable {
    enum Kind: Sendable {
        /// `plain` is false for quoted and block scalars, whose text is always a string.
        case scalar(String, plain: Bool)
        case mapping([(key: YAMLNode, value: YAMLNode)])
        case sequence([YAMLNode])
    }

    var kind: Kind
    var location: SourceLocation

    var scalarText: String? {
        if case let .scalar(text, _) = kind { return text }
        return nil
    }

    /// A plain scalar that YAML reads as null (`~`, `null`, or nothing at all).
    var isNull: Bool {
        if case let .scalar(text, plain) = kind, plain {
            return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
        }
        return false
    }

    /// What a user would call this node in an error message ("a string", "a mapping").
    var kindDescription: String {
        switch kind {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case let .scalar(text, plain):
            if isNull { return "null" }
            if plain, YAMLNode.boolValue(text) != nil { return "a boolean" }
            if plain, Double(text) != nil { return "a number" }
            return "a string"
        }
    }

    static func boolValue(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }
}
