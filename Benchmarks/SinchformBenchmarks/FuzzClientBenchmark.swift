import ArgumentParser
import Foundation
import Logging
import ProvisioningAPI
import SinchformEngine
import SinchformTestSupport

/// `sinchform-bench fuzz-client --seconds 600`: `plan` of the quickstart manifests (through the engine's plan entry
/// point) against a local server answering random statuses, headers and bodies, one seed per plan. Checks that no
/// plan crashes (this process would end: the seed printed last replays it), none runs past its deadline, and none
/// changes a file of the manifest directory.
struct FuzzClientBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz-client", abstract: "Seeded hostile-server fuzzing of the client for a fixed time.")

    @Option(help: "How long to run, in seconds.") var seconds: Double = 600
    @Option(help: "Seed of the first plan (each next plan uses the next seed).") var seed: UInt64 = 20_261_201
    @Option(help: "Stop after this many plans even if time is left.") var maxPlans = Int.max

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sinchform-fuzz-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try ClientFuzz.writeManifests(to: directory)
        print("fuzz-client: seed \(seed), \(seconds) s, deadline per plan \(ClientFuzz.deadline)")
        let start = ContinuousClock.now
        let tally = try await ClientFuzz.run(
            seed: seed, duration: .milliseconds(Int64(seconds * 1000)), maxPlans: maxPlans, directory: directory,
            plan: { baseURL in try await Self.plan(directory: directory, baseURL: baseURL) },
            progress: { tally, next in print("  … \(tally); next seed \(next)") })
        print("fuzz-client: \(tally), crashes 0, in \(ContinuousClock.now - start) (seed \(seed))")
        for (error, count) in tally.errors.sorted(by: { $0.value > $1.value }).prefix(25) {
            print("  \(count)× \(error)")
        }
        if !tally.hung.isEmpty { print("  past the deadline: seeds \(tally.hung)") }
        if !tally.wroteFiles.isEmpty { print("  wrote files: seeds \(tally.wroteFiles)") }
        if !tally.hung.isEmpty || !tally.wroteFiles.isEmpty { throw ExitCode(1) }
    }

    /// The engine's plan entry point, with a client configured as ``ClientFuzz/configure(_:)`` says.
    static func plan(directory: URL, baseURL: String) async throws {
        let environment = ClientFuzz.environment(baseURL: baseURL)
        let workspace = Workspace(directory: directory.path, environment: environment)
        var configuration = try ProvisioningConfiguration(environment: environment)
        ClientFuzz.configure(&configuration)
        let logger = Logger(label: "fuzz") { _ in SwiftLogNoOpLogHandler() }
        try await withProvisioningClient(configuration: configuration, logger: logger) { client in
            _ = try await workspace.plan(client: client)
        }
    }
}
