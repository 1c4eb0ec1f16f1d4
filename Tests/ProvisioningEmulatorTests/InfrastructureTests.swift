import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing

@testable import ProvisioningEmulator

@Suite struct InfrastructureTests {
    @Test func authBasicBearerAndFailures() async throws {
        var configuration = EmulatorConfiguration()
        configuration.tokenLifetime = .seconds(60)
        try await Harness.run(configuration) { h in
            let unauthorized = try Examples.load("error.unauthorized.json")
            #expect(try await h.get("webhooks", auth: .none).json == unauthorized)
            #expect(try await h.get("webhooks", auth: .header("Basic Zm9vOmJhcg==")).json == unauthorized)
            #expect(try await h.get("/v1/projects/other-project/webhooks").status == 401)
            #expect(try await h.get("webhooks", auth: .bearer("made-up")).status == 401)

            let token = try await h.send(
                .POST, "/oauth2/token", body: "grant_type=client_credentials", auth: .basic,
                headers: [("Content-Type", "application/x-www-form-urlencoded")])
            #expect(token.status == 200)
            #expect(token.object["token_type"] == "Bearer")
            #expect(token.object["expires_in"] == 60)
            let accessToken = try #require(token.object["access_token"]?.stringValue)
            #expect(try await h.get("webhooks", auth: .bearer(accessToken)).status == 200)
            try await h.advance(seconds: 61)
            #expect(try await h.get("webhooks", auth: .bearer(accessToken)).status == 401)

            let wrong = try await h.send(
                .POST, "/oauth2/token", body: "grant_type=client_credentials", auth: .header("Basic Zm9vOmJhcg=="))
            #expect(wrong.status == 401)
            #expect(try await h.get("nothing/here").status == 404)
            #expect(try await h.get("nothing/here").errorCode != nil)
        }
    }

    @Test func requestLogCountsByRouteTemplate() async throws {
        try await Harness.run { h in
            _ = try await h.get("webhooks")
            _ = try await h.get("webhooks")
            _ = try await h.get("webhooks/\(UUID().uuidString.lowercased())")
            let log = try await h.control(.GET, "requests")
            #expect(log.object["counters"]?["GET v1/projects/{projectId}/webhooks"] == 2)
            #expect(log.object["counters"]?["GET v1/projects/{projectId}/webhooks/{webhookId}"] == 1)
            #expect(log.object["requests"]?.arrayValue?.count == 3)
            #expect(log.object["requests"]?.arrayValue?.last?["status"] == 404)
            #expect(try await h.control(.DELETE, "requests").status == 204)
            #expect(try await h.control(.GET, "requests").object["requests"] == [])
        }
    }

