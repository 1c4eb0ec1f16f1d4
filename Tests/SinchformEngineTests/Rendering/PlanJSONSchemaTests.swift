import Foundation
import SinchformManifest
import Testing

@testable import SinchformEngine

@Suite struct PlanJSONSchemaTests {
    private func schema() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(try PlanJSONSchema.document().utf8)) as? [String: Any])
    }

    @Test func committedSchemaIsCurrent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let committed = try String(contentsOf: root.appendingPathComponent("schemas/plan.schema.json"), encoding: .utf8)
        #expect(
            committed == (try PlanJSONSchema.document()),
            "run: swift run sinchform schema plan > schemas/plan.schema.json")
    }

    @Test func describesThePlanModel() throws {
        let root = try schema()
        #expect(root["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        let definitions = try #require(root["$defs"] as? [String: Any])
        let action = try #require(definitions["action"] as? [String: Any])
        #expect(action["enum"] as? [String] == Action.allCases.map(\.rawValue))
        let origin = try #require(definitions["origin"] as? [String: Any])
        #expect(origin["enum"] as? [String] == ["manifest", "drift", "manifest+drift"])
        let kind = try #require(definitions["kind"] as? [String: Any])
        #expect(kind["enum"] as? [String] == ResourceKind.allCases.map(\.rawValue))
        #expect(try PlanJSONSchema.document().contains("(sensitive)"))
        #expect(try PlanJSONSchema.document() == (try PlanJSONSchema.document()))
    }

    /// Every plan JSON the golden tests produce conforms, and every key of the model appears in it at least once, so
    /// a field added to the model without a description here fails (additionalProperties is false).
    @Test(arguments: ["mixed", "unchanged", "drift", "edits", "hostile"])
    func renderedPlansConform(_ name: String) throws {
        let plan: Plan =
            switch name {
            case "mixed": RenderingSamples.mixed
            case "unchanged": RenderingSamples.unchanged
            case "edits": RenderingSamples.edits
            case "hostile": RenderingSamples.hostile
            default: RenderingSamples.drift
            }
        var validator = StructuralValidator(root: try schema())
        // The mixed plan and the typical edits together exercise every property.
        for sample in name == "mixed" ? [plan, RenderingSamples.edits] : [plan] {
            let json = try PlanRenderer().render(sample, format: .json)
            let instance = try JSONSerialization.jsonObject(with: Data(json.utf8))
            validator.check(instance, against: validator.root, at: "")
        }
        #expect(validator.problems == [])
        if name == "mixed" {
            let defined = Set(validator.definedProperties)
            #expect(validator.usedProperties.isSuperset(of: defined), "schema properties no sample exercises")
        }
    }

    @Test func theValidatorCatchesProblems() throws {
        var validator = StructuralValidator(root: try schema())
        let broken: [String: Any] = [
            "formatVersion": 2, "project": "p", "summary": [:] as [String: Any],
            "changes": [["address": "nowhere.x", "kind": "fax", "action": "create", "surprise": true]],
        ]
        validator.check(broken, against: validator.root, at: "")
        let problems = validator.problems.joined(separator: "\n")
        for expected in [
            "manifestDirectory: required", ".formatVersion: not the constant", ".summary.create: required",
            ".changes[0].surprise: not allowed", ".changes[0].kind: not one of", ".changes[0].address: does not match",
            ".changes[0].reason: required",
        ] {
            #expect(problems.contains(expected), "\(expected) in \(problems)")
        }
    }
}

/// The subset of JSON Schema the plan schema uses: `$ref`, `type`, `properties`, `required`,
/// `additionalProperties: false`, `items`, `enum`, `const`, `pattern`, `minimum`.
struct StructuralValidator {
    let root: [String: Any]
    var problems: [String] = []
    var usedProperties: Set<String> = []

    var definedProperties: [String] {
        var result: [String] = []
        func collect(_ schema: [String: Any], _ name: String) {
            for key in (schema["properties"] as? [String: Any])?.keys ?? [:].keys { result.append(name + "." + key) }
        }
        collect(root, "plan")
        for (name, schema) in root["$defs"] as? [String: [String: Any]] ?? [:] { collect(schema, name) }
        return result
    }

    private func resolve(_ schema: [String: Any]) -> ([String: Any], String?) {
        guard let reference = schema["$ref"] as? String else { return (schema, nil) }
        let name = String(reference.dropFirst("#/$defs/".count))
        let target = (root["$defs"] as? [String: Any])?[name] as? [String: Any] ?? [:]
        return (resolve(target).0, name)
    }

    mutating func check(_ value: Any, against unresolved: [String: Any], at path: String, name: String = "plan") {
        let (schema, reference) = resolve(unresolved)
        let name = reference ?? name
        if let type = schema["type"] as? String, !Self.has(value, type: type) {
            problems.append("\(path): not \(type)")
            return
        }
        if let constant = schema["const"], "\(constant)" != "\(value)" { problems.append("\(path): not the constant") }
        if let options = schema["enum"] as? [String], !options.contains("\(value)") {
            problems.append("\(path): not one of \(options)")
        }
        if let pattern = schema["pattern"] as? String, let text = value as? String,
            text.range(of: pattern, options: .regularExpression) == nil
        {
            problems.append("\(path): does not match \(pattern)")
        }
        if let minimum = schema["minimum"] as? Int, let number = value as? Int, number < minimum {
            problems.append("\(path): below \(minimum)")
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path).\(key): required")
            }
            for (key, member) in object {
                if let property = properties[key] as? [String: Any] {
                    usedProperties.insert(name + "." + key)
                    check(member, against: property, at: "\(path).\(key)", name: name + "." + key)
                } else if schema["additionalProperties"] as? Bool == false {
                    problems.append("\(path).\(key): not allowed")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() { check(element, against: items, at: "\(path)[\(index)]") }
        }
    }

    /// Foundation decodes JSON Booleans as a Boolean NSNumber subclass, which also casts to Int.
    private static func isBoolean(_ value: Any) -> Bool {
        String(describing: type(of: value)).contains("Boolean") || type(of: value) == Bool.self
    }

    private static func has(_ value: Any, type: String) -> Bool {
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return isBoolean(value)
        case "integer": return value is Int && !isBoolean(value)
        default: return true
        }
    }
}
