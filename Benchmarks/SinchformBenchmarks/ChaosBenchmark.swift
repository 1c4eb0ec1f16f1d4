import ArgumentParser
import Foundation
import Logging
import ProvisioningAPI
import ProvisioningEmulator
import SinchformEngine
import SinchformTestSupport

/// `sinchform-bench chaos`: apply many resources against an emulator injecting 10% 5xx, 5% 429 with Retry-After,
/// 5% dropped connections (half before, half after processing) and random latency, until a plan shows no changes.
/// Succeeds when the first apply converges with no failed step, no duplicate and no delete (issue 19); later applies
/// (up to `--max-runs`) only tell how many it would take otherwise.
struct ChaosBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaos", abstract: "Apply under injected faults until converged; count runs and duplicates.")

    @Option(help: "Resources to apply (WhatsApp templates, KakaoTalk senders and templates, 5 webhooks).")
    var resources = 500
    @Option(help: "Give up after this many applies.") var maxRuns = 6
    @Option(help: "Repeat the whole experiment this many times (fresh emulator each).") var repeats = 1
    @Option(help: "Parallelism of each apply.") var parallelism = 4

    func run() async throws {
        var allRuns: [Int] = []
        var problems = 0
        for repetition in 1...max(1, repeats) {
            let outcome = try await ChaosExperiment(resources: resources, parallelism: parallelism).run(
                maxRuns: maxRuns)
            allRuns.append(outcome.runs)
            print(
                "chaos #\(repetition): \(resources) resources, runs needed \(outcome.converged ? "\(outcome.runs)" : "> \(maxRuns) (not converged)"), "
                    + "\(outcome.requests) requests of which \(outcome.faulted) faulted, "
                    + "step failures per run \(outcome.failuresPerRun), statuses \(outcome.statuses.sorted { $0.key < $1.key }), "
                    + String(format: "%.1f s", outcome.seconds))
            print(
                "  duplicates \(outcome.duplicates) (successful creates \(outcome.creates) for \(resources)), "
                    + "DELETE requests \(outcome.deletes), live equals manifests: \(outcome.liveMatches) "
                    + "(live \(outcome.live.sorted { $0.key < $1.key }), expected \(outcome.expected.sorted { $0.key < $1.key }))"
            )
            for (run, messages) in outcome.messagesPerRun.enumerated() where !messages.isEmpty {
                print("  run \(run + 1) failures (first \(messages.count)):")
                for message in messages { print("    \(message)") }
            }
            // The issue's criterion: one apply converges, with no failed step, no duplicate and no delete.
            if !outcome.converged || outcome.runs != 1 || outcome.failuresPerRun.first != 0 || outcome.duplicates != 0
                || outcome.deletes != 0 || !outcome.liveMatches
            {
                problems += 1
            }
        }
        print(
            "chaos: runs needed \(allRuns) (target: 1, with 0 failed steps and 0 duplicates), "
                + "experiments with a problem: \(problems)")
        if problems > 0 { throw ExitCode(1) }
    }
}

/// One chaos experiment: a fresh in-process emulator on 127.0.0.1, a scratch directory, applies until converged.
struct ChaosExperiment {
    var resources: Int
    var parallelism: Int

    struct Outcome {
        var runs = 0
        var converged = false
        var requests = 0
        var faulted = 0
        var statuses: [Int: Int] = [:]
        var creates = 0
        var duplicates = 0
        var deletes = 0
        /// Failed and skipped steps per apply; -1 when the apply (or the plan before it) threw as a whole.
        var failuresPerRun: [Int] = []
        /// Per apply, the first messages of its failed steps (or the error the whole apply threw).
        var messagesPerRun: [[String]] = []
        var live: [String: Int] = [:]
        var expected: [String: Int] = [:]
        var liveMatches = false
        var seconds = 0.0
    }

    func run(maxRuns: Int) async throws -> Outcome {
        var logger = Logger(label: "chaos")
        logger.logLevel = .critical
        let manifests = ManyResources(count: resources, webhooks: 5)
        var outcome = Outcome()
        outcome.expected = manifests.expectedCounts
        let clock = ContinuousClock()
        let start = clock.now
        try await EmulatorHarness.run(environment: ["HOOK_SECRET": "chaos-hook-secret"], logger: logger) { emulator in
            try manifests.write(to: emulator.directory)
            let workspace = Workspace(directory: emulator.directory.path, environment: emulator.environment)
            let retry = RetryPolicy(baseDelay: .milliseconds(50), maxDelay: .seconds(2))
            let control = emulator.control
            try await emulator.withClient(retry: retry, logger: logger) { admin in
                try await control.clearRequests()
                while outcome.runs < maxRuns && !outcome.converged {
                    outcome.runs += 1
                    try await control.setFaults(Chaos.rules())
                    var failures = 0
                    var messages: [String] = []
                    do {
                        let result = try await emulator.withClient(retry: retry, logger: logger) { client in
                            let context = try await workspace.plan(client: client)
                            return try await Applier().apply(
                                context, workspace: workspace, client: client,
                                options: ApplyOptions(parallelism: parallelism))
                        }
                        failures = result.failed.count + result.skipped.count
                        messages = (result.failed + result.skipped).map { $0.message ?? "\($0.address)" }
                    } catch {
                        failures = -1
                        messages = ["the apply failed as a whole: \(error)"]
                    }
                    outcome.failuresPerRun.append(failures)
                    outcome.messagesPerRun.append(Array(messages.prefix(5)))
                    try await control.clearFaults()
                    outcome.converged = !(try await workspace.plan(client: admin).plan.hasChanges)
                }
                let requests = try await control.requests()
                outcome.requests = requests.count
                for request in requests where request.path.hasPrefix("/v1/") {
                    outcome.statuses[request.status, default: 0] += 1
                    if [0, 429, 500, 502, 503].contains(request.status) { outcome.faulted += 1 }
                    if request.method == "POST" && (200..<300).contains(request.status) { outcome.creates += 1 }
                    if request.method == "DELETE" { outcome.deletes += 1 }
                }
                outcome.duplicates = max(0, outcome.creates - resources)
                outcome.live = try await control.liveCounts()
            }
        }
        outcome.liveMatches = outcome.live == outcome.expected
        let elapsed = clock.now - start
        outcome.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return outcome
    }
}
