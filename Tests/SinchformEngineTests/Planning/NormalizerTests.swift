import JSONSyntax
import SinchformManifest
import SinchformTestSupport
import Testing

@testable import SinchformEngine

/// The normalizer keeps a value that needs no change as it is and rebuilds only what changes: it must answer exactly
/// as a normalizer that rebuilds every value does.
@Suite struct NormalizerTests {
    /// Values made from every kind's schema, most of them already normalized, some with what normalizing changes
    /// (unknown and write-only members, nulls, numbers as strings, sets out of order or repeated, missing
    /// defaults), normalize as the rebuilding reference does.
    @Test func answersAsRebuildingEveryValueDoes() {
        var generator = SplitMix64(state: 20)
        var changed = 0
        var same = 0
        for round in 0..<400 {
            for definition in ResourceDefinition.all {
                var values = ValueMaker(generator: generator, damage: round % 4 == 0 ? 0 : 0.08)
                let value = values.make(definition.resourceType, depth: 0)
                generator = values.generator
                let expected = RebuildingNormalizer().normalize(value, as: definition.resourceType)
                let normalized = Normalizer().normalize(value, as: definition.resourceType)
                #expect(normalized == expected, "\(definition.kind) round \(round): \(value)")
                if normalized == value { same += 1 } else { changed += 1 }
            }
        }
        // Both paths are taken many times: values that come back as they are, and values that change.
        #expect(same > 200 && changed > 200, "same \(same), changed \(changed)")
    }

    @Test func changesWhatTheSchemaSays() {
        let schema = SchemaType.object(
            ObjectSchema([
                Field("name", .string(StringRules()), ""),
                Field("count", .number(NumberRules()), default: .number(1), ""),
                Field("secret", .string(StringRules()), traits: .writeOnly, ""),
                Field("tags", .array(.string(StringRules()), ArrayRules(isSet: true)), ""),
                Field("labels", .map(keys: StringRules(), values: .number(NumberRules())), ""),
                Field(
                    "part",
                    .oneOf(
                        discriminator: "type",
                        variants: [(value: "A", schema: ObjectSchema([Field("text", .string(StringRules()), "")]))]),
                    ""),
            ]))
        let cases: [(JSONValue, JSONValue)] = [
            (["name": "n", "count": 2], ["name": "n", "count": 2]),
            (["name": "n"], ["name": "n", "count": 1]),
            (["name": "n", "count": "3", "id": "server", "secret": "s"], ["name": "n", "count": 3]),
            // A null is a value: kept as it is.
            (["count": 2, "name": nil], ["count": 2, "name": nil]),
            (["count": 2, "tags": ["b", "a", "b"]], ["count": 2, "tags": ["a", "b"]]),
            (["count": 2, "tags": ["a", "b"]], ["count": 2, "tags": ["a", "b"]]),
            (["count": 2, "labels": ["x": "4", "y": nil]], ["count": 2, "labels": ["x": 4, "y": nil]]),
            (
                ["count": 2, "part": ["type": "A", "text": "t", "extra": 1]],
                ["count": 2, "part": ["type": "A", "text": "t"]]
            ),
            (["count": 2, "part": ["type": "A", "text": "t"]], ["count": 2, "part": ["type": "A", "text": "t"]]),
            ("not an object", "not an object"),
            (nil, nil),
            (["count": 2, "tags": [nil, "a"]], ["count": 2, "tags": ["a", nil]]),
        ]
        for (value, expected) in cases {
            #expect(Normalizer().normalize(value, as: schema) == expected, "\(value)")
            #expect(RebuildingNormalizer().normalize(value, as: schema) == expected, "reference: \(value)")
        }
    }
}

