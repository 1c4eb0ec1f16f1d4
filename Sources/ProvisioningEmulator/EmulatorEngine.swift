import Foundation
import JSONSyntax
import Logging
import Synchronization

/// The answer to one HTTP request: a response, a dropped connection, or (a fault) a body streamed `count` times
/// `chunk` with `intervalMs` between chunks.
enum Outcome: Sendable {
    case response(status: Int, headers: [(String, String)], body: [UInt8])
    case drop
    case stream(status: Int, chunk: [UInt8], count: Int, intervalMs: Int)
}

/// The emulator without the HTTP server: state, auth, routing, faults, request log and persistence.
final class EmulatorEngine: Sendable {
    let configuration: EmulatorConfiguration
    let logger: Logger
    let world: Mutex<World>
    private let tokens = Mutex<[String: Double]>([:])
    private let faults = Mutex(FaultSet())
    private let log = Mutex(RequestLog())
    private let persistence = Mutex(PersistenceState())
    let table: RouteTable

    struct PersistenceState {
        var dirty = false
        var writer: Task<Void, Never>?
    }

    init(configuration: EmulatorConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.world = Mutex(World())
        self.table = RouteTable(
            routes: Webhooks.routes + WhatsAppTemplates.routes + KakaoTalk.routes + RcsSenders.routes
                + WhatsAppSenders.routes + WhatsAppAccount.routes)
    }

    /// Emulator-clock now, in seconds since 1970.
    func now() -> Double {
        Date().timeIntervalSince1970 + world.withLock { $0.clockOffset }
    }

    // MARK: Request processing

    func process(_ request: APIRequest) async -> Outcome {
        let actions = faults.withLock { $0.fire(method: request.method, path: request.path) }
        var dropAfter = false
        for action in actions {
            switch action {
            case .delay(let milliseconds):
                try? await Task.sleep(for: .milliseconds(milliseconds))
            case .respond(let status, let retryAfter):
                let fault = EmulatorDefaults.faultErrorCode(for: status)
                var error = APIError(
                    status, fault.code, fault.message, "Please wait and try again (fault injected by the emulator).")
                if let retryAfter { error.headers.append(("Retry-After", String(retryAfter))) }
                if !request.path.hasPrefix("/_emulator/") { record(request, status: status, template: nil) }
                return respond(error)
            case .drop(let afterProcessing):
                if !afterProcessing {
                    if !request.path.hasPrefix("/_emulator/") { record(request, status: 0, template: nil) }
                    return .drop
                }
                dropAfter = true
            case .malformed, .wrongTypes, .endlessPages, .huge, .trickle, .redirect:
                let outcome = Self.hostile(action)
                if !request.path.hasPrefix("/_emulator/") {
                    if case .response(let status, _, _) = outcome {
                        record(request, status: status, template: nil)
                    } else {
                        record(request, status: 200, template: nil)
                    }
                }
                return outcome
            }
        }
        let outcome: Outcome
        if request.path.hasPrefix("/_emulator/") || request.path == "/_emulator" {
            // The control API changes and reveals everything: it takes the emulator's key like every API route.
            outcome = authenticate(request) ? control(request) : respond(APIError.unauthorized)
        } else if request.path == "/oauth2/token" {
            outcome = token(request)
        } else {
            outcome = api(request)
        }
        return dropAfter ? .drop : outcome
    }

