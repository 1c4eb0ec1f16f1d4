import ArgumentParser
import Foundation
import Logging
import ProvisioningAPI
import ProvisioningEmulator
import SinchformEngine
import SinchformManifest
import SinchformTestSupport

/// `sinchform-bench workload`: plan, apply and drift of N resources against the emulator with added latency,
/// beside a per-resource refresher doing the same reads.
struct WorkloadBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workload",
        abstract: "Plan / apply / drift of N resources against the in-process emulator with added latency.",
        subcommands: [WorkloadRun.self, WorkloadEngine.self], defaultSubcommand: WorkloadRun.self)

    static let project = "sinchform-project"

    /// What a user would export to point sinchform at the emulator.
    static func environment(url: String) -> [String: String] {
        [
            "SINCH_PROJECT_ID": project, "SINCH_KEY_ID": "sinchform-key", "SINCH_KEY_SECRET": "sinchform-secret",
            "SINCH_PROVISIONING_URL": url, "SINCH_AUTH_URL": url + "/oauth2/token", "BENCH_SECRET": "bench-secret",
        ]
    }

    /// The emulator's control routes, with the same key.
    static func control(url: String) -> EmulatorControl {
        EmulatorControl(baseURL: url, keyId: "sinchform-key", keySecret: "sinchform-secret", project: project)
    }
}

