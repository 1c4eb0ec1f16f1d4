import ProvisioningAPI
import SinchformManifest
import Testing

@testable import SinchformEngine

@Suite struct FieldDisplayTests {
    @Test func multiLineTextIsDiffedLineByLineAndRenderedPrintable() throws {
        let field = FieldChange(path: "details.content", before: "one\r\ntwo\r\n", after: "one\r\n\u{1B}[31mtwo")
        var change = RenderingSamples.change("kakaotalkTemplate.t", .kakaotalkTemplate, .update, reason: "")
        change.fields = [field]
        let display = FieldDisplay.fields(of: change)
        #expect(display.count == 1)
        #expect(display.first?.body == .text([.same("one"), .removed("two"), .added("\u{1B}[31mtwo")]))
        #expect(display.first?.marker == "~")
        let plan = Plan(project: "p", manifestDirectory: ".", lockLineage: nil, lockSerial: nil, changes: [change])
        let text = try PlanRenderer().render(plan, format: .text)
        #expect(text.contains("+ \\u{1B}[31mtwo\n"))
        #expect(!text.contains("\u{1B}"))
    }

    @Test func createsAndDeletesListTheLeavesOfTheSpec() {
        var change = RenderingSamples.change("webhook.w", .webhook, .create, reason: "")
        change.after = ["target": "https://x", "nested": ["a": 1, "b": [true]], "empty": [:]]
        #expect(
            FieldDisplay.fields(of: change).map(\.path) == ["empty", "nested.a", "nested.b", "target"])
        #expect(FieldDisplay.fields(of: change).allSatisfy { $0.marker == "+" })
    }
}
