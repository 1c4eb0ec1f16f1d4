import AsyncHTTPClient
import Foundation
import JSONSyntax
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// A client for the Sinch Provisioning API: authentication, retries, pagination, limits and typed resource calls.
///
/// Create one per process, share it between tasks, and call ``shutdown()`` when done (or use
/// ``withProvisioningClient(configuration:logger:_:)``).
///
/// ## POST and unknown outcomes
/// GET, PUT, PATCH and DELETE are idempotent and are retried on `429`, `500`, `502`, `503`, `504`, timeouts and broken
/// connections. A POST is sent again only when it certainly was not applied:
/// - a `429` response (the server refused it; honouring `Retry-After`),
/// - a `401` answered once by renewing the token,
/// - a connection that could not be established (nothing was sent).
///
/// A POST answered by any `5xx`, a POST that timed out or lost its connection after being sent, and a `2xx` POST
/// whose body cannot be read all end as ``PostResult/outcomeUnknown(_:)``: the caller resolves them by looking the
/// resource up by identity before sending anything again. Other `4xx` answers are thrown as ``APIError``.
public final class ProvisioningClient: Sendable {
    /// The configuration the client was created with.
    public let configuration: ProvisioningConfiguration
    let logger: Logger
    let httpClient: HTTPClient
    private let tokens: TokenCache
    /// What a server must not see echoed in clear: the key secret, tokens, secrets sent in request bodies.
    let sensitive = SensitiveValues()
    private let limiters = Mutex<[Substring: AsyncSemaphore]>([:])

