import ArgumentParser
import Foundation
import ProvisioningAPI
import SinchformTestSupport

/// `sinchform-bench kills`: kill -9 the real `sinchform apply` at random moments, then run `plan` and `apply`;
/// count convergence, duplicates and lock files that do not parse. The emulator is a `sinchform emulator --state`
/// process of its own. With `--command rollback` or `--command state-move`, the command killed is that one, after a
/// full apply, and the same command is run again (``KillRound``); `state move` lasts 20-40 ms, so kill it within
/// about `--max-kill-ms 50`.
struct KillBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kills", abstract: "kill -9 during apply, then plan + apply: convergence and duplicates.")

    @Option(help: "Kills (each on a fresh emulator project and directory).") var kills = 50
    @Option(help: "Resources per apply.") var resources = 200
    @Option(help: "Latest kill moment, in milliseconds after the apply started.") var maxKillMs = 4000
    @Option(help: "Random latency the emulator adds to each request, in milliseconds.") var latencyMs = 60
    @Flag(
        help: """
            Apply everything first; the killed apply then renames every webhook and KakaoTalk template (moves, no             API call) and edits the other resources.
            """)
    var renames = false
    @Option(
        help: """
            The command killed: apply (then plan and apply), or rollback / state-move (after a full apply; then the \
            same command again).
            """)
    var command = "apply"

    func run() async throws {
        if let killed = KillRound.Command(rawValue: command) { return try await runStateCommand(killed) }
        guard command == "apply" else { throw ValidationError("--command is apply, rollback or state-move") }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sinchform-kills-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var converged = 0
        var duplicates = 0
        var unparsable = 0
        var midApply = 0
        var failures: [String] = []
        let binary = URL(fileURLWithPath: sinchformBinary())
        try await EmulatorProcess.run(
            binary: binary, state: scratch.appendingPathComponent("emulator.json"), scratch: scratch
        ) { emulator in
            let environment = emulator.environment(["HOOK_SECRET": "kill-hook-secret"])
            let control = emulator.control
            for round in 1...kills {
                try await control.reset()
                try await control.setFaults([["type": "latency", "randomMs": .number(Double(latencyMs))]])
                let directory = scratch.appendingPathComponent("round-\(round)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                let manifests = ManyResources(count: resources, webhooks: 5)
                try manifests.write(to: directory)
                if renames {
                    let first = try await ChildProcess.run(
                        binary, ["apply", "--auto-approve", directory.path], environment: environment,
                        directory: scratch, scratch: scratch, timeout: .seconds(600))
                    guard first.status == 0 else { throw ExitCode(1) }
                    try Self.rename(in: directory)
                }

                let killAt = Int.random(in: 50...maxKillMs)
                let apply = try ChildProcess(
                    binary, ["apply", "--auto-approve", directory.path], environment: environment,
                    directory: scratch, scratch: scratch)
                try await Task.sleep(for: .milliseconds(killAt))
                let wasRunning = apply.isRunning
                apply.kill()
                let creates = try await control.successfulCreates()
                if wasRunning && (renames || creates < resources) { midApply += 1 }

                let lockPath = directory.appendingPathComponent("sinchform.lock").path
                if FileManager.default.fileExists(atPath: lockPath) {
                    let data = try Data(contentsOf: URL(fileURLWithPath: lockPath))
                    let parsed = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
                    if parsed?["formatVersion"] as? Int != 1 { unparsable += 1 }
                }
                try await control.clearFaults()
                // Each command is bounded by its own request deadlines; the timeout only stops a hang.
                let plan = try await ChildProcess.run(
                    binary, ["plan", directory.path], environment: environment, directory: scratch, scratch: scratch,
                    timeout: .seconds(600))
                let reapply = try await ChildProcess.run(
                    binary, ["apply", "--auto-approve", directory.path], environment: environment, directory: scratch,
                    scratch: scratch, timeout: .seconds(600))
                let final = try await ChildProcess.run(
                    binary, ["plan", "--detailed-exitcode", directory.path], environment: environment,
                    directory: scratch, scratch: scratch, timeout: .seconds(600))
                let total = try await control.successfulCreates()
                let live = try await control.liveCounts()
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

    /// `--command rollback|state-move`: each round applies, kills the command at a random moment up to
    /// `--max-kill-ms`, runs it again, and checks the lock and live state (``KillRound``).
    func runStateCommand(_ killed: KillRound.Command) async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sinchform-kills-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let binary = URL(fileURLWithPath: sinchformBinary())
        var outcomes: [KillRound.Outcome] = []
        try await EmulatorProcess.run(
            binary: binary, state: scratch.appendingPathComponent("emulator.json"), scratch: scratch
        ) { emulator in
            for round in 1...kills {
                let killAt = Int.random(in: 1...max(1, maxKillMs))
                let outcome = try await KillRound(
                    command: killed, resources: resources, killAtMs: killAt, latencyMs: latencyMs
                ).run(
                    binary: binary, emulator: emulator, directory: scratch.appendingPathComponent("round-\(round)"),
                    scratch: scratch)
                print(
                    "round \(round): killed at \(killAt) ms (\(outcome.wasRunning ? "running" : "already finished")) "
                        + "after \(outcome.progressAtKill); converged \(outcome.converged)"
                        + (outcome.converged ? "" : ": \(outcome.problems) \(outcome.rerunOutput)"))
                outcomes.append(outcome)
            }
        }
        let converged = outcomes.filter(\.converged).count
        print(
            "kills during \(command): \(converged) of \(kills) converged (target \(kills) of \(kills)), "
                + "kills that landed while it ran \(outcomes.filter(\.wasRunning).count)")
        if converged != kills { throw ExitCode(1) }
    }

    /// Renames every webhook and KakaoTalk template key of the manifests in `directory`: the next plan moves them.
    static func rename(in directory: URL) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".yaml") {
            let url = directory.appendingPathComponent(name)
            let text = try String(contentsOf: url, encoding: .utf8)
                .replacingOccurrences(of: "\n  hook-", with: "\n  moved-hook-")
                .replacingOccurrences(of: "\n  template-", with: "\n  moved-template-")
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }
}
