// kill -9 of the real binary during `rollback` and `state move`, then the same command again: shared by
// `ReliabilityProcessTests` and `sinchform-bench kills --command`, so a test and a benchmark run mean the same thing.
import Foundation
import JSONSyntax

/// One round: a fresh emulator project and directory, an apply, the command killed with SIGKILL after `killAtMs`,
/// then the same command run to its end, and a plan.
public struct KillRound: Sendable {
    /// The command killed and run again.
    public enum Command: String, Sendable, CaseIterable {
        /// `sinchform rollback --auto-approve --directory DIR`: undoes the apply that created every resource.
        case rollback
        /// `sinchform state move webhook.hook-0 webhook.moved-hook-0 --directory DIR`, the manifests renamed to match.
        case stateMove = "state-move"
    }

    /// What a round left.
    public struct Outcome: Sendable {
        /// The process was still running when killed.
        public var wasRunning = false
        /// For rollback: DELETE calls that succeeded before the kill. For state move: what the kill left —
        /// `nothing`, `journal` (the journal's start line, the old lock), `lock` (the new lock, the journal not
        /// closed) or `complete`.
        public var progressAtKill = ""
        /// The second run's exit status and output.
        public var rerunStatus: Int32 = -1
        public var rerunOutput = ""
        /// `plan --detailed-exitcode` after the second run: 2 (the rolled-back creates come back) for rollback,
        /// 0 for state move.
        public var planStatus: Int32 = -1
        /// What is wrong, one line each; empty when the round converged.
        public var problems: [String] = []

        public var converged: Bool { problems.isEmpty }
    }

    public var command: Command
    public var resources: Int
    public var killAtMs: Int
    public var latencyMs: Int

    public init(command: Command, resources: Int, killAtMs: Int, latencyMs: Int) {
        self.command = command
        self.resources = resources
        self.killAtMs = killAtMs
        self.latencyMs = latencyMs
    }

    /// Runs the round in `directory` (created here) against `emulator`, whose project is reset first.
    public func run(binary: URL, emulator: EmulatorProcess, directory: URL, scratch: URL) async throws -> Outcome {
        let control = emulator.control
        try await control.reset()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let manifests = ManyResources(count: resources, webhooks: min(5, resources))
        try manifests.write(to: directory)
        let environment = emulator.environment(["HOOK_SECRET": "kill-hook-secret"])
        func sinchform(_ arguments: [String]) async throws -> ChildProcess.Run {
            try await ChildProcess.run(
                binary, arguments, environment: environment, directory: scratch, scratch: scratch,
                timeout: .seconds(600))
        }
        let applied = try await sinchform(["apply", "--auto-approve", directory.path])
        guard applied.status == 0 else {
            throw ChildProcess.Failure("the first apply failed: \(applied.stdout) \(applied.stderr)")
        }
        let arguments: [String]
        switch command {
        case .rollback:
            arguments = ["rollback", "--auto-approve", "--directory", directory.path]
        case .stateMove:
            arguments = ["state", "move", "webhook.hook-0", "webhook.moved-hook-0", "--directory", directory.path]
            let url = directory.appendingPathComponent("webhooks.yaml")
            let text = try String(contentsOf: url, encoding: .utf8)
            try text.replacingOccurrences(of: "\n  hook-0:", with: "\n  moved-hook-0:")
                .write(to: url, atomically: true, encoding: .utf8)
        }
        let lockURL = directory.appendingPathComponent("sinchform.lock")
        let lockBefore = try Data(contentsOf: lockURL)

        var outcome = Outcome()
        try await control.clearRequests()
        try await control.setFaults([["type": "latency", "randomMs": .number(Double(latencyMs))]])
        let child = try ChildProcess(binary, arguments, environment: environment, directory: scratch, scratch: scratch)
        try await Task.sleep(for: .milliseconds(killAtMs))
        outcome.wasRunning = child.isRunning
        child.kill()
        try await control.clearFaults()
        switch command {
        case .rollback:
            let deletes = try await control.requests().filter {
                $0.method == "DELETE" && (200..<300).contains($0.status)
            }
            outcome.progressAtKill = "\(deletes.count) deletes"
        case .stateMove:
            let journal = Self.journals(in: directory).filter { $0.hasSuffix("-state.jsonl") }.last
            let lines = journal.map { (try? String(contentsOfFile: $0, encoding: .utf8)) ?? "" } ?? ""
            let lockChanged = (try? Data(contentsOf: lockURL)) != lockBefore
            outcome.progressAtKill =
                lockChanged
                ? (lines.contains("\"done\"") ? "complete" : "lock")
                : (lines.contains("\"start\"") ? "journal" : "nothing")
        }
        // A kill can land between a temporary file's creation and its rename: only the lock must be whole here.
        outcome.problems += Self.fileProblems(directory, when: "after the kill").filter { !$0.hasSuffix("left behind") }

        let rerun = try await sinchform(arguments)
        outcome.rerunStatus = rerun.status
        outcome.rerunOutput = String((rerun.stdout + rerun.stderr).suffix(700))
        if rerun.status != 0 { outcome.problems.append("the same command again exited \(rerun.status)") }
        outcome.problems += Self.fileProblems(directory, when: "after the second run")

        let plan = try await sinchform(["plan", "--detailed-exitcode", directory.path])
        outcome.planStatus = plan.status
        let lock = (try? JSONSerialization.jsonObject(with: Data(contentsOf: lockURL))) as? [String: Any]
        let recorded = Set(((lock?["resources"] as? [String: Any]) ?? [:]).keys)
        let live = try await control.liveCounts()
        switch command {
        case .rollback:
            // Everything the apply created is deleted, and the lock records none of it.
            if !live.isEmpty { outcome.problems.append("still live: \(live)") }
            if !recorded.isEmpty { outcome.problems.append("the lock still records \(recorded.sorted().prefix(3))") }
            if plan.status != 2 { outcome.problems.append("plan exited \(plan.status), not 2: \(plan.stderr)") }
        case .stateMove:
            if live != manifests.expectedCounts { outcome.problems.append("live \(live)") }
            if recorded.count != resources || !recorded.contains("webhook.moved-hook-0")
                || recorded.contains("webhook.hook-0")
            {
                outcome.problems.append(
                    "the lock records \(recorded.count) entries, moved: "
                        + "\(recorded.contains("webhook.moved-hook-0")), old: \(recorded.contains("webhook.hook-0"))")
            }
            if plan.status != 0 { outcome.problems.append("plan exited \(plan.status), not 0: \(plan.stdout)") }
            let creates = try await control.successfulCreates()
            if creates != 0 { outcome.problems.append("\(creates) creates") }
        }
        return outcome
    }

    /// The journals of `directory`, oldest first.
    static func journals(in directory: URL) -> [String] {
        let folder = directory.appendingPathComponent(".sinchform/journal")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.sorted().map { folder.appendingPathComponent($0).path }
    }

    /// A lock file that does not parse as format 1, or a temporary file a write left behind.
    static func fileProblems(_ directory: URL, when: String) -> [String] {
        var problems: [String] = []
        let lockURL = directory.appendingPathComponent("sinchform.lock")
        if FileManager.default.fileExists(atPath: lockURL.path) {
            let lock = (try? JSONSerialization.jsonObject(with: Data(contentsOf: lockURL))) as? [String: Any]
            if lock?["formatVersion"] as? Int != 1 { problems.append("\(when): sinchform.lock does not parse") }
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasSuffix(".tmp") { problems.append("\(when): \(name) left behind") }
        return problems
    }
}
