import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ProvisioningAPI

/// Seeded random HTTP requests for the emulator: methods, paths near the real API's (and its control routes),
/// queries, headers and bodies (the API examples mutated, random JSON, bytes that are not JSON) full of hostile
/// numbers. Shared by `sinchform-bench fuzz-emulator` and its short version in the emulator tests.
///
/// Every request carries the emulator's key (Basic), control routes included, so the fuzzing reaches past
/// authentication.
public struct EmulatorFuzz: Sendable {
    /// One request to send.
    public struct Request: Sendable, CustomStringConvertible {
        public var method: String
        /// Percent-encoded path.
        public var path: String
        /// Raw query, without `?`.
        public var query: String
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        public var target: String { query.isEmpty ? path : path + "?" + query }

        /// Whether the request may install faults, after which answers are the faults', not the emulator's own.
        public var mayInstallFaults: Bool { method == "PUT" && path == "/_emulator/faults" }

        public var description: String {
            let text = String(decoding: body.prefix(400), as: UTF8.self)
            return "\(method) \(target.prefix(400)) (\(body.count) bytes) \(text)"
        }
    }

    /// The emulator's default key, which every request carries.
    public static let keyId = "sinchform-key"
    public static let keySecret = "sinchform-secret"
    public static let project = "sinchform-project"

    private var random: SplitMix64
    private var identifiers: [String] = ["@acme", "welcome", "EN_US", "KO", "00000000-0000-4000-8000-000000000000"]
    private var state: JSONValue?
    /// API example request bodies, by file name.
    private let seeds: [(name: String, body: JSONValue)]

    public init(seed: UInt64) {
        random = SplitMix64(state: seed)
        seeds = Self.loadSeeds()
    }

