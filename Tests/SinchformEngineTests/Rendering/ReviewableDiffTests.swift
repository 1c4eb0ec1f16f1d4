import Foundation
import ProvisioningAPI
import SinchformManifest
import SinchformTestSupport
import Testing

@testable import SinchformEngine

/// Nested diffs, text diffs and the wording of reasons (issue 17), on the typical edits of every kind.
@Suite struct ReviewableDiffTests {
    private let renderer = PlanRenderer()

    private func text(_ plan: Plan = RenderingSamples.edits) throws -> String {
        try renderer.render(plan, format: .text)
    }

    @Test(arguments: ["edits", "hostile"])
    func matchesGoldenFiles(_ name: String) throws {
        let plan = name == "edits" ? RenderingSamples.edits : RenderingSamples.hostile
        for format in PlanFormat.allCases {
            let ext = ["text": "txt", "markdown": "md"][format.rawValue] ?? format.rawValue
            try Snapshot.expect(try renderer.render(plan, format: format), matches: "\(name).\(ext)")
        }
        try Snapshot.expect(try PlanRenderer(color: true).render(plan, format: .text), matches: "\(name).ansi.txt")
    }

    @Test func arraysOfObjectsShowOnlyTheChangedLeavesUnderStableKeys() throws {
        let output = try text()
        for line in [
            "+ details.components[BUTTONS].buttons[1]: {\"text\":\"Stop updates\",\"type\":\"QUICK_REPLY\"}",
            "- details.components[FOOTER]: {\"text\":\"Reply STOP to opt out\",\"type\":\"FOOTER\"}",
            "~ details.components[CAROUSEL].cards[0].components[BODY].text: \"Matching socks, 20% off.\" → \"Matching socks, 30% off.\"",
            "~ details.buttons[ordering=1].name: \"배송 조회\" → \"배송 조회하기\"",
            "~ details.title: \"Shipped\" → \"On its way\"",
            "~ details.brand.emails[label=\"Support\"].address: \"help@example.com\" → \"support@example.com\"",
            "~ details.about: \"Here to help\" → \"Here to help, 9 to 5\"",
        ] {
            #expect(output.contains(line), "\(line)")
        }
        #expect(output.contains("+ details.buttons[ordering=2]: {\"linkMo\":\"https://m.example.com/help\""))
        #expect(output.contains("+ details.brand.emails[label=\"Press\"]: {\"address\":\"press@example.com\""))
        let template = try #require(
            output.components(separatedBy: "\n\n").first { $0.hasPrefix("~ whatsappTemplate.order_shipped") })
        #expect(!template.contains("details.components:"), "the components array is never shown whole")
        #expect(!template.contains("cards[1]"), "an unchanged card is not shown")
        #expect(!template.contains("[HEADER]"), "an unchanged component is not shown")
        #expect(
            template.split(separator: "\n").count {
                $0.hasPrefix("    ~ ") || $0.hasPrefix("    + ") || $0.hasPrefix("    - ")
            } == 4)
    }

    @Test func setsShowOnlyTheMembersAddedAndRemoved() throws {
        let output = try text()
        #expect(
            output.contains("~ triggers: added \"WHATSAPP_TEMPLATE_REJECTED\"; removed \"WHATSAPP_TEMPLATE_DELETED\"\n")
        )
        #expect(output.contains("+ details.countries: added \"ES\"\n"))
        #expect(!output.contains("\"WHATSAPP_TEMPLATE_APPROVED\""), "a member on both sides is not shown")
    }

    @Test func createsListEveryLeafUnderTheSameKeys() throws {
        let output = try text()
        #expect(output.contains("+ details.components[BODY].text: \"Willkommen, {{1}}!\""))
        #expect(output.contains("+ details.components[HEADER].format: \"IMAGE\""))
        #expect(output.contains("- details.content: \"Sale ends #{date}.\""))
    }

    @Test func longTextsAreDiffedWordByWordAndShortOnesStayOldToNew() throws {
        let output = try text()
        #expect(output.contains("~ details.components[BODY].text:\n"))
        #expect(
            output.contains(
                "Hi {{1}}, {+good news: +}your order {{2}} has shipped and [-is on its way.-]{+will arrive tomorrow.+} Track it"
            ))
        let coloured = try PlanRenderer(color: true).render(RenderingSamples.edits, format: .text)
        #expect(coloured.contains("\u{1B}[31m[-is on its way.-]\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[32m{+will arrive tomorrow.+}\u{1B}[0m"))
        let markdown = try renderer.render(RenderingSamples.edits, format: .markdown)
        #expect(markdown.contains("@@ details.components[BODY].text @@\n- Hi {{1}}, your order"))
        #expect(markdown.contains("\n+ Hi {{1}}, good news: your order"))
        // Multi-line text is diffed line by line.
        #expect(output.contains("    - Thank you for shopping with us.\n"))
        #expect(output.contains("    + Thanks again for shopping with us.\n"))
    }

    @Test func wordDiffJoinsNeighbouringChangesAndGivesBothTextsBack() {
        let runs = LineDiff.words("the quick brown fox", "the slow red fox")
        #expect(runs == [.same("the "), .removed("quick brown"), .added("slow red"), .same(" fox")])
        for (old, new) in [("a b c", "a b c d"), ("", "x y"), ("x  y", "x y"), ("one", "two")] {
            let pieces = LineDiff.words(old, new)
            let before = pieces.map {
                if case .same(let t) = $0 { t } else if case .removed(let t) = $0 { t } else { "" }
            }
            let after = pieces.map { if case .same(let t) = $0 { t } else if case .added(let t) = $0 { t } else { "" } }
            #expect(before.joined() == old && after.joined() == new)
        }
    }

    @Test func positionIsTheKeyWhenTheChosenKeyIsMissingOrRepeated() {
        let buttons: [JSONValue] = [["type": "QUICK_REPLY", "text": "A"], ["type": "QUICK_REPLY", "text": "B"]]
        #expect(FieldDisplay.elementKeys(buttons, field: "components") == nil)
        #expect(FieldDisplay.elementKeys(buttons, field: "buttons") == nil)
        #expect(
            FieldDisplay.elementKeys([["type": "BODY"], ["type": "FOOTER"]], field: "components") == ["BODY", "FOOTER"])
        let differences = FieldDisplay.differences(
            .array(buttons), .array([buttons[0], ["type": "QUICK_REPLY", "text": "C"]]), path: "buttons",
            schemaPath: ["buttons"], schema: .any)
        #expect(differences.map(\.path) == ["buttons[1].text"])
    }

    @Test func elementsInAnotherOrderShowTheirKeys() throws {
        let body: JSONValue = ["type": "BODY", "text": "Hi"]
        let footer: JSONValue = ["type": "FOOTER", "text": "Bye"]
        let leaves = FieldDisplay.differences(
            [body, footer], [footer, body], path: "details.components", schemaPath: ["details", "components"],
            schema: .any)
        #expect(
            leaves == [
                FieldDisplay.Leaf(
                    path: "details.components", before: ["BODY", "FOOTER"], after: ["FOOTER", "BODY"],
                    note: "the same elements in another order")
            ])
        var change = RenderingSamples.change("whatsappTemplate.t[EN]", .whatsappTemplate, .update, reason: "")
        change.fields = [
            FieldChange(path: "details.components", before: [body, footer], after: [footer, body])
        ]
        let plan = Plan(project: "p", manifestDirectory: ".", lockLineage: nil, lockSerial: nil, changes: [change])
        #expect(
            try PlanRenderer().render(plan, format: .text).contains(
                "~ details.components: [\"BODY\",\"FOOTER\"] → [\"FOOTER\",\"BODY\"]  # the same elements in another order\n"
            ))
    }

    @Test func reasonsReadAsSentences() throws {
        let output = try text()
        #expect(output.contains("reason: 1 field differs.\n"))
        #expect(output.contains("reason: Not in the project yet.\n"))
        #expect(output.contains("  * Submitted for review; live content changes only once approved.\n"))
        #expect(!output.contains("1 field differ.\n"))
        #expect(PlanRenderer.sentence("up to date") == "Up to date.")
        #expect(PlanRenderer.sentence("Done!") == "Done!")
    }

    @Test func sensitiveFieldsAreNeverOpened() throws {
        var plan = RenderingSamples.edits
        plan.changes[0].fields.append(
            FieldChange(
                path: "secret", before: ["a": "x"], after: ["a": .string(RenderingSamples.secret)], sensitive: true))
        for format in PlanFormat.allCases {
            #expect(!(try renderer.render(plan, format: format)).contains("hunter2"))
        }
        #expect(try text(plan).contains("~ secret: (sensitive) → (sensitive)"))
    }
}
