import Foundation
import ProvisioningAPI
import Synchronization

/// Seeded hostile answers for the client: random statuses, headers (`Retry-After`, `Content-Type`, `Content-Length`
/// lies) and bodies (truncated JSON, wrong shapes, huge numbers, endless pages), served by a ``HostileServer`` while
/// a `plan` runs against it. Shared by `sinchform-bench fuzz-client` and its short version in the engine tests.
public enum ClientFuzz {
    /// What a fuzzed client is configured with, so that one plan against any server ends within ``deadline``:
    /// short request deadlines, few attempts, short waits, few pages.
    public static func configure(_ configuration: inout ProvisioningConfiguration) {
        configuration.retry = RetryPolicy(
            maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(10),
            maxRetryAfter: .milliseconds(50))
        configuration.requestTimeout = .seconds(2)
        configuration.maxListPages = 20
        configuration.maxResponseBodyBytes = 1 << 20
    }

    /// How long one plan may take at most: the one answer per plan that comes too late costs a request deadline
    /// per attempt; the rest answer at once.
    public static let deadline: Duration = .seconds(60)

    /// The environment a plan of the quickstart manifests needs, pointed at `baseURL`.
    public static func environment(baseURL: String) -> [String: String] {
        [
            "SINCH_PROJECT_ID": "fuzz-project", "SINCH_KEY_ID": "fuzz-key", "SINCH_KEY_SECRET": "fuzz-key-secret",
            "SINCH_PROVISIONING_URL": baseURL, "SINCH_AUTH_URL": baseURL + "/oauth2/token",
            "OPS_WEBHOOK_SECRET": "ops-webhook-secret", "AUDIT_WEBHOOK_SECRET": "audit-webhook-secret",
        ]
    }

    /// The quickstart manifests (every kind), copied into `directory`.
    public static func writeManifests(to directory: URL) throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/quickstart")
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where name.hasSuffix(".yaml") {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
    }

    /// Counts of a client fuzz run.
    public struct Tally: Sendable, CustomStringConvertible {
        public var plans = 0
        public var succeeded = 0
        public var failed = 0
        /// Plans still running at ``ClientFuzz/deadline``.
        public var hung: [UInt64] = []
        /// Plans that changed a file of the directory, by seed.
        public var wroteFiles: [UInt64] = []
        public var requests = 0
        public var byStatus: [Int: Int] = [:]
        /// The first words of each error, and how often.
        public var errors: [String: Int] = [:]
        public var slowest: Duration = .zero

        public init() {}

        public var description: String {
            let statuses = byStatus.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            return "\(plans) plans (\(succeeded) succeeded, \(failed) failed, \(hung.count) past the deadline, "
                + "\(wroteFiles.count) wrote files); \(requests) requests answered; answers by status {\(statuses)}; "
                + "slowest plan \(slowest)"
        }
    }

    /// Runs plans against fresh hostile servers for `duration` (or `maxPlans`), one seed each (`seed`, `seed + 1`, …).
    ///
    /// - Parameters:
    ///   - directory: The manifest directory; its files are compared before and after every plan.
    ///   - plan: Plans `directory` against the server at the given base URL (the engine's plan entry point).
    ///   - progress: Called about every 10 seconds, with the seed of the plan about to run.
    public static func run(
        seed: UInt64, duration: Duration, maxPlans: Int = .max, directory: URL,
        plan: @escaping @Sendable (String) async throws -> Void, progress: (Tally, UInt64) -> Void = { _, _ in }
    ) async throws -> Tally {
        var tally = Tally()
        let clock = ContinuousClock()
        let end = clock.now + duration
        var lastReport = clock.now
        var planSeed = seed
        while clock.now < end && tally.plans < maxPlans {
            if clock.now - lastReport > .seconds(10) {
                lastReport = clock.now
                progress(tally, planSeed)
            }
            let before = try snapshot(directory)
            let answers = Answers(seed: planSeed)
            let start = clock.now
            let outcome = try await HostileServer.run(answers.answer) { server in
                try await withThrowingTaskGroup(of: String?.self) { group in
                    group.addTask {
                        do {
                            try await plan(server.baseURL)
                            return nil
                        } catch {
                            return String(describing: error)
                        }
                    }
                    group.addTask {
                        try await Task.sleep(for: deadline)
                        return "past the deadline"
                    }
                    let first = try await group.next() ?? nil
                    group.cancelAll()
                    return first
                }
            }
            let elapsed = clock.now - start
            tally.slowest = max(tally.slowest, elapsed)
            tally.plans += 1
            let seen = answers.statuses
            tally.requests += seen.values.reduce(0, +)
            tally.byStatus.merge(seen, uniquingKeysWith: +)
            switch outcome {
            case nil:
                tally.succeeded += 1
            case "past the deadline"?:
                tally.hung.append(planSeed)
            case let message?:
                tally.failed += 1
                tally.errors[summary(message), default: 0] += 1
            }
            if try snapshot(directory) != before { tally.wroteFiles.append(planSeed) }
            planSeed &+= 1
        }
        return tally
    }

