import NIOCore
import NIOHTTP1
import NIOPosix
import ProvisioningAPI
import Synchronization

/// An HTTP/1.1 server on 127.0.0.1 port 0 that answers each request with whatever the test decides, including what
/// a well-behaved server never sends: a `Content-Length` that lies, a body cut short, an answer that comes late.
///
/// Responses are written as raw bytes (no encoder checks them) and every connection is closed after one answer.
/// Its lifetime is the `body` of ``run(_:_:)``.
public struct HostileServer: Sendable {
    /// A request as it arrived.
    public struct Request: Sendable {
        public var method: String
        /// The path, without the query.
        public var path: String
        /// The raw query (after `?`), empty when there is none.
        public var query: String
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        /// The value of a query parameter (not percent-decoded).
        public func query(_ name: String) -> String? {
            for pair in query.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.first.map(String.init) == name { return parts.count > 1 ? String(parts[1]) : "" }
            }
            return nil
        }
    }

    /// What to send back.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]
        /// The `Content-Length` announced: `nil` announces the body's real length; a lie makes the client wait for
        /// bytes that never come, or read a body cut short.
        public var contentLength: Int?
        /// Whether to announce a length at all (without one, the body ends when the connection closes).
        public var announcesLength = true
        /// A wait before anything is written.
        public var delay: Duration = .zero

        public init(
            status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], contentLength: Int? = nil,
            delay: Duration = .zero
        ) {
            self.status = status
            self.headers = headers
            self.body = body
            self.contentLength = contentLength
            self.delay = delay
        }

        /// A JSON answer with `Content-Type: application/json`.
        public static func json(
            _ status: Int, _ value: JSONValue, headers: [(name: String, value: String)] = []
        ) -> Answer {
            Answer(
                status: status, headers: [("Content-Type", "application/json")] + headers, body: value.serialized())
        }

        /// JSON text as it is (hand-written numbers such as `1e300` or twenty digits, truncated bodies).
        public static func raw(
            _ status: Int, _ text: String, headers: [(name: String, value: String)] = []
        ) -> Answer {
            Answer(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8))
        }

        var bytes: [UInt8] {
            var head = "HTTP/1.1 \(status) Hostile\r\nConnection: close\r\n"
            if announcesLength { head += "Content-Length: \(contentLength ?? body.count)\r\n" }
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            head += "\r\n"
            return Array(head.utf8) + body
        }
    }

    /// `http://127.0.0.1:<port>`.
    public let baseURL: String

    /// Runs a server that answers every request with `answer`, for as long as `body` runs.
    ///
    /// - Throws: What `body` throws, or a failure to bind.
    public static func run<Value: Sendable>(
        _ answer: @escaping @Sendable (Request) async -> Answer, _ body: (HostileServer) async throws -> Value
    ) async throws -> Value {
        let connections = Connections()
        // Plain channel handlers, not NIOAsyncChannel: a connection accepted while the listener closes would be
        // left unconsumed in an async stream, and NIO traps on an async writer deinited unfinished.
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                connections.insert(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder()))
                    try channel.pipeline.syncOperations.addHandler(Handler(answer: answer))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = HostileServer(baseURL: "http://127.0.0.1:\(listener.localAddress?.port ?? 0)")
        let result: Result<Value, any Error>
        do {
            result = .success(try await body(server))
        } catch {
            result = .failure(error)
        }
        try? await listener.close()
        connections.closeAll()
        return try result.get()
    }

    /// The open connections, closed when the server stops.
    private final class Connections: Sendable {
        private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

        func insert(_ channel: any Channel) {
            let key = ObjectIdentifier(channel)
            channels.withLock { $0[key] = channel }
            channel.closeFuture.whenComplete { _ in
                _ = self.channels.withLock { $0.removeValue(forKey: key) }
            }
        }

        func closeAll() {
            for channel in channels.withLock({ Array($0.values) }) { channel.close(promise: nil) }
        }
    }

    /// Collects one request, asks for its answer, writes it and closes the connection.
    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = ByteBuffer

        let answer: @Sendable (Request) async -> Answer
        // Touched on the channel's event loop only.
        private var head: HTTPRequestHead?
        private var body: [UInt8] = []

        init(answer: @escaping @Sendable (Request) async -> Answer) {
            self.answer = answer
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let received):
                head = received
                body = []
            case .body(let buffer):
                body += buffer.readableBytesView
            case .end:
                guard let head else { return }
                self.head = nil
                let target = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
                let request = Request(
                    method: head.method.rawValue, path: String(target.first ?? ""),
                    query: target.count > 1 ? String(target[1]) : "",
                    headers: head.headers.map { (name: $0.name, value: $0.value) }, body: body)
                let channel = context.channel
                let answer = self.answer
                Task {
                    let reply = await answer(request)
                    if reply.delay > .zero { try? await Task.sleep(for: reply.delay) }
                    channel.writeAndFlush(ByteBuffer(bytes: reply.bytes)).whenComplete { _ in
                        channel.close(promise: nil)
                    }
                }
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
