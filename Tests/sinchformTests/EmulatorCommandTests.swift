import Foundation
import SinchformTestSupport
import Synchronization
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The built `sinchform` binary, next to the test bundle in the build directory.
private func sinchformBinary() throws -> URL {
    var candidates: [URL] = []
    if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
    candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
    candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
    let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    candidates.append(package.appendingPathComponent(".build/debug"))
    for directory in candidates {
        let binary = directory.appendingPathComponent("sinchform")
        if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
    }
    throw EmulatorProcessError("sinchform binary not found near \(candidates.map(\.path))")
}

private struct EmulatorProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A running `sinchform emulator` child process with its stdout lines.
private final class EmulatorProcess: Sendable {
    let process: Process
    let lines: AsyncStream<String>
    let exit: AsyncStream<Int32>

    init(arguments: [String], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = try sinchformBinary()
        process.arguments = ["emulator"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let (lines, linesContinuation) = AsyncStream.makeStream(of: String.self)
        let buffer = Mutex<[UInt8]>([])
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                linesContinuation.finish()
                return
            }
            let complete = buffer.withLock { bytes -> [String] in
                bytes.append(contentsOf: data)
                var found: [String] = []
                while let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
                    found.append(String(decoding: bytes[..<newline], as: UTF8.self))
                    bytes.removeSubrange(...newline)
                }
                return found
            }
            for line in complete { linesContinuation.yield(line) }
        }
        let (exit, exitContinuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { finished in
            exitContinuation.yield(finished.terminationStatus)
            exitContinuation.finish()
        }
        self.process = process
        self.lines = lines
        self.exit = exit
        try process.run()
    }

    func firstLines(_ count: Int) async -> [String] {
        var result: [String] = []
        for await line in lines {
            result.append(line)
            if result.count == count { break }
        }
        return result
    }

    func terminate() async -> Int32? {
        process.terminate()
        for await status in exit { return status }
        return nil
    }
}

private func request(_ method: String, _ url: String, body: String? = nil) async throws -> (Int, Data) {
    var request = URLRequest(url: try #require(URL(string: url)))
    request.httpMethod = method
    request.setValue(
        "Basic " + Data("k1:local-secret".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
    if let body {
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
}

@Suite struct EmulatorCommandTests {
    @Test func runsPersistsAndStopsOnSIGTERM() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sinchform-emulator-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let stateFile = directory.appendingPathComponent("state.json").path
        let arguments = [
            "--port", "0", "--state", stateFile, "--key-id", "k1", "--key-secret-env", "EMULATOR_SECRET",
            "--project-id", "p1",
        ]

        let first = try EmulatorProcess(arguments: arguments, environment: ["EMULATOR_SECRET": "local-secret"])
        let lines = await first.firstLines(2)
        #expect(lines.count == 2)
        let url = try #require(lines.first)
        #expect(url.hasPrefix("http://127.0.0.1:"))
        #expect(lines.last?.contains("SINCH_PROVISIONING_URL=\(url)") == true)
        #expect(lines.last?.contains("SINCH_KEY_ID=k1") == true)
        #expect(lines.last?.contains("SINCH_PROJECT_ID=p1") == true)
        #expect(lines.last?.contains("local-secret") == false)

        let (status, data) = try await request(
            "POST", url + "/v1/projects/p1/rcs/senders",
            body: #"{"region":"EU","billingCategory":"CONVERSATIONAL","useCase":"OTP"}"#)
        #expect(status == 201)
        let created = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let id = try #require(created["id"] as? String)
        #expect(await first.terminate() == 0)
        #expect(FileManager.default.fileExists(atPath: stateFile))
        let mode = try FileManager.default.attributesOfItem(atPath: stateFile)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)

        let second = try EmulatorProcess(arguments: arguments, environment: ["EMULATOR_SECRET": "local-secret"])
        let url2 = try #require(await second.firstLines(1).first)
        let (again, _) = try await request("GET", url2 + "/v1/projects/p1/rcs/senders/\(id)")
        #expect(again == 200)
        let (unauthorized, _) = try await request("GET", url2 + "/v1/projects/other/rcs/senders")
        #expect(unauthorized == 401)
        #expect(await second.terminate() == 0)
    }

    /// Audit finding 22: listening on an address other machines can reach is said on standard error.
    @Test func warnsWhenBoundToANonLoopbackAddress() async throws {
        let scratch = try Reliability.scratch("emulator-host")
        defer { try? FileManager.default.removeItem(at: scratch) }
        for (host, warns) in [("0.0.0.0", true), ("127.0.0.1", false)] {
            let child = try ChildProcess(
                Reliability.binary, ["emulator", "--host", host, "--port", "0"], environment: [:], directory: scratch,
                scratch: scratch)
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(30)
            while !child.stdoutText.hasPrefix("http"), child.process.isRunning, clock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(child.stdoutText.hasPrefix("http://\(host):"), "\(host)")
            child.process.terminate()
            let run = await child.wait(timeout: .seconds(10))
            #expect(run.stderr.contains("warning: the emulator listens on \(host)") == warns, "\(host): \(run.stderr)")
        }
    }

    /// Audit finding 4: a review delay too large for a duration is refused, not a trap.
    @Test func aHugeReviewDelayIsRefused() async throws {
        let scratch = try Reliability.scratch("emulator-delay")
        defer { try? FileManager.default.removeItem(at: scratch) }
        for delay in ["1e300", "-1", "nan"] {
            let run = try await ChildProcess.run(
                Reliability.binary, ["emulator", "--port", "0", "--review-delay=\(delay)"], environment: [:],
                directory: scratch, scratch: scratch, timeout: .seconds(30))
            #expect(!run.killed, "\(delay)")
            #expect(run.status == 64, "\(delay): \(run.stderr)")
            #expect(run.stderr.contains("--review-delay must be a number of seconds"), "\(delay)")
        }
    }
}