/// Values shaped by a schema; with probability `damage` a part gets what normalizing removes or changes.
private struct ValueMaker {
    var generator: SplitMix64
    let damage: Double

    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &generator) < probability }

    mutating func make(_ type: SchemaType, depth: Int) -> JSONValue {
        if chance(damage / 4) { return .null }
        switch type {
        case .string:
            let texts = ["a", "b", "c", "long text, past the inline size"]
            return .string(texts[Int.random(in: 0..<texts.count, using: &generator)])
        case .enumeration(let values): return .string(values.randomElement(using: &generator) ?? "")
        case .number:
            let number = Double(Int.random(in: 0...3, using: &generator))
            return chance(damage) ? .string(String(number)) : .number(number)
        case .boolean: return .bool(chance(0.5))
        case .any: return chance(0.5) ? ["free": 1] : "free"
        case let .array(items, rules):
            guard depth < 6 else { return [] }
            var elements = (0..<Int.random(in: 0...3, using: &generator)).map { _ in make(items, depth: depth + 1) }
            if rules.isSet, !chance(damage * 3) {
                elements = Array(Set(elements.filter { !$0.isNull })).sorted {
                    $0.serialized().lexicographicallyPrecedes($1.serialized())
                }
            }
            return .array(elements)
        case let .object(object):
            return .object(members(object, depth: depth))
        case let .map(_, values):
            guard depth < 6 else { return [:] }
            var members: JSONObject = [:]
            for key in ["EN", "DE", "KO"] where chance(0.5) { members[key] = make(values, depth: depth + 1) }
            return .object(members)
        case let .oneOf(discriminator, variants):
            guard let variant = variants.randomElement(using: &generator) else { return [:] }
            var members = members(variant.schema, depth: depth)
            members[discriminator] = .string(variant.value)
            return .object(members)
        }
    }

    mutating func members(_ object: ObjectSchema, depth: Int) -> JSONObject {
        var members: JSONObject = [:]
        guard depth < 6 else { return members }
        for field in object.fields {
            let writeOnly = field.traits.contains(.writeOnly)
            // Defaults are present unless damaged; write-only fields only as damage; others now and then.
            let present =
                writeOnly ? chance(damage) : field.defaultValue != nil ? !chance(damage) : chance(0.5)
            if present { members[field.name] = make(field.type, depth: depth + 1) }
        }
        if chance(damage) { members["serverField"] = "2026-12-01T00:00:00Z" }
        return members
    }
}

/// The normalizer as it was before it kept unchanged values: every object and array rebuilt. (It was written with
/// `value.isNull ? nil : value`, which Swift reads as a `JSONValue`, `nil` being the null literal: a null was kept.)
private struct RebuildingNormalizer {
    func normalize(_ value: JSONValue, as type: SchemaType) -> JSONValue {
        switch type {
        case .string, .enumeration, .any, .boolean:
            return value
        case .number:
            if case let .string(text) = value, let number = Double(text) { return .number(number) }
            return value
        case let .array(items, rules):
            guard case let .array(elements) = value else { return value }
            var normalized = elements.map { normalize($0, as: items) }
            if rules.isSet, normalized.count > 1 {
                normalized = Array(Set(normalized)).map { (key: $0.serialized(), value: $0) }
                    .sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.value)
            }
            return .array(normalized)
        case let .object(object):
            guard case let .object(members) = value else { return value }
            return .object(fields(members, object))
        case let .map(_, values):
            guard case let .object(members) = value else { return value }
            return .object(members.mapValues { normalize($0, as: values) })
        case let .oneOf(discriminator, variants):
            guard case let .object(members) = value, let tag = members[discriminator]?.stringValue,
                let variant = variants.first(where: { $0.value == tag })
            else { return value }
            var result = fields(members, variant.schema)
            result[discriminator] = .string(tag)
            return .object(result)
        }
    }

    func fields(_ members: JSONObject, _ object: ObjectSchema) -> JSONObject {
        var result: JSONObject = [:]
        for (name, value) in members {
            guard let field = object.field(name), !field.traits.contains(.writeOnly) else { continue }
            result[name] = normalize(value, as: field.type)
        }
        for field in object.fields {
            guard let defaultValue = field.defaultValue, !field.traits.contains(.writeOnly), result[field.name] == nil
            else { continue }
            result[field.name] = normalize(defaultValue.json, as: field.type)
        }
        return result
    }
}
