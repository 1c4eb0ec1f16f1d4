import Foundation
import ProvisioningAPI
import SinchformManifest
import Testing

@testable import SinchformEngine

@Suite struct MarkdownLimitTests {
    private func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// Every `<details>` is closed and every fence line has its partner.
    private func expectBalanced(_ markdown: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(
            occurrences(of: "<details>", in: markdown) == occurrences(of: "</details>", in: markdown),
            sourceLocation: sourceLocation)
        let fences = markdown.split(separator: "\n").filter { $0.hasPrefix("```") }
        #expect(fences.count.isMultiple(of: 2), sourceLocation: sourceLocation)
    }

    @Test func aHugePlanIsCutAtAChangeBoundaryWithANote() throws {
        let plan = RenderingSamples.large(2_000)
        let markdown = try PlanRenderer().render(plan, format: .markdown)
        #expect(markdown.utf16.count <= 60_000)
        #expect(markdown.count < 60_000)
        expectBalanced(markdown)
        let shown = occurrences(of: "<details>", in: markdown)
        #expect(shown > 10 && shown < 2_000)
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| `webhook.") }
        #expect(rows.count == shown, "the table and the details stop at the same change")
        #expect(markdown.contains("\(2_000 - shown) of 2000 changes are omitted"))
        #expect(markdown.contains("Run `sinchform show PLANFILE` to see them all."))
        #expect(markdown.hasSuffix("to see them all.\n"))
        #expect(markdown.hasPrefix("## sinchform plan\n\n**Plan: 0 to create, 2000 to update"))
    }

    @Test func theCapFollowsTheLimit() throws {
        let plan = RenderingSamples.large(200)
        for limit in [3_000, 10_000, 25_000] {
            let markdown = try PlanRenderer(markdownLimit: limit).render(plan, format: .markdown)
            #expect(markdown.utf16.count <= limit)
            expectBalanced(markdown)
        }
    }

    @Test func aPlanThatFitsIsNotCut() throws {
        let markdown = try PlanRenderer().render(RenderingSamples.large(20), format: .markdown)
        #expect(!markdown.contains("omitted"))
        #expect(occurrences(of: "<details>", in: markdown) == 20)
        expectBalanced(markdown)
    }

    @Test func fencesOutgrowBackticksInValues() throws {
        var plan = RenderingSamples.large(1)
        plan.changes[0].fields = [FieldChange(path: "details.text", before: "a ``` b", after: "c")]
        let markdown = try PlanRenderer().render(plan, format: .markdown)
        #expect(markdown.contains("````diff\n"))
        expectBalanced(markdown)
    }

    @Test func textCannotOpenOrCloseTags() throws {
        var plan = RenderingSamples.large(1)
        plan.changes[0].reason = "</details> <script>"
        let markdown = try PlanRenderer().render(plan, format: .markdown)
        #expect(markdown.contains("&lt;/details&gt; &lt;script&gt;"))
        expectBalanced(markdown)
    }
}
