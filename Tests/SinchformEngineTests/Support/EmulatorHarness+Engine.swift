import Foundation
import ProvisioningAPI
import SinchformEngine
import SinchformTestSupport

/// The engine's view of the shared emulator harness: a workspace over its scratch directory, and plan and apply
/// against it.
extension EmulatorHarness {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Retries with waits long enough for the fault mixes of the reliability tests.
    static let reliabilityRetry = RetryPolicy(baseDelay: .milliseconds(20), maxDelay: .milliseconds(400))

    var workspace: Workspace { Workspace(directory: directory.path, environment: environment) }

    func copyExample(_ file: String) throws {
        let source = Self.packageRoot.appendingPathComponent("examples/quickstart").appendingPathComponent(file)
        try FileManager.default.copyItem(at: source, to: directory.appendingPathComponent(file))
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

    /// Calls the API directly (an out-of-band change, or a step a person would take).
    @discardableResult
    func api(_ method: APIMethod, _ path: String, _ body: JSONValue? = nil) async throws -> JSONValue? {
        try await withClient { client in
            try await client.send(method, path: path, body: body, operation: "out of band").body
        }
    }
}
