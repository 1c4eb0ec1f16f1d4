import ProvisioningAPI
import SinchformManifest

extension ResourceDefinition {
    /// A resource spec's write-only values with their fields, by dotted path, in schema order: each looked up at
    /// its path (``writeOnlyFields``); none for a kind that has no write-only field.
    func writeOnlyValues(in spec: JSONValue) -> [(path: String, field: Field, value: JSONValue)] {
        writeOnlyFields.compactMap { path, dotted, field in spec.at(path).map { (dotted, field, $0) } }
    }

    /// A resource spec as it may be shown (``ObjectSchema/masked(_:)``): the spec itself, without a walk, for a kind
    /// that has no sensitive field.
    func masked(_ spec: JSONValue) -> JSONValue {
        hasSensitiveFields ? resourceSpec.masked(spec) : spec
    }
}

/// How the planner shows a kind's values.
extension ObjectSchema {
    /// `value` with write-only leaves shown as they may be shown: sensitive ones masked.
    func masked(_ value: JSONValue) -> JSONValue {
        maskedIfSensitive(value) ?? value
    }

    /// The value with its sensitive fields masked, or nil when it has none: an unmasked value stays one tree shared
    /// with the manifests, not a copy.
    private func maskedIfSensitive(_ value: JSONValue) -> JSONValue? {
        guard case var .object(members) = value else { return nil }
        var changed = false
        for field in fields {
            guard let member = members[field.name] else { continue }
            if field.traits.contains(.sensitive) {
                members[field.name] = Plan.sensitiveMarker
                changed = true
            } else if case let .object(inner) = field.type, let masked = inner.maskedIfSensitive(member) {
                members[field.name] = masked
                changed = true
            }
        }
        return changed ? .object(members) : nil
    }
}

extension JSONValue {
    /// Whether `leaf` is this value or any value inside it.
    func contains(_ leaf: JSONValue) -> Bool {
        if self == leaf { return true }
        switch self {
        case let .array(items): return items.contains { $0.contains(leaf) }
        case let .object(members): return members.values.contains { $0.contains(leaf) }
        default: return false
        }
    }
}

extension Change {
    /// The change with the leaves at `paths` masked in `before`, `after` and every field change: values made from a
    /// secret-named variable, which may land in any field (DESIGN "Interpolation and variables").
    func masking(_ paths: [ValuePath]) -> Change {
        guard !paths.isEmpty else { return self }
        var change = self
        change.before = before?.replacing(paths, with: Plan.sensitiveMarker)
        change.after = after?.replacing(paths, with: Plan.sensitiveMarker)
        change.fields = fields.map { field in
            let fieldPath = ValuePath(dotted: field.path)
            if paths.contains(where: { fieldPath.dropping(prefix: $0) != nil }) {
                return FieldChange(
                    path: field.path, before: field.before, after: field.after, sensitive: true, note: field.note)
            }
            let inner = paths.compactMap { $0.dropping(prefix: fieldPath) }
            guard !inner.isEmpty else { return field }
            var masked = field
            masked.before = field.before?.replacing(inner, with: Plan.sensitiveMarker)
            masked.after = field.after?.replacing(inner, with: Plan.sensitiveMarker)
            return masked
        }
        return change
    }
}
