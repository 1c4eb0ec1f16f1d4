import Foundation
import ProvisioningAPI
import SinchformEngine
import SinchformManifest
import SinchformTestSupport
import Testing

/// Property: for generated manifests and a generated live state, applying the plan and planning again gives no
/// changes, and nothing is duplicated. The emulator is the model of the live state.
@Suite struct PlanPropertyTests {
    static let triggers = [
        "ALL", "BUNDLE_DONE", "WHATSAPP_TEMPLATE_APPROVED", "WHATSAPP_TEMPLATE_REJECTED", "KAKAOTALK_SENDER_ACTIVE",
    ]

    /// A manifest set and the API calls that make a partly matching, partly different live state.
    static func generate(_ random: inout SplitMix64) -> (yaml: String, seed: [(APIMethod, String, JSONValue)]) {
        var yaml = "webhooks:\n"
        var seed: [(APIMethod, String, JSONValue)] = []
        for index in 0..<Int.random(in: 1...6, using: &random) {
            let target = "https://hooks\(index).example.com/\(random.pick(["a", "b"]))"
            var chosen = Set<String>()
            if random.chance(30) {
                chosen = ["ALL"]
            } else {
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    chosen.insert(random.pick(Array(triggers.dropFirst())))
                }
            }
            let list = chosen.sorted().shuffled(using: &random)
            yaml +=
                "  hook-\(index):\n    target: \(target)\n    triggers: [\(list.joined(separator: ", "))]\n    secret: s-\(index)\n"
            if random.chance(40) {  // already live, maybe with other triggers (adoption + update)
                let live = random.chance(50) ? list : ["BUNDLE_DONE"]
                seed.append(
                    (
                        .post, "/v1/projects/sinchform-project/webhooks",
                        ["target": .string(target), "triggers": .array(live.map { .string($0) }), "secret": "old"]
                    ))
            }
        }
        yaml += "whatsappTemplates:\n"
        for index in 0..<Int.random(in: 0...4, using: &random) {
            let category = random.pick(["UTILITY", "MARKETING"])
            yaml += "  template_\(index):\n    category: \(category)\n    languages:\n"
            for language in ["EN", "DE", "FR"].shuffled(using: &random).prefix(Int.random(in: 1...2, using: &random)) {
                let text = "Hello {{1}} number \(index) \(random.pick(["x", "y"]))"
                yaml += "      \(language):\n        details:\n          components:\n"
                yaml += "            - {type: BODY, text: \"\(text)\", examples: [\"v\"]}\n"
                if random.chance(50) { yaml += "            - {type: FOOTER, text: \"Reply STOP\"}\n" }
                if random.chance(30) {
                    let details: JSONValue = [
                        "components": [["type": "BODY", "text": .string(text), "examples": ["v"]]]
                    ]
                    seed.append(
                        (
                            .post, "/v1/projects/sinchform-project/whatsapp/templates",
                            [
                                "name": .string("template_\(index)"), "language": .string(language),
                                "category": .string(category), "details": details, "status": "SUBMIT",
                            ]
                        ))
                }
            }
        }
        yaml += "kakaotalkSenders:\n"
        let senders = Int.random(in: 0...2, using: &random)
        for index in 0..<senders {
            yaml += "  sender-\(index):\n    plusFriendId: \"@s\(index)\"\n"
            yaml +=
                "    details: {adminPhoneNo: \"+4877777\", name: \"S\(index)\", topLevelCategoryCode: \"001\", midLevelCategoryCode: \"0001\", subLevelCategoryCode: \"0001\"}\n"
        }
        yaml += "kakaotalkTemplates:\n"
        for index in 0..<(senders == 0 ? 0 : Int.random(in: 0...3, using: &random)) {
            yaml += "  kt-\(index):\n    plusFriendId: \"@s\(Int.random(in: 0..<senders, using: &random))\"\n"
            yaml += "    details: {name: \"kt \(index)\", language: KO, content: \"Hi \(random.pick(["a", "b"]))\"}\n"
        }
        return (yaml, seed)
    }

    @Test(arguments: 0..<12)
    func applyingAPlanAndPlanningAgainGivesNoChanges(_ seed: Int) async throws {
        var random = SplitMix64(state: UInt64(seed) &* 7919 &+ 17)
        let (yaml, calls) = Self.generate(&random)
        try await EmulatorHarness.run { harness in
            for (method, path, body) in calls { try await harness.api(method, path, body) }
            if random.chance(50) { try await harness.control.reviewAll(.approve) }
            try harness.write("generated.yaml", yaml)

            let parallelism = Int.random(in: 1...4, using: &random)
            var result = try await harness.apply(parallelism: parallelism)
            if !result.succeeded {
                // The only acceptable failure: a pre-existing change under review, which the API refuses to update
                // until its review ends. The review ends, apply again: it must converge.
                #expect(
                    result.failed.allSatisfy { $0.message?.contains("template_changes_not_updatable") == true },
                    "seed \(seed): \(result.failed.map { $0.message ?? "" })\n\(yaml)")
                try await harness.control.reviewAll(.approve)
                result = try await harness.apply(parallelism: parallelism)
            }
            #expect(result.succeeded, "seed \(seed): \(result.failed.map { $0.message ?? "" })\n\(yaml)")
            let again = try await harness.plan().plan
            #expect(
                !again.hasChanges,
                "seed \(seed): \(again.changes.filter(\.isChange).map { "\($0.address) \($0.action) \($0.fields.map(\.path))" })\n\(yaml)"
            )
            if random.chance(50) {
                try await harness.control.reviewAll(.approve)
                let reviewed = try await harness.plan().plan
                #expect(
                    !reviewed.hasChanges,
                    "seed \(seed) after review: \(reviewed.changes.filter(\.isChange).map(\.address))"
                )
            }
            // Nothing duplicated: one live webhook per target, one template per name and language.
            let webhooks = try await harness.withClient { try await $0.webhooks.list() }
            let targets = webhooks.compactMap { $0["target"]?.stringValue }
            #expect(Set(targets).count == targets.count)
            let manifests = try await harness.workspace.loadManifests().0
            #expect(webhooks.count == manifests.resources.filter { $0.kind == .webhook }.count)
            let templates = try await harness.withClient { try await $0.whatsappTemplates.list() }
            let keys = templates.compactMap { t in
                t["name"]?.stringValue.map { $0 + "/" + (t["language"]?.stringValue ?? "") }
            }
            #expect(Set(keys).count == keys.count)
        }
    }
}

extension SplitMix64 {
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &self) < percent }
}