    @Test func faultsLatencyStatusDropAndCount() async throws {
        try await Harness.run { h in
            // A latency far above scheduling noise, so a loaded machine cannot blur the two cases.
            _ = try await h.control(.PUT, "faults", ["rules": [["type": "latency", "fixedMs": 2500]]])
            let start = ContinuousClock.now
            #expect(try await h.get("webhooks").status == 200)
            #expect(ContinuousClock.now - start >= .milliseconds(2400))
            // Control paths are exempt: with ten minutes of latency on every API route, a control call still answers
            // (it would otherwise outlast the harness's request timeout; no upper bound on a loaded machine's speed).
            _ = try await h.control(.PUT, "faults", ["rules": [["type": "latency", "fixedMs": 600_000]]])
            #expect(try await h.control(.GET, "clock").status == 200)

            _ = try await h.control(
                .PUT, "faults",
                [
                    "rules": [
                        [
                            "type": "status", "status": 429, "retryAfter": 2, "count": 2, "method": "GET",
                            "path": "webhooks$",
                        ]
                    ]
                ])
            let limited = try await h.get("webhooks")
            #expect(limited.status == 429)
            #expect(limited.headers.first(name: "Retry-After") == "2")
            #expect(limited.errorCode != nil)
            #expect(
                try await h.post("webhooks", ["target": "https://a.example.com", "secret": "s", "triggers": ["ALL"]])
                    .status == 201)
            #expect(try await h.get("webhooks").status == 429)
            #expect(try await h.get("webhooks").status == 200)  // count spent

            _ = try await h.control(.PUT, "faults", ["rules": [["type": "status", "status": 503]]])
            #expect(try await h.get("webhooks").status == 503)
            #expect(try await h.control(.DELETE, "faults").status == 204)
            #expect(try await h.get("webhooks").status == 200)

            _ = try await h.control(.PUT, "faults", ["rules": [["type": "drop", "count": 1]]])
            await #expect(throws: (any Error).self) { _ = try await h.get("webhooks") }
            #expect(try await h.get("webhooks").status == 200)

            // afterProcessing: the POST takes effect though the client sees no response.
            _ = try await h.control(
                .PUT, "faults", ["rules": [["type": "drop", "afterProcessing": true, "method": "POST", "count": 1]]])
            await #expect(throws: (any Error).self) {
                _ = try await h.post(
                    "webhooks", ["target": "https://b.example.com", "secret": "s", "triggers": ["ALL"]])
            }
            #expect(try await h.get("webhooks").object["totalSize"] == 2)
            #expect(try await h.control(.PUT, "faults", ["rules": [["type": "bogus"]]]).status == 400)
        }
    }

    /// A rule whose path matches every route, control routes included, can still be seen and removed.
    @Test func aFaultOnEveryPathLeavesTheFaultsRouteWorking() async throws {
        try await Harness.run { h in
            _ = try await h.control(.PUT, "faults", ["rules": [["type": "status", "status": 503, "path": ".*"]]])
            #expect(try await h.get("webhooks").status == 503)
            #expect(try await h.control(.GET, "clock").status == 503)
            #expect(try await h.control(.GET, "faults").status == 200)
            #expect(try await h.control(.DELETE, "faults").status == 204)
            #expect(try await h.get("webhooks").status == 200)
            #expect(try await h.control(.GET, "clock").status == 200)
        }
    }

    @Test func stateDumpLoadResetAndPersistence() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("emulator-\(UUID()).json").path
        var configuration = EmulatorConfiguration()
        configuration.statePath = path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var dump: JSON = nil
        try await Harness.run(configuration) { h in
            #expect(
                try await h.post("webhooks", ["target": "https://a.example.com", "secret": "s", "triggers": ["ALL"]])
                    .status == 201)
            let state = try await h.control(.GET, "state")
            #expect(state.status == 200)
            dump = try #require(state.json)
            #expect(try await h.control(.POST, "reset").status == 204)
            #expect(try await h.get("webhooks").object["totalSize"] == 0)
            #expect(try await h.control(.PUT, "state", dump).status == 204)
            #expect(try await h.get("webhooks").object["totalSize"] == 1)
            let clock = try await h.control(.GET, "clock")
            #expect(clock.object["now"]?.stringValue?.hasSuffix("Z") == true)
        }
        #expect(FileManager.default.fileExists(atPath: path))
        try await Harness.run(configuration) { (h: Harness) async throws in
            #expect(try await h.get("webhooks").object["totalSize"] == 1)
        }
    }

    @Test func seedingManyResourcesThroughStateAndPagingThemAll() async throws {
        try await Harness.run { h in
            var items: [String: JSON] = [:]
            for index in 0..<20_000 {
                let name = "t\(index)"
                items[name + "/EN"] = [
                    "doc": [
                        "name": .string(name), "language": "EN", "category": "UTILITY", "state": "APPROVED",
                        "analytics": [], "isMetaGenerated": false,
                        "details": ["components": [["type": "BODY", "text": "Hello {{1}}"]]],
                    ],
                    "activities": [], "submitted": true, "seq": .number(Double(index)),
                ]
            }
            let state: JSON = [
                "projects": [Harness.project: ["whatsappTemplates": ["items": .object(items)]]], "clockOffset": 0,
                "seq": 20_000,
            ]
            let put = try await h.control(.PUT, "state", state)
            #expect(put.status == 204, "\(put.object)")
            var token: String? = nil
            var seen = 0
            repeat {
                let page = try await h.get(
                    "whatsapp/templates?pageSize=1000" + (token.map { "&pageToken=\($0)" } ?? ""))
                seen += page.object["templates"]?.arrayValue?.count ?? 0
                token = page.object["nextPageToken"]?.stringValue
            } while token != nil
            // How fast this is, is measured by `sinchform-bench emulator`, not asserted here.
            #expect(seen == 20_000)
        }
    }
}
