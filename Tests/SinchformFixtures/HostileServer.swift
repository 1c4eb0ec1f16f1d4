import NIOCore
import NIOHTTP1
import NIOPosix
import ProvisioningAPI

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
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder()))
                    return try NIOAsyncChannel<HTTPServerRequestPart, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let port = listener.channel.localAddress?.port ?? 0
        let server = HostileServer(baseURL: "http://127.0.0.1:\(port)")
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await listener.executeThenClose { connections in
                    try await withThrowingDiscardingTaskGroup { connectionGroup in
                        for try await connection in connections {
                            connectionGroup.addTask { try? await serve(connection, answer) }
                        }
                    }
                }
            }
            let value: Value
            do {
                value = try await body(server)
            } catch {
                listener.channel.close(promise: nil)
                group.cancelAll()
                throw error
            }
            listener.channel.close(promise: nil)
            group.cancelAll()
            return value
        }
    }

    private static func serve(
        _ connection: NIOAsyncChannel<HTTPServerRequestPart, ByteBuffer>,
        _ answer: @Sendable (Request) async -> Answer
    ) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let received):
                    head = received
                    body = []
                case .body(let buffer):
                    body += buffer.readableBytesView
                case .end:
                    guard let head else { continue }
                    let target = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
                    let request = Request(
                        method: head.method.rawValue, path: String(target.first ?? ""),
                        query: target.count > 1 ? String(target[1]) : "",
                        headers: head.headers.map { (name: $0.name, value: $0.value) }, body: body)
                    let reply = await answer(request)
                    if reply.delay > .zero { try await Task.sleep(for: reply.delay) }
                    try await outbound.write(ByteBuffer(bytes: reply.bytes))
                    return
                }
            }
        }
    }
}
