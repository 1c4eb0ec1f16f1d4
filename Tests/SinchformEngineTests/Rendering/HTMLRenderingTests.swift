import Foundation
import ProvisioningAPI
import Testing

@testable import SinchformEngine

/// The HTML plan's structure and escaping, without a browser (the CI's browser step renders it for real).
@Suite struct HTMLRenderingTests {
    private let renderer = PlanRenderer()

    /// Every element the renderer writes; anything else in the page came from a value.
    static let knownElements: Set<String> = [
        "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "p", "table", "thead", "tbody", "tr",
        "th", "td", "main", "a", "code", "section", "span", "dl", "dt", "dd", "div", "del", "ins", "pre", "ul", "li",
        "figure", "figcaption", "mark", "small", "br", "footer", "strong",
    ]
    static let voidElements: Set<String> = ["meta", "br"]

    struct Tag {
        var name: String
        var closing: Bool
        var attributes: String
    }

    /// The tags of a page in order (the style sheet's content skipped), or the first problem found.
    static func tags(of html: String) throws -> [Tag] {
        var tags: [Tag] = []
        var rest = Substring(html)
        guard rest.hasPrefix("<!DOCTYPE html>\n") else { throw Problem("no doctype") }
        rest = rest.dropFirst("<!DOCTYPE html>\n".count)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { throw Problem("unclosed <") }
            let inside = rest[rest.index(after: open)..<close]
            let closing = inside.hasPrefix("/")
            let body = closing ? inside.dropFirst() : inside
            let name = String(body.prefix { $0.isLetter || $0.isNumber })
            tags.append(Tag(name: name, closing: closing, attributes: String(body.dropFirst(name.count))))
            rest = rest[rest.index(after: close)...]
            if name == "style", !closing, let end = rest.range(of: "</style>") {
                rest = rest[end.lowerBound...]
            }
        }
        return tags
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Checks that the page is one tree of known elements with safe attributes.
    static func expectWellFormed(_ html: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        var stack: [String] = []
        for tag in try tags(of: html) {
            #expect(knownElements.contains(tag.name), "unknown element <\(tag.name)>", sourceLocation: sourceLocation)
            let attributes = tag.attributes.lowercased()
            #expect(!attributes.contains(" on"), "event handler in <\(tag.name)\(tag.attributes)>")
            #expect(!attributes.contains("src="), "a source in <\(tag.name)\(tag.attributes)>")
            #expect(!attributes.contains("url("), "a URL in a style: <\(tag.name)\(tag.attributes)>")
            if attributes.contains("href=") {
                #expect(attributes.hasPrefix(" href=\"#change-"), "a link out: <\(tag.name)\(tag.attributes)>")
            }
            if tag.closing {
                #expect(
                    stack.last == tag.name, "</\(tag.name)> closes <\(stack.last ?? "nothing")>",
                    sourceLocation: sourceLocation)
                _ = stack.popLast()
            } else if !voidElements.contains(tag.name) {
                stack.append(tag.name)
            }
        }
        #expect(stack.isEmpty, "unclosed: \(stack)", sourceLocation: sourceLocation)
    }

    @Test(arguments: ["mixed", "edits", "hostile", "unchanged"])
    func pagesAreOneTreeOfKnownElements(_ name: String) throws {
        let plan =
            switch name {
            case "mixed": RenderingSamples.mixed
            case "edits": RenderingSamples.edits
            case "hostile": RenderingSamples.hostile
            default: RenderingSamples.unchanged
            }
        let html = try renderer.render(plan, format: .html)
        try Self.expectWellFormed(html)
        #expect(html.hasSuffix("</html>\n"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("http-equiv=\"refresh\""))
        #expect(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""), "nothing may load")
        #expect(
            html.components(separatedBy: "<section class=\"change ").count - 1 == plan.changes.count { $0.isChange })
    }

    @Test func hostileValuesAreText() throws {
        let html = try renderer.render(RenderingSamples.hostile, format: .html)
        #expect(!html.unicodeScalars.contains("\u{1B}"))
        #expect(!html.unicodeScalars.contains("\u{202E}"))
        #expect(html.contains("&lt;/details&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "an example filled into the preview is text")
        #expect(html.contains("&quot;&gt;&lt;script&gt;"), "a label cannot leave its attribute or element")
        #expect(!html.contains("style=\"background-color: red"), "only a #rrggbb colour reaches a style")
        #expect(html.contains("brand colour red;background:url(https://attacker.example/x)"), "shown as text")
    }

    @Test func summaryChangesAndDiffsAreThere() throws {
        let html = try renderer.render(RenderingSamples.edits, format: .html)
        #expect(
            html.contains(
                "<p class=\"headline\">Plan: 1 to create, 6 to update, 0 to replace, 1 to delete, 0 unchanged.</p>"))
        #expect(html.contains("<a href=\"#change-2\"><code>whatsappTemplate.order_shipped[EN_US]</code></a>"))
        #expect(html.contains("<code class=\"path\">details.components[BODY].text</code>"))
        #expect(html.contains("<del>is on its way.</del><ins>will arrive tomorrow.</ins>"))
        #expect(
            html.contains(
                "<ins>+ &quot;WHATSAPP_TEMPLATE_REJECTED&quot;</ins> <del>− &quot;WHATSAPP_TEMPLATE_DELETED&quot;</del>"
            )
        )
        #expect(html.contains("<ins>+ Thanks again for shopping with us.\n</ins>"))
    }

    @Test func whatsappPreviewShowsTheMessageWithExamplesFilledIn() throws {
        let html = try renderer.render(RenderingSamples.edits, format: .html)
        let section = try #require(Self.section(2, of: html))
        #expect(section.components(separatedBy: "<figure class=\"preview ").count - 1 == 2)
        #expect(
            section.contains("<div class=\"wa-header\">Order <mark class=\"var\" title=\"{{1}}\">#4711</mark></div>"))
        #expect(section.contains("Hi <mark class=\"var\" title=\"{{1}}\">Jane</mark>, good news: your order"))
        #expect(section.contains("<div class=\"wa-footer\">Reply STOP to opt out</div>"), "before has the footer")
        #expect(section.components(separatedBy: "wa-footer").count - 1 == 1, "after has none")
        #expect(section.contains("<div class=\"wa-button\">↩ Stop updates</div>"))
        #expect(section.contains("<div class=\"wa-media placeholder\">image</div>"), "carousel card headers")
        #expect(section.contains("Matching socks, 30% off."))
        let created = try #require(Self.section(7, of: html))
        #expect(created.contains("<p class=\"absent\">Not in the project yet.</p>"))
        #expect(created.contains("<div class=\"wa-button\">☎ Anrufen</div>"))
    }

    @Test func aCategoryChangeShowsInThePreview() throws {
        let html = try renderer.render(RenderingSamples.mixed, format: .html)
        let replace = try #require(Self.section(5, of: html))
        #expect(replace.contains("-/+"))
        let before = try #require(replace.components(separatedBy: "<figure class=\"preview after\">").first)
        #expect(before.contains("<div class=\"wa-category\">utility template</div>"))
        #expect(replace.contains("<div class=\"wa-category\">marketing template</div>"))
    }

    @Test func missingExamplesStayMarkedAsVariables() {
        #expect(
            MessagePreview.filled("Hi {{1}} and {{2}}", examples: ["Ann"])
                == "Hi <mark class=\"var\" title=\"{{1}}\">Ann</mark> and <mark class=\"var missing\">{{2}}</mark>")
        #expect(MessagePreview.filled("{{x", examples: nil) == "{{x")
    }

    @Test func kakaotalkPreviewShowsEmphasisContentVariablesAndButtons() throws {
        let html = try renderer.render(RenderingSamples.edits, format: .html)
        let section = try #require(Self.section(5, of: html))
        #expect(
            section.contains("<div class=\"kakao-subtitle\">Delivery</div><div class=\"kakao-title\">On its way</div>"))
        #expect(section.contains("<mark class=\"var\" title=\"#{name}\">#{name}</mark>님"))
        #expect(section.contains("<div class=\"kakao-button\">배송 조회하기</div><div class=\"kakao-button\">Help</div>"))
        let deleted = try #require(Self.section(8, of: html))
        #expect(deleted.contains("<p class=\"absent\">Deleted from the project.</p>"))
    }

    @Test func rcsPreviewIsTheBrandCard() throws {
        let html = try renderer.render(RenderingSamples.edits, format: .html)
        let section = try #require(Self.section(6, of: html))
        #expect(
            section.contains(
                "<div class=\"rcs-banner placeholder tinted\" style=\"background-color: #d81b60\">banner</div>"))
        #expect(section.contains("<div class=\"rcs-logo placeholder\">logo</div>"))
        #expect(
            section.contains(
                "<div class=\"rcs-name\">Acme</div><div class=\"rcs-description\">Deals, delivery news and support</div>"
            ))
        #expect(section.contains("<li>✉ <strong>Press</strong> press@example.com</li>"))
    }

    @Test func kindsWithoutAMessageHaveNoPreview() throws {
        let html = try renderer.render(RenderingSamples.edits, format: .html)
        for number in [1, 3, 4] {
            #expect(try #require(Self.section(number, of: html)).contains("previews") == false)
        }
    }

    /// The `<section>` of the n-th change.
    static func section(_ number: Int, of html: String) -> String? {
        guard let start = html.range(of: "<section class=\"change "),
            let begin = html.range(of: "id=\"change-\(number)\"", range: start.lowerBound..<html.endIndex),
            let end = html.range(of: "</section>", range: begin.upperBound..<html.endIndex)
        else { return nil }
        return String(html[begin.lowerBound..<end.upperBound])
    }
}
