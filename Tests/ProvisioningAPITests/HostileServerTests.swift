import Foundation
import SinchformTestSupport
import Synchronization
import Testing

@testable import ProvisioningAPI

/// The client against a server that answers what the real API never would (security audit, December 2026: findings
/// 5, 7, 12 and 16): hostile numbers, endless or malformed lists, secrets echoed back. Each ends in a clear error or
/// a clamped value, never a crash or a hang.
@Suite struct HostileServerTests {
    static let keySecret = "KEY-SECRET-CANARY-31337"

    /// A client of `server` (OAuth, fast retries), run for `body`, with its log lines captured.
    static func withClient<Value: Sendable>(
        _ server: HostileServer, logs: LogCapture = LogCapture(),
        configure: (inout ProvisioningConfiguration) -> Void = { _ in },
        _ body: (ProvisioningClient) async throws -> Value
    ) async throws -> Value {
        var configuration = try ProvisioningConfiguration(
            projectId: "p1", keyId: "k1", keySecret: keySecret, provisioningURL: server.baseURL,
            authURL: server.baseURL + "/oauth2/token")
        configuration.retry = RetryPolicy(
            maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5),
            maxRetryAfter: .milliseconds(20))
        configuration.requestTimeout = .seconds(10)
        configure(&configuration)
        return try await withProvisioningClient(configuration: configuration, logger: logs.logger(), body)
    }

    static let token = HostileServer.Answer.raw(
        200, #"{"access_token":"tok-ECHO-4242","token_type":"Bearer","expires_in":3600}"#)
    static let emptyList = HostileServer.Answer.json(200, ["webhooks": [], "totalSize": 0, "pageSize": 15])

    /// Counts the requests a server saw, by path.
    final class Seen: Sendable {
        private let paths = Mutex<[String]>([])
        func record(_ request: HostileServer.Request) -> Int {
            paths.withLock {
                $0.append(request.path)
                return $0.filter { $0 == request.path }.count
            }
        }
        func count(_ suffix: String) -> Int { paths.withLock { $0.filter { $0.hasSuffix(suffix) }.count } }
    }

    // MARK: - Finding 5: token lifetimes and Retry-After

    @Test(arguments: ["1e300", "-1e300", "-5", "0", "99999999999999999999", "1e19", #""forever""#, "null"])
    func hostileTokenLifetimeIsClamped(_ expiresIn: String) async throws {
        let seen = Seen()
        try await HostileServer.run({ request in
            _ = seen.record(request)
            if request.path == "/oauth2/token" {
                return .raw(200, #"{"access_token":"tok-1","token_type":"Bearer","expires_in":\#(expiresIn)}"#)
            }
            return Self.emptyList
        }) { server in
            let lists = try await Self.withClient(server) { client in
                [try await client.webhooks.list(), try await client.webhooks.list()]
            }
            #expect(lists == [[], []])
        }
        // A lifetime of a day or more (clamped to a day) serves both lists; a tiny one may be renewed between them.
        if ["1e300", "99999999999999999999", "1e19"].contains(expiresIn) {
            #expect(seen.count("/oauth2/token") == 1)
        }
    }

    @Test func tokenLifetimesAreRangeChecked() throws {
        let cases: [(String, Int)] = [
            ("1e300", 86_400), ("99999999999999999999", 86_400), ("1e19", 86_400), ("3600", 3600), ("3600.9", 3600),
            ("-5", 1), ("-1e300", 1), ("0", 1), (#""3600""#, 300), ("null", 300), ("[]", 300),
        ]
        for (text, seconds) in cases {
            let value = try JSONValue(json: text)
            #expect(ProvisioningClient.tokenLifetimeSeconds(value) == seconds, "expires_in \(text)")
        }
        #expect(ProvisioningClient.tokenLifetimeSeconds(nil) == 300)
    }

    @Test(arguments: [
        "1e300", "99999999999999999999", "1e19", "-1", "-1e300", "nan", "inf", "-inf", "0x1p62", "",
        "Sun, 06 Nov 999999999 08:49:37 GMT", "Sun, 06 Nov 99999999999999999999 08:49:37 GMT",
        "Sun, 99 Nov 2026 99:99:99 GMT",
    ])
    func hostileRetryAfterIsClamped(_ retryAfter: String) async throws {
        let seen = Seen()
        try await HostileServer.run({ request in
            if request.path == "/oauth2/token" { return Self.token }
            if seen.record(request) == 1 {
                return .json(
                    429, ["errorCode": "too_many", "message": "slow down"], headers: [("Retry-After", retryAfter)])
            }
            return Self.emptyList
        }) { server in
            let list = try await Self.withClient(server) { client in try await client.webhooks.list() }
            #expect(list.isEmpty)
        }
        #expect(seen.count("/webhooks") == 2)
    }

    @Test func retryAfterValuesAreRangeChecked() {
        let day = Duration.seconds(86_400)
        #expect(RetryPolicy.parseRetryAfter("1e300") == day)
        #expect(RetryPolicy.parseRetryAfter("99999999999999999999") == day)
        #expect(RetryPolicy.parseRetryAfter("inf") == day)
        #expect(RetryPolicy.parseRetryAfter("2.5") == .milliseconds(2500))
        #expect(RetryPolicy.parseRetryAfter("-1") == nil)
        #expect(RetryPolicy.parseRetryAfter("nan") == nil)
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 99999999999999999999 08:49:37 GMT") == nil)
        #expect(RetryPolicy.parseRetryAfter("Sun, 06 Nov 9999999 08:49:37 GMT") == nil)
        let now = Date(timeIntervalSince1970: 0)
        #expect(RetryPolicy.parseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT", now: now) == day)
    }

    // MARK: - Finding 7: lists that do not end

    @Test func pagesPastTheTotalSizeStop() async throws {
        let seen = Seen()
        let error = try await HostileServer.run({ request in
            if request.path == "/oauth2/token" { return Self.token }
            let page = seen.record(request)
            // One new item and a new token on every page, while the list claims to hold one item.
            return .json(
                200,
                [
                    "webhooks": [["id": .string("id-\(page)"), "target": "https://h.example/x", "triggers": ["ALL"]]],
                    "nextPageToken": .string("t\(page)"), "totalSize": 1,
                ])
        }) { server in
            try await Self.withClient(server) { client in
                try await #require(throws: APIError.self) { try await client.webhooks.list() }
            }
        }
        #expect(error.kind == .invalidPagination)
        #expect(
            error.description
                == "list webhooks failed: the server's page tokens do not lead to the end of the list (1 items "
                + "received, the list's totalSize is 1, and still a next page); try again later")
        #expect(seen.count("/webhooks") == 1)
    }

    @Test func endlessPagesWithoutATotalStopAtThePageLimit() async throws {
        let seen = Seen()
        let error = try await HostileServer.run({ request in
            if request.path == "/oauth2/token" { return Self.token }
            let page = seen.record(request)
            return .json(
                200,
                [
                    "webhooks": [["id": .string("id-\(page)"), "target": "https://h.example/x", "triggers": ["ALL"]]],
                    "nextPageToken": .string("t\(page)"),
                ])
        }) { server in
            try await Self.withClient(server, configure: { $0.maxListPages = 25 }) { client in
                try await #require(throws: APIError.self) { try await client.webhooks.list() }
            }
        }
        #expect(error.kind == .invalidPagination)
        #expect(error.description.contains("(more than 25 pages (25 items))"))
        #expect(seen.count("/webhooks") == 25)
    }

    @Test func repeatedTokensStop() async throws {
        let error = try await HostileServer.run({ request in
            if request.path == "/oauth2/token" { return Self.token }
            return .json(
                200, ["webhooks": [["id": "a", "target": "https://h.example/x"]], "nextPageToken": "same"])
        }) { server in
            try await Self.withClient(server) { client in
                try await #require(throws: APIError.self) { try await client.webhooks.list() }
            }
        }
        #expect(error.kind == .invalidPagination)
        #expect(error.description.contains("a page token repeated after 2 items"))
    }

    /// Lists that grow while they are read, and the older docs' `totalSize: 0` on a one-page list, still read.
    @Test func honestListsStillRead() async throws {
        let seen = Seen()
        let items = try await HostileServer.run({ request in
            if request.path == "/oauth2/token" { return Self.token }
            let page = seen.record(request)
            let item: (Int) -> JSONValue = { ["id": .string("id-\($0)"), "target": "https://h.example/x"] }
            switch page {
            case 1: return .json(200, ["webhooks": [item(1), item(2)], "nextPageToken": "p2", "totalSize": 4])
            case 2: return .json(200, ["webhooks": [item(3), item(4)], "nextPageToken": "p3", "totalSize": 5])
            default: return .json(200, ["webhooks": [item(5)], "nextPageToken": nil, "totalSize": 0])
            }
        }) { server in
            try await Self.withClient(server) { client in try await client.webhooks.list() }
        }
        #expect(items.compactMap { $0["id"]?.stringValue } == ["id-1", "id-2", "id-3", "id-4", "id-5"])
    }

    // MARK: - Finding 16: lists of the wrong shape

    @Test(arguments: [
        (#"{"webhooks": "not an array", "totalSize": 1}"#, #"the page has no "webhooks" array"#),
        (#"[]"#, #"the page has no "webhooks" array"#),
        (#"{"webhooks": [7]}"#, #"item 1 of "webhooks" is a number, not an object"#),
        (#"{"webhooks": [{"id": "a"}, null]}"#, #"item 2 of "webhooks" is null, not an object"#),
        (#"{"webhooks": [{"target": "https://h.example/x"}]}"#, #"item 1 of "webhooks" has no "id" string"#),
        (#"{"webhooks": [{"id": 5}]}"#, #"item 1 of "webhooks" has no "id" string"#),
        (#"{"webhooks": [{"id": ""}]}"#, #"item 1 of "webhooks" has no "id" string"#),
        (#"{"webhooks": [], "nextPageToken": 12}"#, #""nextPageToken" is a number, not a string"#),
        (#"{"webhooks": [], "totalSize": "many"}"#, #""totalSize" is a string, not a count"#),
        (#"{"webhooks": [], "totalSize": -1}"#, #""totalSize" is a number, not a count"#),
        (#"{"webhooks": [], "totalSize": 1.5}"#, #""totalSize" is a number, not a count"#),
    ])
    func wrongShapedListsAreRefused(_ body: String, _ says: String) async throws {
        let error = try await HostileServer.run({ request in
            request.path == "/oauth2/token" ? Self.token : .raw(200, body)
        }) { server in
            try await Self.withClient(server) { client in
                try await #require(throws: APIError.self) { try await client.webhooks.list(label: "webhook.ops") }
            }
        }
        #expect(error.kind == .undecodableResponse)
        let expected =
            "webhook.ops: list webhooks failed: 200 unreadable response from http://127.0.0.1:"
        #expect(error.description.hasPrefix(expected), "\(error)")
        #expect(error.description.hasSuffix(": GET /v1/projects/p1/webhooks: \(says)"), "\(error)")
        #expect(!error.description.contains("\n"))
    }

    /// Each kind checks its own identity: a WhatsApp template needs a name and a language.
    @Test func templatesWithoutALanguageAreRefused() async throws {
        let error = try await HostileServer.run({ request in
            request.path == "/oauth2/token" ? Self.token : .json(200, ["templates": [["name": "welcome"]]])
        }) { server in
            try await Self.withClient(server) { client in
                try await #require(throws: APIError.self) { try await client.whatsappTemplates.list() }
            }
        }
        #expect(error.description.contains(#"/whatsapp/templates: item 1 of "templates" has no "language" string"#))
    }

    // MARK: - Finding 12: secrets echoed back

    @Test func echoedSecretsAreHiddenByValue() async throws {
        let webhookSecret = "SECRET-CANARY-123"
        let quoted = #"SECRET"QUOTED\CANARY"#
        let logs = LogCapture()
        let seen = Seen()
        let (refused, unknown) = try await HostileServer.run({ request in
            if request.path == "/oauth2/token" { return Self.token }
            // The request as the server saw it, pasted into every text field of its error.
            let authorization = request.headers.first { $0.name.lowercased() == "authorization" }?.value ?? ""
            let echo = String(decoding: request.body, as: UTF8.self) + " auth: \(authorization) key: \(Self.keySecret)"
            let status = seen.record(request) == 1 ? 400 : 500
            return .json(
                status,
                [
                    "errorCode": .string("invalid_input \(webhookSecret)"), "message": .string("bad: \(echo)"),
                    "resolution": .string("do not send \(echo)"),
                    "additionalInformation": ["validationErrors": [.string("secret \(echo)")]],
                ], headers: [("X-Echo", echo)])
        }) { server in
            try await Self.withClient(server, logs: logs) { client in
                let body: JSONValue = [
                    "target": "https://h.example/x", "triggers": ["ALL"], "secret": .string(webhookSecret),
                    "nested": ["password": .string(quoted)],
                ]
                let refused = try await #require(throws: APIError.self) {
                    try await client.webhooks.create(body, label: "webhook.ops")
                }
                let unknown = try await client.webhooks.create(body, label: "webhook.ops")
                return (refused, unknown)
            }
        }
        let unknownError = try #require(unknown.unknownError)
        for text in [refused.description, unknownError.description, logs.text] {
            for secret in [webhookSecret, quoted, #"SECRET\"QUOTED\\CANARY"#, "tok-ECHO-4242", Self.keySecret] {
                #expect(!text.contains(secret), "\(secret) in: \(text)")
            }
        }
        #expect(
            refused.description.hasPrefix("webhook.ops: create webhook failed: 400 invalid_input (sensitive) — bad: "))
        #expect(refused.description.contains(#""secret":"(sensitive)""#))
        #expect(refused.description.contains("auth: Bearer (sensitive) key: (sensitive)"))
        #expect(unknownError.description.contains("outcome unknown (500 invalid_input (sensitive)"))
        #expect(logs.text.contains("[trace] ← body: {"))
    }
}
