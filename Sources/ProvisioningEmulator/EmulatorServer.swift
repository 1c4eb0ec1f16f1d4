import Hummingbird
import JSONSyntax
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import UnixSignals

/// A local stand-in for the Sinch Provisioning API, served over HTTP by Hummingbird.
///
/// Start it with ``start(host:port:)`` (port 0 picks a free port) and stop it with ``stop()``. The control API under
/// `/_emulator/` resets state, advances the clock, forces reviews, injects faults and reports recorded requests.
public final class EmulatorServer: Sendable {
    let engine: EmulatorEngine
    private let logger: Logger
    private let running = Mutex<Running?>(nil)

    private struct Running: Sendable {
        let group: ServiceGroup
        let task: Task<Void, any Error>
    }

    /// Creates an emulator; nothing listens until ``start(host:port:)``.
    public init(configuration: EmulatorConfiguration = .init(), logger: Logger = Logger(label: "emulator")) {
        self.engine = EmulatorEngine(configuration: configuration, logger: logger)
        self.logger = logger
    }

    /// Binds and starts serving in the background; returns the base URL, e.g. "http://127.0.0.1:54321".
    public func start(host: String = "127.0.0.1", port: Int = 0) async throws -> String {
        try await launch(host: host, port: port, handleSignals: false)
    }

    /// Serves until SIGINT or SIGTERM, then shuts down gracefully and writes the state file.
    ///
    /// `onListening` receives the base URL once the port is bound (port 0 picks a free port).
    public func run(host: String = "127.0.0.1", port: Int = 0, onListening: (String) -> Void) async throws {
        let url = try await launch(host: host, port: port, handleSignals: true)
        onListening(url)
        let task = running.withLock { $0?.task }
        try await task?.value
        running.withLock { $0 = nil }
        try await engine.flush()
    }

    private func launch(host: String, port: Int, handleSignals: Bool) async throws -> String {
        try engine.load()
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            responder: EmulatorResponder(engine: engine),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? port)
                portContinuation.finish()
            },
            logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [application], gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [],
                logger: logger))
        let task = Task {
            defer { portContinuation.finish() }
            try await group.run()
        }
        running.withLock { $0 = Running(group: group, task: task) }
        var iterator = portStream.makeAsyncIterator()
        guard let boundPort = await iterator.next() else {
            try await task.value
            throw EmulatorServerError.notStarted
        }
        logger.info("emulator listening", metadata: ["host": "\(host)", "port": "\(boundPort)"])
        return "http://\(host):\(boundPort)"
    }

    /// Graceful stop: stops accepting connections, lets requests in flight finish, then writes the state file (when
    /// ``EmulatorConfiguration/statePath`` is set).
    public func stop() async throws {
        let current = running.withLock { current -> Running? in
            defer { current = nil }
            return current
        }
        if let current {
            await current.group.triggerGracefulShutdown()
            _ = await current.task.result
        }
        try await engine.flush()
    }
}

/// Why the server could not start.
enum EmulatorServerError: Error, CustomStringConvertible {
    case notStarted

    var description: String { "the emulator server stopped before it was listening" }
}

/// Request context that keeps the channel, so a fault can drop the connection.
struct EmulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    var maxUploadSize: Int { EmulatorDefaults.maxStateBodyBytes }
}

/// The single responder: hands every request to the engine.
struct EmulatorResponder: HTTPResponder {
    typealias Context = EmulatorRequestContext
    let engine: EmulatorEngine

    func respond(to request: Request, context: Context) async throws -> Response {
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName.lowercased()] = field.value
        }
        // The body is read only for a caller with valid credentials, and only up to a limit: an anonymous caller
        // cannot make the emulator buffer anything (its answer, a 401, does not depend on the body).
        var body: [UInt8] = []
        if engine.authenticate(authorization: headers["authorization"]) {
            let isState = request.method == .put && request.uri.path == "/_emulator/state"
            let limit = isState ? EmulatorDefaults.maxStateBodyBytes : EmulatorDefaults.maxRequestBodyBytes
            let declared = headers["content-length"].flatMap { Int($0) } ?? 0
            guard declared <= limit, let buffer = try? await request.body.collect(upTo: limit) else {
                return Self.response(APIError.payloadTooLarge(limit: limit))
            }
            body = Array(buffer.readableBytesView)
        }
        let apiRequest = APIRequest(
            method: request.method.rawValue, target: request.uri.description, headers: headers, body: body)
        switch await engine.process(apiRequest) {
        case .drop:
            try? await context.channel.close()
            throw ConnectionDropped()
        case .stream(let status, let chunk, let count, let intervalMs):
            // A hostile-body fault: the headers go out at once, the body in `count` chunks.
            let body = ResponseBody { writer in
                let buffer = ByteBuffer(bytes: chunk)
                for _ in 0..<count {
                    if intervalMs > 0 { try await Task.sleep(for: .milliseconds(intervalMs)) }
                    try await writer.write(buffer)
                }
                try await writer.finish(nil)
            }
            return Response(status: .init(code: status), headers: [.contentType: "application/json"], body: body)
        case .response(let status, let extraHeaders, let body):
            var fields = HTTPFields()
            if !body.isEmpty { fields[.contentType] = "application/json" }
            for (name, value) in extraHeaders where name == "Retry-After" {
                fields[.retryAfter] = value
            }
            for (name, value) in extraHeaders where name == "Location" {
                fields[.location] = value
            }
            return Response(
                status: .init(code: status), headers: fields,
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}

extension EmulatorResponder {
    static func response(_ error: APIError) -> Response {
        Response(
            status: .init(code: error.status), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: error.body.serialized())))
    }
}

/// Thrown after a fault closed the connection on purpose.
struct ConnectionDropped: Error {}