    /// Creates a client. Call ``shutdown()`` before releasing it.
    ///
    /// - Parameters:
    ///   - configuration: Endpoints, credentials and limits.
    ///   - logger: Receives one debug line per request and response, and redacted bodies at trace level.
    public init(configuration: ProvisioningConfiguration, logger: Logger = Logger(label: "sinchform.provisioning")) {
        self.configuration = configuration
        self.logger = logger
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.redirectConfiguration = .disallow
        // Connection failures surface at once; this client decides about retries itself.
        httpConfiguration.connectionPool.retryConnectionEstablishment = false
        httpConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(
            1, configuration.maxConcurrentRequestsPerHost)
        httpConfiguration.timeout = .init(connect: .seconds(10))
        // No spans: sinchform bootstraps no tracer, and AsyncHTTPClient otherwise builds each request's span and its
        // attributes (the URL taken apart again, method and status as text) for the no-op tracer: 2 % of a plan's
        // profile samples (docs/benchmarks.md, session 13).
        httpConfiguration.tracing.tracer = nil
        httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: httpConfiguration)
        tokens = TokenCache()
        sensitive.insert(configuration.keySecret)
        sensitive.insert(Self.basicToken(configuration))
    }

    /// Shuts the underlying HTTP client down; the client cannot be used afterwards.
    ///
    /// - Throws: When the HTTP client was already shut down.
    public func shutdown() async throws {
        try await httpClient.shutdown()
    }

    // MARK: - Raw calls

    /// Sends one API request: authenticated, retried per the rules above, limited per host, with a deadline.
    ///
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - path: The path after the base URL, percent-encoded; build it with ``projectPath(_:)``.
    ///   - query: Query items in order; repeated names are sent as repeated keys.
    ///   - body: A JSON body, if any.
    ///   - operation: What the call does, for errors and logs (e.g. `create webhook`).
    ///   - label: The resource the call concerns (e.g. `webhook.ops-events`), for errors.
    ///   - projection: The parts of the response body to build (the rest is checked as JSON, then skipped).
    /// - Returns: The successful (2xx) response.
    /// - Throws: ``APIError``; for a POST whose outcome is unknown, one of kind `outcomeUnknown`.
    public func send(
        _ method: APIMethod, path: String, query: [QueryItem] = [], body: JSONValue? = nil, operation: String,
        label: String? = nil, keeping projection: JSONProjection = .all
    ) async throws -> APIResponse {
        var url = configuration.provisioningURL + path
        for (index, item) in query.enumerated() {
            url += index == 0 ? "?" : "&"
            url += Self.encodeQuery(item.name)
            url += "="
            url += Self.encodeQuery(item.value)
        }
        if let body { sensitive.insert(sensitiveMembersOf: body) }
        let bodyBytes = body?.serialized()
        let exchange = Exchange(
            method: method, url: url, body: bodyBytes, contentType: bodyBytes == nil ? nil : "application/json",
            operation: operation, label: label, authentication: .api)
        let raw = try await execute(exchange)
        let decoded: JSONValue?
        if raw.body.isEmpty {
            decoded = nil
        } else {
            do {
                decoded = try JSONValue(bytes: raw.body, keeping: projection)
            } catch {
                let failure = APIError(
                    kind: .undecodableResponse, operation: operation, message: "the body is not JSON",
                    status: raw.status, resource: label, url: exchange.urlWithoutQuery)
                throw method == .post ? APIError.outcomeUnknown(failure) : failure
            }
        }
        return APIResponse(status: raw.status, headers: raw.headers, body: decoded)
    }

    /// Sends a POST and turns an unknown outcome into a value the caller must resolve.
    ///
    /// - Throws: ``APIError`` when the server refused the request (it was not applied).
    public func post(
        path: String, body: JSONValue?, operation: String, label: String? = nil
    ) async throws
        -> PostResult
    {
        do {
            let response = try await send(.post, path: path, body: body, operation: operation, label: label)
            return .completed(response.body)
        } catch let error as APIError where error.kind == .outcomeUnknown {
            logger.warning("\(error.description)")
            return .outcomeUnknown(error)
        }
    }

    /// `/v1/projects/{projectId}/` followed by the given segments, each percent-encoded (so `+` becomes `%2B`).
    public func projectPath(_ segments: String...) -> String {
        projectPath(segments)
    }

    func projectPath(_ segments: [String]) -> String {
        var path = "/v1/projects/" + Self.encodePathSegment(configuration.projectId)
        for segment in segments {
            path += "/"
            path += Self.encodePathSegment(segment)
        }
        return path
    }

    /// Every item of a paginated list: follows `nextPageToken` until it is absent.
    ///
    /// A server whose pages do not lead to an end is stopped with kind `invalidPagination`: a token that repeats,
    /// three empty pages in a row, a next page asked for once the items received already reach the largest
    /// `totalSize` the server reported, or more than ``ProvisioningConfiguration/maxListPages`` pages. A page of the
    /// wrong shape (no items array, an item that is not an object or lacks its `identity`, a `nextPageToken` that is
    /// not a string, a `totalSize` that is not a count) is refused with kind `undecodableResponse`.
    ///
    /// - Parameters:
    ///   - path: The list path (from ``projectPath(_:)``).
    ///   - itemsKey: The member holding the page's items (`webhooks`, `templates`, `senders`).
    ///   - pageSize: The page size to ask for: the endpoint's largest.
    ///   - query: Further query items (filters).
    ///   - identity: Members every item must carry as non-empty strings (e.g. `id`); none for activity lists.
    ///   - members: The members of each item that `item` reads (with `identity`, always kept); the others are skipped
    ///     as the page is parsed. Nil: every member.
    ///   - item: What to keep of each item, applied as its page arrives while the next page is already asked for: a
    ///     page's parsed body is let go once mapped, so a list of thousands keeps only what the caller needs of each.
    /// - Throws: ``APIError``.
    public func listAll<Item>(
        path: String, itemsKey: String, pageSize: Int, query: [QueryItem] = [], operation: String,
        label: String? = nil, identity: [String] = [], members: Set<String>? = nil,
        each item: (JSONValue) throws -> Item
    ) async throws -> [Item] {
        let projection = members.map { Self.pageProjection(itemsKey: itemsKey, members: $0, identity: identity) }
        @Sendable func page(_ token: String?) async throws -> APIResponse {
            var pageQuery = query + [QueryItem("pageSize", String(pageSize))]
            if let token { pageQuery.append(QueryItem("pageToken", token)) }
            return try await send(
                .get, path: path, query: pageQuery, operation: operation, label: label, keeping: projection ?? .all)
        }
        var pages = ListPages(
            itemsKey: itemsKey, identity: identity, maxPages: configuration.maxListPages, endpoint: "GET " + path)
        var items: [Item] = []
        var response = try await page(nil)
        while true {
            guard let (elements, token) = pages.read(response.body) else {
                let failure = pages.failure ?? ListPages.Failure(kind: .undecodableResponse, message: "")
                throw APIError(
                    kind: failure.kind, operation: operation, message: failure.message, status: response.status,
                    resource: label, url: configuration.provisioningURL + path)
            }
            items.reserveCapacity(items.count + elements.count)
            guard let token else {
                for element in elements { items.append(try item(element)) }
                return items
            }
            async let next = page(token)
            for element in elements { items.append(try item(element)) }
            response = try await next
        }
    }
}

