import ArgumentParser
import Foundation
import ProvisioningAPI
import SinchformEngine
import SinchformManifest
import SinchformTestSupport

/// What one phase of the workload did, as the child process reports it (one JSON line on stdout).
struct PhaseReport: Codable, Sendable {
    var phase: String
    /// The phase's own work, without process start-up.
    var seconds: Double
    /// Baseline: manifest and lock loading.
    var loadSeconds = 0.0
    /// Baseline: the per-resource GETs. (Plan and drift overlap loading and reading: see `--profile`.)
    var refreshSeconds = 0.0
    /// Plan and drift: the three-way diff alone (measured after the phase, not part of its time).
    var diffSeconds = 0.0
    /// API requests the emulator recorded during the phase (control and token requests excluded).
    var requests = 0
    /// Requests per emulator route, for the report.
    var routes: [String: Int] = [:]
    /// Apply: steps done, failed and skipped; plan: changes that are not no-ops; drift: drifted resources.
    var done = 0
    var failed = 0
    var skipped = 0
    var firstFailure: String?
    /// Apply: whether the lock file written step by step is byte for byte what encoding the final lock gives.
    var lockCanonical: Bool?
    /// The child's peak resident set (VmHWM), in MB.
    var peakMegabytes = 0.0
    /// The CPU time (user + system, every thread) the child spent in the timed phase, from getrusage.
    var cpuSeconds = 0.0
    /// Stages: the CPU seconds of each run of each stage of a plan, by stage.
    var stageCPU: [String: [Double]] = [:]
}

/// The engine side of the workload, run in a child process so that its peak memory is its own: one phase, timed,
/// against an emulator the parent runs.
struct WorkloadEngine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine", abstract: "Run one workload phase (internal: started by `workload`).",
        shouldDisplay: false)

    @Option(help: "plan, apply, drift, baseline or stages.") var phase: String
    @Option(help: "Manifest directory.") var directory: String
    @Option(help: "Emulator base URL.") var url: String
    @Option(help: "Apply parallelism.") var parallelism = 8
    @Option(help: "Requests in flight per host (the client's limit).") var concurrency = 8
    @Option(help: "Requests in flight for the per-resource baseline.") var baselineConcurrency = 10
    @Option(help: "Stages: runs of each stage.") var stageRuns = 5

    func run() async throws {
        let environment = WorkloadBenchmark.environment(url: url)
        var configuration = try ProvisioningConfiguration(environment: environment)
        configuration.maxConcurrentRequestsPerHost = phase == "baseline" ? baselineConcurrency : concurrency
        let workspace = Workspace(directory: directory, environment: environment)
        let report = try await withProvisioningClient(configuration: configuration) { client in
            try await run(phase, workspace: workspace, client: client)
        }
        let data = try JSONEncoder().encode(report)
        print(String(decoding: data, as: UTF8.self))
    }

    private func run(_ phase: String, workspace: Workspace, client: ProvisioningClient) async throws -> PhaseReport {
        let control = WorkloadBenchmark.control(url: url)
        var report = PhaseReport(phase: phase, seconds: 0)
        switch phase {
        case "apply":
            // The plan is not part of the apply's time or requests: the log is cleared between them.
            let context = try await workspace.plan(client: client)
            try await control.clearRequests()
            let start = ContinuousClock.now
            let cpuStart = processCPUSeconds()
            let result = try await Applier().apply(
                context, workspace: workspace, client: client, options: ApplyOptions(parallelism: parallelism))
            report.seconds = (ContinuousClock.now - start).inSeconds
            report.cpuSeconds = processCPUSeconds() - cpuStart
            report.done = result.done.count
            report.failed = result.failed.count
            report.skipped = result.skipped.count
            report.firstFailure = result.failed.first.map { "\($0.address): \($0.message ?? "")" }
            report.lockCanonical = try Self.lockIsCanonical(in: workspace.root)
        case "plan", "drift":
            // What `sinchform plan` does: the lock file, then the manifests loading while the lock's kinds are read.
            try await control.clearRequests()
            let start = ContinuousClock.now
            let cpuStart = processCPUSeconds()
            let context = try await workspace.plan(client: client)
            var plan = context.plan
            if phase == "drift" { plan = plan.driftOnly() }
            report.seconds = (ContinuousClock.now - start).inSeconds
            report.cpuSeconds = processCPUSeconds() - cpuStart
            report.done = plan.changes.filter(\.isChange).count
            // The diff alone, once more outside the timed phase (after its requests and peak memory are read), from
            // a refresh of its own: the per-resource column adds it to its reads.
            report.peakMegabytes = peakResidentMegabytes()
            (report.requests, report.routes) = try await Self.requestCounts(control)
            // Every kind and every sender's templates: the workload manages all of the project.
            let live = try await Refresher().refresh(client)
            let diffStart = ContinuousClock.now
            _ = try await Planner().plan(
                manifests: context.manifests, live: live, lock: context.lock, project: plan.project,
                manifestDirectory: workspace.directory)
            report.diffSeconds = (ContinuousClock.now - diffStart).inSeconds
        case "baseline":
            try await control.clearRequests()
            let start = ContinuousClock.now
            let cpuStart = processCPUSeconds()
            _ = try await workspace.loadManifests()
            guard let lock = try workspace.readLock() else { throw ValidationError("baseline needs sinchform.lock") }
            let loaded = ContinuousClock.now
            let bodies = try await PerResourceRefresher(client: client, concurrency: baselineConcurrency)
                .refresh(Array(lock.resources.values))
            let end = ContinuousClock.now
            report.seconds = (end - start).inSeconds
            report.cpuSeconds = processCPUSeconds() - cpuStart
            report.loadSeconds = (loaded - start).inSeconds
            report.refreshSeconds = (end - loaded).inSeconds
            report.done = bodies
        case "stages":
            // Each stage of a plan on its own, in turn, `stageRuns` times: its CPU without the emulator's (which runs
            // in the parent) and without the other stages overlapping it, so that a change to one stage shows in its
            // own column rather than in the noise of the whole plan.
            var cpu: [String: [Double]] = [:]
            func measure<Value>(_ stage: String, _ body: () async throws -> Value) async throws -> Value {
                let start = processCPUSeconds()
                let value = try await body()
                cpu[stage, default: []].append(processCPUSeconds() - start)
                return value
            }
            for _ in 0..<max(1, stageRuns) {
                let (manifests, _) = try await measure("manifest load") { try await workspace.loadManifests() }
                let lock = try await measure("lock read") { try workspace.readLock() }
                // Every kind and every sender's templates: the workload manages all of the project.
                let live = try await measure("refresh") { try await Refresher().refresh(client) }
                let project = try workspace.project(manifests: manifests, lock: lock)
                _ = try await measure("diff") {
                    try await Planner().plan(
                        manifests: manifests, live: live, lock: lock, project: project,
                        manifestDirectory: workspace.directory)
                }
            }
            report.stageCPU = cpu
        default:
            throw ValidationError("unknown phase \(phase)")
        }
        if report.routes.isEmpty { (report.requests, report.routes) = try await Self.requestCounts(control) }
        if report.peakMegabytes == 0 { report.peakMegabytes = peakResidentMegabytes() }
        return report
    }

    /// The lock file's bytes against `JSONEncoder` (pretty-printed, sorted keys) of its decoded contents.
    static func lockIsCanonical(in directory: String) throws -> Bool {
        let path = (directory as NSString).appendingPathComponent(LockFile.fileName)
        guard let written = FileManager.default.contents(atPath: path), let lock = try LockFile.read(in: directory)
        else { return false }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var expected = try encoder.encode(lock)
        expected.append(UInt8(ascii: "\n"))
        return expected == written
    }

    /// API requests since the last clear, from the emulator's per-route counters.
    static func requestCounts(_ control: EmulatorControl) async throws -> (Int, [String: Int]) {
        var routes: [String: Int] = [:]
        for (route, count) in try await control.requestCounters()
        where !route.contains("/_emulator") && !route.contains("/oauth2") {
            routes[route] = count
        }
        return (routes.values.reduce(0, +), routes)
    }
}

