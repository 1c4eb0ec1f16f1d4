import Foundation
import SinchformTestSupport
import Testing

/// An unreachable API, wrong credentials and a missing project id: each is one clear line on standard error, exit 1,
/// and nothing written (no lock file, no .sinchform/ folder, no plan file).
@Suite struct ConnectionErrorTests {
    static let manifest = """
        webhooks:
          ops:
            target: https://ops.example.com/hook
            triggers: [ALL]
            secret: ${env.OPS_SECRET}

        """

    private func attempt(
        _ environment: [String: String], expecting phrase: String
    ) async throws {
        let root = try Reliability.scratch("connection")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.manifest.write(to: folder.appendingPathComponent("main.yaml"), atomically: true, encoding: .utf8)

        let plan = try await SinchformCLI.run(
            ["plan", "project", "--out", "saved.plan"], in: root,
            environment: environment.merging(["OPS_SECRET": "s"]) { $1 })
        #expect(plan.status == 1, "\(plan)")
        let lines = plan.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(plan.stderr)")
        #expect(plan.stderr.contains(phrase), "\(plan)")
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(written == ["main.yaml"], "nothing written: \(written)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("saved.plan").path))
    }

    @Test func unreachableAPI() async throws {
        try await attempt(
            [
                "SINCH_PROJECT_ID": "p", "SINCH_KEY_ID": "k", "SINCH_KEY_SECRET": "s",
                "SINCH_PROVISIONING_URL": "http://127.0.0.1:9", "SINCH_AUTH_URL": "http://127.0.0.1:9/oauth2/token",
            ], expecting: "127.0.0.1:9")
    }

    @Test func wrongCredentials() async throws {
        try await Reliability.withEmulator("connection-emulator") { emulator, _ in
            try await attempt(emulator.environment(["SINCH_KEY_SECRET": "not-the-secret"]), expecting: "401")
        }
    }

    /// Security audit finding 18: the audit's reproduction printed `cannot reach http://user:URLPASS-CANARY@…`.
    @Test func credentialsInTheURLAreNotPrinted() async throws {
        try await attempt(
            [
                "SINCH_PROJECT_ID": "p", "SINCH_KEY_ID": "k", "SINCH_KEY_SECRET": "s", "SINCH_AUTH": "basic",
                "SINCH_PROVISIONING_URL": "http://user:URLPASS-CANARY@127.0.0.1:9",
            ], expecting: "SINCH_PROVISIONING_URL contains credentials (http://…@127.0.0.1:9); remove them")
    }

    @Test func missingProjectId() async throws {
        try await attempt(["SINCH_KEY_ID": "k", "SINCH_KEY_SECRET": "s"], expecting: "SINCH_PROJECT_ID")
    }
}
