import Foundation
import Testing

@testable import SinchformManifest

/// A URL's template variables are removed by bytes; the result is Foundation's two `replacingOccurrences`.
@Suite struct DoubleBracesTests {
    @Test func sameAsFoundationsReplacing() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["{", "}", "{{", "}}", "a", "é", "/", "1", "https://x.example/"]
        var texts = ["", "https://x.example/{{1}}", "{{{", "}}}}", "}{{}", "{{1}}{{2}}", "a{b}c", "ü{{é}}"]
        for _ in 0..<500 {
            texts.append((0..<Int.random(in: 0...8, using: &generator)).map { _ in pieces.randomElement()! }.joined())
        }
        for text in texts {
            let expected = text.replacingOccurrences(of: "{{", with: "").replacingOccurrences(of: "}}", with: "")
            #expect(SchemaValidator.withoutDoubleBraces(text) == expected, "\(text)")
        }
    }
}
