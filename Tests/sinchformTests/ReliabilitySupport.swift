import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The built `sinchform` binary and the processes the reliability tests run: commands with captured output, a
/// `sinchform emulator` child, and a scratch manifest directory.
enum Reliability {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let binary = packageRoot.appendingPathComponent(".build/debug/sinchform")

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// A finished command: exit status (or the signal that ended it), standard output and error.
    struct Run: Sendable {
        var status: Int32
        var killed: Bool
        var stdout: String
        var stderr: String
    }

    static func scratch(_ name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sinchform-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// A started command whose output goes to files (no pipe can fill up and block it).
    final class Child: @unchecked Sendable {
        // Process is not Sendable; this wrapper only reads it after start and signals it by pid.
        let process = Process()
        let stdoutURL: URL
        let stderrURL: URL

        init(_ arguments: [String], environment: [String: String], directory: URL, scratch: URL) throws {
            let id = UUID().uuidString
            stdoutURL = scratch.appendingPathComponent("out-\(id).txt")
            stderrURL = scratch.appendingPathComponent("err-\(id).txt")
            guard FileManager.default.createFile(atPath: stdoutURL.path, contents: nil),
                FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
            else { throw Failure("cannot create \(stdoutURL.path)") }
            process.executableURL = Reliability.binary
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

        var pid: Int32 { process.processIdentifier }

        /// Waits for the exit, polling; after `timeout` the child is killed and the run marked so.
        func wait(timeout: Duration) async -> Run {
            let clock = ContinuousClock()
            let deadline = clock.now + timeout
            var timedOut = false
            while process.isRunning {
                if clock.now >= deadline {
                    kill(pid, SIGKILL)
                    timedOut = true
                    process.waitUntilExit()
                    break
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
            process.waitUntilExit()
            let killed = timedOut || process.terminationReason == .uncaughtSignal
            return Run(
                status: process.terminationStatus, killed: killed,
                stdout: (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
                stderr: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "")
        }

        var stdoutText: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    }

    /// Runs a command to completion (bounded by `timeout`).
    static func run(
        _ arguments: [String], environment: [String: String], directory: URL, scratch: URL,
        timeout: Duration = .seconds(60)
    ) async throws -> Run {
        try await Child(arguments, environment: environment, directory: directory, scratch: scratch).wait(
            timeout: timeout)
    }

    /// A `sinchform emulator` process with its state in a file.
    struct Emulator {
        let child: Child
        let url: String
        let keySecret: String

        static func start(state: URL, scratch: URL, keySecret: String = "reliability-secret") async throws -> Emulator {
            let child = try Child(
                [
                    "emulator", "--port", "0", "--state", state.path, "--key-id", "reliability-key", "--key-secret",
                    keySecret, "--review-delay", "3600",
                ], environment: [:], directory: scratch, scratch: scratch)
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(20)
            while clock.now < deadline {
                if let line = child.stdoutText.split(separator: "\n").first, line.hasPrefix("http") {
                    return Emulator(child: child, url: String(line), keySecret: keySecret)
                }
                guard child.process.isRunning else { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            kill(child.pid, SIGKILL)
            throw Failure("the emulator did not start: \(await child.wait(timeout: .seconds(5)).stderr)")
        }

        /// The environment a user would export to reach this emulator.
        func environment(_ extra: [String: String] = [:]) -> [String: String] {
            [
                "SINCH_PROJECT_ID": "sinchform-project", "SINCH_KEY_ID": "reliability-key",
                "SINCH_KEY_SECRET": keySecret, "SINCH_PROVISIONING_URL": url, "SINCH_AUTH_URL": url + "/oauth2/token",
            ].merging(extra) { $1 }
        }

        func stop() async {
            child.process.terminate()
            _ = await child.wait(timeout: .seconds(10))
        }

        /// A control-API call (with the emulator's key) returning the parsed JSON body.
        func control(_ method: String, _ path: String, body: Any? = nil) async throws -> Any? {
            guard let url = URL(string: url + path) else { throw Failure("bad URL \(path)") }
            var request = URLRequest(url: url)
            request.httpMethod = method
            let credentials = Data("reliability-key:\(keySecret)".utf8).base64EncodedString()
            request.setValue("Basic " + credentials, forHTTPHeaderField: "Authorization")
            if let body {
                request.httpBody = try JSONSerialization.data(withJSONObject: body)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            let (data, _) = try await URLSession.shared.data(for: request)
            return data.isEmpty ? nil : try JSONSerialization.jsonObject(with: data)
        }

        /// Live (not deleted) resources per collection of the project, from the state dump.
        func liveCounts() async throws -> [String: Int] {
            let state = try await control("GET", "/_emulator/state") as? [String: Any]
            let projects = state?["projects"] as? [String: Any]
            let project = projects?["sinchform-project"] as? [String: Any] ?? [:]
            var counts: [String: Int] = [:]
            // The WhatsApp account (one per project, there from the start) is not a resource sinchform creates.
            for (name, collection) in project where name != "whatsappAccount" {
                guard let items = (collection as? [String: Any])?["items"] as? [String: Any] else { continue }
                let live = items.values.filter { (($0 as? [String: Any])?["deletedAt"]) == nil }.count
                if live > 0 { counts[name] = live }
            }
            return counts
        }

        /// Successful creating POSTs under `/v1/` recorded by the emulator.
        func successfulCreates() async throws -> Int {
            let log = try await control("GET", "/_emulator/requests") as? [String: Any]
            let requests = log?["requests"] as? [[String: Any]] ?? []
            return requests.filter {
                ($0["method"] as? String) == "POST" && (($0["path"] as? String)?.hasPrefix("/v1/") ?? false)
                    && (200..<300).contains(($0["status"] as? Int) ?? Int(($0["status"] as? Double) ?? 0))
            }.count
        }
    }

    /// WhatsApp templates and KakaoTalk senders with templates, `count` in all, plus `webhooks` webhooks whose
    /// secret comes from `${env.HOOK_SECRET}`.
    static func writeManifests(count: Int, webhooks: Int = 0, to directory: URL) throws -> [String: Int] {
        var sections: [String: String] = [:]
        var expected: [String: Int] = [:]
        for index in 0..<count {
            let key: String
            let entry: String
            if index < webhooks {
                key = "webhooks"
                entry = """
                      hook-\(index):
                        target: https://hooks.example.com/e2e/\(index)
                        triggers: [ALL]
                        secret: ${env.HOOK_SECRET}

                    """
            } else {
                let position = index - webhooks
                switch position % 3 {
                case 0:
                    key = "whatsappTemplates"
                    entry = """
                          e2e_tpl_\(position):
                            category: UTILITY
                            languages:
                              EN_US:
                                details: {components: [{type: BODY, text: "Order {{1}} ships (\(position)).", examples: ["#1"]}]}

                        """
                case 1:
                    key = "kakaotalkSenders"
                    entry = """
                          sender-\(position):
                            plusFriendId: "@e2e\(position)"
                            details: {adminPhoneNo: "+4877\(String(format: "%07d", position))", name: "E2E \(position)", topLevelCategoryCode: "001", midLevelCategoryCode: "0001", subLevelCategoryCode: "0001"}

                        """
                default:
                    key = "kakaotalkTemplates"
                    entry = """
                          template-\(position):
                            plusFriendId: "@e2e\(position - 1)"
                            details: {name: "welcome \(position)", language: KO, content: "Hello #{name} (\(position))."}

                        """
                }
            }
            sections[key, default: "\(key):\n"] += entry
            expected[key, default: 0] += 1
        }
        for (key, text) in sections {
            try text.write(to: directory.appendingPathComponent("\(key).yaml"), atomically: true, encoding: .utf8)
        }
        return expected
    }
}