    /// The answer of a hostile-response fault.
    static func hostile(_ action: FaultAction) -> Outcome {
        switch action {
        case .malformed:
            return .response(status: 200, headers: [], body: Array(#"{"id": "abc", "webhooks": [{"target": "#.utf8))
        case .wrongTypes:
            let body: JSON = [
                "id": 42, "name": ["not", "a", "string"], "webhooks": "not an array", "templates": 7,
                "senders": ["plusFriendId": 1], "nextPageToken": 12, "state": false,
            ]
            return .response(status: 200, headers: [], body: body.serialized())
        case .endlessPages:
            // An empty page of every list that always points at the same next page.
            let body: JSON = ["webhooks": [], "templates": [], "senders": [], "nextPageToken": "again"]
            return .response(status: 200, headers: [], body: body.serialized())
        case .huge(let bytes):
            let chunk = [UInt8](repeating: UInt8(ascii: " "), count: 64 << 10)
            return .stream(status: 200, chunk: chunk, count: max(1, bytes / chunk.count), intervalMs: 0)
        case .trickle(let bytes, let intervalMs):
            return .stream(status: 200, chunk: [UInt8(ascii: " ")], count: bytes, intervalMs: intervalMs)
        case .redirect(let status, let location):
            return .response(status: status, headers: [("Location", location)], body: [])
        case .delay, .respond, .drop:
            return .drop
        }
    }

    private func record(_ request: APIRequest, status: Int, template: String?) {
        let entry = RequestLog.Entry(
            method: request.method, path: request.path, query: request.rawQuery, status: status, at: now())
        log.withLock { $0.record(entry, template: template ?? request.path) }
    }

    private func respond(_ error: APIError) -> Outcome {
        .response(status: error.status, headers: error.headers, body: error.body.serialized())
    }

    private func respond(_ reply: Reply) -> Outcome {
        .response(status: reply.status, headers: reply.headers, body: reply.raw ?? reply.body?.serialized() ?? [])
    }

    private func api(_ request: APIRequest) -> Outcome {
        let segments = request.segments
        let resolved = table.resolve(method: request.method, segments: segments)
        let template = resolved?.0.template
        let outcome: Outcome
        let mutated: Bool
        do {
            let credentialsOK = authenticate(request)
            guard segments.count >= 3, segments[0] == "v1", segments[1] == "projects" else {
                throw credentialsOK ? APIError.routeNotFound : APIError.unauthorized
            }
            guard credentialsOK, configuration.projects.contains(segments[2]) else { throw APIError.unauthorized }
            guard let (route, params) = resolved else { throw APIError.routeNotFound }
            let now = self.now()
            let call = Call(
                request: request, params: params, query: request.query, now: now, configuration: configuration)
            let reply = try world.withLock { world -> Reply in
                world.projects[call.projectId, default: ProjectState()].settleReviews(now: now)
                return try route.handler(call, &world)
            }
            outcome = respond(reply)
            mutated = request.method != "GET"
        } catch let error as APIError {
            outcome = respond(error)
            mutated = false
        } catch {
            logger.error("handler failed", metadata: ["error": "\(error)"])
            outcome = respond(APIError.internalError)
            mutated = false
        }
        if case .response(let status, _, _) = outcome { record(request, status: status, template: template) }
        if mutated { schedulePersist() }
        return outcome
    }

    // MARK: Auth

    private func authenticate(_ request: APIRequest) -> Bool {
        authenticate(authorization: request.headers["authorization"])
    }

    /// Whether an `Authorization` header carries the emulator's key (Basic) or a bearer token it issued that has not
    /// expired.
    func authenticate(authorization header: String?) -> Bool {
        guard let header else { return false }
        if let credentials = basicCredentials(header) {
            return configuration.credentials[credentials.0] == credentials.1
        }
        let prefix = "bearer "
        if header.lowercased().hasPrefix(prefix) {
            let token = String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
            let now = self.now()
            return tokens.withLock { ($0[token] ?? -.infinity) > now }
        }
        return false
    }

    private func basicCredentials(_ header: String) -> (String, String)? {
        let prefix = "basic "
        guard header.lowercased().hasPrefix(prefix),
            let data = Data(base64Encoded: String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces))
        else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let colon = text.firstIndex(of: ":") else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    private func token(_ request: APIRequest) -> Outcome {
        let outcome: Outcome
        if request.method != "POST" {
            outcome = .response(status: 405, headers: [], body: (["error": "invalid_request"] as JSON).serialized())
        } else if let header = request.headers["authorization"], let credentials = basicCredentials(header),
            configuration.credentials[credentials.0] == credentials.1
        {
            let form = APIRequest(
                method: "POST", target: "/?" + String(decoding: request.body, as: UTF8.self),
                headers: [:], body: []
            ).query
            if form["grant_type"]?.first == "client_credentials" {
                let token = randomString(length: 48, alphabet: alphanumerics)
                let lifetime = configuration.tokenLifetime.seconds
                let now = self.now()
                tokens.withLock { tokens in
                    tokens = tokens.filter { $0.value > now }
                    tokens[token] = now + lifetime
                }
                let body: JSON = [
                    "access_token": .string(token), "token_type": .string(EmulatorDefaults.tokenType),
                    "expires_in": .number(lifetime.rounded()),
                ]
                outcome = .response(status: 200, headers: [], body: body.serialized())
            } else {
                outcome = .response(
                    status: 400, headers: [], body: (["error": "unsupported_grant_type"] as JSON).serialized())
            }
        } else {
            outcome = .response(status: 401, headers: [], body: (["error": "invalid_client"] as JSON).serialized())
        }
        if case .response(let status, _, _) = outcome { record(request, status: status, template: "/oauth2/token") }
        return outcome
    }

    // MARK: Persistence

    /// Loads state from `statePath` when the file exists.
    ///
    /// - Throws: ``EmulatorStateFileError`` naming the file and what is wrong in it.
    func load() throws {
        guard let path = configuration.statePath, FileManager.default.fileExists(atPath: path) else { return }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let json = JSON.parse(Array(data)) else { throw EmulatorStateFileError(path: path, reason: "not JSON") }
        do {
            let loaded = try World(json: json)
            world.withLock { $0 = loaded }
        } catch let error as APIError {
            let details = error.additionalInformation?["validationErrors"]?.arrayValue?.compactMap(\.stringValue)
            throw EmulatorStateFileError(path: path, reason: details?.joined(separator: "; ") ?? error.message)
        }
    }

    /// Writes state now: a new file created with mode 0600 (it holds webhook secrets), written, synced and renamed
    /// over the old one.
    func persistNow() throws {
        guard let path = configuration.statePath else { return }
        persistence.withLock { $0.dirty = false }
        let snapshot = world.withLock { $0 }
        let bytes = snapshot.json.serialized()
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = path + ".\(newUUID()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw EmulatorStateFileError(path: path, reason: "cannot create \(temporary) (errno \(errno))")
        }
        var written = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let result = write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += result
            }
        }
        if failure == 0, fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw EmulatorStateFileError(path: path, reason: "cannot write it (errno \(failure))")
        }
    }

    func schedulePersist() {
        guard configuration.statePath != nil else { return }
        persistence.withLock { state in
            state.dirty = true
            guard state.writer == nil else { return }
            state.writer = Task { [weak self] in
                try? await Task.sleep(for: .milliseconds(100))
                guard let self else { return }
                self.persistence.withLock { $0.writer = nil }
                do {
                    try self.persistNow()
                } catch {
                    self.logger.error("could not persist emulator state", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// Waits for a pending debounced write, then writes the final state.
    func flush() async throws {
        let writer = persistence.withLock { $0.writer }
        await writer?.value
        try persistNow()
    }

    // MARK: Control API

    private func control(_ request: APIRequest) -> Outcome {
        do {
            let reply = try controlReply(request)
            return respond(reply)
        } catch let error as APIError {
            return respond(error)
        } catch {
            return respond(APIError.invalidPayload)
        }
    }

    private func controlReply(_ request: APIRequest) throws -> Reply {
        let call = Call(request: request, params: [:], query: request.query, now: now(), configuration: configuration)
        switch (request.method, request.path) {
        case ("POST", "/_emulator/reset"):
            world.withLock { $0 = World() }
            faults.withLock { $0 = FaultSet() }
            log.withLock { $0.clear() }
            schedulePersist()
            return .noContent
        case ("GET", "/_emulator/state"):
            // Secrets (webhook secrets, tokens) only when asked for, with `?secrets=true`.
            let secrets = call.queryValue("secrets") == "true"
            let now = self.now()
            let snapshot = world.withLock { world -> World in
                for key in world.projects.keys { world.projects[key]?.settleReviews(now: now) }
                return world
            }
            return Reply(status: 200, body: nil).withRaw(snapshot.json(includingSecrets: secrets).serialized())
        case ("PUT", "/_emulator/state"):
            guard let json = JSON.parse(request.body) else { throw APIError.invalidPayload }
            let decoded = try World(json: json)
            world.withLock { $0 = decoded }
            schedulePersist()
            return .noContent
        case ("GET", "/_emulator/clock"):
            return .ok(["now": .string(isoTimestamp(call.now))])
        case ("POST", "/_emulator/clock/advance"):
            let body = try call.jsonObject()
            var validation = Validation()
            let seconds = validation.number(body, "seconds", required: true, range: 0...1e10) ?? 0
            if call.now + seconds > StateNumber.maxTime {
                validation.fail("seconds must not move the clock past 9999-12-31T23:59:59Z")
            }
            try validation.check()
            world.withLock { $0.clockOffset += seconds }
            schedulePersist()
            return .ok(["now": .string(isoTimestamp(now()))])
        case ("POST", "/_emulator/review"):
            let body = try call.jsonObject()
            let count = try world.withLock { world in try Reviews.force(body, world: &world, now: call.now) }
            schedulePersist()
            return .ok(["completed": .number(Double(count))])
        case ("POST", "/_emulator/rcs/testNumbers"):
            let body = try call.jsonObject()
            let entry = try world.withLock { world in try RcsSenders.setTestNumberState(body, world: &world) }
            schedulePersist()
            return .ok(entry)
        case ("PUT", "/_emulator/whatsapp/account"):
            let body = try call.jsonObject()
            let reviewDelay = configuration.reviewDelay.seconds
            let answer = try world.withLock { world in
                try WhatsAppAccount.control(body, world: &world, now: call.now, reviewDelay: reviewDelay)
            }
            schedulePersist()
            return .ok(answer)
        case ("PUT", "/_emulator/whatsapp/wabas"):
            let body = try call.jsonObject()
            let answer = try world.withLock { world in try WhatsAppAccount.seedWabas(body, world: &world) }
            schedulePersist()
            return .ok(answer)
        case ("PUT", "/_emulator/faults"):
            let body = try call.jsonObject()
            guard case .array(let items)? = body["rules"] else {
                throw APIError.invalidInput(["rules must be an array"])
            }
            let rules = try items.map(FaultRule.init)
            faults.withLock { $0.rules = rules }
            return .ok(["rules": .array(rules.map(\.json))])
        case ("GET", "/_emulator/faults"):
            return .ok(["rules": .array(faults.withLock { $0.rules.map(\.json) })])
        case ("DELETE", "/_emulator/faults"):
            faults.withLock { $0 = FaultSet() }
            return .noContent
        case ("GET", "/_emulator/requests"):
            return .ok(log.withLock { $0.json })
        case ("DELETE", "/_emulator/requests"):
            log.withLock { $0.clear() }
            return .noContent
        default:
            throw APIError.routeNotFound
        }
    }
}

/// A state file that cannot be read or written: which file, and what is wrong.
struct EmulatorStateFileError: Error, CustomStringConvertible {
    var path: String
    var reason: String

    var description: String {
        "emulator state file \(path): \(reason); correct the file or delete it to start from an empty state"
    }
}

extension Reply {
    /// A reply whose body bytes are already serialised (large state dumps).
    func withRaw(_ bytes: [UInt8]) -> Reply {
        var copy = self
        copy.raw = bytes
        return copy
    }
}
