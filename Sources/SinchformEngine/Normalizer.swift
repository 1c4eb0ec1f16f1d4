import JSONSyntax
import ProvisioningAPI
import SinchformManifest

/// Brings desired and live values to one comparable form, driven by the schema definitions: only fields the
/// schema knows survive (server-computed fields, ids, states and timestamps drop out), API defaults are filled
/// in, arrays the API treats as sets are sorted, and write-only fields are removed (they are compared through
/// the lock file's fingerprints instead).
struct Normalizer: Sendable {
    init() {}

    /// `value` in the comparable form of `type`. A null stays a null: the API's null is a value like any other.
    func normalize(_ value: JSONValue, as type: SchemaType) -> JSONValue {
        switch normalized(value, as: type) {
        case .same: value
        case let .changed(normalized): normalized
        }
    }

    /// What normalizing does to a value. Most values are already in the comparable form (the adapters pick the
    /// fields the schema knows, and the API fills in its defaults), so a value that needs no change is kept as it
    /// is, not rebuilt: the normalized copy shares the parsed one's storage.
    private enum Outcome {
        case same
        case changed(JSONValue)
    }

    private func normalized(_ value: JSONValue, as type: SchemaType) -> Outcome {
        switch type {
        case .string, .enumeration, .any, .boolean:
            return .same
        case .number:
            guard case let .string(text) = value, let number = Double(text) else { return .same }
            return .changed(.number(number))
        case let .array(items, rules):
            guard case let .array(elements) = value else { return .same }
            return normalizedElements(elements, items, isSet: rules.isSet).map { .changed(.array($0)) } ?? .same
        case let .object(object):
            guard case let .object(members) = value else { return .same }
            return normalizedFields(members, object).map { .changed(.object($0)) } ?? .same
        case let .map(_, values):
            guard case let .object(members) = value else { return .same }
            return rebuilt(members) { _, member in normalized(member, as: values) }.map { .changed(.object($0)) }
                ?? .same
        case let .oneOf(discriminator, variants):
            // In place (docs/CONTRIBUTING.md, "Large values in loops over every resource").
            guard case let .object(members) = value, let tag = members[discriminator]?.stringValue,
                let variant = variants.firstIndex(where: { $0.value == tag })
            else { return .same }
            // The discriminator stays, whether or not the variant's schema lists it.
            return normalizedFields(members, variants[variant].schema, keeping: discriminator).map {
                .changed(.object($0))
            } ?? .same
        }
    }

    /// The normalized elements, or nil when they are already normalized: each element unchanged and, for a set, in
    /// the order of their encodings without repeats.
    private func normalizedElements(_ elements: [JSONValue], _ items: SchemaType, isSet: Bool) -> [JSONValue]? {
        var result: [JSONValue]?
        for index in elements.indices {
            let outcome = normalized(elements[index], as: items)
            if result == nil {
                if case .same = outcome { continue }
                result = Array(elements[..<index], capacity: elements.count)
            }
            switch outcome {
            case .same: result?.append(elements[index])
            case let .changed(element): result?.append(element)
            }
        }
        guard isSet else { return result }
        let set = result ?? elements
        guard set.count > 1 else { return result }
        // Each element encoded once, not once per comparison.
        let encoded = set.map { (key: $0.serialized(), value: $0) }
        if result == nil, zip(encoded, encoded.dropFirst()).allSatisfy({ $0.key.lexicographicallyPrecedes($1.key) }) {
            return nil
        }
        var seen = Set<JSONValue>()
        return encoded.filter { seen.insert($0.value).inserted }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
            .map(\.value)
    }

    /// The members the schema knows (write-only ones left out), normalized, with the schema's defaults filled in; nil
    /// when that is `members` as they are. The members are in name order, and so are the fields by
    /// ``ObjectSchema/positionsByName``: each member's field is found by walking on from the last one, not by a
    /// search through the fields for every member. Fields are read in place, by index: a `Field` copied out of the
    /// array is four retains and four releases, for every field of every object.
    private func normalizedFields(
        _ members: JSONObject, _ object: ObjectSchema, keeping kept: String? = nil
    ) -> JSONObject? {
        let fields = object.fields
        let byName = object.positionsByName
        var next = 0
        var defaultsPresent = 0
        var result = rebuilt(members) { name, value in
            if name == kept { return .same }
            while next < byName.count, fields[byName[next]].name < name { next += 1 }
            guard next < byName.count, case let index = byName[next], fields[index].name == name,
                !fields[index].traits.contains(.writeOnly)
            else { return nil }
            if fields[index].hasDefault { defaultsPresent += 1 }
            return normalized(value, as: fields[index].type)
        }
        var defaults = 0
        for index in fields.indices where fields[index].hasDefault { defaults += 1 }
        // Values the API sent have every default already: no field looked up by name again.
        guard defaultsPresent < defaults else { return result }
        for index in fields.indices where fields[index].hasDefault {
            let name = fields[index].name
            guard (result ?? members)[name] == nil, let defaultValue = fields[index].defaultValue else { continue }
            if result == nil { result = members }
            result?[name] = normalize(defaultValue.json, as: fields[index].type)
        }
        return result
    }

    /// `members` with each member's outcome applied (nil: the member is left out), or nil when every outcome is
    /// `same`. Nothing is copied before the first member that changes.
    private func rebuilt(
        _ members: JSONObject, _ outcome: (String, JSONValue) -> Outcome?
    ) -> JSONObject? {
        // Members are read in key order and kept in it, so the result is appended to, never searched.
        var result: [JSONObject.Element]?
        var index = members.startIndex
        while index != members.endIndex {
            defer { members.formIndex(after: &index) }
            let (name, value) = members[index]
            let memberOutcome = outcome(name, value)
            if result == nil {
                if case .same? = memberOutcome { continue }
                result = [JSONObject.Element](members[..<index], capacity: members.count)
            }
            switch memberOutcome {
            case .same?: result?.append((name, value))
            case let .changed(normalized)?: result?.append((name, normalized))
            case nil: break
            }
        }
        return result.map(JSONObject.init(sortedMembers:))
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
        var result = JSONObject()
        result.reserveCapacity(desiredMembers.count)
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
        return members.flatMap { key, value in value.leafPaths(prefix: prefix.isEmpty ? key : prefix + "." + key) }
    }
}

extension Array {
    /// `prefix`'s elements with room for `capacity` in all: the start of a normalized copy, appended to next. Made at
    /// its final size once; grown by appending, a changed list was copied two or three times.
    fileprivate init(_ prefix: some Sequence<Element>, capacity: Int) {
        self.init()
        reserveCapacity(capacity)
        append(contentsOf: prefix)
    }
}

extension Field {
    /// A default the normalizer fills in: write-only fields are compared through the lock file instead.
    fileprivate var hasDefault: Bool { defaultValue != nil && !traits.contains(.writeOnly) }
}
