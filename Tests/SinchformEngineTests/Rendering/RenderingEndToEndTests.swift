import Foundation
import ProvisioningAPI
import SinchformEngine
import SinchformTestSupport
import Testing

/// Real plans against the emulator over a socket, rendered: typical edits of the quickstart show as changed leaves,
/// and a hostile rejection reason from the API (audit finding 17) reaches no rendering raw.
@Suite struct RenderingEndToEndTests {
    static func edited(_ harness: EmulatorHarness, _ file: String, _ edits: [(String, String)]) throws {
        let url = harness.directory.appendingPathComponent(file)
        var text = try String(contentsOf: url, encoding: .utf8)
        for (old, new) in edits {
            #expect(text.contains(old), "\(file) holds \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func typicalEditsOfTheQuickstartShowAsChangedLeavesAndPreviews() async throws {
        try await EmulatorHarness.run(environment: [
            "OPS_WEBHOOK_SECRET": "s3cret-value", "AUDIT_WEBHOOK_SECRET": "audit-s3cret",
        ]) { harness in
            for file in ["webhooks.yaml", "whatsapp.yaml", "kakaotalk.yaml", "rcs.yaml"] {
                try harness.copyExample(file)
            }
            let applied = try await harness.apply()
            #expect(applied.succeeded, "\(applied.failed.map { $0.message ?? "" })")
            _ = try await harness.control.reviewAll(.approve)

            try Self.edited(
                harness, "whatsapp.yaml",
                [
                    (
                        "Your order {{1}} has shipped and arrives on {{2}}.",
                        "Good news: your order {{1}} has shipped and should arrive on {{2}}. Track it in the app."
                    )
                ])
            try Self.edited(
                harness, "webhooks.yaml",
                [("[WHATSAPP_TEMPLATE_APPROVED, WHATSAPP_TEMPLATE_REJECTED,", "[WHATSAPP_TEMPLATE_APPROVED,")])
            try Self.edited(harness, "kakaotalk.yaml", [("name: Visit shop", "name: Visit our shop")])
            try Self.edited(harness, "rcs.yaml", [("\"#0a84ff\"", "\"#ff6a00\""), ("[SE, DE]", "[SE, DE, FR]")])

            let plan = try await harness.plan().plan
            let text = try PlanRenderer().render(plan, format: .text)
            #expect(text.contains("- triggers: removed \"WHATSAPP_TEMPLATE_REJECTED\"\n"), "\(text)")
            #expect(text.contains("~ details.buttons[ordering=1].name: \"Visit shop\" → \"Visit our shop\"\n"))
            #expect(
                text.contains(
                    "[-Your -]{+Good news: your +}order {{1}} has shipped and [-arrives -]{+should arrive +}on {{2}}."))
            #expect(text.contains("~ details.brand.color: \"#0a84ff\" → \"#ff6a00\"\n"))
            #expect(text.contains("+ details.countries: added \"FR\"\n"))
            #expect(!text.contains("details.components:"), "the components array is never shown whole")

            let html = try PlanRenderer().render(plan, format: .html)
            try HTMLRenderingTests.expectWellFormed(html)
            #expect(html.contains("Good news: your order <mark class=\"var\" title=\"{{1}}\">#4711</mark>"))
            #expect(html.contains("<div class=\"kakao-button\">Visit our shop</div>"))
            #expect(html.contains("style=\"background-color: #ff6a00\""))
            #expect(!html.contains("s3cret"))
        }
    }

    @Test func aHostileRejectionFromTheAPIReachesNoRenderingRaw() async throws {
        try await EmulatorHarness.run { harness in
            try harness.copyExample("whatsapp.yaml")
            #expect(try await harness.apply().succeeded)
            // The audit's reproduction: a rejection code with a heading, an image, an OSC title and a colour.
            let hostile =
                "\n\n## All checks passed ✅\n\n![t](https://attacker.example/pixel.png) \u{1B}]0;PWNED\u{07}\u{1B}[31m"
            try await harness.control.review(
                .reject, ["all": true, "kind": "whatsappTemplate", "rejectionCode": .string(hostile)])
            try Self.edited(harness, "whatsapp.yaml", [("arrives on {{2}}.", "arrives on {{2}}!")])
            let plan = try await harness.plan().plan
            #expect(
                plan.changes.contains { $0.review?.rejectionReason?.contains("PWNED") == true },
                "the emulator's rejection reaches the plan: \(plan.changes.map(\.review))")

            for format in PlanFormat.allCases {
                let output = try PlanRenderer(color: true).render(plan, format: format)
                    .replacing(#/\x{1B}\[[0-9;]*m/#, with: "")
                #expect(!output.unicodeScalars.contains("\u{1B}"), "ESC in \(format)")
                #expect(!output.unicodeScalars.contains("\u{07}"), "BEL in \(format)")
            }
            let markdown = try PlanRenderer().render(plan, format: .markdown)
            #expect(!markdown.contains("\n## All checks"))
            // Code spans show their content literally; outside them no image or link may remain.
            let prose = markdown.replacing(#/(`+).*?\1/#, with: "")
            #expect(!prose.contains("![t](https://attacker"))
            #expect(
                markdown.contains(
                    "rejected: `\\n\\n## All checks passed ✅\\n\\n![t](https://attacker.example/pixel.png)"))
            #expect(markdown.split(separator: "\n").filter { $0.hasPrefix("#") } == ["## sinchform plan"])
            let text = try PlanRenderer().render(plan, format: .text)
            #expect(
                text.contains(
                    "\\n\\n## All checks passed ✅\\n\\n![t](https://attacker.example/pixel.png) \\u{1B}]0;PWNED"))
        }
    }
}