    /// The request bodies of the API examples (`Tests/Fixtures/api-examples/*.request*.json`).
    static func loadSeeds() -> [(name: String, body: JSONValue)] {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/api-examples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.contains(".request") }.sorted().compactMap { name in
            (try? Data(contentsOf: directory.appendingPathComponent(name))).flatMap { try? JSONValue(data: $0) }
                .map { (name, $0) }
        }
    }

    /// The example bodies for the collection `path` belongs to (all of them when it belongs to none).
    private func seeds(for path: String) -> [JSONValue] {
        let prefixes: [(String, String)] = [
            ("/kakaotalk/senders/", "kakaotalk-template."), ("/kakaotalk/senders", "kakaotalk-sender."),
            ("/whatsapp/templates", "whatsapp-template."), ("/whatsapp/senders", "whatsapp-sender."),
            ("/rcs/senders", "rcs-sender."), ("/webhooks", "webhook."),
        ]
        let prefix = prefixes.first { path.contains($0.0) && !(path.hasSuffix("/senders") && $0.0.hasSuffix("/")) }
        let matching = seeds.filter { seed in prefix.map { seed.name.hasPrefix($0.1) } ?? true }
        return (matching.isEmpty ? seeds : matching).map(\.body)
    }

    // MARK: - Vocabulary

    /// The API's routes, as the emulator serves them (part A–C of docs/api), with their methods.
    static let routes: [(String, String)] = {
        let p = "/v1/projects/{p}"
        let wt = p + "/whatsapp/templates/{id}/languages/{id}"
        let ws = p + "/whatsapp/senders/{id}"
        let ks = p + "/kakaotalk/senders/{id}"
        let kt = ks + "/templates/{id}"
        let rs = p + "/rcs/senders/{id}"
        return [
            ("GET", p + "/webhooks"), ("POST", p + "/webhooks"), ("GET", p + "/webhooks/{id}"),
            ("PUT", p + "/webhooks/{id}"), ("PATCH", p + "/webhooks/{id}"), ("DELETE", p + "/webhooks/{id}"),
            ("GET", p + "/whatsapp/templates"), ("POST", p + "/whatsapp/templates"),
            ("POST", p + "/whatsapp/templates/sync"), ("GET", p + "/whatsapp/templates/{id}"),
            ("DELETE", p + "/whatsapp/templates/{id}"), ("GET", wt), ("PATCH", wt), ("DELETE", wt),
            ("GET", wt + "/activities"), ("POST", wt + "/comments"),
            ("GET", p + "/whatsapp/senders"), ("POST", p + "/whatsapp/senders"), ("GET", ws), ("PATCH", ws),
            ("DELETE", ws), ("POST", ws + "/register"), ("POST", ws + "/verify"), ("GET", ws + "/activities"),
            ("POST", ws + "/comments"), ("DELETE", ws + "/changes"), ("GET", ws + "/suggestedUsernames"),
            ("GET", p + "/kakaotalk/senders"), ("POST", p + "/kakaotalk/senders"), ("GET", ks), ("PATCH", ks),
            ("DELETE", ks), ("GET", ks + "/activities"), ("DELETE", ks + "/changes"), ("POST", ks + "/comments"),
            ("POST", ks + "/register"), ("POST", ks + "/verify"), ("GET", ks + "/templates"),
            ("POST", ks + "/templates"), ("GET", kt), ("PATCH", kt), ("DELETE", kt), ("GET", kt + "/activities"),
            ("DELETE", kt + "/changes"), ("POST", kt + "/comments"),
            ("GET", p + "/kakaotalk/categories/senders"), ("GET", p + "/kakaotalk/categories/senders/{id}/templates"),
            ("GET", p + "/rcs/senders"), ("POST", p + "/rcs/senders"), ("GET", rs), ("PATCH", rs), ("DELETE", rs),
            ("GET", rs + "/activities"), ("POST", rs + "/comments"), ("POST", rs + "/launch"),
            ("POST", rs + "/testNumbers"), ("GET", rs + "/testNumbers/{id}"), ("DELETE", rs + "/testNumbers/{id}"),
            ("GET", rs + "/testNumbers/{id}/capabilities"), ("GET", rs + "/testNumbers/{id}/retry"),
            ("POST", "/oauth2/token"), ("GET", "/"), ("GET", "/v1/projects"), ("GET", p),
        ]
    }()
    static let controlPaths = [
        "/_emulator/faults", "/_emulator/state", "/_emulator/clock", "/_emulator/clock/advance", "/_emulator/review",
        "/_emulator/rcs/testNumbers", "/_emulator/requests", "/_emulator/reset", "/_emulator", "/_emulator/x",
    ]
    static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    static let oddMethods = ["HEAD", "OPTIONS", "TRACE", "FOO", "get", "CONNECT"]
    /// Numbers as JSON or query text: edges of every fixed-width type, huge, tiny, fractional, negative.
    static let numbers = [
        "0", "-0", "1", "-1", "2", "3", "15", "16", "100", "101", "429", "500", "503", "302", "1000", "1001", "65535",
        "86400", "600000", "2147483648", "-2147483649", "4e9", "1e10", "1e12", "9007199254740993", "1e15", "1.5",
        "-1.5", "0.1", "1e-300", "5e-324", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "18446744073709551616", "99999999999999999999", "1e19", "1e300", "-1e300", "1.7976931348623157e308",
    ]
    /// Query-only spellings that are not JSON numbers.
    static let numberLikes = ["NaN", "nan", "Infinity", "-inf", "0x10", "1_000", "", " 1", "1e", "+1", "١٢"]
    static let strings = [
        "", "a", "ALL", "EN_US", "KO", "@acme", "+4915112345678", "welcome", "https://hooks.example.com/x",
        "not a url", "DRAFT", "APPROVED", "UTILITY", "BODY", "SMS", "approve", "reject", "whatsappTemplate",
        "kakaotalkTemplate", "rcsSender", "true", "null", "(", "[a-", ".*", "\u{0}", "\u{1B}]0;x\u{7}", "é", "𝄞",
        String(repeating: "x", count: 5000), "../../_emulator/state", "%00", "${env.X}",
    ]
    static let segments = [
        "", ".", "..", "%2e%2e", "%00", "%ff", "%", "%zz", "@", "@acme", "a%2Fb", "+", "%2B4915112345678",
        String(repeating: "a", count: 3000), "%F0%9D%84%9E", "languages", "webhooks", "x y",
    ]

    // MARK: - Generation

    private mutating func chance(_ probability: Double) -> Bool {
        Double.random(in: 0..<1, using: &random) < probability
    }

    private mutating func pick<T>(_ items: [T]) -> T {
        items[Int.random(in: 0..<items.count, using: &random)]
    }

    private mutating func number() -> Double {
        Double(pick(Self.numbers)) ?? 0
    }

    /// The next request.
    public mutating func next() -> Request {
        let control = chance(0.15)
        var (method, path) = pick(Self.routes)
        // Creates, often with an example body as it is, so that later requests find resources.
        if chance(0.15) {
            method = "POST"
            path =
                "/v1/projects/{p}/"
                + pick(["webhooks", "whatsapp/templates", "whatsapp/senders", "kakaotalk/senders", "rcs/senders"])
        }
        if chance(0.2) { method = pick(Self.methods) }
        if chance(0.03) { method = pick(Self.oddMethods) }
        if control {
            path = pick(Self.controlPaths)
            // The routes that do something, with the method they take, most of the time.
            let routes: [String: String] = [
                "/_emulator/faults": "PUT", "/_emulator/state": "PUT", "/_emulator/clock/advance": "POST",
                "/_emulator/review": "POST", "/_emulator/rcs/testNumbers": "POST", "/_emulator/reset": "POST",
            ]
            if let routeMethod = routes[path], chance(0.7) { method = routeMethod }
            // A reset or a new state empties the emulator: rarely.
            if (path == "/_emulator/reset" || path == "/_emulator/state") && method != "GET" && chance(0.8) {
                method = "GET"
            }
        }
        path = path.replacingOccurrences(of: "{p}", with: chance(0.9) ? Self.project : pick(Self.segments))
        while let range = path.range(of: "{id}") {
            let value = chance(0.6) ? pick(identifiers) : pick(Self.segments)
            path.replaceSubrange(range, with: Self.encode(value))
        }
        if chance(0.05) { path += pick(["/", "//", "/x", "/..", "?", "#x"]) }
        if chance(0.02) { path = "/" + pick(Self.segments) + path }
        let query = makeQuery(path: path)
        var headers: [(name: String, value: String)] = [("Authorization", Self.basic)]
        let contentTypes = [
            "text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16", "*/*",
            "application/json;;;", "multipart/form-data; boundary=x",
        ]
        headers.append(("Content-Type", chance(0.8) ? "application/json" : pick(contentTypes)))
        if chance(0.2) {
            headers.append(
                pick([
                    ("Accept", "*/*"), ("Accept", "text/html"),
                    ("X-Request-Id", pick(Self.strings.filter(\.isPrintable))),
                    ("Content-Encoding", "gzip"), ("Retry-After", "1e300"), ("Accept-Language", "ko"),
                    ("X-Forwarded-For", "10.0.0.1"), ("Cookie", "a=b"),
                ]))
        }
        let body = makeBody(method: method, path: path)
        return Request(method: method, path: path, query: query, headers: headers, body: body)
    }

    static var basic: String {
        "Basic " + Data("\(keyId):\(keySecret)".utf8).base64EncodedString()
    }

    private mutating func makeQuery(path: String) -> String {
        guard chance(0.5) else { return "" }
        var items: [String] = []
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let name = pick([
                "pageSize", "pageSize", "pageToken", "pageToken", "deleteSubmitted", "filterStates", "filterStatuses",
                "templateName", "usQuestionnaireVersion", "fieldMask", "search", "sortColumn", "sortDirection",
                "filterSenderIds", Self.encode(pick(Self.strings)),
            ])
            var value: String
            switch name {
            case "pageSize":
                value = pick(chance(0.8) ? Self.numbers : Self.numberLikes)
            case "pageToken":
                let offset = chance(0.5) ? pick(Self.numbers) : String(Int.random(in: -5...50, using: &random))
                value =
                    chance(0.7)
                    ? Data("sinchform-emulator:\(offset)".utf8).base64EncodedString() : pick(Self.strings)
            default:
                value = chance(0.5) ? pick(Self.strings) : pick(Self.numbers + Self.numberLikes)
            }
            items.append("\(name)=\(Self.encode(value))")
        }
        return items.joined(separator: "&")
    }

    private mutating func makeBody(method: String, path: String) -> [UInt8] {
        if method == "TRACE" { return [] }
        if method == "GET" || method == "HEAD" || method == "DELETE" {
            return chance(0.05) ? Array(pick(Self.strings).utf8) : []
        }
        if path == "/oauth2/token" {
            return Array(
                pick(["grant_type=client_credentials", "grant_type=password", "", "grant_type", "%%%", "a=b&a=c"]).utf8)
        }
        switch path {
        case "/_emulator/faults": return serialize(faultRules())
        case "/_emulator/state": return serialize(mutate(state ?? ["projects": [:], "seq": 1], depth: 0))
        case "/_emulator/clock/advance": return serialize(["seconds": .number(number())])
        case "/_emulator/review":
            return serialize([
                "projectId": .string(chance(0.9) ? Self.project : pick(Self.strings)),
                "kind": .string(
                    pick([
                        "whatsappTemplate", "whatsappSender", "kakaotalkSender", "kakaotalkTemplate", "rcsSender", "x",
                    ])),
                "outcome": .string(pick(["approve", "reject", "maybe"])), "all": .bool(chance(0.5)),
                "name": .string(pick(identifiers)), "language": .string(pick(identifiers)),
                "id": .string(pick(identifiers)), "plusFriendId": .string(pick(identifiers)),
                "code": .string(pick(identifiers)), "rejectionCode": .string(pick(Self.strings)),
            ])
        default:
            break
        }
        switch Int.random(in: 0..<10, using: &random) {
        case 0: return []
        case 1: return Array(pick(Self.strings).utf8)
        case 2:
            return (0..<Int.random(in: 1...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        case 3:
            let whole = serialize(pick(seeds.map(\.body)))
            return Array(whole.prefix(Int.random(in: 0...max(0, whole.count), using: &random)))
        case 4: return serialize(randomValue(depth: 0))
        case 5, 6:
            // As the example has it: creates that succeed, so that later requests find resources.
            return serialize(seeds.isEmpty ? [:] : pick(seeds(for: path)))
        default: return serialize(mutate(seeds.isEmpty ? [:] : pick(seeds(for: path)), depth: 0))
        }
    }

    private mutating func faultRules() -> JSONValue {
        let types = [
            "latency", "status", "drop", "malformed", "wrongTypes", "endlessPages", "huge", "trickle", "redirect", "x",
        ]
        var rules: [JSONValue] = []
        for _ in 0..<Int.random(in: 0...2, using: &random) {
            var rule: JSONObject = ["type": .string(pick(types))]
            for key in ["status", "count", "probability", "fixedMs", "randomMs", "retryAfter", "bytes", "intervalMs"]
            where chance(0.3) {
                rule[key] = .number(number())
            }
            // Faults that stall every later request for minutes stay rare and short-lived.
            rule["count"] = rule["count"] ?? .number(Double(Int.random(in: 1...3, using: &random)))
            if chance(0.3) { rule["method"] = .string(pick(Self.methods + ["x"])) }
            if chance(0.3) { rule["path"] = .string(pick(["webhooks", "(", ".*", "[a-", "templates$"])) }
            if chance(0.2) { rule["location"] = .string(pick(Self.strings)) }
            rules.append(.object(rule))
        }
        return chance(0.9) ? ["rules": .array(rules)] : randomValue(depth: 0)
    }

    /// `value` with one to three leaves or members changed.
    private mutating func mutate(_ value: JSONValue, depth: Int) -> JSONValue {
        var result = value
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            result = mutateOnce(result, depth: depth)
        }
        return result
    }

    private mutating func mutateOnce(_ value: JSONValue, depth: Int) -> JSONValue {
        switch value {
        case .object(var members) where !members.isEmpty && depth < 12:
            let key = pick(members.keys.sorted())
            switch Int.random(in: 0..<6, using: &random) {
            case 0: members[key] = nil
            case 1: members[pick(Self.strings.filter { $0.count < 40 })] = randomValue(depth: depth + 1)
            default: members[key] = mutateOnce(members[key] ?? .null, depth: depth + 1)
            }
            return .object(members)
        case .array(var elements) where !elements.isEmpty && depth < 12:
            let index = Int.random(in: 0..<elements.count, using: &random)
            switch Int.random(in: 0..<5, using: &random) {
            case 0: elements.remove(at: index)
            case 1:
                elements.append(
                    contentsOf: Array(repeating: elements[index], count: Int.random(in: 1...20, using: &random)))
            default: elements[index] = mutateOnce(elements[index], depth: depth + 1)
            }
            return .array(elements)
        case .number:
            return chance(0.8) ? .number(number()) : randomValue(depth: depth + 1)
        default:
            return randomValue(depth: depth + 1)
        }
    }

    private mutating func randomValue(depth: Int) -> JSONValue {
        switch Int.random(in: 0..<(depth > 4 ? 5 : 7), using: &random) {
        case 0: return .null
        case 1: return .bool(chance(0.5))
        case 2, 3: return .number(number())
        case 4: return .string(chance(0.7) ? pick(Self.strings) : pick(identifiers))
        case 5:
            return .array(
                (0..<Int.random(in: 0...4, using: &random)).map { _ in randomValue(depth: depth + 1) })
        default:
            var members: JSONObject = [:]
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                members[pick(Self.strings.filter { $0.count < 40 })] = randomValue(depth: depth + 1)
            }
            return .object(members)
        }
    }

    private func serialize(_ value: JSONValue) -> [UInt8] { value.serialized() }

    static func encode(_ text: String) -> String {
        // Already percent-encoded segments stay as they are; everything else is encoded as a path or query needs.
        if text.contains("%") { return text.replacingOccurrences(of: " ", with: "%20") }
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "&=?#+"))
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    // MARK: - Learning and checking

    /// Remembers identities and the state document from a 2xx answer, so later requests reach existing resources.
    public mutating func learn(from request: Request, body: [UInt8]) {
        guard let value = try? JSONValue(bytes: body) else { return }
        if request.method == "GET" && request.path == "/_emulator/state" {
            state = value
            return
        }
        func collect(_ value: JSONValue, depth: Int) {
            guard depth < 4 else { return }
            switch value {
            case .object(let members):
                for key in ["id", "name", "language", "plusFriendId", "code", "phoneNumber"] {
                    if let text = members[key]?.stringValue, !identifiers.contains(text) { identifiers.append(text) }
                }
                for member in members.values { collect(member, depth: depth + 1) }
            case .array(let elements):
                for element in elements.prefix(20) { collect(element, depth: depth + 1) }
            default:
                break
            }
        }
        collect(value, depth: 0)
        if identifiers.count > 200 { identifiers.removeFirst(identifiers.count - 200) }
    }

    /// The methods the HTTP server hands to the emulator; it refuses others itself (an empty 400 or 404).
    static let standardMethods: Set = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"]

    /// Whether an answer came from the HTTP server below the emulator, not from the emulator: an empty error for a
    /// method the HTTP parser does not take (`FOO`, `get`, `CONNECT` with a path).
    public static func isFromHTTPLayer(_ request: Request, status: Int, body: [UInt8]) -> Bool {
        !standardMethods.contains(request.method) && !(200..<300).contains(status) && body.isEmpty
    }

    /// What is wrong with an answer, or `nil`: a non-2xx answer must be a JSON object with a non-empty `errorCode`
    /// (the token endpoint's, an OAuth `error`).
    public static func violation(of request: Request, status: Int, body: [UInt8]) -> String? {
        if (200..<300).contains(status) || request.method == "HEAD" { return nil }
        let value = try? JSONValue(bytes: body)
        let path = request.path.prefix { $0 != "#" && $0 != "?" }
        let key = path == "/oauth2/token" ? "error" : "errorCode"
        if let code = value?[key]?.stringValue, !code.isEmpty { return nil }
        return "\(status) without a JSON \(key): \(String(decoding: body.prefix(200), as: UTF8.self))"
    }

    // MARK: - Sending

    /// What became of one request.
    public enum Outcome: Sendable {
        case answered(status: Int, body: [UInt8])
        /// The request could not be sent as generated (the HTTP client refused it).
        case unsendable(String)
        /// No answer: the connection failed, broke or timed out.
        case noAnswer(String)
    }

    /// Sends `request` to `baseURL` and reads at most 1 MiB of the answer, all within `timeout`.
    public static func send(
        _ request: Request, to baseURL: String, client: HTTPClient, timeout: Duration = .seconds(5)
    ) async -> Outcome {
        await withTaskGroup(of: Outcome?.self) { group in
            group.addTask { await sendOnce(request, to: baseURL, client: client, timeout: timeout) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .noAnswer("no answer within \(timeout)")
        }
    }

    private static func sendOnce(
        _ request: Request, to baseURL: String, client: HTTPClient, timeout: Duration
    ) async -> Outcome {
        var http = HTTPClientRequest(url: baseURL + request.target)
        http.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { http.headers.add(name: name, value: value) }
        if !request.body.isEmpty { http.body = .bytes(ByteBuffer(bytes: request.body)) }
        guard URL(string: http.url) != nil else { return .unsendable("not a URL") }
        let deadline = NIODeadline.now() + .milliseconds(Int64(timeout.components.seconds) * 1000)
        do {
            let response = try await client.execute(http, deadline: deadline)
            let body = try await response.body.collect(upTo: 1 << 20)
            return .answered(status: Int(response.status.code), body: Array(body.readableBytesView))
        } catch let error as HTTPClientError
            where [.invalidURL, .emptyHost, .traceRequestWithBody, .emptyScheme]
            .contains(error)
        {
            return .unsendable(String(describing: error))
        } catch {
            return .noAnswer(String(describing: error))
        }
    }

    /// Sends seeded requests for `duration` (or `maxRequests`), checking every answer.
    ///
    /// - Parameters:
    ///   - baseURL: Where the emulator listens now (it may change after a crash and a restart).
    ///   - crashed: Asked after a request got no answer: the crash it revealed (the emulator died), or `nil`; the
    ///     caller restarts a crashed emulator before it returns.
    ///   - progress: Called about every 10 seconds.
    public static func run(
        seed: UInt64, duration: Duration, maxRequests: Int = .max,
        baseURL: () async throws -> String, crashed: (Request) async throws -> String?,
        progress: (FuzzTally) -> Void = { _ in }
    ) async throws -> FuzzTally {
        var fuzz = EmulatorFuzz(seed: seed)
        var tally = FuzzTally()
        let client = makeClient()
        let clock = ContinuousClock()
        let end = clock.now + duration
        var lastReport = clock.now
        // Requests left before installed faults are cleared; nil when none may be installed.
        var faultsLeft: Int?
        do {
            while clock.now < end && tally.requests < maxRequests {
                let url = try await baseURL()
                if let left = faultsLeft, left <= 0 {
                    let clear = Request(
                        method: "DELETE", path: "/_emulator/faults", query: "", headers: [("Authorization", basic)],
                        body: [])
                    _ = await send(clear, to: url, client: client)
                    faultsLeft = nil
                }
                let request = fuzz.next()
                tally.requests += 1
                let underFaults = faultsLeft != nil
                faultsLeft = faultsLeft.map { $0 - 1 }
                switch await send(request, to: url, client: client) {
                case .answered(let status, let body):
                    tally.byStatus[status, default: 0] += 1
                    if request.mayInstallFaults && (200..<300).contains(status) { faultsLeft = 3 }
                    if underFaults {
                        tally.underFaults += 1
                    } else if isFromHTTPLayer(request, status: status, body: body) {
                        tally.httpLayer += 1
                    } else if let problem = violation(of: request, status: status, body: body) {
                        tally.malformedCount += 1
                        if tally.malformed.count < 20 { tally.malformed.append("\(problem) ← \(request)") }
                    } else if (200..<300).contains(status) {
                        fuzz.learn(from: request, body: body)
                    }
                case .unsendable:
                    tally.unsendable += 1
                case .noAnswer(let reason):
                    if let crash = try await crashed(request) {
                        tally.crashes.append(crash)
                        faultsLeft = nil
                    } else if underFaults || request.mayInstallFaults {
                        tally.underFaults += 1
                        faultsLeft = faultsLeft ?? 3
                    } else {
                        tally.noAnswer += 1
                        if tally.malformed.count < 20 { tally.malformed.append("no answer (\(reason)) ← \(request)") }
                    }
                }
                if clock.now - lastReport > .seconds(10) {
                    lastReport = clock.now
                    progress(tally)
                }
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return tally
    }

    /// An HTTP client for fuzzing: no redirects, no retries of its own.
    public static func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(2))
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }
}

/// Counts of a fuzz run.
public struct FuzzTally: Sendable, CustomStringConvertible {
    public var requests = 0
    public var byStatus: [Int: Int] = [:]
    public var noAnswer = 0
    public var unsendable = 0
    /// Answers while injected faults may be active (not held to the error format).
    public var underFaults = 0
    /// Empty errors from the HTTP server below the emulator, for methods its parser refuses.
    public var httpLayer = 0
    /// Non-2xx answers that are not a well-formed JSON error, with the request that got them (first few).
    public var malformed: [String] = []
    public var malformedCount = 0
    /// Crashes, each with the request that caused it.
    public var crashes: [String] = []

    public init() {}

    public var description: String {
        let statuses = byStatus.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        return "\(requests) requests; answers by status {\(statuses)}; no answer \(noAnswer); unsendable "
            + "\(unsendable); under injected faults \(underFaults); empty errors of the HTTP layer for unknown methods "
            + "\(httpLayer); malformed errors \(malformedCount); crashes "
            + "\(crashes.count)"
    }
}

extension String {
    fileprivate var isPrintable: Bool { unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F } }
}
