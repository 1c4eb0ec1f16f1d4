import ArgumentParser
import Foundation
import SinchformTestSupport

/// `sinchform-bench fuzz-emulator --seconds 600`: seeded random requests (methods, paths near the API's, queries,
/// headers, bodies, hostile numbers) against a `sinchform emulator` child process, every one with the emulator's
/// key. Checks that the emulator never crashes (a crash is counted, its request and message kept, and the emulator
/// restarted) and that every non-2xx answer is a JSON error with an `errorCode`.
struct FuzzEmulatorBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz-emulator", abstract: "Seeded HTTP fuzzing of the emulator for a fixed time.")

    @Option(help: "How long to run, in seconds.") var seconds: Double = 600
    @Option(help: "Seed of the request generator.") var seed: UInt64 = 20_261_201

    func run() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sinchform-fuzz-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        print("fuzz-emulator: seed \(seed), \(seconds) s")
        var emulator = try await Self.start(scratch: scratch)
        let start = ContinuousClock.now
        let tally = try await EmulatorFuzz.run(
            seed: seed, duration: .milliseconds(Int64(seconds * 1000)),
            baseURL: { emulator.url },
            crashed: { request in
                // A broken connection is a crash only when the process is gone.
                for _ in 0..<50 where emulator.child.isRunning { try await Task.sleep(for: .milliseconds(20)) }
                guard !emulator.child.isRunning else { return nil }
                let stderr = (try? String(contentsOf: emulator.child.stderrURL, encoding: .utf8)) ?? ""
                let message = stderr.split(separator: "\n").filter {
                    $0.contains("Fatal error") || $0.contains("runtime failure")
                }.prefix(2).joined(separator: " | ")
                let crash = "exit \(emulator.child.process.terminationStatus) \(message) ← \(request)"
                print("  crash: \(crash)")
                emulator = try await Self.start(scratch: scratch)
                return crash
            },
            progress: { print("  … \($0)") })
        emulator.child.kill()
        print("fuzz-emulator: \(tally) in \(ContinuousClock.now - start) (seed \(seed))")
        for problem in tally.malformed { print("  malformed: \(problem.prefix(600))") }
        for crash in tally.crashes { print("  crash: \(crash.prefix(600))") }
        if !tally.crashes.isEmpty || tally.malformedCount > 0 || tally.noAnswer > 0 { throw ExitCode(1) }
    }

    /// `sinchform emulator --port 0` with the default key, its output in files. Without the backtracer, a crashing
    /// emulator dies at once, on the request that crashed it (a backtrace keeps the connection open for seconds, and
    /// the crash would be blamed on a later request); replay that request to locate it.
    static func start(scratch: URL) async throws -> (child: ChildProcess, url: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        let child = try ChildProcess(
            URL(fileURLWithPath: sinchformBinary()), ["emulator", "--port", "0"], environment: environment,
            directory: scratch, scratch: scratch)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(20)
        while clock.now < deadline && child.isRunning {
            if let line = child.stdoutText.split(separator: "\n").first, line.hasPrefix("http") {
                return (child, String(line))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        child.kill()
        throw ValidationError("sinchform emulator did not start")
    }
}
