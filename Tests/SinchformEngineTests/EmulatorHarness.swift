import Foundation
import Logging
import ProvisioningAPI
import ProvisioningEmulator
import SinchformEngine
import SinchformManifest

/// A running emulator on 127.0.0.1 port 0, a scratch manifest directory, and the environment a user would set.
struct EmulatorHarness {
    let server: EmulatorServer
    let baseURL: String
    let directory: URL
    let environment: [String: String]

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The emulator accepts exactly `keyId` / `keySecret`, and the environment names the same pair.
    static func start(
        reviewDelay: Duration = .seconds(3600), keyId: String = "sinchform-key", keySecret: String = "sinchform-secret",
        extra: [String: String] = [:]
    ) async throws -> EmulatorHarness {
        var configuration = EmulatorConfiguration()
        configuration.reviewDelay = reviewDelay
        configuration.credentials = [keyId: keySecret]
        let server = EmulatorServer(configuration: configuration)
        let baseURL = try await server.start(host: "127.0.0.1", port: 0)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sinchform-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let environment = [
            "SINCH_PROJECT_ID": "sinchform-project", "SINCH_KEY_ID": keyId, "SINCH_KEY_SECRET": keySecret,
            "SINCH_PROVISIONING_URL": baseURL, "SINCH_AUTH_URL": baseURL + "/oauth2/token",
        ].merging(extra) { $1 }
        return EmulatorHarness(server: server, baseURL: baseURL, directory: directory, environment: environment)
    }

    func stop() async throws {
        try await server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    var workspace: Workspace { Workspace(directory: directory.path, environment: environment) }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func copyExample(_ file: String) throws {
        let source = Self.packageRoot.appendingPathComponent("examples/quickstart").appendingPathComponent(file)
        try FileManager.default.copyItem(at: source, to: directory.appendingPathComponent(file))
    }

    func withClient<Value: Sendable>(_ body: (ProvisioningClient) async throws -> Value) async throws -> Value {
        var configuration = try ProvisioningConfiguration(environment: environment)
        configuration.retry = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(10), maxDelay: .milliseconds(200))
        return try await withProvisioningClient(configuration: configuration, body)
    }

    func plan(scope: PlanScope = PlanScope()) async throws -> PlanContext {
        try await withClient { client in try await workspace.plan(client: client, scope: scope) }
    }

    func apply(parallelism: Int = 4) async throws -> ApplyResult {
        try await withClient { client in
            let context = try await workspace.plan(client: client)
            return try await Applier().apply(
                context, workspace: workspace, client: client, options: ApplyOptions(parallelism: parallelism))
        }
    }

    /// Calls the emulator's control API (or any path) with a raw request.
    @discardableResult
    func control(_ method: APIMethod, _ path: String, _ body: JSONValue? = nil) async throws -> JSONValue? {
        try await withClient { client in
            try await client.send(method, path: path, body: body, operation: "control").body
        }
    }

    /// Completes every pending review with `outcome` (approve or reject); nothing pending is fine.
    func review(_ outcome: String, kind: String? = nil) async throws {
        var body: [String: JSONValue] = ["projectId": "sinchform-project", "outcome": .string(outcome), "all": true]
        if let kind { body["kind"] = .string(kind) }
        do {
            try await control(.post, "/_emulator/review", .object(body))
        } catch let error as APIError where error.status == 404 {
            // No review was pending.
        }
    }
}
