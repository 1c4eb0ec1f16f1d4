// Manifests and the fault mix shared by the test targets and the reliability benchmarks, so a benchmark run and a
// test mean the same thing.
import Foundation
import JSONSyntax

/// Manifest text that tests and benchmarks share.
public enum ManifestText {
    /// One UTILITY WhatsApp template in EN_US with one BODY component, as an entry under `whatsappTemplates:`.
    public static func whatsappTemplate(_ name: String, body: String) -> String {
        """
          \(name):
            category: UTILITY
            languages:
              EN_US:
                details:
                  components:
                    - {type: BODY, text: "\(body)", examples: ["#4711"]}

        """
    }
}

/// Manifests with many resources of the kinds that have no small per-project limit: WhatsApp templates and
/// KakaoTalk senders with their templates (and a few webhooks, which the API caps at 15 per project).
public struct ManyResources: Sendable {
    public var count: Int
    public var webhooks: Int
    /// Text that makes every spec different from the previous generation (an edit of every resource).
    public var revision: String

    public init(count: Int, webhooks: Int = 0, revision: String = "") {
        self.count = count
        self.webhooks = webhooks
        self.revision = revision
    }

    /// The manifest set, as one file per kind.
    public var files: [String: String] {
        var sections: [String: String] = [:]
        for index in 0..<count {
            let (key, entry) = resource(index)
            sections[key, default: "\(key):\n"] += entry
        }
        return Dictionary(uniqueKeysWithValues: sections.map { ("\($0.key).yaml", $0.value) })
    }

    /// Resources of each kind the manifests declare, by kind name.
    public var expectedCounts: [String: Int] {
        var counts: [String: Int] = [:]
        for index in 0..<count { counts[resource(index).0, default: 0] += 1 }
        return counts
    }

    private func resource(_ index: Int) -> (String, String) {
        if index < webhooks {
            return (
                "webhooks",
                """
                  hook-\(index):
                    target: https://hooks.example.com/reliability/\(index)
                    triggers: [WHATSAPP_TEMPLATE_APPROVED, WHATSAPP_TEMPLATE_REJECTED]
                    secret: ${env.HOOK_SECRET}

                """
            )
        }
        let position = index - webhooks
        switch position % 3 {
        case 0:
            return (
                "whatsappTemplates",
                ManifestText.whatsappTemplate(
                    "rel_tpl_\(position)", body: "Order {{1}} ships soon\(revision) (\(position)).")
            )
        case 1:
            return (
                "kakaotalkSenders",
                """
                  sender-\(position):
                    plusFriendId: "@rel\(position)"
                    details: {adminPhoneNo: "+4877\(String(format: "%07d", position))", name: "Rel \(position)\(revision)", topLevelCategoryCode: "001", midLevelCategoryCode: "0001", subLevelCategoryCode: "0001"}

                """
            )
        default:
            return (
                "kakaotalkTemplates",
                """
                  template-\(position):
                    plusFriendId: "@rel\(position - 1)"
                    details: {name: "welcome \(position)", language: KO, content: "Hello #{name} (\(position))\(revision)."}

                """
            )
        }
    }

    public func write(to directory: URL) throws {
        for (name, text) in files {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }
}

/// Chaos fault rules: each terminal rule's probability is conditional on the ones before it not firing, so the
/// overall shares are the requested ones.
public enum Chaos {
    public static func rules(latencyMs: Int = 25) -> [JSONValue] {
        // Overall shares: 10% 5xx (500, 502, 503), 5% 429, 2.5% dropped before and 2.5% after processing.
        let terminal: [(JSONValue, Double)] = [
            (["type": "status", "status": 500], 0.03),
            (["type": "status", "status": 502], 0.03),
            (["type": "status", "status": 503], 0.04),
            (["type": "status", "status": 429, "retryAfter": 1], 0.05),
            (["type": "drop", "afterProcessing": false], 0.025),
            (["type": "drop", "afterProcessing": true], 0.025),
        ]
        var rules: [JSONValue] = [["type": "latency", "randomMs": .number(Double(latencyMs))]]
        var left = 1.0
        for (rule, share) in terminal {
            guard case .object(var object) = rule else { continue }
            object["probability"] = .number(share / left)
            left -= share
            rules.append(.object(object))
        }
        return rules
    }
}
