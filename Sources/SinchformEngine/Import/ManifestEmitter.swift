import ProvisioningAPI
import SinchformManifest
import Yams

/// Writes JSON values as manifest YAML with Yams: keys in the order the schema declares them (a oneOf's
/// discriminator first), lists of scalars in flow style, and strings quoted whenever YAML would otherwise read
/// them as something else (`"001"`, `"48"`, `"true"`, `"null"`).
struct ManifestEmitter {
    /// One resource, `name:` followed by its spec, as a YAML block (no trailing comments).
    func resource(name: String, spec: JSONValue, schema: SchemaType) throws -> String {
        let node = Node.mapping(Node.Mapping([(scalar(name), self.node(spec, schema: schema))]))
        return try Yams.serialize(node: node, width: -1, allowUnicode: true)
    }

    func node(_ value: JSONValue, schema: SchemaType?) -> Node {
        switch value {
        case .null: return Node.scalar(Node.Scalar("null"))
        case let .bool(flag): return Node.scalar(Node.Scalar(flag ? "true" : "false"))
        case let .number(number):
            let text =
                number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
            return Node.scalar(Node.Scalar(text))
        // Live text is data: a `${` in it is written `$${`, so the next plan does not interpolate it.
        case let .string(text): return scalar(Interpolation.escape(text))
        case let .array(items):
            let itemSchema: SchemaType?
            if case let .array(items, _)? = schema { itemSchema = items } else { itemSchema = nil }
            let scalarsOnly = items.allSatisfy { item in
                switch item {
                case .array, .object: return false
                default: return true
                }
            }
            return Node.sequence(
                Node.Sequence(items.map { node($0, schema: itemSchema) }, .implicit, scalarsOnly ? .flow : .block))
        case let .object(members):
            var pairs: [(Node, Node)] = []
            for (key, childSchema) in ordered(members, schema: schema) {
                guard let member = members[key] else { continue }
                pairs.append((scalar(key), node(member, schema: childSchema)))
            }
            return Node.mapping(Node.Mapping(pairs, .implicit, .block))
        }
    }

    /// The keys of an object with the schema of each, in the schema's order; keys the schema does not name
    /// (free-form values) follow in alphabetical order.
    private func ordered(_ members: JSONObject, schema: SchemaType?) -> [(String, SchemaType?)] {
        var fields: [Field] = []
        var leading: [String] = []
        var mapValues: SchemaType?
        switch schema {
        case let .object(object)?:
            fields = object.fields
        case let .oneOf(discriminator, variants)?:
            leading = [discriminator]
            let tag = members[discriminator]?.stringValue
            fields = variants.first { $0.value == tag }?.schema.fields ?? []
        case let .map(_, values)?:
            mapValues = values
        default:
            break
        }
        var result: [(String, SchemaType?)] = leading.filter { members[$0] != nil }.map { ($0, nil) }
        var seen = Set(leading)
        for field in fields where members[field.name] != nil && seen.insert(field.name).inserted {
            result.append((field.name, field.type))
        }
        for key in members.keys where seen.insert(key).inserted {
            result.append((key, mapValues ?? (schema.map { _ in SchemaType.any })))
        }
        return result
    }

    /// A string scalar, double-quoted when the plain form would resolve to another type.
    func scalar(_ text: String) -> Node {
        let plain = Node.Scalar(text)
        let resolved = Resolver.default.resolveTag(of: Node.scalar(plain))
        if resolved == .str { return Node.scalar(plain) }
        return Node.scalar(Node.Scalar(text, Tag(.str), .doubleQuoted))
    }
}
