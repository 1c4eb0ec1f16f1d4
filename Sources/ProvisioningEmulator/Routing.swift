import Foundation
import JSONSyntax

/// A parsed HTTP request, independent of the server framework.
struct APIRequest: Sendable {
    var method: String
    /// The raw path, without the query.
    var path: String
    /// The raw query string (without `?`), or "".
    var rawQuery: String
    var headers: [String: String]
    var body: [UInt8]

    init(method: String, target: String, headers: [String: String], body: [UInt8]) {
        self.method = method.uppercased()
        if let mark = target.firstIndex(of: "?") {
            self.path = String(target[..<mark])
            self.rawQuery = String(target[target.index(after: mark)...])
        } else {
            self.path = target
            self.rawQuery = ""
        }
        self.headers = headers
        self.body = body
    }

    /// Path segments, percent-decoded.
    var segments: [String] {
        // Most segments have no escapes; Foundation's removingPercentEncoding was ~5% of a GET's CPU.
        path.split(separator: "/", omittingEmptySubsequences: true).map { segment in
            let text = String(segment)
            return segment.utf8.contains(UInt8(ascii: "%")) ? (text.removingPercentEncoding ?? text) : text
        }
    }

    /// Query parameters; each key may repeat.
    var query: [String: [String]] {
        var result: [String: [String]] = [:]
        for pair in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                if !text.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) {
                    return String(text)
                }
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let key = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            result[key, default: []].append(value)
        }
        return result
    }
}

/// What a handler sees: the request, the matched path parameters and the emulator-clock time.
struct Call: Sendable {
    let request: APIRequest
    let params: [String: String]
    let query: [String: [String]]
    let now: Double
    let configuration: EmulatorConfiguration

    var projectId: String { params["projectId"] ?? "" }

    func param(_ name: String) -> String { params[name] ?? "" }

    /// First value of a query parameter.
    func queryValue(_ name: String) -> String? { query[name]?.first }

    /// All values of an array query parameter, accepting repeated keys and comma-separated lists.
    func queryArray(_ name: String) -> [String] {
        let values = (query[name] ?? []) + (query[name + "[]"] ?? [])
        guard EmulatorDefaults.acceptCommaSeparatedArrays else { return values }
        return values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty }
    }

    /// The body as a JSON object, or `invalid_payload`.
    func jsonObject() throws -> [String: JSON] {
        guard let value = JSON.parse(request.body), case .object(let object) = value else {
            throw APIError.invalidPayload
        }
        return object
    }

    /// The body as a JSON object; an empty body counts as `{}`.
    func jsonObjectAllowingEmpty() throws -> [String: JSON] {
        if request.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [:] }
        return try jsonObject()
    }
}

typealias Handler = @Sendable (Call, inout World) throws -> Reply

/// One API operation: method, path template and handler.
struct Route: Sendable {
    enum Part: Sendable {
        case literal(String)
        case parameter(String)
    }

    let method: String
    let template: String
    let parts: [Part]
    let handler: Handler

    init(_ method: String, _ template: String, _ handler: @escaping Handler) {
        self.method = method
        self.template = template
        self.parts = template.split(separator: "/").map { segment in
            if segment.hasPrefix("{"), segment.hasSuffix("}") {
                return .parameter(String(segment.dropFirst().dropLast()))
            }
            return .literal(String(segment))
        }
        self.handler = handler
    }

    /// Path parameters when `segments` fit this route's template.
    func match(_ segments: [String]) -> [String: String]? {
        guard segments.count == parts.count else { return nil }
        var params: [String: String] = [:]
        for (part, segment) in zip(parts, segments) {
            switch part {
            case .literal(let literal): if literal != segment { return nil }
            case .parameter(let name): params[name] = segment
            }
        }
        return params
    }
}

/// Finds the route for a request; literal routes are listed before parameter routes of the same shape.
struct RouteTable: Sendable {
    let routes: [Route]

    func resolve(method: String, segments: [String]) -> (Route, [String: String])? {
        for route in routes where route.method == method {
            if let params = route.match(segments) { return (route, params) }
        }
        return nil
    }
}

/// Offset/size of a requested page.
struct PageRequest {
    var size: Int
    var offset: Int

    /// Reads `pageSize` and `pageToken`, answering `invalid_page_size` / `invalid_page_token` as documented.
    init(_ call: Call, range: ClosedRange<Int>, defaultSize: Int) throws {
        if let text = call.queryValue("pageSize") {
            // Compared as a Double first: `1e300` or `-1` is a documented error, never a trapping conversion.
            guard let number = Double(text), number >= Double(range.lowerBound), number <= Double(range.upperBound),
                let whole = Int(exactly: number)
            else {
                throw APIError.invalidPageSize
            }
            size = whole
        } else {
            size = defaultSize
        }
        if let token = call.queryValue("pageToken"), !token.isEmpty {
            guard let offset = PageRequest.decode(token) else { throw APIError.invalidPageToken }
            self.offset = offset
        } else {
            offset = 0
        }
    }

    static func encode(_ offset: Int) -> String {
        Data("sinchform-emulator:\(offset)".utf8).base64EncodedString()
    }

    static func decode(_ token: String) -> Int? {
        guard let data = Data(base64Encoded: token) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        let prefix = "sinchform-emulator:"
        guard text.hasPrefix(prefix), let offset = Int(text.dropFirst(prefix.count)), offset >= 0 else { return nil }
        return offset
    }

    /// The list envelope for `items` (all matches), cutting out this page.
    func envelope<T>(_ items: [T], key: String, render: (T) -> JSON) -> JSON {
        let start = min(offset, items.count)
        let end = min(start + size, items.count)
        var object: [String: JSON] = [
            "totalSize": .number(Double(items.count)),
            "pageSize": .number(Double(size)),
            key: .array(items[start..<end].map(render)),
        ]
        if end < items.count { object["nextPageToken"] = .string(PageRequest.encode(end)) }
        if start > 0 { object["previousPageToken"] = .string(PageRequest.encode(max(0, start - size))) }
        return .object(object)
    }
}
