import AsyncHTTPClient
import Foundation
import JSONSyntax
import Logging
import NIOCore
import NIOHTTP1
import SinchformTestSupport
import Testing

@testable import ProvisioningEmulator

/// A response as the tests see it.
struct HTTPResult {
    var status: Int
    var headers: HTTPHeaders
    var bytes: [UInt8]

    var json: JSON? { JSON.parse(bytes) }
    var object: [String: JSON] { json?.objectValue ?? [:] }
    var errorCode: String? { object["errorCode"]?.stringValue }
}

/// How a test request authenticates.
enum Auth {
    case basic
    case bearer(String)
    case header(String)
    case none
}

/// The shared emulator harness, spoken to in raw HTTP with the emulator's own `JSON`.
struct Harness: Sendable {
    /// Reviews complete after 300 s of emulator time, far beyond what a slow, loaded test machine takes in real
    /// time, so tests decide when reviews end (by advancing the clock or forcing an outcome).
    static let defaultConfiguration: EmulatorConfiguration = {
        var configuration = EmulatorConfiguration()
        configuration.reviewDelay = .seconds(300)
        return configuration
    }()

    let emulator: EmulatorHarness
    var base: String { emulator.baseURL }
    static let project = "sinchform-project"
    static let basic = "Basic " + Data("sinchform-key:sinchform-secret".utf8).base64EncodedString()

    static func run(
        _ configuration: EmulatorConfiguration = Harness.defaultConfiguration, _ body: (Harness) async throws -> Void
    ) async throws {
        try await EmulatorHarness.run(
            configure: { $0 = configuration }, logger: Logger(label: "emulator-test")
        ) { emulator in
            try await body(Harness(emulator: emulator))
        }
    }

    /// Sends a request; `path` may start with `/v1/...`, or be relative to the project (`webhooks`).
    func send(
        _ method: HTTPMethod, _ path: String, json: JSON? = nil, body: String? = nil, auth: Auth = .basic,
        headers extra: [(String, String)] = []
    ) async throws -> HTTPResult {
        let fullPath = path.hasPrefix("/") ? path : "/v1/projects/\(Harness.project)/" + path
        var request = HTTPClientRequest(url: base + fullPath)
        request.method = method
        switch auth {
        case .basic: request.headers.add(name: "Authorization", value: Harness.basic)
        case .bearer(let token): request.headers.add(name: "Authorization", value: "Bearer " + token)
        case .header(let value): request.headers.add(name: "Authorization", value: value)
        case .none: break
        }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: json.serialized()))
        } else if let body {
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let buffer = try await response.body.collect(upTo: 256 << 20)
        return HTTPResult(
            status: Int(response.status.code), headers: response.headers, bytes: Array(buffer.readableBytesView))
    }

    func get(_ path: String, auth: Auth = .basic) async throws -> HTTPResult { try await send(.GET, path, auth: auth) }
    func post(_ path: String, _ json: JSON? = nil, auth: Auth = .basic) async throws -> HTTPResult {
        try await send(.POST, path, json: json ?? [:], auth: auth)
    }
    func patch(_ path: String, _ json: JSON) async throws -> HTTPResult { try await send(.PATCH, path, json: json) }
    func put(_ path: String, _ json: JSON) async throws -> HTTPResult { try await send(.PUT, path, json: json) }
    func delete(_ path: String) async throws -> HTTPResult { try await send(.DELETE, path) }

    /// A control call (`path` relative to `/_emulator/`): through the shared control client, which sends the
    /// emulator's own credentials, or raw with other credentials (to show they are refused).
    func control(
        _ method: HTTPMethod, _ path: String, _ json: JSON? = nil, auth: Auth = .basic
    ) async throws
        -> HTTPResult
    {
        guard case .basic = auth else { return try await send(method, "/_emulator/" + path, json: json, auth: auth) }
        let (status, bytes) = try await emulator.control.send(method, path, bytes: json?.serialized())
        return HTTPResult(status: status, headers: [:], bytes: bytes)
    }

    func advance(seconds: Double) async throws {
        let result = try await control(.POST, "clock/advance", ["seconds": .number(seconds)])
        #expect(result.status == 200)
    }
}

/// The example payloads of the Provisioning API specification 1.2.117, kept in `Tests/Fixtures/api-examples`.
enum Examples {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/api-examples").standardized

    static func load(_ name: String) throws -> JSON {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try #require(JSON.parse(Array(data)), "\(name) is not JSON")
    }

    static func names(matching suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(suffix) }.sorted()
    }
}

/// Structural comparison: same JSON types and nesting; objects have the same keys unless `abridged`
/// (then the actual value may have more keys, and empty example objects/arrays match anything of the type).
func structuralDifferences(expected: JSON, actual: JSON, path: String = "$", abridged: Bool = false) -> [String] {
    switch (expected, actual) {
    case (.object(let e), .object(let a)):
        var problems: [String] = []
        if e.isEmpty && abridged { return [] }
        for key in e.keys.sorted() {
            // Component lists mix shapes (HEADER vs BODY…); only their JSON type is compared.
            if key == "components", case .array = e[key], case .array? = a[key] { continue }
            guard let value = a[key] else {
                problems.append("\(path).\(key) missing")
                continue
            }
            problems += structuralDifferences(
                expected: e[key] ?? .null, actual: value, path: "\(path).\(key)", abridged: abridged)
        }
        if !abridged {
            for key in a.keys.sorted() where e[key] == nil { problems.append("\(path).\(key) unexpected") }
        }
        return problems
    case (.array(let e), .array(let a)):
        guard let first = e.first else { return [] }
        if a.isEmpty { return abridged ? [] : ["\(path) is empty, example has items"] }
        return a.enumerated().flatMap { index, value in
            structuralDifferences(expected: first, actual: value, path: "\(path)[\(index)]", abridged: abridged)
        }
    case (.string, .string), (.number, .number), (.bool, .bool), (.null, .null):
        return []
    default:
        return ["\(path): expected \(kind(expected)), got \(kind(actual))"]
    }
}

private func kind(_ value: JSON) -> String {
    switch value {
    case .null: "null"
    case .bool: "bool"
    case .number: "number"
    case .string: "string"
    case .array: "array"
    case .object: "object"
    }
}
