import Foundation
import Logging
import ProvisioningAPI
import SinchformEngine
import SinchformTestSupport
import Testing

/// The short version of `sinchform-bench fuzz-client`: plans of the quickstart manifests against a server answering
/// random statuses, headers and bodies. No plan crashes (the test process would end), none runs past its deadline,
/// and none changes a file of the manifest directory.
@Suite struct ClientFuzzTests {
    @Test
    func plansAgainstHostileServersEndCleanly() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sinchform-client-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try ClientFuzz.writeManifests(to: directory)
        let tally = try await ClientFuzz.run(
            seed: 20_261_201, duration: .seconds(300), maxPlans: 40, directory: directory,
            plan: { baseURL in
                let environment = ClientFuzz.environment(baseURL: baseURL)
                let workspace = Workspace(directory: directory.path, environment: environment)
                var configuration = try ProvisioningConfiguration(environment: environment)
                ClientFuzz.configure(&configuration)
                let logger = Logger(label: "fuzz") { _ in SwiftLogNoOpLogHandler() }
                try await withProvisioningClient(configuration: configuration, logger: logger) { client in
                    _ = try await workspace.plan(client: client)
                }
            })
        print("client fuzz: \(tally)")
        #expect(tally.plans == 40)
        #expect(tally.hung.isEmpty, "plans past the deadline, by seed: \(tally.hung)")
        #expect(tally.wroteFiles.isEmpty, "plans that changed files, by seed: \(tally.wroteFiles)")
        #expect(tally.failed > 0)
    }
}
