import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Testing

@testable import ProvisioningEmulator

/// The emulator's findings of the December 2026 security audit (3, 4, 10 and 22), each shown fixed.
@Suite struct HardeningTests {
    // MARK: Finding 3: the control API takes the emulator's key; secrets stay out of state dumps

    @Test func everyControlRouteNeedsTheKey() async throws {
        try await Harness.run { h in
            let routes: [(HTTPMethod, String, JSON?)] = [
                (.GET, "state", nil), (.PUT, "state", ["projects": [:]]), (.POST, "reset", nil),
                (.GET, "clock", nil), (.POST, "clock/advance", ["seconds": 1]),
                (.POST, "review", ["projectId": "p", "outcome": "approve", "all": true]),
                (.POST, "rcs/testNumbers", [:]), (.PUT, "faults", ["rules": []]), (.GET, "faults", nil),
                (.DELETE, "faults", nil), (.GET, "requests", nil), (.DELETE, "requests", nil),
                (.PUT, "whatsapp/account", ["projectId": "p", "state": "NONE"]),
                (.PUT, "whatsapp/wabas", ["projectId": "p", "wabas": []]), (.GET, "nothing", nil),
            ]
            for (method, path, body) in routes {
                for auth in [Auth.none, .header("Basic " + Data("sinchform-key:wrong".utf8).base64EncodedString())] {
                    let refused = try await h.control(method, path, body, auth: auth)
                    #expect(refused.status == 401, "\(method) \(path)")
                    #expect(refused.errorCode == "unauthorized_error", "\(method) \(path)")
                }
            }
            // A bearer token issued for the key works too, as on every API route.
            let token = try await h.send(
                .POST, "/oauth2/token", body: "grant_type=client_credentials",
                headers: [("Content-Type", "application/x-www-form-urlencoded")])
            let bearer = try #require(token.object["access_token"]?.stringValue)
            #expect(try await h.control(.GET, "clock", auth: .bearer(bearer)).status == 200)
            #expect(try await h.control(.GET, "clock").status == 200)
        }
    }