struct WorkloadRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the matrix and print the table (Markdown).",
        discussion: """
            Each cell (N, latency) starts a fresh in-process emulator, writes N resources of manifests, adds a fixed \
            latency to every API request, then runs in a child process each: apply of all creates, plan (refresh + \
            diff), the per-resource baseline (one GET per resource, 10 at a time), apply of 10 % updates, and drift \
            after out-of-band edits. Requests come from the emulator's per-route counters; memory is the child's \
            VmHWM (so the emulator's own memory is not counted).
            """)

    @Option(help: "Resource counts, comma-separated.") var sizes = "100,1000,10000"
    @Option(help: "Added latency per request in ms, comma-separated.") var latencies = "0,20,100"
    @Option(help: "Cells to leave out, as N@ms, comma-separated (e.g. 10000@100).") var skip = ""
    @Option(help: "Apply parallelism.") var parallelism = 8
    @Option(help: "The client's requests in flight per host.") var concurrency = 8
    @Option(help: "Requests in flight for the per-resource baseline.") var baselineConcurrency = 10
    @Option(help: "KakaoTalk templates per KakaoTalk sender (1 is the worst case for refresh).")
    var templatesPerSender = 5
    @Option(
        help: """
            Runs of the plan phase per cell; its row is the run with the least CPU (the machine only ever adds to a \
            run's time), and every run's CPU is logged.
            """)
    var planRuns = 1
    @Option(
        help: """
            Also run each stage of a plan (manifest load, lock read, refresh, diff) on its own this many times in one \
            child, after the plan runs, and log each stage's CPU (least and median): finer than the whole plan's CPU.
            """)
    var stageRuns = 0
    @Option(help: "Also write the Markdown report to this file.") var out: String?
    @Option(
        help: ArgumentHelp(
            "Run this phase's child under the profiler (plan, apply creates, drift, …).",
            discussion: """
                perf: /tmp/sinchform-bench-N-MS-PHASE.perf.data, read it with `perf report -i`. heaptrack: \
                /tmp/sinchform-bench-N-MS-PHASE.heaptrack.*, read it with `heaptrack_print`.
                """)
    )
    var profile: String?
    @Option(help: "The profiler of --profile: perf (CPU) or heaptrack (allocations).") var profiler = "perf"
    @Option(
        help: """
            perf's call graphs: fp (frame pointers: light, but glibc's malloc and free lose their callers) or dwarf \
            (every caller, a larger file).
            """)
    var callGraph = "fp"

    func run() async throws {
        let sizeList = sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let latencyList = latencies.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let skipped = Set(skip.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        guard !sizeList.isEmpty, !latencyList.isEmpty, sizeList.allSatisfy({ $0 >= 10 && $0 <= 100_000 }),
            latencyList.allSatisfy({ $0 >= 0 && $0 <= 1000 })
        else { throw ValidationError("sizes must be 10...100000 and latencies 0...1000 ms") }
        guard ["perf", "heaptrack"].contains(profiler) else { throw ValidationError("--profiler is perf or heaptrack") }
        guard ["fp", "dwarf"].contains(callGraph) else { throw ValidationError("--call-graph is fp or dwarf") }

        var cells: [WorkloadCell] = []
        for size in sizeList {
            for latency in latencyList where !skipped.contains("\(size)@\(latency)") {
                let mix = WorkloadMix(total: size, templatesPerSender: templatesPerSender)
                log("cell N=\(size) latency=\(latency) ms (load \(loadAverage()))")
                let cell = try await runCell(mix: mix, latency: latency)
                cells.append(cell)
                log(
                    "  "
                        + cell.phases.map {
                            $0.phase + String(format: " %.2f s (CPU %.2f s)", $0.seconds, $0.cpuSeconds)
                                + ($0.diffSeconds > 0 ? String(format: " (diff alone %.2f s)", $0.diffSeconds) : "")
                                + ($0.refreshSeconds > 0
                                    ? String(format: " (load %.2f s, GETs %.2f s)", $0.loadSeconds, $0.refreshSeconds)
                                    : "")
                        }.joined(separator: ", "))
            }
        }
        let report = WorkloadReport(
            cells: cells, parallelism: parallelism, concurrency: concurrency, baselineConcurrency: baselineConcurrency,
            templatesPerSender: templatesPerSender, load: loadAverage()
        ).markdown()
        print(report)
        if let out { try Data(report.utf8).write(to: URL(fileURLWithPath: out)) }
    }

    private func runCell(mix: WorkloadMix, latency: Int) async throws -> WorkloadCell {
        var emulatorConfiguration = EmulatorConfiguration()
        emulatorConfiguration.reviewDelay = .seconds(3600)
        var logger = Logger(label: "emulator")
        logger.logLevel = .warning
        let server = EmulatorServer(configuration: emulatorConfiguration, logger: logger)
        let url = try await server.start(host: "127.0.0.1", port: 0)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sinchform-bench-workload-\(mix.total)-\(latency)-\(UUID().uuidString.prefix(8))")
        var cell = WorkloadCell(mix: mix, latency: latency, loadBefore: loadAverage())
        let cellName = "\(mix.total)-\(latency)"
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let generator = WorkloadGenerator(mix: mix)
            try generator.write(to: directory, revision: 0)
            let configuration = try ProvisioningConfiguration(environment: WorkloadBenchmark.environment(url: url))
            let emulator = WorkloadBenchmark.control(url: url)
            try await withProvisioningClient(configuration: configuration) { control in
                if latency > 0 {
                    try await emulator.setFaults([["type": "latency", "fixedMs": .number(Double(latency))]])
                }
                cell.phases.append(
                    try await child("apply", directory: directory, url: url, cell: cellName, label: "apply creates"))
                // Reviews complete so that the update phase edits approved resources, as it would in real life.
                try await emulator.reviewAll(.approve)
                var runs: [PhaseReport] = []
                for _ in 0..<max(1, planRuns) {
                    runs.append(try await child("plan", directory: directory, url: url, cell: cellName, label: "plan"))
                }
                for (measure, seconds) in [("CPU", \PhaseReport.cpuSeconds), ("wall", \.seconds)] where runs.count > 1 {
                    log(
                        "  plan \(measure) of \(runs.count) runs: "
                            + runs.map { String(format: "%.3f s", $0[keyPath: seconds]) }.joined(separator: ", "))
                }
                // The table's plan row: the run with the least CPU (the first of equal ones).
                if let plan = runs.min(by: { $0.cpuSeconds < $1.cpuSeconds }) { cell.phases.append(plan) }
                if stageRuns > 0 {
                    let stages = try await child(
                        "stages", directory: directory, url: url, cell: cellName, label: "stages")
                    for (stage, runs) in stages.stageCPU.sorted(by: { $0.key < $1.key }) {
                        let sorted = runs.sorted()
                        log(
                            "  \(stage) CPU of \(runs.count) runs: least "
                                + String(format: "%.3f s, median %.3f s", sorted[0], sorted[sorted.count / 2]))
                    }
                }
                cell.phases.append(
                    try await child(
                        "baseline", directory: directory, url: url, cell: cellName, label: "per-resource refresh"))
                try generator.write(to: directory, revision: 1)
                cell.phases.append(
                    try await child("apply", directory: directory, url: url, cell: cellName, label: "apply 10% updates")
                )
                cell.driftEdits = try await editOutOfBand(control, directory: directory, count: max(1, mix.total / 100))
                cell.phases.append(
                    try await child("drift", directory: directory, url: url, cell: cellName, label: "drift"))
            }
        } catch {
            try? await server.stop()
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        try await server.stop()
        try? FileManager.default.removeItem(at: directory)
        cell.loadAfter = loadAverage()
        return cell
    }

    /// Edits `count` managed resources the way a person in the dashboard would: webhooks first, then RCS senders.
    private func editOutOfBand(_ client: ProvisioningClient, directory: URL, count: Int) async throws -> Int {
        guard let lock = try LockFile.read(in: directory.path) else { return 0 }
        let entries = lock.resources.values.sorted { $0.address < $1.address }
        let webhooks = entries.filter { $0.kind == .webhook }.compactMap(\.remoteId.id)
        let senders = entries.filter { $0.kind == .rcsSender }.compactMap(\.remoteId.id)
        var edited = 0
        for id in webhooks.prefix(count) {
            _ = try await client.webhooks.update(id: id, .object(["triggers": .array(["ALL"])]))
            edited += 1
        }
        for id in senders.prefix(max(0, count - edited)) {
            let body: JSONValue = .object([
                "details": .object(["brand": .object(["description": "Edited in the dashboard"])])
            ])
            _ = try await client.rcsSenders.update(id: id, body)
            edited += 1
        }
        return edited
    }

    /// Runs one phase in a child process (this executable's hidden `workload engine`) and reads its report.
    private func child(
        _ phase: String, directory: URL, url: String, cell cellName: String, label: String
    ) async throws -> PhaseReport {
        let process = Process()
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let arguments = [
            "workload", "engine", "--phase", phase, "--directory", directory.path, "--url", url,
            "--parallelism", "\(parallelism)", "--concurrency", "\(concurrency)",
            "--baseline-concurrency", "\(baselineConcurrency)", "--stage-runs", "\(max(1, stageRuns))",
        ]
        if label == profile {
            let phaseName = label.replacingOccurrences(of: " ", with: "-")
            let output = "/tmp/sinchform-bench-\(cellName)-\(phaseName).\(profiler)"
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            let command =
                profiler == "heaptrack"
                ? ["heaptrack", "-o", output]
                : [
                    "perf", "record", "--call-graph", callGraph == "dwarf" ? "dwarf,32768" : "fp", "-q", "-o",
                    output + ".data", "--",
                ]
            process.arguments = command + [executable.path] + arguments
            log("  profiling \(label) with \(profiler) into \(output)*")
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        // Waiting must not block a thread of the cooperative pool: the emulator answers the child on it.
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        // The report is the last JSON line (heaptrack prints its summary after it).
        guard status == 0,
            let line = data.split(separator: UInt8(ascii: "\n")).last(where: { $0.first == UInt8(ascii: "{") })
        else {
            throw ValidationError("phase \(label) failed (exit \(status))")
        }
        var report = try JSONDecoder().decode(PhaseReport.self, from: Data(line))
        report.phase = label
        if report.lockCanonical == false {
            throw ValidationError("phase \(label): the lock file differs from its canonical encoding")
        }
        if report.failed > 0 {
            log("  \(label): \(report.failed) failed, first: \(report.firstFailure ?? "?")")
        }
        return report
    }
}

/// One (N, latency) cell of the matrix.
struct WorkloadCell {
    var mix: WorkloadMix
    var latency: Int
    var phases: [PhaseReport] = []
    var driftEdits = 0
    var loadBefore: String
    var loadAfter = ""

    func phase(_ name: String) -> PhaseReport? { phases.first { $0.phase == name } }
}

/// Progress on stderr, so stdout holds only the report.
func log(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// The 1-, 5- and 15-minute load averages (`uptime`), from /proc/loadavg.
func loadAverage() -> String {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "?" }
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}
