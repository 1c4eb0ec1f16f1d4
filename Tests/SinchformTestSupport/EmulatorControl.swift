import AsyncHTTPClient
import Foundation
import JSONSyntax
import NIOCore
import NIOHTTP1

/// A typed client for the emulator's control routes (`/_emulator/...`): faults, reviews, the clock, state and the
/// request log.
///
/// Every call carries the emulator's own access key as HTTP Basic (``authorization``), built in this one place.
public struct EmulatorControl: Sendable {
    public let baseURL: String
    /// `Basic base64(keyId:keySecret)`: the header every control request sends.
    public let authorization: String
    /// The project that reviews and ``liveCounts(project:)`` read when none is named.
    public let project: String

    public init(baseURL: String, keyId: String, keySecret: String, project: String = "sinchform-project") {
        self.baseURL = baseURL
        self.authorization = "Basic " + Data("\(keyId):\(keySecret)".utf8).base64EncodedString()
        self.project = project
    }

    /// A control call answered with a status other than 2xx.
    public struct Failure: Error, CustomStringConvertible {
        public var method: String
        public var route: String
        public var status: Int
        public var body: String

        public var description: String { "\(method) \(route) answered \(status): \(body)" }
    }

    /// One entry of the emulator's request log.
    public struct RecordedRequest: Sendable, Equatable {
        public var method: String
        public var path: String
        public var query: String
        public var status: Int

        public init(method: String, path: String, query: String, status: Int) {
            self.method = method
            self.path = path
            self.query = query
            self.status = status
        }
    }

    /// How `POST /_emulator/review` ends a review.
    public enum Outcome: String, Sendable {
        case approve
        case reject
    }

    // MARK: Routes

    /// `POST /_emulator/reset`: state, faults and the request log start empty.
    public func reset() async throws {
        try await call(.POST, "reset")
    }

    /// `GET /_emulator/state`: the whole emulated world.
    public func state() async throws -> JSONValue {
        try await call(.GET, "state") ?? .null
    }

    /// `PUT /_emulator/state` with a state dump's bytes.
    public func setState(_ bytes: [UInt8]) async throws {
        try await call(.PUT, "state", bytes: bytes)
    }

    /// `GET /_emulator/clock`: the emulator's time, ISO 8601.
    public func now() async throws -> String {
        try await call(.GET, "clock")?["now"]?.stringValue ?? ""
    }

    /// `POST /_emulator/clock/advance`.
    public func advanceClock(seconds: Double) async throws {
        try await call(.POST, "clock/advance", ["seconds": .number(seconds)])
    }

    /// `POST /_emulator/review` for every pending review (of `kind`, when given); nothing pending is fine.
    ///
    /// Returns how many reviews ended.
    @discardableResult
    public func reviewAll(_ outcome: Outcome, kind: String? = nil, reason: String? = nil) async throws -> Int {
        var body: JSONObject = ["all": true]
        if let kind { body["kind"] = .string(kind) }
        if let reason { body["reason"] = .string(reason) }
        do {
            return try await review(outcome, body)
        } catch let failure as Failure where failure.status == 404 {
            return 0  // no review was pending
        }
    }

    /// `POST /_emulator/review` for one resource: `fields` name its kind and key (`kind`, `id`, ...) and any of
    /// `rejectionCode`, `reason`, `requireVerification`. Throws ``Failure`` (404) when no such review is pending.
    @discardableResult
    public func review(_ outcome: Outcome, _ fields: JSONObject) async throws -> Int {
        var body = fields
        body["outcome"] = .string(outcome.rawValue)
        body["projectId"] = body["projectId"] ?? .string(project)
        return try await call(.POST, "review", .object(body))?["completed"]?.intValue ?? 0
    }

    /// `PUT /_emulator/faults`: replaces the fault rules (see the emulator's fault rule documentation).
    public func setFaults(_ rules: [JSONValue]) async throws {
        try await call(.PUT, "faults", ["rules": .array(rules)])
    }

    /// `GET /_emulator/faults`.
    public func faults() async throws -> [JSONValue] {
        try await call(.GET, "faults")?["rules"]?.arrayValue ?? []
    }

    /// `DELETE /_emulator/faults`.
    public func clearFaults() async throws {
        try await call(.DELETE, "faults")
    }

    /// `GET /_emulator/requests`: the recorded API and token requests, oldest first.
    public func requests() async throws -> [RecordedRequest] {
        let entries = try await call(.GET, "requests")?["requests"]?.arrayValue ?? []
        return entries.map { entry in
            RecordedRequest(
                method: entry["method"]?.stringValue ?? "", path: entry["path"]?.stringValue ?? "",
                query: entry["query"]?.stringValue ?? "", status: entry["status"]?.intValue ?? 0)
        }
    }

    /// `GET /_emulator/requests`'s per-route counters (`"METHOD /route/template"`).
    public func requestCounters() async throws -> [String: Int] {
        (try await call(.GET, "requests")?["counters"]?.objectValue ?? [:]).compactMapValues(\.intValue)
    }

    /// `DELETE /_emulator/requests`.
    public func clearRequests() async throws {
        try await call(.DELETE, "requests")
    }

    /// Successful creating POSTs under `/v1/` in the request log.
    public func successfulCreates() async throws -> Int {
        try await requests().filter {
            $0.method == "POST" && $0.path.hasPrefix("/v1/") && (200..<300).contains($0.status)
        }.count
    }

    /// Live (not deleted) resources per collection of `project` (kind names such as `webhooks`), from the state
    /// dump; collections with none are left out.
    public func liveCounts(project: String? = nil) async throws -> [String: Int] {
        let collections = try await state()["projects"]?[project ?? self.project]?.objectValue ?? [:]
        var counts: [String: Int] = [:]
        // The WhatsApp account (one per project, there from the start) is not a resource sinchform creates.
        for (name, collection) in collections where name != "whatsappAccount" {
            guard let items = collection["items"]?.objectValue else { continue }
            let live = items.values.filter { $0["deletedAt"] == nil }.count
            if live > 0 { counts[name] = live }
        }
        return counts
    }

    // MARK: Transport

    /// Sends a control request (`route` relative to `/_emulator/`) and returns the status and body, whatever the
    /// status.
    public func send(
        _ method: HTTPMethod, _ route: String, _ json: JSONValue? = nil, bytes: [UInt8]? = nil
    ) async throws -> (status: Int, body: [UInt8]) {
        var request = HTTPClientRequest(url: baseURL + "/_emulator/" + route)
        request.method = method
        request.headers.add(name: "Authorization", value: authorization)
        if let body = bytes ?? json?.serialized() {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let buffer = try await response.body.collect(upTo: 1 << 30)
        return (Int(response.status.code), Array(buffer.readableBytesView))
    }

    /// Sends a control request and parses the answer; a status other than 2xx throws ``Failure``.
    @discardableResult
    public func call(
        _ method: HTTPMethod, _ route: String, _ json: JSONValue? = nil, bytes: [UInt8]? = nil
    ) async throws -> JSONValue? {
        let (status, body) = try await send(method, route, json, bytes: bytes)
        guard (200..<300).contains(status) else {
            throw Failure(
                method: method.rawValue, route: "/_emulator/" + route, status: status,
                body: String(decoding: body, as: UTF8.self))
        }
        return body.isEmpty ? nil : try JSONValue(bytes: body)
    }
}
