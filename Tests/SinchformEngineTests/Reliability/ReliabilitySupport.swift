import Foundation
import Logging
import ProvisioningAPI
import ProvisioningEmulator
import SinchformEngine
import SinchformFixtures
import SinchformManifest
import Synchronization

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
        try await withClient { client in try await ManyResources.liveCounts(client) }
    }
}
