import Foundation
import Testing

@testable import SinchformManifest

@Suite struct ManifestJSONSchemaTests {
    private func document() throws -> [String: Any] {
        let text = try ManifestJSONSchema.document()
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func describesEveryKindFromTheDefinitions() throws {
        let root = try document()
        #expect(root["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        let properties = try #require(root["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(["project"] + ResourceKind.allCases.map(\.manifestKey)))
        let webhooks = try #require(properties["webhooks"] as? [String: Any])
        let spec = try #require(webhooks["additionalProperties"] as? [String: Any])
        #expect(spec["required"] as? [String] == ["target", "triggers"])
        let fields = try #require(spec["properties"] as? [String: Any])
        let secret = try #require(fields["secret"] as? [String: Any])
        #expect(secret["writeOnly"] as? Bool == true)
        #expect(secret["maxLength"] as? Int == 128)
        let triggers = try #require(fields["triggers"] as? [String: Any])
        let items = try #require(triggers["items"] as? [String: Any])
        #expect((items["enum"] as? [String])?.count == 39)
        #expect(fields["lifecycle"] != nil)
    }

    @Test func committedSchemaIsCurrent() throws {
        let committed = try String(
            contentsOf: FixturePaths.packageRoot.appendingPathComponent("schemas/manifest.schema.json"), encoding: .utf8
        )
        #expect(
            committed == (try ManifestJSONSchema.document()),
            "run: swift run sinchform schema manifest > schemas/manifest.schema.json")
    }

    /// The validator takes a oneOf's tag as its text (no interpolation, no null): it relies on every variant's value
    /// being a word without `$` that YAML does not read as null.
    @Test func discriminatorValuesAreUpperCaseWords() throws {
        var values: [String] = []
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                if let constant = object["const"] as? String { values.append(constant) }
                object.values.forEach(walk)
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(try document())
        #expect(values.count > 10)
        for value in values {
            #expect(!value.isEmpty && value.allSatisfy { $0.isUppercase || $0 == "_" }, "\(value)")
        }
    }

    @Test func generationIsDeterministic() throws {
        #expect(try ManifestJSONSchema.document() == (try ManifestJSONSchema.document()))
    }
}
