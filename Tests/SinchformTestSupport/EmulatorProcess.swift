import Foundation

/// A started command whose output goes to files (no pipe can fill up and block it).
public final class ChildProcess: @unchecked Sendable {
    // Process is not Sendable; this wrapper only reads it after start and signals it by pid.
    public let process = Process()
    public let stdoutURL: URL
    public let stderrURL: URL

    /// A finished command: exit status (or the signal that ended it), standard output and error.
    public struct Run: Sendable {
        public var status: Int32
        public var killed: Bool
        public var stdout: String
        public var stderr: String
    }

    /// A file could not be created.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Starts `executable` in `directory` with the current environment plus `environment` and `NO_COLOR=1`; its
    /// output goes to files in `scratch`.
    public init(
        _ executable: URL, _ arguments: [String], environment: [String: String], directory: URL, scratch: URL
    ) throws {
        let id = UUID().uuidString
        stdoutURL = scratch.appendingPathComponent("out-\(id).txt")
        stderrURL = scratch.appendingPathComponent("err-\(id).txt")
        guard FileManager.default.createFile(atPath: stdoutURL.path, contents: nil),
            FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        else { throw Failure("cannot create \(stdoutURL.path)") }
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        merged["NO_COLOR"] = "1"
        process.environment = merged
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Sends SIGKILL (when still running) and reaps the process.
    public func kill() {
        if process.isRunning { Foundation.kill(pid, SIGKILL) }
        process.waitUntilExit()
    }

    /// Waits for the exit, polling; after `timeout` the child is killed and the run marked so.
    public func wait(timeout: Duration) async -> Run {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var timedOut = false
        while process.isRunning {
            if clock.now >= deadline {
                Foundation.kill(pid, SIGKILL)
                timedOut = true
                process.waitUntilExit()
                break
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        let killed = timedOut || process.terminationReason == .uncaughtSignal
        return Run(
            status: process.terminationStatus, killed: killed, stdout: stdoutText,
            stderr: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "")
    }

    public var stdoutText: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }

    /// Runs a command to completion (bounded by `timeout`).
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String], directory: URL, scratch: URL,
        timeout: Duration = .seconds(60)
    ) async throws -> Run {
        try await ChildProcess(executable, arguments, environment: environment, directory: directory, scratch: scratch)
            .wait(timeout: timeout)
    }
}

/// `sinchform emulator --port 0 --state FILE` as a process of its own, for tests and benchmarks that kill or run
/// the real binary.
///
/// Only ``run(binary:state:scratch:keyId:keySecret:_:)`` makes one, and it terminates the process when the body
/// ends, whether it returns or throws.
public struct EmulatorProcess: Sendable {
    public let child: ChildProcess
    public let url: String
    public let keyId: String
    public let keySecret: String
    public let control: EmulatorControl

    public static func run<Value>(
        binary: URL, state: URL, scratch: URL, keyId: String = "sinchform-key", keySecret: String = "sinchform-secret",
        isolation: isolated (any Actor)? = #isolation, _ body: (EmulatorProcess) async throws -> Value
    ) async throws -> Value {
        let child = try ChildProcess(
            binary,
            [
                "emulator", "--port", "0", "--state", state.path, "--key-id", keyId, "--key-secret-env",
                "SINCHFORM_EMULATOR_KEY_SECRET", "--review-delay", "3600",
            ], environment: ["SINCHFORM_EMULATOR_KEY_SECRET": keySecret], directory: scratch, scratch: scratch)
        let url = try await listening(child)
        let emulator = EmulatorProcess(
            child: child, url: url, keyId: keyId, keySecret: keySecret,
            control: EmulatorControl(baseURL: url, keyId: keyId, keySecret: keySecret))
        let result: Value
        do {
            result = try await body(emulator)
        } catch {
            await emulator.stop()
            throw error
        }
        await emulator.stop()
        return result
    }

    /// The URL the emulator prints as its first line once it listens.
    private static func listening(_ child: ChildProcess) async throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(20)
        while clock.now < deadline {
            if let line = child.stdoutText.split(separator: "\n").first, line.hasPrefix("http") {
                return String(line)
            }
            guard child.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        child.kill()
        throw ChildProcess.Failure("the emulator did not start: \(await child.wait(timeout: .seconds(5)).stderr)")
    }

    /// The environment a user would export to reach this emulator.
    public func environment(_ extra: [String: String] = [:]) -> [String: String] {
        [
            "SINCH_PROJECT_ID": "sinchform-project", "SINCH_KEY_ID": keyId, "SINCH_KEY_SECRET": keySecret,
            "SINCH_PROVISIONING_URL": url, "SINCH_AUTH_URL": url + "/oauth2/token",
        ].merging(extra) { $1 }
    }

    private func stop() async {
        child.process.terminate()
        _ = await child.wait(timeout: .seconds(10))
    }
}
