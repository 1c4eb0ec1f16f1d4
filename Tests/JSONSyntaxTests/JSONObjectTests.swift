import Foundation
import JSONSyntax
import Testing

/// `JSONObject` keeps its members sorted by key with no key twice, however it is built: every lookup, comparison and
/// the writer depend on that order.
@Suite struct JSONObjectTests {
    /// Every way of building an object, from the same members in a shuffled order, with a repeated key whose last
    /// value wins.
    @Test func everyWayOfBuildingGivesTheSameSortedMembers() throws {
        var random = SystemRandomNumberGenerator()
        for round in 0..<50 {
            let keys = (0..<(round % 17)).map { "k\($0 * 7 % 13)-\($0)" }
            var pairs = keys.enumerated().map { ($0.element, JSONValue.number(Double($0.offset))) }
            pairs.shuffle(using: &random)
            let expected = keys.enumerated().sorted { $0.element < $1.element }.map(\.element)
            let repeated = pairs + (pairs.first.map { [($0.0, JSONValue.string("last"))] } ?? [])

            let literal = JSONObject(repeated, uniquingKeysWith: { _, last in last })
            var assigned = JSONObject()
            for (key, value) in repeated { assigned[key] = value }
            let text = "{" + repeated.map { "\"\($0.0)\":\($0.1.jsonString)" }.joined(separator: ",") + "}"
            let parsed = try #require(try JSONValue(json: text).objectValue)
            let unique = JSONObject(uniqueKeysWithValues: pairs)
            let lower = JSONObject(uniqueKeysWithValues: pairs.filter { $0.0 < "k6" })
            let upper = JSONObject(uniqueKeysWithValues: pairs.filter { $0.0 >= "k6" })
            let overlay = JSONObject(uniqueKeysWithValues: pairs.prefix(1).map { ($0.0, JSONValue.string("last")) })
            let merged = lower.merging(upper) { _, _ in
                Issue.record("no key is in both"); return nil
            }
            .merging(overlay) { _, new in new }
            let uniqueText = "{" + pairs.map { "\"\($0.0)\":\($0.1.jsonString)" }.joined(separator: ",") + "}"
            var decoded = try JSONDecoder().decode(JSONObject.self, from: Data(uniqueText.utf8))

            for object in [literal, assigned, parsed] {
                #expect(Array(object.keys) == expected)
                #expect(object == literal)
                #expect(object.hashValue == literal.hashValue)
                if let first = pairs.first { #expect(object[first.0] == "last") }
            }
            #expect(Array(merged.keys) == expected)
            #expect(merged == literal)
            #expect(decoded == unique)
            for key in expected {
                #expect(decoded.removeValue(forKey: key) != nil)
                #expect(decoded[key] == nil)
                #expect(Array(decoded.keys) == expected.filter { decoded[$0] != nil })
            }
            #expect(decoded.isEmpty)
        }
    }

    /// Keys and values are read in place through pointers into the members: for values of other sizes and
    /// alignments than JSON's, a search finds every key, `withValue` reads its value, and equality compares every
    /// value.
    @Test func membersReadInPlaceForAnyValueLayout() {
        func check<Value: Equatable>(_ values: [Value], changed: (Value) -> Value) {
            let keys = (0..<values.count).map { "key\($0 * 7 % values.count)" }
            var members = SortedMembers<Value>()
            for (key, value) in zip(keys, values) { members[key] = value }
            for (key, value) in zip(keys, values) {
                #expect(members[key] == value && members.withValue(forKey: key) { $0 } == value)
            }
            #expect(members["key"] == nil && members["zzz"] == nil && members.withValue(forKey: "zzz") { $0 } == nil)
            let same = SortedMembers(uniqueKeysWithValues: zip(keys, values).reversed())
            #expect(members == same)
            for key in keys {
                var other = same
                other[key] = changed(members[key] ?? values[0])
                #expect(members != other, "\(key)")
                other.removeValue(forKey: key)
                #expect(members != other && other[key] == nil)
            }
        }
        check((0..<20).map { UInt8($0) }) { $0 &+ 1 }
        check((0..<20).map { Pair(number: Int32($0), text: "text \($0)") }) {
            Pair(number: $0.number + 1, text: $0.text)
        }
        check((0..<20).map { JSONValue.string("value \($0)") }) { _ in .array([]) }
    }

    private struct Pair: Equatable {
        var number: Int32
        var text: String
    }

    /// A missing key is nil, not JSON `null` (the value type takes a nil literal), and setting nil removes.
    @Test func missingIsNilAndNullIsAValue() {
        var object: JSONObject = ["a": nil, "b": 1]
        #expect(object["a"] == .some(.null))
        #expect(object["missing"] == .none)
        object["a"] = .none
        #expect(Array(object.keys) == ["b"])
        #expect(object.removeValue(forKey: "missing") == .none)
        #expect(JSONValue.object(object).value(atPath: "c.d") == .none)
    }

    /// Objects are written in key order by the writer and by `JSONEncoder`, the same bytes as before they were
    /// sorted arrays.
    @Test func writesInKeyOrder() throws {
        let object: JSONObject = ["zeta": 1, "Alpha": 2, "alpha": ["y": true, "x": false], "ä": "é"]
        #expect(JSONValue.object(object).jsonString == #"{"Alpha":2,"alpha":{"x":false,"y":true},"zeta":1,"ä":"é"}"#)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(String(decoding: try encoder.encode(object), as: UTF8.self) == JSONValue.object(object).jsonString)
    }
}
