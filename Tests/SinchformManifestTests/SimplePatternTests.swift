import Foundation
import Testing

@testable import SinchformManifest

/// ``SimplePattern`` answers as `NSRegularExpression` does, for every pattern of the schema it takes.
@Suite struct SimplePatternTests {
    /// Every pattern the resource schemas and name rules declare.
    static let schemaPatterns: [String] = {
        var found = Set<String>()
        func walk(_ type: SchemaType) {
            switch type {
            case let .string(rules): rules.pattern.map { _ = found.insert($0) }
            case let .array(items, _): walk(items)
            case let .object(object): object.fields.forEach { walk($0.type) }
            case let .map(keys, values):
                keys.pattern.map { _ = found.insert($0) }
                walk(values)
            case let .oneOf(_, variants): variants.forEach { walk(.object($0.schema)) }
            case .number, .boolean, .enumeration, .any: break
            }
        }
        for definition in ResourceDefinition.all {
            walk(.object(definition.manifestEntry))
            walk(.string(definition.nameRules))
        }
        return found.sorted()
    }()

    /// Texts near the patterns' edges, then pseudo-random ones from the characters they use and a few they do not.
    static let texts: [String] = {
        var texts = [
            "", "a", "ab", "a_b", "_ab", "ab_", "AB", "0", "12", "123", "1234", "12345", "+12223334444", "+0123", "+1",
            "#1a2b3c", "#1A2B3C", "#1a2b3", "abc\n", "abc\r\n", "abc\n\n", "abc\u{2028}", "abc\u{85}", "123\n", "\n",
            "US", "us", "USA", "5", "10", "10.0", "9.99", "é", "aé", "a b", "💬", "a💬", "+48 600 700 800",
            String(repeating: "a", count: 600), "a" + String(repeating: "_", count: 300) + "b",
        ]
        let alphabet = Array("az09_+#AFZ-. \n\r@:é💬")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        for _ in 0..<3000 {
            texts.append(String((0..<(next() % 18)).map { _ in alphabet[next() % alphabet.count] }))
        }
        return texts
    }()

    static func expected(_ pattern: String, _ text: String) throws -> Bool {
        let expression = try NSRegularExpression(pattern: pattern)
        return expression.firstMatch(in: text, options: [.anchored], range: NSRange(text.startIndex..., in: text))
            != nil
    }

    /// Only the patterns it takes (the others never reach it): each case asserts.
    @Test(
        arguments: (schemaPatterns + [#"^a?b{2}[^x-z\-]+c*$"#, #"^\.[.+]{0,2}$"#]).filter { SimplePattern($0) != nil })
    func answersAsICUDoes(_ pattern: String) throws {
        let simple = try #require(SimplePattern(pattern))
        for text in Self.texts {
            #expect(
                simple.matches(text) == (try Self.expected(pattern, text)), "\(pattern) on \(text.debugDescription)")
        }
    }

    /// The patterns a plan checks on nearly every resource (names, numbers) are matched without ICU.
    @Test func namesAndNumbersAreSimple() {
        for pattern in [#"^[a-z0-9][a-z0-9_]*[a-z0-9]$"#, #"^\+[1-9][0-9]{1,14}$"#, "^[0-9]{4}$", "^#[0-9a-fA-F]{6}$"] {
            #expect(Self.schemaPatterns.contains(pattern), "\(pattern) is no longer in the schema")
            #expect(SimplePattern(pattern) != nil, "\(pattern)")
        }
    }

    /// What is not a run of single-character steps is left to NSRegularExpression.
    @Test(arguments: [
        "^(a|b)$", #"^[^@\s]+$"#, "^a.b$", "^a+?$", "^[0-9]{2,}$", "abc", "^abc", "^[]$", #"^\d$"#, "^[[:alpha:]]$",
        "^é$", "^a**$",
    ])
    func othersAreNotSimple(_ pattern: String) {
        #expect(SimplePattern(pattern) == nil)
    }
}
