import ArgumentParser
import Foundation
import ProvisioningAPI
import SinchformFixtures

/// `sinchform-bench kills`: kill -9 the real `sinchform apply` at random moments, then run `plan` and `apply`;
/// count convergence, duplicates and lock files that do not parse. The emulator is a `sinchform emulator --state`
/// process of its own.
struct KillBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kills", abstract: "kill -9 during apply, then plan + apply: convergence and duplicates.")

    @Option(help: "Kills (each on a fresh emulator project and directory).") var kills = 50
    @Option(help: "Resources per apply.") var resources = 200
    @Option(help: "Latest kill moment, in milliseconds after the apply started.") var maxKillMs = 4000
    @Option(help: "Random latency the emulator adds to each request, in milliseconds.") var latencyMs = 60

    func run() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sinchform-kills-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let emulator = try await EmulatorProcess.start(
            binary: sinchformBinary(), state: scratch.appendingPathComponent("emulator.json").path, scratch: scratch)
        defer { emulator.stop() }
        var environment = ProcessInfo.processInfo.environment
        environment.merge(emulator.environment) { $1 }
        environment["HOOK_SECRET"] = "kill-hook-secret"
        environment["NO_COLOR"] = "1"
        var configuration = try ProvisioningConfiguration(environment: environment)
        configuration.retry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20))

        var converged = 0
        var duplicates = 0
        var unparsable = 0
        var midApply = 0
        var failures: [String] = []
        try await withProvisioningClient(configuration: configuration) { admin in
            for round in 1...kills {
                _ = try await admin.send(.post, path: "/_emulator/reset", operation: "control")
                _ = try await admin.send(
                    .put, path: "/_emulator/faults",
                    body: ["rules": [["type": "latency", "randomMs": .number(Double(latencyMs))]]],
                    operation: "control")
                let directory = scratch.appendingPathComponent("round-\(round)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                let manifests = ManyResources(count: resources, webhooks: 5)
                try manifests.write(to: directory)

                let killAt = Int.random(in: 50...maxKillMs)
                let apply = try ChildProcess(
                    sinchformBinary(), ["apply", "--auto-approve", directory.path], environment: environment,
                    scratch: scratch)
                try await Task.sleep(for: .milliseconds(killAt))
                let wasRunning = apply.isRunning
                apply.kill()
                let creates = try await Self.creates(admin)
                if wasRunning && creates < resources { midApply += 1 }

                let lockPath = directory.appendingPathComponent("sinchform.lock").path
                if FileManager.default.fileExists(atPath: lockPath) {
                    let data = try Data(contentsOf: URL(fileURLWithPath: lockPath))
                    let parsed = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
                    if parsed?["formatVersion"] as? Int != 1 { unparsable += 1 }
                }
                _ = try await admin.send(.delete, path: "/_emulator/faults", operation: "control")
                let plan = try ChildProcess.run(
                    sinchformBinary(), ["plan", directory.path], environment: environment, scratch: scratch)
                let reapply = try ChildProcess.run(
                    sinchformBinary(), ["apply", "--auto-approve", directory.path], environment: environment,
                    scratch: scratch)
                let final = try ChildProcess.run(
                    sinchformBinary(), ["plan", "--detailed-exitcode", directory.path], environment: environment,
                    scratch: scratch)
                let total = try await Self.creates(admin)
                let live = try await ManyResources.liveCounts(admin)
                let ok =
                    plan.status == 0 && reapply.status == 0 && final.status == 0
                    && live == manifests.expectedCounts
                if ok {
                    converged += 1
                } else {
                    failures.append(
                        "round \(round): plan \(plan.status), apply \(reapply.status), final plan \(final.status), "
                            + "live \(live): \(reapply.stderr.prefix(300))")
                }
                duplicates += max(0, total - resources)
                print(
                    "round \(round): killed at \(killAt) ms (\(wasRunning ? "running" : "already finished")) "
                        + "after \(creates) creates; converged \(ok), creates in all \(total)")
            }
        }
        print(
            "kills: \(converged) of \(kills) converged (target \(kills) of \(kills)), duplicates \(duplicates), "
                + "lock files that did not parse \(unparsable), kills that landed mid-apply \(midApply)")
        for failure in failures { print("  \(failure)") }
        if converged != kills || duplicates != 0 || unparsable != 0 { throw ExitCode(1) }
    }

    static func creates(_ admin: ProvisioningClient) async throws -> Int {
        let log = try await admin.send(.get, path: "/_emulator/requests", operation: "control").body
        return (log?["requests"]?.arrayValue ?? []).filter {
            $0["method"]?.stringValue == "POST" && ($0["path"]?.stringValue ?? "").hasPrefix("/v1/")
                && (200..<300).contains(Int($0["status"]?.doubleValue ?? 0))
        }.count
    }
}

/// A child process with its output in files (so no pipe fills up).
final class ChildProcess {
    let process = Process()
    let stdout: URL
    let stderr: URL

    init(_ binary: String, _ arguments: [String], environment: [String: String], scratch: URL) throws {
        let id = UUID().uuidString
        stdout = scratch.appendingPathComponent("\(id).out")
        stderr = scratch.appendingPathComponent("\(id).err")
        guard FileManager.default.createFile(atPath: stdout.path, contents: nil),
            FileManager.default.createFile(atPath: stderr.path, contents: nil)
        else { throw ValidationError("cannot create \(stdout.path)") }
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    var stdoutText: String { (try? String(contentsOf: stdout, encoding: .utf8)) ?? "" }

    struct Finished {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs to completion (each command here is bounded by its own request deadlines).
    static func run(
        _ binary: String, _ arguments: [String], environment: [String: String], scratch: URL
    ) throws -> Finished {
        let child = try ChildProcess(binary, arguments, environment: environment, scratch: scratch)
        child.process.waitUntilExit()
        return Finished(
            status: child.process.terminationStatus, stdout: child.stdoutText,
            stderr: (try? String(contentsOf: child.stderr, encoding: .utf8)) ?? "")
    }
}

/// `sinchform emulator --port 0 --state FILE` as a separate process.
struct EmulatorProcess {
    let child: ChildProcess
    let url: String

    static func start(binary: String, state: String, scratch: URL) async throws -> EmulatorProcess {
        let child = try ChildProcess(
            binary, ["emulator", "--port", "0", "--state", state, "--review-delay", "3600"],
            environment: ProcessInfo.processInfo.environment, scratch: scratch)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(20)
        while clock.now < deadline && child.isRunning {
            if let line = child.stdoutText.split(separator: "\n").first, line.hasPrefix("http") {
                return EmulatorProcess(child: child, url: String(line))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        child.kill()
        throw ValidationError("sinchform emulator did not start")
    }

    var environment: [String: String] {
        [
            "SINCH_PROJECT_ID": "sinchform-project", "SINCH_KEY_ID": "sinchform-key",
            "SINCH_KEY_SECRET": "sinchform-secret", "SINCH_PROVISIONING_URL": url,
            "SINCH_AUTH_URL": url + "/oauth2/token",
        ]
    }

    func stop() {
        child.process.terminate()
        child.process.waitUntilExit()
    }
}
