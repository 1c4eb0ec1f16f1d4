import Foundation
import ProvisioningAPI
import SinchformEngine
import SinchformManifest
import SinchformTestSupport
import Testing

/// The API answers with garbage: a body that is not JSON, members of the wrong type, a huge body, a body trickled a
/// byte at a time, a redirect to another host. Each must end in a clear error, in bounded time and memory, with
/// nothing written: the lock file and the journals stay as they were.
@Suite struct HostileAPITests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var rule: JSONValue
        /// Text the error must contain.
        var says: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "malformed JSON", rule: ["type": "malformed"], says: "the body is not JSON"),
        Case(name: "wrong types", rule: ["type": "wrongTypes"], says: "array"),
        Case(
            name: "endless pages", rule: ["type": "endlessPages"],
            says: "the server's page tokens do not lead to the end of the list"),
        Case(name: "huge body", rule: ["type": "huge", "bytes": 83_886_080], says: "exceeds the limit"),
        Case(name: "trickled body", rule: ["type": "trickle", "bytes": 1000, "intervalMs": 200], says: "deadline"),
        Case(
            name: "redirect to another host",
            rule: ["type": "redirect", "status": 302, "location": "http://other-host.invalid/steal"],
            says: "redirected to http://other-host.invalid/steal; redirects are not followed"),
    ]

    /// Peak resident memory of this process so far, in MiB (Linux: VmHWM).
    static func peakMemoryMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }

    static func snapshot(_ directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        for case let url as URL in enumerator?.allObjects ?? []
        where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            files[url.path] = try Data(contentsOf: url)
        }
        return files
    }

    @Test(arguments: cases)
    func hostileAnswersFailClearlyAndWriteNothing(_ hostile: Case) async throws {
        try await EmulatorHarness.run(keyId: "k", keySecret: "s", environment: ["HOOK_SECRET": "h"]) { harness in
            try ManyResources(count: 4, webhooks: 4).write(to: harness.directory)
            #expect(try await harness.apply().succeeded)
            // A pending change, so an apply would write if it got that far.
            try ManyResources(count: 6, webhooks: 6).write(to: harness.directory)
            let before = try Self.snapshot(harness.directory)

            var rule = hostile.rule
            if case .object(var object) = rule {
                object["method"] = "GET"
                rule = .object(object)
            }
            try await harness.control.setFaults([rule])
            let memoryBefore = Self.peakMemoryMiB()
            let clock = ContinuousClock()
            let start = clock.now
            let sink = LogCapture()
            let error = await #expect(throws: EngineError.self) {
                var configuration = try ProvisioningConfiguration(environment: harness.environment)
                configuration.retry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10))
                // Long enough for an 80 MiB body on a loaded machine (so its size cap, not the deadline, stops it);
                // short enough that a trickle is cut off soon.
                configuration.requestTimeout = .seconds(8)
                try await withProvisioningClient(configuration: configuration, logger: sink.logger()) { client in
                    let context = try await harness.workspace.plan(client: client)
                    _ = try await Applier().apply(context, workspace: harness.workspace, client: client)
                }
            }
            let elapsed = clock.now - start
            let message = error.map(\.description) ?? ""
            let grown = Self.peakMemoryMiB() - memoryBefore
            print("hostile API, \(hostile.name): \(elapsed), peak memory +\(grown) MiB: \(message)")
            #expect(message.contains(hostile.says), "\(hostile.name): \(message)")
            #expect(message.contains("webhooks"), "the error names the call: \(message)")
            #expect(!message.contains("\n"), "one line: \(message)")
            #expect(grown < 256, "\(hostile.name) peak memory grew too much")
            #expect(try Self.snapshot(harness.directory) == before, "\(hostile.name): files changed")
        }
    }

    /// A create answered with a body that cannot be read is an unknown outcome: resolved by lookup, never resent.
    @Test(arguments: ["malformed", "wrongTypes"])
    func hostileCreateAnswersAreResolvedByLookup(_ type: String) async throws {
        try await EmulatorHarness.run(keyId: "k", keySecret: "s", environment: ["HOOK_SECRET": "h"]) { harness in
            try ManyResources(count: 3, webhooks: 3).write(to: harness.directory)
            try await harness.control.setFaults([
                ["type": .string(type), "method": "POST", "path": "/webhooks$", "count": 1]
            ])
            try await harness.control.clearRequests()
            let result = try await harness.apply(parallelism: 1)
            let failures = result.failed.compactMap(\.message)
            // The fault answers instead of creating, so the lookup finds nothing and the create is sent again.
            #expect(result.succeeded, "\(failures)")
            #expect(try await harness.control.liveCounts() == ["webhooks": 3])
            let creates = try await harness.control.requests().filter {
                $0.method == "POST" && $0.path.hasSuffix("/webhooks")
            }
            #expect(creates.count == 4)
            #expect(!(try await harness.plan().plan.hasChanges))
        }
    }
}
