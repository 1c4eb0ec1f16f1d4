/// An error from the Provisioning API client: what failed, where, and what to do about it.
///
/// `description` is one line a person can act on, for example
/// `webhook.ops-events: create webhook failed: 409 webhook_exists — A webhook with this target already exists. (…)`.
/// The kinds are open-ended (a struct of static values, like `HTTPClientError`) so new ones can be added later.
public struct APIError: Error, CustomStringConvertible, Sendable {
    /// The broad class of an ``APIError``.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case api, unauthorized, network, timeout, undecodableResponse, responseTooLarge, outcomeUnknown
            case configuration, invalidPagination, cancelled
        }
        private let base: Base

        /// The API answered with an error status and (usually) an error body.
        public static let api = Kind(base: .api)
        /// The credentials were refused (a `401` that survived one token renewal, or a refused token request).
        public static let unauthorized = Kind(base: .unauthorized)
        /// The server could not be reached or the connection broke.
        public static let network = Kind(base: .network)
        /// The request did not complete before its deadline.
        public static let timeout = Kind(base: .timeout)
        /// The response body was not the JSON the operation expects.
        public static let undecodableResponse = Kind(base: .undecodableResponse)
        /// The response body exceeded the configured size cap.
        public static let responseTooLarge = Kind(base: .responseTooLarge)
        /// A POST may or may not have been applied; look the resource up by identity before sending it again.
        public static let outcomeUnknown = Kind(base: .outcomeUnknown)
        /// The client configuration (environment) is missing or invalid.
        public static let configuration = Kind(base: .configuration)
        /// A list's page tokens did not lead to an end (a token repeated, pages went on past the list's `totalSize`
        /// or past ``ProvisioningConfiguration/maxListPages``).
        public static let invalidPagination = Kind(base: .invalidPagination)
        /// The calling task was cancelled.
        public static let cancelled = Kind(base: .cancelled)

        /// The kind's name, e.g. `outcomeUnknown`.
        public var description: String { base.rawValue }
    }

    /// Immutable box so an error can carry the error that made its outcome unknown.
    private final class Cause: Sendable {
        let error: APIError
        init(_ error: APIError) { self.error = error }
    }

    /// The class of failure.
    public private(set) var kind: Kind
    /// The HTTP status of the response, when there was one.
    public private(set) var status: Int?
    /// The API's machine-readable `errorCode`, when the body had one.
    public private(set) var errorCode: String?
    /// The API's `message`, or a description of the local failure.
    public private(set) var message: String
    /// The API's `resolution` (what to do), when given.
    public private(set) var resolution: String?
    /// The API's free-form `additionalInformation` (e.g. `validationErrors`, `supportedCodes`).
    public private(set) var additionalInformation: JSONValue?
    /// What was being done, e.g. `create webhook`.
    public private(set) var operation: String
    /// The caller's label for the resource, e.g. the manifest address `webhook.ops-events`.
    public private(set) var resource: String?
    /// The URL (without query) of the failed request, when known.
    public private(set) var url: String?
    private var cause: Cause?

    init(
        kind: Kind, operation: String, message: String, status: Int? = nil, errorCode: String? = nil,
        resolution: String? = nil, additionalInformation: JSONValue? = nil, resource: String? = nil,
        url: String? = nil
    ) {
        self.kind = kind
        self.operation = operation
        self.message = message
        self.status = status
        self.errorCode = errorCode
        self.resolution = resolution
        self.additionalInformation = additionalInformation
        self.resource = resource
        self.url = url
    }

    /// Whether the server said the resource does not exist (HTTP 404).
    public var isNotFound: Bool { status == 404 && kind == .api }

    /// The answer to a DELETE of something already deleted: `404`, or the `409 sender_already_deleted` of a sender
    /// marked for removal, which reads as before during its grace period and refuses a second delete (part A §4.3
    /// S5, part B §2.7). A step or rollback that meets it has reached its goal.
    public var meansAlreadyDeleted: Bool {
        status == 404 || (status == 409 && errorCode == "sender_already_deleted")
    }

    /// For an ``Kind-swift.struct/outcomeUnknown`` error, the failure that left the outcome unknown.
    public var underlying: APIError? { cause?.error }

    /// The same error labelled with the resource it concerns (e.g. `webhook.ops-events`).
    public func with(resource: String?) -> APIError {
        var copy = self
        copy.resource = resource
        return copy
    }

    /// Wraps a failure of a POST whose effect on the server is not known.
    static func outcomeUnknown(_ cause: APIError) -> APIError {
        var error = APIError(
            kind: .outcomeUnknown, operation: cause.operation,
            message: "the request may or may not have been applied",
            status: cause.status, errorCode: cause.errorCode, resolution: cause.resolution,
            additionalInformation: cause.additionalInformation, resource: cause.resource, url: cause.url)
        error.cause = Cause(cause)
        return error
    }

    /// One actionable line.
    public var description: String {
        var line = ""
        if let resource { line += "\(resource): " }
        line += "\(operation) "
        switch kind {
        case .outcomeUnknown:
            line += "outcome unknown"
            if let underlying { line += " (\(underlying.detail))" }
            line += ": the request may have been applied; look the resource up before sending it again"
            return line
        default:
            line += "failed: \(detail)"
            return line
        }
    }

    /// The part of the description after "failed: ".
    private var detail: String {
        switch kind {
        case .api, .unauthorized:
            var text = ""
            if let status { text += "\(status)" }
            if let errorCode { text += text.isEmpty ? errorCode : " \(errorCode)" }
            if !message.isEmpty { text += text.isEmpty ? message : " — \(message)" }
            if let validation = additionalInformation?["validationErrors"]?.arrayValue?.compactMap(\.stringValue),
                !validation.isEmpty
            {
                text += " [\(validation.joined(separator: "; "))]"
            }
            if let resolution, !resolution.isEmpty { text += " (\(resolution))" }
            return text
        case .network:
            let origin = url.map(Self.origin) ?? "the server"
            if message.contains("closed") || message.contains("reset") {
                return "the connection to \(origin) broke (\(message))"
            }
            return "cannot reach \(origin) (\(message))"
        case .timeout:
            return "no response from \(url.map(Self.origin) ?? "the server") in time (\(message))"
        case .undecodableResponse, .responseTooLarge:
            let prefix = status.map { "\($0) " } ?? ""
            return "\(prefix)unreadable response from \(url.map(Self.origin) ?? "the server"): \(message)"
        default:
            return message
        }
    }

    /// `https://host:port` of a URL string, for messages that should not repeat long paths.
    private static func origin(_ url: String) -> String {
        String(ProvisioningClient.origin(of: url))
    }
}
