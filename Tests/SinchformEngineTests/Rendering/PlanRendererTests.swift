import Foundation
import SinchformManifest
import SinchformTestSupport
import Testing

@testable import SinchformEngine

@Suite struct PlanRendererTests {
    static let goldens: [(name: String, plan: Plan, mode: PlanMode)] = [
        ("mixed", RenderingSamples.mixed, .plan),
        ("unchanged", RenderingSamples.unchanged, .plan),
        ("drift", RenderingSamples.drift, .drift),
        ("no-drift", RenderingSamples.unchanged.driftOnly(), .drift),
    ]

    private let renderer = PlanRenderer()

    @Test(arguments: goldens.indices)
    func matchesGoldenFiles(_ index: Int) throws {
        let (name, plan, mode) = Self.goldens[index]
        try Snapshot.expect(try renderer.render(plan, format: .text, mode: mode), matches: "\(name).txt")
        try Snapshot.expect(try renderer.render(plan, format: .markdown, mode: mode), matches: "\(name).md")
        try Snapshot.expect(try renderer.render(plan, format: .json, mode: mode), matches: "\(name).json")
        try Snapshot.expect(try renderer.render(plan, format: .html, mode: mode), matches: "\(name).html")
    }

    @Test func samplesCoverEveryActionKindOriginAndReview() {
        let changes = RenderingSamples.mixed.changes
        #expect(Set(changes.map(\.action)) == Set(Action.allCases))
        #expect(Set(changes.map(\.kind)) == Set(ResourceKind.allCases))
        #expect(Set(changes.compactMap(\.origin)) == Set(PlanJSONSchema.origins))
        #expect(
            Set(changes.compactMap(\.review?.summary)).isSuperset(of: [.pending, .approved, .rejected, .paused]))
        #expect(changes.contains { !$0.dependsOn.isEmpty })
        #expect(changes.contains { $0.fields.contains(where: \.sensitive) })
    }

    @Test func headlinesSayWhatHappens() throws {
        let text = try renderer.render(RenderingSamples.mixed, format: .text)
        #expect(
            text.hasPrefix(
                "Plan: 1 to create, 3 to update, 1 to replace, 1 to delete, 1 to adopt, 1 to forget, 1 to move, "
                    + "2 unchanged.\n"))
        #expect(text.hasSuffix("\n2 resources unchanged.\n"))
        #expect(
            try renderer.render(RenderingSamples.unchanged, format: .text)
                == "No changes: live state matches the manifests.\n\n2 resources unchanged.\n")
        #expect(
            try renderer.render(RenderingSamples.drift, format: .text, mode: .drift)
                .hasPrefix("Drift: 2 resources changed outside sinchform.\n"))
        #expect(
            try renderer.render(RenderingSamples.unchanged.driftOnly(), format: .text, mode: .drift)
                .hasPrefix("No drift: live state matches what was last applied.\n"))
    }

    @Test func textShowsReviewReplacementAndDependencies() throws {
        let text = try renderer.render(RenderingSamples.mixed, format: .text)
        #expect(text.contains("-/+ whatsappTemplate.order_shipped[EN_US] (replace)"))
        #expect(text.contains("review: rejected (state REJECTED): INVALID_FORMAT"))
        #expect(text.contains("reason: Category cannot change in place.\n"))
        #expect(text.contains(#"~ category: "UTILITY" → "MARKETING"  # forces replacement"#))
        #expect(text.contains("depends on: kakaotalkSender.main"))
        #expect(text.contains("origin: manifests and drift"))
        #expect(text.contains("- Line 3 of the welcome message.\n"))
        #expect(text.contains("+ Line 3, reworded.\n"))
        #expect(!text.contains("webhook.audit"), "noop resources only count")
    }

    @Test func sensitiveValuesNeverAppear() throws {
        for format in PlanFormat.allCases {
            for (_, plan, mode) in Self.goldens {
                let output = try PlanRenderer(color: true).render(plan, format: format, mode: mode)
                #expect(!output.contains("hunter2"), "\(format) leaks the secret")
            }
        }
        let text = try renderer.render(RenderingSamples.mixed, format: .text)
        #expect(text.contains("~ secret: (sensitive) → (sensitive)"))
        #expect(text.contains("+ secret: (sensitive)"))
    }

    @Test func sameInputGivesTheSameBytes() throws {
        for format in PlanFormat.allCases {
            #expect(
                try renderer.render(RenderingSamples.mixed, format: format)
                    == (try renderer.render(RenderingSamples.mixed, format: format)))
        }
    }

    @Test func colourOnlyWhenAsked() throws {
        let plain = try PlanRenderer(color: false).render(RenderingSamples.mixed, format: .text)
        let coloured = try PlanRenderer(color: true).render(RenderingSamples.mixed, format: .text)
        #expect(!plain.contains("\u{1B}"))
        #expect(coloured.contains("\u{1B}["))
        #expect(coloured != plain)
        let stripped = coloured.replacing(#/\x{1B}\[[0-9;]*m/#, with: "")
        #expect(stripped == plain, "colour adds escapes and nothing else")
        for format in [PlanFormat.json, .markdown, .html] {
            #expect(!(try PlanRenderer(color: true).render(RenderingSamples.mixed, format: format)).contains("\u{1B}"))
        }
    }

    @Test func jsonIsTheCodableEncodingOfThePlan() throws {
        let json = try renderer.render(RenderingSamples.mixed, format: .json)
        let decoded = try JSONDecoder().decode(Plan.self, from: Data(json.utf8))
        #expect(decoded == RenderingSamples.mixed)
        #expect(json.hasPrefix("{\n"))
        #expect(json.hasSuffix("}\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["formatVersion"] as? Int == 1)
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary["create"] == 1 && summary["update"] == 3 && summary["noop"] == 2 && summary["drift"] == 2)
    }
}
