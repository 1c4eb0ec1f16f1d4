import ArgumentParser
import Foundation

/// Benchmarks that print numbers; run in a release build: `swift run -c release sinchform-bench <name>`.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sinchform-bench",
        abstract: "sinchform benchmarks (release build).",
        subcommands: [
            ValidateBenchmark.self, EmulatorBenchmark.self, WorkloadBenchmark.self, ChaosBenchmark.self,
            KillBenchmark.self, ChaosManifestFuzzBenchmark.self, FuzzEmulatorBenchmark.self, FuzzClientBenchmark.self,
        ])
}

/// Runs a command, returning its wall time and exit status.
func timed(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (Double, Int32) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let start = ContinuousClock.now
    try process.run()
    process.waitUntilExit()
    let elapsed = ContinuousClock.now - start
    return (
        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, process.terminationStatus
    )
}

/// The largest resident set of any child process so far, in MB (getrusage of the waited-for children).
func childrenPeakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// The `sinchform` binary next to this benchmark's own binary (same build configuration).
func sinchformBinary() -> String {
    URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("sinchform").path
}