/// How a per-resource refresher reads live state: one GET per resource the lock file knows, `concurrency` at a
/// time. The comparison column of the workload; sinchform itself never does this.
struct PerResourceRefresher {
    var client: ProvisioningClient
    var concurrency: Int

    /// Reads every resource; returns how many were read.
    func refresh(_ entries: [LockFile.Entry]) async throws -> Int {
        try await withThrowingTaskGroup(of: JSONValue.self) { group in
            var bodies: [JSONValue] = []
            var next = 0
            func start() {
                guard next < entries.count else { return }
                let entry = entries[next]
                next += 1
                group.addTask { try await get(entry) }
            }
            for _ in 0..<max(1, concurrency) { start() }
            while let body = try await group.next() {
                bodies.append(body)
                start()
            }
            return bodies.count
        }
    }

    private func get(_ entry: LockFile.Entry) async throws -> JSONValue {
        let id = entry.remoteId
        switch entry.kind {
        case .webhook: return try await client.webhooks.get(id: id.id ?? "")
        case .whatsappTemplate:
            return try await client.whatsappTemplates.get(name: id.name ?? "", language: id.language ?? "")
        case .whatsappSender: return try await client.whatsappSenders.get(id: id.id ?? "")
        case .rcsSender: return try await client.rcsSenders.get(id: id.id ?? "")
        case .kakaotalkSender: return try await client.kakaotalkSenders.get(plusFriendId: id.plusFriendId ?? "")
        case .kakaotalkTemplate:
            return try await client.kakaotalkTemplates.get(plusFriendId: id.plusFriendId ?? "", code: id.id ?? "")
        case .whatsappAccount: return try await client.whatsappAccount.get().body
        }
    }
}

/// The CPU time this process has used so far (user + system, all threads), from getrusage(RUSAGE_SELF).
func processCPUSeconds() -> Double {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// VmHWM (the peak resident set) of this process from /proc/self/status, in MB; 0 where /proc is missing.
func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return 0 }
    return (line.split(separator: " ").compactMap { Double($0) }.first ?? 0) / 1024
}

extension Duration {
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
