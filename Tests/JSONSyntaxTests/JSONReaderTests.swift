import JSONSyntax
import Testing

/// ``JSONReader``: a document read member by member gives what the tree parser gives, and refuses what it refuses.
@Suite struct JSONReaderTests {
    /// Every member of the top-level object, objects among them read member by member again, as a tree.
    private func read(_ text: String) -> JSONValue? {
        func object(_ reader: inout JSONReader) -> JSONValue? {
            var members: [String: JSONValue] = [:]
            let complete = reader.object { reader, key in
                let value = reader.nextIsObject() ? object(&reader) : reader.value()
                members[key] = value
                return value != nil
            }
            return complete ? .object(members) : nil
        }
        return JSONReader.read(Array(text.utf8)) { reader in
            reader.nextIsObject() ? object(&reader) : reader.value()
        }
    }

    @Test(arguments: [
        #"{"a": {"b": {"c": [1, {"d": null}]}, "e": "f"}, "g": true}"#, "\u{FEFF}{}", #" { "a" : { } } "#,
        #"{"a": 1, "a": 2}"#, "[1, 2]", "3", #""text""#,
    ])
    func readsWhatTheParserReads(_ text: String) throws {
        let tree = try #require(JSONValue.parse(Array(text.utf8)))
        #expect(read(text) == tree)
    }

    @Test(arguments: [
        #"{"a": 1"#, #"{"a": 1} x"#, #"{"a" 1}"#, #"{"a": {"b": }}"#, #"{a: 1}"#, #"{"a": 1,}"#, "",
        "{" + String(repeating: #""a":{"#, count: 600) + String(repeating: "}", count: 601),
    ])
    func refusesWhatTheParserRefuses(_ text: String) {
        #expect(JSONValue.parse(Array(text.utf8)) == nil)
        #expect(read(text) == nil)
    }

    /// A member the caller refuses stops the reading there, and the document is not read.
    @Test func aRefusedMemberStopsTheObject() {
        var seen: [String] = []
        let result = JSONReader.read(Array(#"{"a": 1, "b": 2, "c": 3}"#.utf8)) { reader -> Bool? in
            reader.object { reader, key in
                seen.append(key)
                return reader.value() != nil && key != "b"
            }
        }
        #expect(result == nil)
        #expect(seen == ["a", "b"])
    }
}
