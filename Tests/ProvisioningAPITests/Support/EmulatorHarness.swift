import Foundation
import Logging
import ProvisioningAPI
import ProvisioningEmulator
import Synchronization

/// An emulator on 127.0.0.1:0 plus a client pointed at it, torn down after the test body.
struct EmulatorHarness {
    let baseURL: String
    let client: ProvisioningClient
    let control: ProvisioningClient
    let logs: LogCapture

    static let keyId = "sinchform-key"
    static let keySecret = "sinchform-secret"
    static let project = "sinchform-project"

    /// Small retry waits so fault tests stay fast.
    static let fastRetry = RetryPolicy(
        maxAttempts: 5, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50), maxRetryAfter: .seconds(2))

    static func run(
        auth: ProvisioningConfiguration.AuthMode = .oauth,
        emulator configureEmulator: (inout EmulatorConfiguration) -> Void = { _ in },
        client configureClient: (inout ProvisioningConfiguration) -> Void = { _ in },
        _ body: (EmulatorHarness) async throws -> Void
    ) async throws {
        var emulatorConfiguration = EmulatorConfiguration()
        // Reviews end when a test says so, not because a loaded machine let 3 s of real time pass.
        emulatorConfiguration.reviewDelay = .seconds(300)
        configureEmulator(&emulatorConfiguration)
        let server = EmulatorServer(
            configuration: emulatorConfiguration,
            logger: Logger(label: "emulator", factory: { _ in SwiftLogNoOpLogHandler() }))
        let baseURL = try await server.start(host: "127.0.0.1", port: 0)
        let logs = LogCapture()
        var configuration = try configuration(baseURL: baseURL, auth: auth)
        configuration.retry = fastRetry
        configureClient(&configuration)
        let client = ProvisioningClient(configuration: configuration, logger: logs.logger())
        var controlConfiguration = try Self.configuration(baseURL: baseURL, auth: .basic)
        controlConfiguration.retry = RetryPolicy(maxAttempts: 1)
        let control = ProvisioningClient(
            configuration: controlConfiguration,
            logger: Logger(label: "control", factory: { _ in SwiftLogNoOpLogHandler() }))
        let harness = EmulatorHarness(baseURL: baseURL, client: client, control: control, logs: logs)
        do {
            try await body(harness)
        } catch {
            try? await client.shutdown()
            try? await control.shutdown()
            try? await server.stop()
            throw error
        }
        try await client.shutdown()
        try await control.shutdown()
        try await server.stop()
    }

    static func configuration(
        baseURL: String, auth: ProvisioningConfiguration.AuthMode
    ) throws
        -> ProvisioningConfiguration
    {
        try ProvisioningConfiguration(
            environment: [
                "SINCH_PROJECT_ID": project, "SINCH_KEY_ID": keyId, "SINCH_KEY_SECRET": keySecret,
                "SINCH_AUTH": auth.rawValue, "SINCH_PROVISIONING_URL": baseURL,
                "SINCH_AUTH_URL": baseURL + "/oauth2/token",
            ])
    }

    // MARK: - Control API

    @discardableResult
    func controlCall(_ method: APIMethod, _ path: String, _ body: JSONValue? = nil) async throws -> JSONValue? {
        try await control.send(method, path: path, body: body, operation: "emulator control \(path)").body
    }

    func setFaults(_ rules: [JSONValue]) async throws {
        try await controlCall(.put, "/_emulator/faults", ["rules": .array(rules)])
    }

    func clearFaults() async throws {
        try await controlCall(.delete, "/_emulator/faults")
    }

    func advanceClock(seconds: Int) async throws {
        try await controlCall(.post, "/_emulator/clock/advance", ["seconds": .number(Double(seconds))])
    }

    /// The emulator's request log, API and token requests only.
    func requests() async throws -> [RecordedRequest] {
        let body = try await controlCall(.get, "/_emulator/requests")
        return (body?["requests"]?.arrayValue ?? []).compactMap { entry in
            guard let method = entry["method"]?.stringValue, let path = entry["path"]?.stringValue,
                !path.hasPrefix("/_emulator")
            else { return nil }
            return RecordedRequest(
                method: method, path: path, query: entry["query"]?.stringValue ?? "",
                status: entry["status"]?.intValue ?? 0)
        }
    }

    func requests(_ method: String, pathSuffix: String) async throws -> [RecordedRequest] {
        try await requests().filter { $0.method == method && $0.path.hasSuffix(pathSuffix) }
    }

    var tokenRequests: [RecordedRequest] {
        get async throws { try await requests().filter { $0.path == "/oauth2/token" } }
    }

    /// A valid webhook body with a distinct target.
    static func webhook(_ index: Int, secret: String = "whsec-0123456789") -> JSONValue {
        [
            "target": .string("https://hooks.example.com/sinch/\(String(format: "%03d", index))"),
            "secret": .string(secret),
            "triggers": ["WHATSAPP_TEMPLATE_APPROVED", "WHATSAPP_TEMPLATE_REJECTED"],
        ]
    }
}

struct RecordedRequest: Sendable, Equatable {
    var method: String
    var path: String
    var query: String
    var status: Int
}

/// Collects every log line (message and metadata) at trace level.
final class LogCapture: Sendable {
    private let storage = Mutex<[String]>([])

    var lines: [String] { storage.withLock { $0 } }
    var text: String { lines.joined(separator: "\n") }

    func append(_ line: String) { storage.withLock { $0.append(line) } }

    func logger() -> Logger {
        var logger = Logger(label: "test", factory: { _ in CapturingLogHandler(capture: self) })
        logger.logLevel = .trace
        return logger
    }
}

struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        capture.append("[\(event.level)] \(event.message)" + (merged.isEmpty ? "" : " \(merged)"))
    }
}

extension PostResult {
    var completedBody: JSONValue? {
        if case .completed(let body) = self { return body }
        return nil
    }

    var unknownError: APIError? {
        if case .outcomeUnknown(let error) = self { return error }
        return nil
    }
}
