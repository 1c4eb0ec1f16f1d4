import Foundation
import Testing

@testable import SinchformManifest

/// The validator's URL check, done by bytes where Foundation's way was slow, answers as Foundation's way: a URL's
/// template variables are removed as two `replacingOccurrences` would, and its host is there as `host` says.
@Suite struct URLFormatTests {
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

    /// A URL names a host exactly when Foundation's decoded `host` is there and not empty, whether the host is read
    /// as written or decoded.
    @Test func hostAsFoundationDecodesIt() throws {
        let urls = [
            "https://x.example/a", "https://b\u{FC}cher.example/x", "https://xn--bcher-kva.example",
            "https://xn--zz.com", "https://XN--zz.com", "https://a.xn--zz/", "https://%41.example",
            "https://%FF.example", "https://%00x.com", "https://[::1]/x", "https://user@/x", "https:///p",
            "http://example.com:8080", "https://a--b.example",
        ]
        for url in urls {
            let components = try #require(URLComponents(string: url), "\(url)")
            #expect(SchemaValidator.hasHost(components) == (components.host.map { !$0.isEmpty } ?? false), "\(url)")
        }
        #expect(!SchemaValidator.hasHost(try #require(URLComponents(string: "https://xn--zz.com"))))
        #expect(SchemaValidator.hasHost(try #require(URLComponents(string: "https://b\u{FC}cher.example"))))
    }
}
