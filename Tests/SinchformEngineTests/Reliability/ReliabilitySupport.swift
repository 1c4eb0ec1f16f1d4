import Foundation
import Logging
import ProvisioningAPI
import ProvisioningEmulator
import SinchformEngine
import Synchronization

/// Manifests with many resources of the kinds that have no small per-project limit: WhatsApp templates and
/// KakaoTalk senders with their templates (and a few webhooks, which the API caps at 15 per project).
struct ManyResources {
    var count: Int
    var webhooks = 0
    /// Text that makes every spec different from the previous generation (an edit of every resource).
    var revision = ""

    /// The manifest set, as one file per kind.
    var files: [String: String] {
        var sections: [String: String] = [:]
        for index in 0..<count {
            let (key, entry) = resource(index)
            sections[key, default: "\(key):\n"] += entry
        }
        return Dictionary(uniqueKeysWithValues: sections.map { ("\($0.key).yaml", $0.value) })
    }

    /// Resources of each kind the manifests declare, by kind name.
    var expectedCounts: [String: Int] {
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
                """
                  rel_tpl_\(position):
                    category: UTILITY
                    languages:
                      EN_US:
                        details:
                          components:
                            - {type: BODY, text: "Order {{1}} ships soon\(revision) (\(position)).", examples: ["#4711"]}

                """
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

    func write(to directory: URL) throws {
        for (name, text) in files {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }
}

/// Keeps every log line (message and metadata), at trace level, so a test can search them.
final class LogSink: Sendable {
    let lines = Mutex<[String]>([])

    var logger: Logger {
        var logger = Logger(label: "reliability", factory: { _ in SinkHandler(sink: self) })
        logger.logLevel = .trace
        return logger
    }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}

/// The handler behind ``LogSink``: appends to the sink's lines.
struct SinkHandler: LogHandler {
    let sink: LogSink
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let line = "\(event.level) \(event.message) \(merged.isEmpty ? "" : "\(merged)")"
        sink.lines.withLock { $0.append(line) }
    }
}

extension EmulatorHarness {
    /// A harness whose emulator accepts exactly `keyId` / `keySecret`, with the same values in the environment.
    static func start(
        keyId: String, keySecret: String, extra: [String: String] = [:]
    ) async throws -> EmulatorHarness {
        var configuration = EmulatorConfiguration()
        configuration.credentials = [keyId: keySecret]
        configuration.reviewDelay = .seconds(3600)
        let server = EmulatorServer(configuration: configuration)
        let baseURL = try await server.start(host: "127.0.0.1", port: 0)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sinchform-reliability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let environment = [
            "SINCH_PROJECT_ID": "sinchform-project", "SINCH_KEY_ID": keyId, "SINCH_KEY_SECRET": keySecret,
            "SINCH_PROVISIONING_URL": baseURL, "SINCH_AUTH_URL": baseURL + "/oauth2/token",
        ].merging(extra) { $1 }
        return EmulatorHarness(server: server, baseURL: baseURL, directory: directory, environment: environment)
    }

    /// Runs `body` with a client that logs through `logger` and retries with short waits.
    func withClient<Value: Sendable>(
        logger: Logger, retry: RetryPolicy = RetryPolicy(baseDelay: .milliseconds(20), maxDelay: .milliseconds(400)),
        environment: [String: String]? = nil, _ body: (ProvisioningClient) async throws -> Value
    ) async throws -> Value {
        var configuration = try ProvisioningConfiguration(environment: environment ?? self.environment)
        configuration.retry = retry
        return try await withProvisioningClient(configuration: configuration, logger: logger, body)
    }

    /// Installs fault rules (replacing the previous ones).
    func setFaults(_ rules: [JSONValue]) async throws {
        try await control(.put, "/_emulator/faults", ["rules": .array(rules)])
    }

    /// The recorded API requests, oldest first: method, path, status.
    func requests() async throws -> [(method: String, path: String, status: Int)] {
        let log = try await control(.get, "/_emulator/requests")
        return (log?["requests"]?.arrayValue ?? []).map { entry in
            (
                entry["method"]?.stringValue ?? "", entry["path"]?.stringValue ?? "",
                Int(entry["status"]?.doubleValue ?? 0)
            )
        }
    }

    /// Live resources of the kinds ``ManyResources`` makes, by kind name, read without faults.
    func liveCounts() async throws -> [String: Int] {
        try await withClient { client in
            var counts: [String: Int] = [:]
            counts["webhooks"] = try await client.webhooks.list().count
            counts["whatsappTemplates"] = try await client.whatsappTemplates.list().count
            let senders = try await client.kakaotalkSenders.list()
            counts["kakaotalkSenders"] = senders.count
            var templates = 0
            for sender in senders {
                guard let id = sender["plusFriendId"]?.stringValue else { continue }
                templates += try await client.kakaotalkTemplates.list(plusFriendId: id).count
            }
            counts["kakaotalkTemplates"] = templates
            return counts.filter { $0.value > 0 }
        }
    }
}

/// Chaos fault rules: each terminal rule's probability is conditional on the ones before it not firing, so the
/// overall shares are the requested ones.
enum Chaos {
    static func rules(latencyMs: Int = 25) -> [JSONValue] {
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
