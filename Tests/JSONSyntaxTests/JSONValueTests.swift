import Foundation
import JSONSyntax
import Testing

@Suite struct JSONValueTests {
    @Test func encodesIntegralNumbersWithoutFractionAndSortsKeys() throws {
        let value: JSONValue = ["zeta": 5, "alpha": 2.5, "mid": ["b": true, "a": nil], "list": [1, "x"]]
        #expect(value.jsonString == #"{"alpha":2.5,"list":[1,"x"],"mid":{"a":null,"b":true},"zeta":5}"#)
    }

    /// Keys and texts, short (inline) and long (heap), written from their bytes in place; escaped only where needed.
    @Test func writesStringsInPlaceAndEscaped() throws {
        let long = String(repeating: "é plain text ", count: 3)
        let value: JSONValue = ["k\"ey": "a\"b\\c\n\t\u{1}", "plain": .string(long), "s": "x"]
        #expect(value.jsonString == #"{"k\"ey":"a\"b\\c\n\t\u0001","plain":""# + long + #"","s":"x"}"#)
        #expect(try JSONValue(bytes: value.serialized()) == value)
    }

    @Test func roundTripsEveryCase() throws {
        let text = #"{"a":[1,true,false,null,"s",{"n":-3.25}],"b":1e3,"url":"https://x/y"}"#
        let value = try JSONValue(json: text)
        #expect(value["a"]?[1] == .bool(true))
        #expect(value["a"]?[0] == .number(1))
        #expect(value["b"]?.intValue == 1000)
        #expect(value["a"]?[5]?["n"]?.doubleValue == -3.25)
        #expect(try JSONValue(bytes: value.serialized()) == value)
        #expect(value.jsonString == #"{"a":[1,true,false,null,"s",{"n":-3.25}],"b":1000,"url":"https://x/y"}"#)
    }

    @Test func accessorsAndPaths() throws {
        var value: JSONValue = ["details": ["components": [["type": "BODY", "text": "Hi"]]]]
        #expect(value.value(atPath: "details.components.0.type")?.stringValue == "BODY")
        #expect(value.value(atPath: "details.missing") == nil)
        #expect(value["details"]?.objectValue?.count == 1)
        value["extra"] = "yes"
        #expect(value["extra"]?.stringValue == "yes")
        #expect(JSONValue.null.isNull)
        #expect(JSONValue.string("5").intValue == nil)
        #expect(JSONValue.number(5.5).intValue == nil)
    }

    @Test func rejectsInvalidJSON() {
        #expect(throws: (any Error).self) { try JSONValue(json: "{nope") }
    }
}
