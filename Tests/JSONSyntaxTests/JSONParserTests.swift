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
        // So do the elements of nested arrays, through objects too.
        #expect(
            parse(#"[[1,[2,3],[]],4,{"a":[5,[6]],"b":[]},[7]]"#)
                == [[1, [2, 3], .array([])], 4, ["a": [5, [6]], "b": .array([])], [7]])
        #expect(parse("[1,[2,]]") == nil)
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

    /// Strings are scanned eight bytes at a time until a byte that needs a look: each such byte, at every offset
    /// of a long string, is read as it is alone (kept, or skipped by a projection), and a raw control byte refused.
    @Test func everyByteThatEndsTheFastScanIsReadAtEveryOffset() {
        // Each as written in JSON, and the text it reads as.
        let specials: [(raw: [UInt8], text: String)] = [
            ([0x5C, 0x22], "\""), ([0x5C, 0x5C], "\\"), ([0x5C, 0x6E], "\n"),
            ([0x5C, 0x75, 0x30, 0x30, 0x65, 0x39], "é"),
            (Array("é".utf8), "é"), (Array("😀".utf8), "😀"), ([0x7F], "\u{7F}"), ([0x20], " "), ([0x21], "!"),
            ([0x5B], "["), ([0x5D], "]"),
        ]
        for (raw, text) in specials {
            for offset in 0..<20 {
                let before = String(repeating: "a", count: offset)
                let after = String(repeating: "b", count: 23 - offset)
                let string = Array(before.utf8) + raw + Array(after.utf8)
                let document = Array(#"{"skip":""#.utf8) + string + Array(#"","keep":""#.utf8) + string + [0x22, 0x7D]
                #expect(
                    JSONValue.parse(document) == [
                        "skip": .string(before + text + after), "keep": .string(before + text + after),
                    ],
                    "\(raw) at \(offset)")
                let kept = try? JSONValue(bytes: document, keeping: .members(["keep": .all]))
                #expect(kept == ["keep": .string(before + text + after)], "\(raw) at \(offset), the other skipped")
            }
        }
        for offset in 0..<20 {
            let string = Array(String(repeating: "a", count: offset).utf8) + [0x09] + Array("bbbbbbbbbbbb".utf8)
            #expect(JSONValue.parse([0x22] + string + [0x22]) == nil, "a raw tab at \(offset)")
            #expect(
                (try? JSONValue(
                    bytes: Array(#"{"k":""#.utf8) + string + Array(#"","x":1}"#.utf8), keeping: .members(["x": .all])))
                    == nil, "a raw tab at \(offset), skipped")
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

    /// The value with only what `projection` names (the projection applied to a whole tree).
    private func projected(_ value: JSONValue, _ projection: JSONProjection) -> JSONValue {
        guard case let .members(wanted) = projection else { return value }
        switch value {
        case let .object(members):
            return .object(
                JSONObject(
                    uniqueKeysWithValues: members.compactMap { key, member in
                        wanted[key].map { (key, projected(member, $0)) }
                    }))
        case let .array(elements): return .array(elements.map { projected($0, projection) })
        default: return value
        }
    }

    @Test func projectionBuildsOnlyTheNamedMembers() {
        let text =
            #"{"items":[{"id":"a","skip":{"deep":[1,{"x":"y"}]},"keep":{"in":1,"out":2}},"s",[{"id":"b"}]],"n":1}"#
        let projection = JSONProjection.members([
            "items": .members(["id": .all, "keep": .members(["in": .all])])
        ])
        #expect(
            JSONValue.parse(Array(text.utf8), keeping: projection)
                == ["items": [["id": "a", "keep": ["in": 1]], "s", [["id": "b"]]]])
        #expect(JSONValue.parse(Array(text.utf8), keeping: .all) == parse(text))
    }

    /// A skipped member is read as strictly as a built one: a document that is not JSON anywhere is refused.
    @Test func skippedPartsAreStillChecked() {
        let keepOnly = JSONProjection.members(["keep": .all])
        func inSkipped(_ bytes: [UInt8]) -> JSONValue? {
            JSONValue.parse(Array(#"{"skip":"#.utf8) + bytes + Array(#","keep":1}"#.utf8), keeping: keepOnly)
        }
        for text in [
            "", " ", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "\"open",
            "\"tab\there\"", #""\x""#, #""\ud83d""#, #""\u12""#, "{a:1}", "[1] 2", "1e999", "NaN", #"{"a":[1,}"#,
            #"["a" "b"]"#,
        ] {
            #expect(inSkipped(Array(text.utf8)) == nil, "\(text)")
        }
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0x61, 0xC3, 0x22], [0x22, 0x5C, 0x6E, 0xFF, 0x22]] {
            #expect(inSkipped(bytes) == nil, "\(bytes)")
        }
        #expect(inSkipped(Array((String(repeating: "[", count: 600) + String(repeating: "]", count: 600)).utf8)) == nil)
        #expect(
            inSkipped(Array((String(repeating: "[", count: 100) + String(repeating: "]", count: 100)).utf8)) == [
                "keep": 1
            ])
        #expect(inSkipped(Array(#"{"a":["é\n\u00e9",-1.5e3,true,null,{}]}"#.utf8)) == ["keep": 1])
    }

    /// Random documents and projections: parsing with a projection is parsing whole, then projecting.
    @Test func projectedParseIsTheProjectedTree() {
        var generator = SystemRandomNumberGenerator()
        let keys = ["a", "b", "c", "id", "a-much-longer-key-than-fifteen-bytes"]
        func value(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &generator) {
            case 0: return .number(Double(Int.random(in: -1000...1000)) / 4)
            case 1: return .string(["", "x", "é€", "q\"\\\n", String(repeating: "long ", count: 5)].randomElement()!)
            case 2: return [true, false, nil].randomElement()!
            case 3: return .string("plain")
            case 4: return .array((0..<Int.random(in: 0...3)).map { _ in value(depth + 1) })
            default:
                return .object(
                    JSONObject(
                        (0..<Int.random(in: 0...4)).map { _ in (keys.randomElement()!, value(depth + 1)) },
                        uniquingKeysWith: { $1 }))
            }
        }
        func projection(_ depth: Int) -> JSONProjection {
            guard depth < 4, Bool.random(using: &generator) else { return .all }
            return .members(
                Dictionary(
                    keys.filter { _ in Bool.random(using: &generator) }.map { ($0, projection(depth + 1)) },
                    uniquingKeysWith: { $1 }))
        }
        for _ in 0..<500 {
            let document = value(0)
            let chosen = projection(0)
            #expect(
                JSONValue.parse(document.serialized(), keeping: chosen) == projected(document, chosen),
                "\(document.serializedString()) \(chosen)")
        }
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
