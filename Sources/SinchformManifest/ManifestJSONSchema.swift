import Foundation
import JSONSyntax

/// Generates `schemas/manifest.schema.json` (JSON Schema 2020-12) from the resource definitions, so editors
/// complete and check exactly what `sinchform validate` accepts.
public enum ManifestJSONSchema {
    /// The schema document: pretty-printed, keys sorted, ending in a newline.
    public static func document() throws -> String {
        var properties: JSONObject = [
            "project": [
                "type": "string", "minLength": 1, "description": "Sinch project ID; wins over SINCH_PROJECT_ID.",
            ]
        ]
        for definition in ResourceDefinition.all {
            let spec = definition.manifestEntry
            if definition.isSingleton {
                // One per project, no name: the key holds the spec itself.
                var single = object(spec)
                single["type"] = ["object", "null"]
                single["description"] = .string(definition.description)
                properties[definition.kind.manifestKey] = .object(single)
                continue
            }
            properties[definition.kind.manifestKey] = [
                "type": ["object", "null"],
                "description": .string(definition.description),
                "propertyNames": .object(string(definition.nameRules)),
                "additionalProperties": .object(object(spec)),
            ]
        }
        let root: JSONValue = [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "sinchform manifest",
            "description":
                "A sinchform manifest file. Every *.yaml / *.yml file of a directory is merged. Values may use ${env.NAME}.",
            "type": "object",
            "additionalProperties": false,
            "properties": .object(properties),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(root)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func schema(_ type: SchemaType, description: String? = nil) -> JSONObject {
        var result: JSONObject
        switch type {
        case let .string(rules):
            result = string(rules)
        case let .number(rules):
            result = ["type": rules.integer ? "integer" : "number"]
            if let minimum = rules.minimum { result["minimum"] = .number(minimum) }
            if let maximum = rules.maximum { result["maximum"] = .number(maximum) }
        case .boolean:
            result = ["type": "boolean"]
        case let .enumeration(values):
            result = ["type": "string", "enum": .array(values.map(JSONValue.string))]
        case let .array(items, rules):
            result = ["type": "array", "items": .object(schema(items))]
            if let minItems = rules.minItems { result["minItems"] = .number(Double(minItems)) }
            if let maxItems = rules.maxItems { result["maxItems"] = .number(Double(maxItems)) }
            if rules.uniqueItems { result["uniqueItems"] = true }
        case let .object(object):
            result = self.object(object)
        case let .map(keys, values):
            result = [
                "type": "object", "propertyNames": .object(string(keys)),
                "additionalProperties": .object(schema(values)),
            ]
        case let .oneOf(discriminator, variants):
            result = [
                "oneOf": .array(
                    variants.map { variant in
                        let tag = Field(discriminator, .enumeration([variant.value]), required: true, "")
                        var branch = object(ObjectSchema(variant.schema.description, [tag] + variant.schema.fields))
                        var properties = branch["properties"]?.objectValue ?? [:]
                        properties[discriminator] = ["const": .string(variant.value)]
                        branch["properties"] = .object(properties)
                        return .object(branch)
                    })
            ]
        case .any:
            result = [:]
        }
        if let description, !description.isEmpty { result["description"] = .string(description) }
        return result
    }

    private static func object(_ object: ObjectSchema) -> JSONObject {
        var properties: JSONObject = [:]
        for field in object.fields {
            var property = schema(field.type, description: field.description)
            if field.traits.contains(.writeOnly) { property["writeOnly"] = true }
            if let defaultValue = field.defaultValue { property["default"] = defaultValue.json }
            properties[field.name] = .object(property)
        }
        var result: JSONObject = [
            "type": "object", "additionalProperties": false, "properties": .object(properties),
        ]
        let required = object.fields.filter(\.required).map(\.name)
        if !required.isEmpty { result["required"] = .array(required.map(JSONValue.string)) }
        if !object.description.isEmpty { result["description"] = .string(object.description) }
        return result
    }

    private static func string(_ rules: StringRules) -> JSONObject {
        var result: JSONObject = ["type": "string"]
        if let minLength = rules.minLength { result["minLength"] = .number(Double(minLength)) }
        if let maxLength = rules.maxLength { result["maxLength"] = .number(Double(maxLength)) }
        if let pattern = rules.pattern { result["pattern"] = .string(pattern) }
        switch rules.format {
        case .url?, .uri?: result["format"] = "uri"
        case .email?: result["format"] = "email"
        case nil: break
        }
        return result
    }
}