    /// An error's gist for counting: its text with numbers, addresses and quoted parts removed, at most 90 chars.
    static func summary(_ message: String) -> String {
        var text = message.replacingOccurrences(
            of: #"http://127\.0\.0\.1:\d+"#, with: "http://…", options: .regularExpression)
        text = text.replacingOccurrences(of: #"\d+"#, with: "N", options: .regularExpression)
        return String(text.prefix(90))
    }

    /// Every file below `directory` (hidden ones included) with its bytes.
    public static func snapshot(_ directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        for case let url as URL in enumerator?.allObjects ?? [] {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            files[url.path] = isDirectory.boolValue ? Data() : try Data(contentsOf: url)
        }
        return files
    }

    /// The answers of one hostile server: each list path keeps the behaviour it drew first, so pages stay
    /// consistent (an endless list stays endless).
    public final class Answers: Sendable {
        private struct State {
            var random: SplitMix64
            var modes: [String: Mode] = [:]
            var pages: [String: Int] = [:]
            var statuses: [Int: Int] = [:]
            var lateAnswerUsed = false
        }

        enum Mode: CaseIterable {
            case empty, small, endless, repeated, wrongShape, status, garbage, late, hugeNumbers
        }

        private let state: Mutex<State>

        public init(seed: UInt64) {
            state = Mutex(State(random: SplitMix64(state: seed)))
        }

        /// Answers by status so far.
        public var statuses: [Int: Int] { state.withLock { $0.statuses } }

        public func answer(_ request: HostileServer.Request) -> HostileServer.Answer {
            state.withLock { state in
                var answer = Self.answer(request, &state)
                Self.distort(&answer, &state.random)
                state.statuses[answer.status, default: 0] += 1
                return answer
            }
        }

        static let statuses = [
            200, 201, 204, 299, 301, 302, 304, 400, 401, 403, 404, 405, 409, 410, 413, 418, 422, 424, 429, 500, 501,
            502, 503, 504, 599,
        ]
        static let retryAfters = [
            "0", "1", "1e300", "-1", "99999999999999999999", "1e19", "nan", "inf", "0x1p62", "soon", "",
            "Sun, 06 Nov 999999999 08:49:37 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "Sun, 06 Nov 1994 08:49:37 GMT",
        ]
        static let numbers = [
            "0", "-1", "1", "15", "3600", "1e300", "-1e300", "99999999999999999999", "1e19", "9223372036854775807",
            "1.5", "5e-324", "1.7976931348623157e308",
        ]
        static let contentTypes = ["application/json", "text/html", "application/problem+json", "", "x/y; charset=z"]

        private static func pick<T>(_ items: [T], _ random: inout SplitMix64) -> T {
            items[Int.random(in: 0..<items.count, using: &random)]
        }

        private static func chance(_ probability: Double, _ random: inout SplitMix64) -> Bool {
            Double.random(in: 0..<1, using: &random) < probability
        }

        private static func answer(_ request: HostileServer.Request, _ state: inout State) -> HostileServer.Answer {
            if request.path == "/oauth2/token" {
                if chance(0.85, &state.random) {
                    let lifetime = chance(0.6, &state.random) ? "3600" : pick(numbers, &state.random)
                    return .raw(
                        200,
                        #"{"access_token":"tok-\#(state.random.next())","token_type":"Bearer","expires_in":\#(lifetime)}"#
                    )
                }
                return hostile(&state.random)
            }
            guard request.method == "GET" else { return .json(500, ["errorCode": "fuzz", "message": "no writes"]) }
            let mode: Mode
            if let known = state.modes[request.path] {
                mode = known
            } else {
                let weights: [(Mode, Int)] = [
                    (.empty, 45), (.small, 20), (.endless, 6), (.repeated, 3), (.wrongShape, 7), (.status, 9),
                    (.garbage, 6), (.late, 1), (.hugeNumbers, 3),
                ]
                var roll = Int.random(in: 0..<weights.map(\.1).reduce(0, +), using: &state.random)
                var chosen = Mode.empty
                for (candidate, weight) in weights {
                    if roll < weight {
                        chosen = candidate
                        break
                    }
                    roll -= weight
                }
                // One answer per plan comes late; a second would only make the plan slower, not test more.
                if chosen == .late {
                    if state.lateAnswerUsed { chosen = .empty }
                    state.lateAnswerUsed = true
                }
                state.modes[request.path] = chosen
                mode = chosen
            }
            let page = state.pages[request.path, default: 0] + 1
            state.pages[request.path] = page
            let key = itemsKey(request.path)
            switch mode {
            case .empty:
                return .json(200, [key: [], "totalSize": 0, "pageSize": 15])
            case .small:
                let items = (0..<Int.random(in: 1...3, using: &state.random)).map { item(request.path, index: $0) }
                return .json(200, [key: .array(items), "totalSize": .number(Double(items.count))])
            case .endless:
                var body: JSONObject = [
                    key: [item(request.path, index: page)], "nextPageToken": .string("page-\(page)"),
                ]
                switch Int.random(in: 0..<4, using: &state.random) {
                case 0: body["totalSize"] = 1
                case 1: body["totalSize"] = .number(Double(page + 1))
                case 2: body["totalSize"] = 1e300
                default: break
                }
                return .json(200, .object(body))
            case .repeated:
                return .json(200, [key: [item(request.path, index: 0)], "nextPageToken": "again"])
            case .wrongShape:
                let bodies = [
                    #"{"\#(key)": "not an array"}"#, #"{"\#(key)": [7, null, "x"]}"#, #"{"\#(key)": [{}]}"#,
                    #"{"\#(key)": [{"id": 5, "plusFriendId": ["x"], "name": {}, "code": 1e300}]}"#,
                    #"{"\#(key)": [], "nextPageToken": 12}"#, #"{"\#(key)": [], "totalSize": "many"}"#,
                    #"{"\#(key)": [], "totalSize": -1e300}"#, "[]", "{}", "null", "1e300", #""text""#,
                ]
                return .raw(200, pick(bodies, &state.random))
            case .status:
                return hostile(&state.random)
            case .garbage:
                let bodies = [
                    #"{"\#(key)": [{"id": "a", "#, "", "not json", "{", "\u{0}\u{1}\u{2}", #"{"\#(key)": []"#,
                    String(repeating: "[", count: 100_000), #"{"a":"\u{1B}]0;PWNED\u{7}"}"#,
                ]
                return .raw(200, pick(bodies, &state.random))
            case .late:
                var answer = HostileServer.Answer.json(200, [key: [], "totalSize": 0])
                answer.delay = .milliseconds(2500)
                return answer
            case .hugeNumbers:
                let number = pick(numbers, &state.random)
                var text = item(request.path, index: 0).jsonString
                text.removeLast()
                text += #","qualityScore":\#(number),"maxTps":\#(number),"created":\#(number)}"#
                return .raw(200, #"{"\#(key)": [\#(text)], "totalSize": \#(number), "pageSize": \#(number)}"#)
            }
        }

        /// An error status with a body and headers that may be anything.
        private static func hostile(_ random: inout SplitMix64) -> HostileServer.Answer {
            let status = pick(statuses, &random)
            var headers: [(name: String, value: String)] = []
            if chance(0.5, &random) { headers.append(("Retry-After", pick(retryAfters, &random))) }
            if (300..<400).contains(status) { headers.append(("Location", "http://other-host.invalid/x")) }
            let bodies = [
                #"{"errorCode":"fuzz","message":"hostile","resolution":"none"}"#, "", "{", "<html>oops</html>",
                #"{"errorCode":7,"message":["x"],"additionalInformation":{"validationErrors":[1e300,null]}}"#,
                #"{"error":"invalid_client"}"#, #"{"access_token":5}"#, #"{"access_token":"","expires_in":"x"}"#,
            ]
            return .raw(status, pick(bodies, &random), headers: headers)
        }

        /// Lies about the body: a wrong or missing `Content-Length`, an odd `Content-Type`.
        private static func distort(_ answer: inout HostileServer.Answer, _ random: inout SplitMix64) {
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<4: answer.contentLength = answer.body.count + Int.random(in: 1...1000, using: &random)
            case 4..<8 where !answer.body.isEmpty:
                answer.contentLength = Int.random(in: 0..<answer.body.count, using: &random)
            case 8..<11: answer.announcesLength = false
            default: break
            }
            if chance(0.1, &random) {
                answer.headers.removeAll { $0.name == "Content-Type" }
                answer.headers.append(("Content-Type", pick(contentTypes, &random)))
            }
        }

        private static func itemsKey(_ path: String) -> String {
            if path.hasSuffix("/webhooks") { return "webhooks" }
            if path.hasSuffix("/templates") { return "templates" }
            if path.hasSuffix("/activities") { return "notifications" }
            return "senders"
        }

        /// A well-formed item of the list at `path`.
        private static func item(_ path: String, index: Int) -> JSONValue {
            if path.hasSuffix("/webhooks") {
                return [
                    "id": .string("hook-\(index)"), "target": .string("https://h\(index).example.com/x"),
                    "triggers": ["ALL"],
                ]
            }
            if path.hasSuffix("/whatsapp/templates") {
                return [
                    "name": .string("tpl_\(index)"), "language": "EN_US", "category": "UTILITY", "state": "APPROVED",
                    "details": ["components": [["type": "BODY", "text": "Hello"]]],
                ]
            }
            if path.hasSuffix("/kakaotalk/senders") {
                return ["plusFriendId": .string("@fuzz\(index)"), "state": "ACTIVE", "details": ["name": "Fuzz"]]
            }
            if path.hasSuffix("/templates") {
                return ["code": .string("code-\(index)"), "state": "APPROVED", "details": ["name": "t"]]
            }
            return ["id": .string("sender-\(index)"), "state": "ACTIVE", "details": ["brand": ["name": "Fuzz"]]]
        }
    }
}