    @Test func stateDumpsLeaveSecretsOutUnlessAskedFor() async throws {
        try await Harness.run { h in
            let canary = "SECRET-CANARY-123"
            let created = try await h.post(
                "webhooks", ["target": "https://ops.example.com/h", "triggers": ["ALL"], "secret": .string(canary)])
            #expect(created.status == 201)
            let sender = try await h.post(
                "whatsapp/senders", ["details": ["displayName": "Shop", "countryCode": "48", "phoneNumber": "1"]])
            let senderId = try #require(sender.object["id"]?.stringValue)
            let approval: JSON = [
                "projectId": .string(Harness.project), "kind": "whatsappSender", "id": .string(senderId),
                "outcome": "approve",
            ]
            _ = try await h.control(.POST, "review", approval)
            let bearerToken = try #require(
                try await h.get("whatsapp/senders/\(senderId)").object["bearerToken"]?.stringValue)

            let plain = try await h.control(.GET, "state")
            #expect(plain.status == 200)
            let text = String(decoding: plain.bytes, as: UTF8.self)
            #expect(!text.contains(canary))
            #expect(!text.contains(bearerToken))
            #expect(!text.contains("\"secret\""))
            #expect(text.contains("https://ops.example.com/h"))

            let full = String(decoding: try await h.control(.GET, "state?secrets=true").bytes, as: UTF8.self)
            #expect(full.contains(canary))
            #expect(full.contains(bearerToken))
            #expect(try await h.control(.GET, "state?secrets=true", auth: .none).status == 401)
        }
    }

    // MARK: Finding 4: no number traps the emulator

    @Test func hugeAndNegativeNumbersAreErrorsNotTraps() async throws {
        try await Harness.run { h in
            let rules: [JSON] = [
                ["type": "status", "status": .number(1e300)], ["type": "status", "status": .number(-1e300)],
                ["type": "status", "status": .number(500.5)], ["type": "redirect", "status": .number(1e300)],
                ["type": "latency", "fixedMs": .number(1e300)], ["type": "latency", "randomMs": -5],
                ["type": "status", "status": 500, "count": .number(1e300)],
                ["type": "status", "status": 429, "retryAfter": .number(1e300)],
                ["type": "huge", "bytes": .number(1e300)], ["type": "trickle", "bytes": .number(-1e300)],
                ["type": "trickle", "intervalMs": .number(1e300)], ["type": "drop", "probability": .number(1e300)],
            ]
            for rule in rules {
                let refused = try await h.control(.PUT, "faults", ["rules": [rule]])
                #expect(refused.status == 400, "\(rule)")
                #expect(refused.errorCode == "invalid_input", "\(rule)")
            }
            for seconds in [1e300, -1, 1e10] {
                // 1e10 is within the per-call range, but a few of them would pass the year 9999.
                for _ in 0..<30 {
                    let answer = try await h.control(.POST, "clock/advance", ["seconds": .number(seconds)])
                    if answer.status != 200 {
                        #expect(answer.status == 400, "\(seconds)")
                        #expect(answer.errorCode == "invalid_input", "\(seconds)")
                        break
                    }
                    #expect(seconds == 1e10)
                }
            }
            #expect(try await h.control(.GET, "clock").status == 200)

            let states: [JSON] = [
                ["projects": [:], "seq": .number(1e300)], ["projects": [:], "seq": -1],
                ["projects": [:], "seq": .number(1.5)],
                ["projects": [:], "clockOffset": .number(1e300)],
                ["projects": ["p": ["webhooks": ["items": ["k": ["doc": [:], "seq": .number(1e300)]]]]]],
                ["projects": ["p": ["webhooks": ["items": ["k": ["doc": [:], "reviewDue": .number(-1e300)]]]]]],
                ["projects": ["p": ["rcsSenders": ["items": ["k": ["doc": [:], "deletedAt": .number(1e300)]]]]]],
                ["projects": ["p": ["whatsappTemplateNameBlocks": ["n": .number(1e300)]]]],
                ["projects": ["p": ["whatsappTemplateNameBlocks": ["n": "soon"]]]],
            ]
            for state in states {
                let refused = try await h.control(.PUT, "state", state)
                #expect(refused.status == 400, "\(state)")
                #expect(refused.errorCode == "invalid_input", "\(state)")
            }
            for size in ["1e300", "-1e300", "-1", "nan", "inf", "9223372036854775808", "1.5"] {
                let refused = try await h.get("webhooks?pageSize=\(size)")
                #expect(refused.status == 400, "\(size)")
                #expect(refused.errorCode == "invalid_page_size", "\(size)")
            }
            #expect(
                try await h.get("webhooks?pageToken=c2luY2hmb3JtLWVtdWxhdG9yOjEwMDAwMDAwMDAwMDAwMDAwMDAwMDA=").status
                    == 400)
            // Still serving.
            #expect(try await h.get("webhooks").status == 200)
        }
    }

    @Test func aHostileStateFileIsALocatedErrorNotATrap() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emulator-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("emulator.json").path
        try Data(#"{"projects":{},"seq":1e300}"#.utf8).write(to: URL(fileURLWithPath: path))
        var configuration = EmulatorConfiguration()
        configuration.statePath = path
        let server = EmulatorServer(configuration: configuration, logger: Logger(label: "test"))
        do {
            _ = try await server.start(host: "127.0.0.1", port: 0)
            try await server.stop()
            Issue.record("a state file with seq 1e300 was accepted")
        } catch let error as EmulatorStateFileError {
            #expect(error.description.contains(path))
            #expect(error.description.contains("seq must be a whole number"))
        }
    }

    // MARK: Finding 10: the state file is private to its owner

    @Test func theStateFileIsWrittenWithMode0600() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emulator-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("emulator.json").path
        // A file left world-readable by an older version is replaced by a private one.
        #expect(
            FileManager.default.createFile(
                atPath: path, contents: Data("{}".utf8), attributes: [.posixPermissions: 0o644]))
        var configuration = Harness.defaultConfiguration
        configuration.statePath = path
        try await Harness.run(configuration) { h in
            let created = try await h.post(
                "webhooks", ["target": "https://ops.example.com/h", "triggers": ["ALL"], "secret": "s3cret-value"])
            #expect(created.status == 201)
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(leftovers == ["emulator.json"])
    }

    // MARK: Finding 22: bodies are read only with credentials, and only up to a limit

    @Test func anAnonymousBodyIsNeverReadAndAnOversizedOneIsRefused() async throws {
        try await Harness.run { h in
            // Each request declares a gigabyte and sends one byte of it: the answer comes without waiting for the rest.
            let anonymous = try await endlessBody(h, authorization: nil)
            #expect(anonymous.status == 401)
            #expect(anonymous.errorCode == "unauthorized_error")
            let authorized = try await endlessBody(h, authorization: Harness.basic)
            #expect(authorized.status == 413)
            #expect(authorized.errorCode == "payload_too_large")

            #expect(try await h.get("webhooks").status == 200)
        }
    }
}

/// A POST that declares a body of 1,000,000,000 bytes and sends only its first byte, then waits; the server's early
/// answer ends it (the client stops sending once a status of 300 or more arrives).
func endlessBody(_ h: Harness, authorization: String?) async throws -> HTTPResult {
    var request = HTTPClientRequest(url: h.base + "/v1/projects/\(Harness.project)/webhooks")
    request.method = .POST
    if let authorization { request.headers.add(name: "Authorization", value: authorization) }
    request.headers.add(name: "Content-Type", value: "application/json")
    let (chunks, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
    continuation.yield(ByteBuffer(string: "{"))
    request.body = .stream(chunks, length: .known(Int64(1_000_000_000)))
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
    let buffer = try await response.body.collect(upTo: 1 << 20)
    continuation.finish()
    return HTTPResult(
        status: Int(response.status.code), headers: response.headers, bytes: Array(buffer.readableBytesView))
}
