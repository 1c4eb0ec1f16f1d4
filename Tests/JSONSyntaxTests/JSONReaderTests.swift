import JSONSyntax
import Testing

/// ``JSONReader``: a document read member by member gives what the tree parser gives, and refuses what it refuses.
@Suite struct JSONReaderTests {
    /// Every member of the top-level object, objects among them read member by member again, as a tree.
    private func read(_ text: String) -> JSONValue? {
        read(Array(text.utf8))
    }

    /// Values other than objects are read through ``JSONReader/value(sharing:)``: the same trees, or the same refusal.
    private func read(_ bytes: [UInt8]) -> JSONValue? {
        var seen: [String: JSONValue] = [:]
        func object(_ reader: inout JSONReader) -> JSONValue? {
            var members: JSONObject = [:]
            let complete = reader.object { reader, key in
                let value = reader.nextIsObject() ? object(&reader) : reader.value(sharing: &seen)
                members[key] = value
                return value != nil
            }
            return complete ? .object(members) : nil
        }
        return JSONReader.read(bytes) { reader in
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

    /// A value written twice with the same text is read once; other text (spacing too) is read on its own.
    @Test func valueWrittenTwiceIsReadOnce() throws {
        var seen: [String: JSONValue] = [:]
        let document = #"{"x": ["a.b", "c"], "y": ["a.b", "c"], "z": ["a.b",  "c"], "w": ["a.b", "c"}"#
        var values: [String: JSONValue] = [:]
        let read = JSONReader.read(Array(document.utf8)) { reader in
            reader.object { reader, key in
                values[key] = reader.value(sharing: &seen)
                return values[key] != nil
            }
        }
        #expect(read == nil)
        #expect(values["x"] == ["a.b", "c"] && values["y"] == values["x"] && values["z"] == values["x"])
        #expect(Set(seen.keys) == [#"["a.b", "c"]"#, #"["a.b",  "c"]"#])
    }

    @Test(arguments: [
        #"{"a": 1"#, #"{"a": 1} x"#, #"{"a" 1}"#, #"{"a": {"b": }}"#, #"{a: 1}"#, #"{"a": 1,}"#, "",
        "{" + String(repeating: #""a":{"#, count: 600) + String(repeating: "}", count: 601),
    ])
    func refusesWhatTheParserRefuses(_ text: String) {
        #expect(JSONValue.parse(Array(text.utf8)) == nil)
        #expect(read(text) == nil)
    }

    /// Every one-byte deletion and every replacement by a byte that matters to JSON, at every position of a document
    /// shaped like a lock file: read member by member or as a tree, each gives the same value or the same refusal.
    @Test func everyOneByteDamageIsReadAsTheParserReadsIt() {
        let document =
            #"{"resources": {"a.b": {"ids": {"id": "x\"1"}, "n": [1, -2.5e3, true, null], "w": {}}}, "serial": 7}"#
        let bytes = Array(document.utf8)
        let replacements = Array(#"{}[],:"\ 0-.eunt"#.utf8) + [0x0A, 0xC3]
        var cases = 0
        for position in bytes.indices {
            var variants = [bytes[..<position] + bytes[(position + 1)...]]
            for byte in replacements where byte != bytes[position] {
                var variant = bytes
                variant[position] = byte
                variants.append(variant[...])
            }
            for variant in variants {
                cases += 1
                #expect(
                    read(Array(variant)) == JSONValue.parse(Array(variant)),
                    "\(String(decoding: variant, as: UTF8.self))")
            }
        }
        #expect(cases > 1000)
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
