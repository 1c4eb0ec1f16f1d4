import Foundation

/// Generates `schemas/manifest.schema.json` (JSON Schema 2020-12) from the resource definitions, so editors
/// complete and check exactly what `sinchform validate` accepts.
public enum ManifestJSONSchema {
    /// The schema document: pretty-printed, keys sorted, ending in a newline.
    public static func document() throws -> String {
        var properties: [String: Any] = [
            "project": [
                "type": "string", "minLength": 1, "description": "Sinch project ID; wins over SINCH_PROJECT_ID.",
            ]
        ]
        for definition in ResourceDefinition.all {
            let spec = ObjectSchema(
                definition.manifestSpec.description,
                definition.manifestSpec.fields + [ResourceDefinition.lifecycle])
            properties[definition.kind.manifestKey] = [
                "type": ["object", "null"],
                "description": definition.description,
                "propertyNames": string(definition.nameRules),
                "additionalProperties": object(spec),
            ]
        }
        let root: [String: Any] = [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "sinchform manifest",
            "description":
                "A sinchform manifest file. Every *.yaml / *.yml file of a directory is merged. Values may use ${env.NAME}.",
            "type": "object",
            "additionalProperties": false,
            "properties": properties,
        ]
        let data = try JSONSerialization.data(
            withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func schema(_ type: SchemaType, description: String? = nil) -> [String: Any] {
        var result: [String: Any]
        switch type {
        case let .string(rules):
            result = string(rules)
        case let .number(rules):
            result = ["type": rules.integer ? "integer" : "number"]
            if let minimum = rules.minimum { result["minimum"] = minimum }
            if let maximum = rules.maximum { result["maximum"] = maximum }
        case .boolean:
            result = ["type": "boolean"]
        case let .enumeration(values):
            result = ["type": "string", "enum": values]
        case let .array(items, rules):
            result = ["type": "array", "items": schema(items)]
            if let minItems = rules.minItems { result["minItems"] = minItems }
            if let maxItems = rules.maxItems { result["maxItems"] = maxItems }
            if rules.uniqueItems { result["uniqueItems"] = true }
        case let .object(object):
            result = self.object(object)
        case let .map(keys, values):
            result = ["type": "object", "propertyNames": string(keys), "additionalProperties": schema(values)]
        case let .oneOf(discriminator, variants):
            result = [
                "oneOf": variants.map { variant in
                    let tag = Field(discriminator, .enumeration([variant.value]), required: true, "")
                    var branch = object(ObjectSchema(variant.schema.description, [tag] + variant.schema.fields))
                    branch["properties"] = (branch["properties"] as? [String: Any] ?? [:]).merging(
                        [discriminator: ["const": variant.value]], uniquingKeysWith: { $1 })
                    return branch
                }
            ]
        case .any:
            result = [:]
        }
        if let description, !description.isEmpty { result["description"] = description }
        return result
    }

    private static func object(_ object: ObjectSchema) -> [String: Any] {
        var properties: [String: Any] = [:]
        for field in object.fields {
            var property = schema(field.type, description: field.description)
            if field.traits.contains(.writeOnly) { property["writeOnly"] = true }
            if let defaultValue = field.defaultValue { property["default"] = json(defaultValue) }
            properties[field.name] = property
        }
        var result: [String: Any] = ["type": "object", "additionalProperties": false, "properties": properties]
        let required = object.fields.filter(\.required).map(\.name)
        if !required.isEmpty { result["required"] = required }
        if !object.description.isEmpty { result["description"] = object.description }
        return result
    }

    private static func string(_ rules: StringRules) -> [String: Any] {
        var result: [String: Any] = ["type": "string"]
        if let minLength = rules.minLength { result["minLength"] = minLength }
        if let maxLength = rules.maxLength { result["maxLength"] = maxLength }
        if let pattern = rules.pattern { result["pattern"] = pattern }
        switch rules.format {
        case .url?, .uri?: result["format"] = "uri"
        case .email?: result["format"] = "email"
        case nil: break
        }
        return result
    }

    private static func json(_ kind: ManifestValue.Kind) -> Any {
        switch kind {
        case .null: return NSNull()
        case let .bool(value): return value
        case let .number(value): return value
        case let .string(value): return value
        case let .array(values): return values.map { json($0.kind) }
        case let .object(values): return values.mapValues { json($0.kind) }
        }
    }
}