extension ProvisioningClient {
    /// What is built of a list page whose callers read `members` of each item: those, and what ``ListPages`` checks
    /// (the items' `identity` members, the next page token, the total size).
    public static func pageProjection(itemsKey: String, members: Set<String>, identity: [String]) -> JSONProjection {
        .members([
            itemsKey: .members(Dictionary(uniqueKeysWithValues: members.union(identity).map { ($0, .all) })),
            "nextPageToken": .all, "totalSize": .all,
        ])
    }
}

/// The checks of a paged list, page by page: the shape of each page, and whether its tokens lead to an end.
struct ListPages {
    struct Failure: Error {
        var kind: APIError.Kind
        var message: String
    }

    let itemsKey: String
    let identity: [String]
    let maxPages: Int
    /// `GET /v1/projects/…/webhooks`, for messages.
    let endpoint: String
    private(set) var pages = 0
    private(set) var items = 0
    private var seenTokens: Set<String> = []
    private var emptyPagesInARow = 0
    /// The largest `totalSize` reported so far (lists can grow while they are read, never past this).
    private var total: Int?
    /// Why the last page was refused.
    private(set) var failure: Failure?

    init(itemsKey: String, identity: [String], maxPages: Int, endpoint: String) {
        self.itemsKey = itemsKey
        self.identity = identity
        self.maxPages = maxPages
        self.endpoint = endpoint
    }

    /// A page's items and its next page token (`nil` at the end of the list); `nil` when the page is refused, with
    /// the reason in ``failure``.
    mutating func read(_ body: JSONValue?) -> ([JSONValue], String?)? {
        do {
            return try check(body)
        } catch {
            failure = error
            return nil
        }
    }

    private mutating func check(_ body: JSONValue?) throws(Failure) -> ([JSONValue], String?) {
        guard let elements = body?[itemsKey]?.arrayValue else {
            throw shape("the page has no \"\(itemsKey)\" array")
        }
        for (index, element) in elements.enumerated() {
            guard case .object = element else {
                throw shape("item \(index + 1) of \"\(itemsKey)\" is \(Self.describe(element)), not an object")
            }
            for key in identity where (element[key]?.stringValue ?? "").isEmpty {
                throw shape("item \(index + 1) of \"\(itemsKey)\" has no \"\(key)\" string")
            }
        }
        let token: String?
        switch body?["nextPageToken"] {
        case nil, .null?: token = nil
        case .string(let text)?: token = text.isEmpty ? nil : text
        case let other?: throw shape("\"nextPageToken\" is \(Self.describe(other)), not a string")
        }
        switch body?["totalSize"] {
        case nil, .null?: break
        case .number(let number)? where number >= 0 && number.rounded() == number:
            // Anything above a quadrillion is no bound at all; clamped before it is converted.
            let count = number < 1e15 ? Int(number) : Int.max
            total = max(total ?? 0, count)
        case let other?: throw shape("\"totalSize\" is \(Self.describe(other)), not a count")
        }
        pages += 1
        items += elements.count
        emptyPagesInARow = elements.isEmpty ? emptyPagesInARow + 1 : 0
        guard let token else { return (elements, nil) }
        if !seenTokens.insert(token).inserted {
            throw endless("a page token repeated after \(items) items")
        }
        if emptyPagesInARow >= 3 {
            throw endless("\(emptyPagesInARow) empty pages in a row after \(items) items")
        }
        if let total, total > 0, items >= total {
            throw endless("\(items) items received, the list's totalSize is \(total), and still a next page")
        }
        if pages >= maxPages {
            throw endless("more than \(maxPages) pages (\(items) items)")
        }
        return (elements, token)
    }

