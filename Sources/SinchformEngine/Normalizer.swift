import JSONSyntax
import ProvisioningAPI
import SinchformManifest

/// Brings desired and live values to one comparable form, driven by the schema definitions: only fields the
/// schema knows survive (server-computed fields, ids, states and timestamps drop out), API defaults are filled
/// in, arrays the API treats as sets are sorted, and write-only fields are removed (they are compared through
/// the lock file's fingerprints instead).
struct Normalizer: Sendable {
    init() {}

    func normalize(_ value: JSONValue, as type: SchemaType) -> JSONValue? {
        switch type {
        case .string, .enumeration, .any:
            return value.isNull ? nil : value
        case .number:
            if case let .string(text) = value, let number = Double(text) { return .number(number) }
            return value.isNull ? nil : value
        case .boolean:
            return value.isNull ? nil : value
        case let .array(items, rules):
            guard case let .array(elements) = value else { return value.isNull ? nil : value }
            var normalized = elements.compactMap { normalize($0, as: items) }
            if rules.isSet, normalized.count > 1 {
                // Each element encoded once, not once per comparison.
                normalized = Array(Set(normalized)).map { (key: $0.serialized(), value: $0) }
                    .sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.value)
            }
            return .array(normalized)
        case let .object(object):
            guard case let .object(members) = value else { return value.isNull ? nil : value }
            return .object(normalizeFields(members, object))
        case let .map(_, values):
            guard case let .object(members) = value else { return value.isNull ? nil : value }
            return .object(members.compactMapValues { normalize($0, as: values) })
        case let .oneOf(discriminator, variants):
            guard case let .object(members) = value, let tag = members[discriminator]?.stringValue,
                let variant = variants.first(where: { $0.value == tag })
            else { return value.isNull ? nil : value }
            var result = normalizeFields(members, variant.schema)
            result[discriminator] = .string(tag)
            return .object(result)
        }
    }

    /// Walks the members a value has, not every field the schema knows: a schema has many optional fields and a
    /// value few, and finding a field by name in a short list is cheaper than hashing each name to look it up.
    private func normalizeFields(_ members: [String: JSONValue], _ object: ObjectSchema) -> [String: JSONValue] {
        var result = [String: JSONValue](minimumCapacity: members.count)
        for (name, value) in members {
            guard let field = object.fields.first(where: { $0.name == name }), !field.traits.contains(.writeOnly),
                let normalized = normalize(value, as: field.type)
            else { continue }
            result[name] = normalized
        }
        for field in object.fields {
            guard let defaultValue = field.defaultValue, !field.traits.contains(.writeOnly), result[field.name] == nil
            else { continue }
            result[field.name] = normalize(defaultValue.json, as: field.type)
        }
        return result
    }

    /// Whether `restrict(live, to: desired) == desired`, without making the restricted copy.
    func matches(_ live: JSONValue, _ desired: JSONValue) -> Bool {
        guard case let .object(liveMembers) = live, case let .object(desiredMembers) = desired else {
            return live == desired
        }
        for (key, desiredValue) in desiredMembers {
            guard let liveValue = liveMembers[key], matches(liveValue, desiredValue) else { return false }
        }
        return true
    }

    /// Keeps only the parts of `live` that `desired` declares (at object level, recursively): fields the
    /// manifest leaves out are the API's business and never show as changes.
    func restrict(_ live: JSONValue, to desired: JSONValue) -> JSONValue {
        guard case let .object(liveMembers) = live, case let .object(desiredMembers) = desired else { return live }
        var result = [String: JSONValue](minimumCapacity: desiredMembers.count)
        for (key, desiredValue) in desiredMembers {
            if let liveValue = liveMembers[key] { result[key] = restrict(liveValue, to: desiredValue) }
        }
        return .object(result)
    }
}

extension JSONValue {
    /// A copy with `overlay`'s members merged in, recursively for nested objects.
    func merging(_ overlay: JSONValue) -> JSONValue {
        guard case var .object(base) = self, case let .object(top) = overlay else { return overlay }
        for (key, value) in top {
            base[key] = base[key].map { $0.merging(value) } ?? value
        }
        return .object(base)
    }

    /// Leaf paths of nested objects (arrays count as leaves), e.g. `details.name`.
    func leafPaths(prefix: String = "") -> [String] {
        guard case let .object(members) = self, !members.isEmpty else { return prefix.isEmpty ? [] : [prefix] }
        return members.keys.sorted().flatMap { key in
            members[key, default: .null].leafPaths(prefix: prefix.isEmpty ? key : prefix + "." + key)
        }
    }
}
