import JSONSyntax
import Testing

/// The shared parser and writer (``JSONValue`` and the emulator's `JSON` both go through them), seen through
/// ``JSONValue``.
@Suite struct JSONParserTests {
    private func parse(_ text: String) -> JSONValue? { JSONValue.parse(Array(text.utf8)) }

    @Test func valuesOfEveryKind() {
        #expect(
            parse(#" {"a": [1, -2.5, 1e3, true, false, null], "b": {"c": "d"}, "e": {} , "f": []} "#)
                == [
                    "a": [1, .number(-2.5), 1000, true, false, nil], "b": ["c": "d"], "e": .object([:]),
                    "f": .array([]),
                ])
        #expect(parse("42") == 42)
        #expect(parse(#""top""#) == "top")
        #expect(parse("1152921504606846976") == .number(1_152_921_504_606_846_976))
        #expect(parse(#"{"a":1,"a":2}"#) == ["a": 2])
        // Members of nested objects share one pending stack: each object gets exactly its own.
        #expect(
            parse(#"{"a":{"b":1,"c":{"d":2,"e":[{"f":3},{}]}},"g":4,"a2":{"b":5}}"#)
                == ["a": ["b": 1, "c": ["d": 2, "e": [["f": 3], .object([:])]]], "g": 4, "a2": ["b": 5]])
    }

    @Test func stringEscapes() {
        #expect(parse(#""q\" b\\ s\/ \b\f\n\r\t""#) == .string("q\" b\\ s/ \u{8}\u{C}\n\r\t"))
        #expect(parse(#""\u00e9\u20AC\ud83d\ude00 é""#) == .string("é€😀 é"))
    }

    /// ASCII strings skip the UTF-8 check; every other string is checked, raw or after escapes.
    @Test func stringsAreValidUTF8() {
        func quoted(_ bytes: [UInt8]) -> [UInt8] { [0x22] + bytes + [0x22] }
        let valid: [([UInt8], String)] = [
            (Array("é€😀".utf8), "é€😀"), (Array("plain".utf8), "plain"), ([0x5C, 0x6E] + Array("é".utf8), "\né"),
        ]
        for (bytes, text) in valid { #expect(JSONValue.parse(quoted(bytes)) == .string(text)) }
        let invalid: [[UInt8]] = [
            [0x61, 0xFF], [0xC3], [0x61, 0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            Array("é".utf8) + [0x80], [0x5C, 0x6E, 0xFF],
        ]
        for bytes in invalid {
            #expect(JSONValue.parse(quoted(bytes)) == nil, "\(bytes)")
            #expect(JSONValue.parse(Array(#"{"k":"#.utf8) + quoted(bytes) + [0x7D]) == nil, "\(bytes) in an object")
        }
    }

    @Test func rejectsWhatIsNotJSON() {
        for text in [
            "", " ", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "\"open",
            "\"tab\there\"", #""\x""#, #""\ud83d""#, #""\u12""#, "{a:1}", "[1] 2", "1e999", "NaN",
        ] {
            #expect(parse(text) == Optional<JSONValue>.none, "\(text)")
        }
        #expect(JSONValue.parse([0x22, 0xFF, 0x22]) == nil)
        #expect(parse(String(repeating: "[", count: 600) + String(repeating: "]", count: 600)) == nil)
        #expect(parse(String(repeating: "[", count: 100) + String(repeating: "]", count: 100)) != nil)
    }

    @Test func serialisesCompactlyWithSortedKeys() {
        let value: JSONValue = [
            "b": [.number(-42), .number(0.5), .number(1e15), .number(-0.0), .number(.infinity), 999_999_999_999_999],
            "a": ["z": "q\"\\\n\u{1}é", "y": true, "x": nil],
        ]
        #expect(
            value.serializedString()
                == #"{"a":{"x":null,"y":true,"z":"q\"\\\n\u0001é"},"b":[-42,0.5,1000000000000000.0,0,null,999999999999999]}"#
        )
    }
}