    private func shape(_ message: String) -> Failure {
        Failure(kind: .undecodableResponse, message: "\(endpoint): \(message)")
    }

    private func endless(_ reason: String) -> Failure {
        Failure(
            kind: .invalidPagination,
            message: "the server's page tokens do not lead to the end of the list (\(reason)); try again later")
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Creates a ``ProvisioningClient``, runs `body` with it, and shuts it down whether `body` throws or not.
///
/// - Throws: What `body` throws, or a shutdown failure.
public func withProvisioningClient<Value: Sendable>(
    configuration: ProvisioningConfiguration, logger: Logger = Logger(label: "sinchform.provisioning"),
    _ body: (ProvisioningClient) async throws -> Value
) async throws -> Value {
    let client = ProvisioningClient(configuration: configuration, logger: logger)
    let result: Value
    do {
        result = try await body(client)
    } catch {
        try? await client.shutdown()
        throw error
    }
    try await client.shutdown()
    return result
}

// MARK: - Public value types

/// An HTTP method of the Provisioning API.
public enum APIMethod: String, Sendable, Hashable {
    /// GET: read.
    case get = "GET"
    /// POST: create, or a lifecycle action (register, verify, launch).
    case post = "POST"
    /// PUT: replace.
    case put = "PUT"
    /// PATCH: partial update.
    case patch = "PATCH"
    /// DELETE: remove.
    case delete = "DELETE"

    /// Whether sending the request twice has the same effect as once (everything but POST).
    public var isIdempotent: Bool { self != .post }

    var nio: HTTPMethod {
        switch self {
        case .get: .GET
        case .post: .POST
        case .put: .PUT
        case .patch: .PATCH
        case .delete: .DELETE
        }
    }
}

/// One query parameter; repeat the name to send an array (`filterStates=A&filterStates=B`).
public struct QueryItem: Sendable, Hashable {
    /// The parameter name.
    public var name: String
    /// The value, sent percent-encoded.
    public var value: String

    /// Creates a query item.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A successful response.
public struct APIResponse: Sendable {
    /// The HTTP status (2xx).
    public var status: Int
    /// Response headers, in order.
    public var headers: [(name: String, value: String)]
    /// The parsed body; `nil` when the body was empty (e.g. `204`).
    public var body: JSONValue?
}

/// What became of a POST.
public enum PostResult: Sendable {
    /// The server applied it; the body it returned, if any.
    case completed(JSONValue?)
    /// It may or may not have been applied (see ``ProvisioningClient`` for when); look the resource up by identity
    /// before sending it again.
    case outcomeUnknown(APIError)

    /// The body of a completed POST.
    ///
    /// - Throws: The ``APIError`` of an unknown outcome.
    public func get() throws -> JSONValue? {
        switch self {
        case .completed(let body): return body
        case .outcomeUnknown(let error): throw error
        }
    }
}

// MARK: - Transport

extension ProvisioningClient {
    enum Authentication {
        /// The API's mode: bearer token (renewed once on 401) or Basic.
        case api
        /// A fixed header (the token request's Basic credentials).
        case fixed(String)
    }

    struct Exchange {
        var method: APIMethod
        var url: String
        var body: [UInt8]?
        var contentType: String?
        var operation: String
        var label: String?
        var authentication: Authentication
        /// Whether a POST may be sent again like an idempotent request: true for the token request, which creates
        /// nothing.
        var resendable = false

        /// Whether the request may be sent again after its outcome became unknown.
        var mayResend: Bool { method.isIdempotent || resendable }

        var urlWithoutQuery: String {
            String(url.prefix { $0 != "?" })
        }
    }

    struct RawResponse {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]
    }

    /// An attempt that failed before a response arrived.
    private struct TransportFailure: Error {
        var error: APIError
        /// The connection was never established, so nothing reached the server.
        var notSent: Bool
    }

    /// The retry loop shared by API calls and token requests.
    func execute(_ exchange: Exchange) async throws -> RawResponse {
        let policy = configuration.retry
        var attempt = 0
        var renewedToken = false
        while true {
            attempt += 1
            let (authorization, bearer) = try await authorizationHeader(for: exchange)
            let delay: Duration
            do {
                let response = try await sendOnce(exchange, authorization: authorization, attempt: attempt)
                if (200..<300).contains(response.status) { return response }
                if response.status == 401, let bearer, !renewedToken {
                    // The token may have expired early or been revoked: renew it once and resend (not applied).
                    renewedToken = true
                    await tokens.invalidate(bearer)
                    attempt -= 1
                    continue
                }
                let failure = apiError(from: response, exchange: exchange)
                let retryable = RetryPolicy.retryableStatuses.contains(response.status)
                if !exchange.mayResend && response.status >= 500 {
                    throw APIError.outcomeUnknown(failure)
                }
                guard retryable, attempt < policy.maxAttempts else { throw failure }
                let retryAfter = response.headers.first { $0.name.lowercased() == "retry-after" }
                    .flatMap { RetryPolicy.parseRetryAfter($0.value) }
                delay = policy.delay(afterAttempt: attempt, retryAfter: retryAfter)
            } catch let failure as TransportFailure {
                if !exchange.mayResend && !failure.notSent {
                    throw APIError.outcomeUnknown(failure.error)
                }
                guard attempt < policy.maxAttempts, failure.error.kind != .cancelled,
                    failure.error.kind != .responseTooLarge
                else { throw failure.error }
                delay = policy.delay(afterAttempt: attempt, retryAfter: nil)
            }
            logger.debug(
                "retrying \(exchange.method.rawValue) \(exchange.urlWithoutQuery) in \(Self.milliseconds(delay)) ms")
            do {
                try await Task.sleep(for: delay)
            } catch {
                throw APIError(
                    kind: .cancelled, operation: exchange.operation, message: "cancelled while waiting to retry",
                    resource: exchange.label, url: exchange.urlWithoutQuery)
            }
        }
    }

    /// The `Authorization` header, and the bearer token it carries (to renew it on a 401).
    private func authorizationHeader(for exchange: Exchange) async throws -> (String, String?) {
        switch exchange.authentication {
        case .fixed(let header):
            return (header, nil)
        case .api:
            switch configuration.authMode {
            case .basic:
                return (basicCredentials, nil)
            case .oauth:
                let token = try await tokens.token { try await self.fetchToken(label: exchange.label) }
                return ("Bearer \(token)", token)
            }
        }
    }

    var basicCredentials: String {
        "Basic " + Self.basicToken(configuration)
    }

    private static func basicToken(_ configuration: ProvisioningConfiguration) -> String {
        Data("\(configuration.keyId):\(configuration.keySecret)".utf8).base64EncodedString()
    }

    /// One HTTP attempt, holding a permit of the host's limiter.
    private func sendOnce(_ exchange: Exchange, authorization: String, attempt: Int) async throws -> RawResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: authorization)
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "User-Agent", value: "sinchform")
        if exchange.body != nil {
            headers.add(name: "Content-Type", value: exchange.contentType ?? "application/json")
        }
        let method = exchange.method.rawValue
        let url = exchange.url
        logger.debug("→ \(method) \(url) (attempt \(attempt))")
        if logger.logLevel <= .trace {
            logger.trace("→ headers: Authorization: \(Redaction.placeholder)")
            if let body = exchange.body {
                logger.trace("→ body: \(Redaction.describeBody(body, hiding: sensitive))")
            }
        }
        let limiter = limiter(for: exchange.url)
        do {
            try await limiter.acquire()
        } catch {
            throw TransportFailure(
                error: APIError(
                    kind: .cancelled, operation: exchange.operation, message: "cancelled", resource: exchange.label,
                    url: exchange.urlWithoutQuery), notSent: true)
        }
        defer { limiter.release() }
        let clock = ContinuousClock()
        let start = clock.now
        let timeout = configuration.requestTimeout
        do {
            let request = try HTTPClient.Request(
                url: url, method: exchange.method.nio, headers: headers, body: exchange.body.map { .bytes($0) })
            // The response is gathered on the event loop, and the deadline covers all of it (head and body): a
            // server that trickles its body cannot hold a request (and the apply) forever.
            let task = httpClient.execute(
                request: request, delegate: ResponseCollector(limit: configuration.maxResponseBodyBytes),
                deadline: NIODeadline.now() + .nanoseconds(Self.nanoseconds(timeout)))
            let response = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
            let elapsed = Self.milliseconds(clock.now - start)
            logger.debug("← \(response.status) \(method) \(url) in \(elapsed) ms (attempt \(attempt))")
            if logger.logLevel <= .trace {
                logger.trace("← body: \(Redaction.describeBody(response.body, hiding: sensitive))")
            }
            return response
        } catch {
            let elapsed = Self.milliseconds(clock.now - start)
            let failure = transportFailure(error, exchange: exchange, timeout: timeout)
            logger.debug(
                "← \(method) \(url) failed after \(elapsed) ms (attempt \(attempt)): \(failure.error.message)")
            throw failure
        }
    }

    /// Gathers one response as it arrives: its status, headers and body bytes, refusing a body over `limit` (by its
    /// `Content-Length` before any of it is read, or as it grows) with `NIOTooManyBytesError`.
    private final class ResponseCollector: HTTPClientResponseDelegate {
        private let limit: Int
        private let response = Mutex(RawResponse(status: 0, headers: [], body: []))

        init(limit: Int) { self.limit = limit }

        func didReceiveHead(task: HTTPClient.Task<RawResponse>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
            let length = head.headers.first(name: "Content-Length").flatMap { Int($0) }
            if let length, length > limit {
                return task.eventLoop.makeFailedFuture(NIOTooManyBytesError(maxBytes: limit))
            }
            response.withLock { response in
                response.status = Int(head.status.code)
                response.headers = head.headers.map { (name: $0.name, value: $0.value) }
                if let length { response.body.reserveCapacity(length) }
            }
            return task.eventLoop.makeSucceededVoidFuture()
        }

        func didReceiveBodyPart(task: HTTPClient.Task<RawResponse>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
            let fits = response.withLock { response in
                guard response.body.count + buffer.readableBytes <= limit else { return false }
                response.body.append(contentsOf: buffer.readableBytesView)
                return true
            }
            return fits
                ? task.eventLoop.makeSucceededVoidFuture()
                : task.eventLoop.makeFailedFuture(NIOTooManyBytesError(maxBytes: limit))
        }

        func didFinishRequest(task: HTTPClient.Task<RawResponse>) throws -> RawResponse {
            response.withLock { $0 }
        }
    }

    /// The limiter of `url`'s origin (`scheme://authority`, as written): found without parsing the URL, on every
    /// request.
    private func limiter(for url: String) -> AsyncSemaphore {
        let origin = Self.origin(of: url)
        let permits = configuration.maxConcurrentRequestsPerHost
        return limiters.withLock { limiters in
            if let existing = limiters[origin] { return existing }
            let created = AsyncSemaphore(permits: permits)
            limiters[origin] = created
            return created
        }
    }

    /// `scheme://authority` of a URL string: up to the path, query or fragment after `scheme://`; all of `url` when it
    /// does not start so. By bytes: the limiter asks for it on every request, and error messages name the server by
    /// it rather than repeat long paths.
    static func origin(of url: String) -> Substring {
        let utf8 = url.utf8
        guard let slash = utf8.firstIndex(of: UInt8(ascii: "/")), slash != utf8.startIndex,
            utf8[utf8.index(before: slash)] == UInt8(ascii: ":"),
            case let second = utf8.index(after: slash), second != utf8.endIndex, utf8[second] == UInt8(ascii: "/")
        else { return url[...] }
        let authority = utf8.index(after: second)
        let end =
            utf8[authority...].firstIndex {
                $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
            } ?? utf8.endIndex
        return url[..<end]
    }

    private func transportFailure(_ error: any Error, exchange: Exchange, timeout: Duration) -> TransportFailure {
        func make(_ kind: APIError.Kind, _ message: String, notSent: Bool) -> TransportFailure {
            TransportFailure(
                error: APIError(
                    kind: kind, operation: exchange.operation, message: message, resource: exchange.label,
                    url: exchange.urlWithoutQuery), notSent: notSent)
        }
        if error is CancellationError || Task.isCancelled {
            return make(.cancelled, "cancelled", notSent: false)
        }
        if error is NIOTooManyBytesError {
            return make(
                .responseTooLarge,
                "the body exceeds the limit of \(configuration.maxResponseBodyBytes) bytes", notSent: false)
        }
        if let httpError = error as? HTTPClientError {
            switch httpError {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return make(.timeout, "deadline of \(Self.milliseconds(timeout)) ms exceeded", notSent: false)
            case .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
                return make(.timeout, "connecting timed out", notSent: true)
            case .remoteConnectionClosed:
                return make(.network, "connection closed by the server", notSent: false)
            case .cancelled:
                return make(.cancelled, "cancelled", notSent: false)
            default:
                return make(.network, httpError.description, notSent: false)
            }
        }
        let text = String(describing: error)
        let typeName = String(describing: type(of: error))
        if text.lowercased().contains("refused") {
            return make(.network, "connection refused", notSent: true)
        }
        if typeName.contains("NIOConnectionError") || typeName.contains("DNS") {
            return make(.network, text, notSent: true)
        }
        if let ioError = error as? IOError {
            return make(.network, ioError.description, notSent: false)
        }
        return make(.network, text, notSent: false)
    }

    /// The ``APIError`` for a non-2xx response, from the API's error body when it has one; whatever the server
    /// echoed of a sensitive value is hidden.
    func apiError(from response: RawResponse, exchange: Exchange) -> APIError {
        let body = (try? JSONValue(bytes: response.body)).map(sensitive.scrub)
        let errorCode = body?["errorCode"]?.stringValue
        var message = body?["message"]?.stringValue ?? ""
        if message.isEmpty && errorCode == nil {
            message = HTTPResponseStatus(statusCode: response.status).reasonPhrase
            if message.isEmpty { message = "the answer has no error message" }
        }
        if (300..<400).contains(response.status) {
            // Redirects are never followed (they could carry credentials to another host): say where it pointed.
            let location =
                response.headers.first { $0.name.lowercased() == "location" }
                .map { sensitive.scrub($0.value) } ?? "nowhere"
            message =
                "the server redirected to \(location.prefix(200)); redirects are not followed, "
                + "check SINCH_PROVISIONING_URL and SINCH_AUTH_URL"
        }
        let information = body?["additionalInformation"].flatMap { $0.isNull ? nil : $0 }
        return APIError(
            kind: response.status == 401 ? .unauthorized : .api, operation: exchange.operation, message: message,
            status: response.status, errorCode: errorCode, resolution: body?["resolution"]?.stringValue,
            additionalInformation: information, resource: exchange.label, url: exchange.urlWithoutQuery)
    }

    static func milliseconds(_ duration: Duration) -> Int {
        // range-checked: the durations logged are waits of ours, bounded by RetryPolicy.maxRetryAfter.
        Int((RetryPolicy.seconds(duration) * 1000).rounded())
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    // MARK: - Encoding

    /// Percent-encodes everything except unreserved characters and `@` (KakaoTalk ids start with it).
    static func encodePathSegment(_ segment: String) -> String {
        percentEncode(segment) { isUnreserved($0) || $0 == UInt8(ascii: "@") }
    }

    /// Percent-encodes everything except unreserved characters (`+` and spaces included).
    static func encodeQuery(_ value: String) -> String {
        percentEncode(value, keeping: isUnreserved)
    }

    /// RFC 3986 §2.3's unreserved characters: letters, digits, `-`, `.`, `_` and `~`.
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// `text` with every byte that `kept` refuses written as `%XX`; `text` itself when it needs none (most paths and
    /// page tokens of every request).
    private static func percentEncode(_ text: String, keeping kept: (UInt8) -> Bool) -> String {
        guard !text.utf8.allSatisfy(kept) else { return text }
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            if kept(byte) {
                bytes.append(byte)
            } else {
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
