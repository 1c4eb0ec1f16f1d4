import Foundation
import Logging
import ProvisioningAPI
import ProvisioningEmulator

/// An emulator served on 127.0.0.1 (a free port) for the length of a test body, with a scratch directory, the
/// environment a user would export to reach it, and a typed client for its control routes.
///
/// Only ``run(reviewDelay:keyId:keySecret:project:environment:configure:logger:_:)`` makes one, and it stops the
/// server and removes the directory when the body ends, whether it returns or throws.
public struct EmulatorHarness: Sendable {
    public let server: EmulatorServer
    public let baseURL: String
    public let keyId: String
    public let keySecret: String
    public let project: String
    /// A scratch directory for manifests, the lock and journals; removed at the end.
    public let directory: URL
    /// `SINCH_*` for this emulator, plus the extra variables the test asked for.
    public let environment: [String: String]
    public let control: EmulatorControl

    /// Retries with short waits, so tests that meet faults stay fast.
    public static let fastRetry = RetryPolicy(
        maxAttempts: 6, baseDelay: .milliseconds(10), maxDelay: .milliseconds(200))

    /// Serves an emulator accepting exactly `keyId`/`keySecret` for `project` while `body` runs.
    ///
    /// Reviews end after `reviewDelay` of emulator time: by default far beyond what a slow, loaded machine takes in
    /// real time, so tests decide when reviews end (through ``EmulatorControl/reviewAll(_:kind:reason:)`` or the
    /// clock).
    public static func run<Value>(
        reviewDelay: Duration = .seconds(3600), keyId: String = "sinchform-key",
        keySecret: String = "sinchform-secret", project: String = "sinchform-project",
        environment extra: [String: String] = [:], configure: (inout EmulatorConfiguration) -> Void = { _ in },
        logger: Logger = Logger(label: "emulator", factory: { _ in SwiftLogNoOpLogHandler() }),
        isolation: isolated (any Actor)? = #isolation,
        _ body: (EmulatorHarness) async throws -> Value
    ) async throws -> Value {
        var configuration = EmulatorConfiguration()
        configuration.reviewDelay = reviewDelay
        configuration.credentials = [keyId: keySecret]
        configuration.projects = [project]
        configure(&configuration)
        let server = EmulatorServer(configuration: configuration, logger: logger)
        let baseURL = try await server.start(host: "127.0.0.1", port: 0)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sinchform-test-\(UUID().uuidString)")
        let harness = EmulatorHarness(
            server: server, baseURL: baseURL, keyId: keyId, keySecret: keySecret, project: project,
            directory: directory,
            environment: [
                "SINCH_PROJECT_ID": project, "SINCH_KEY_ID": keyId, "SINCH_KEY_SECRET": keySecret,
                "SINCH_PROVISIONING_URL": baseURL, "SINCH_AUTH_URL": baseURL + "/oauth2/token",
            ].merging(extra) { $1 },
            control: EmulatorControl(baseURL: baseURL, keyId: keyId, keySecret: keySecret, project: project))
        let result: Value
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            result = try await body(harness)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            try? await server.stop()
            throw error
        }
        try? FileManager.default.removeItem(at: directory)
        try await server.stop()
        return result
    }

    /// A client configuration for this emulator (`environment` overrides the harness's own).
    public func configuration(
        auth: ProvisioningConfiguration.AuthMode? = nil, retry: RetryPolicy = EmulatorHarness.fastRetry,
        environment: [String: String]? = nil
    ) throws -> ProvisioningConfiguration {
        var variables = environment ?? self.environment
        if let auth { variables["SINCH_AUTH"] = auth.rawValue }
        var configuration = try ProvisioningConfiguration(environment: variables)
        configuration.retry = retry
        return configuration
    }

    /// Runs `body` with a client of this emulator, shut down when `body` ends.
    public func withClient<Value: Sendable>(
        auth: ProvisioningConfiguration.AuthMode? = nil, retry: RetryPolicy = EmulatorHarness.fastRetry,
        logger: Logger = Logger(label: "client", factory: { _ in SwiftLogNoOpLogHandler() }),
        environment: [String: String]? = nil, _ body: (ProvisioningClient) async throws -> Value
    ) async throws -> Value {
        try await withProvisioningClient(
            configuration: configuration(auth: auth, retry: retry, environment: environment), logger: logger, body)
    }

    /// Writes a file into the scratch directory.
    public func write(_ name: String, _ text: String) throws {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
}
