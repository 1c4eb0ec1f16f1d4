/// An error answered in the API's shape: `{errorCode, message, resolution, additionalInformation?}`.
struct APIError: Error, Sendable {
    var status: Int
    var code: String
    var message: String
    var resolution: String
    var additionalInformation: JSON?
    var headers: [(String, String)] = []

    init(_ status: Int, _ code: String, _ message: String, _ resolution: String, _ info: JSON? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.resolution = resolution
        self.additionalInformation = info
    }

    var body: JSON {
        var object: [String: JSON] = [
            "errorCode": .string(code), "message": .string(message), "resolution": .string(resolution),
        ]
        if let additionalInformation { object["additionalInformation"] = additionalInformation }
        return .object(object)
    }

    static let verifyParameters = "Verify that the parameters are correct."

    static let unauthorized = APIError(
        401, "unauthorized_error", "Unauthorized error.", "Verify that projectId is correct.")
    static let internalError = APIError(
        500, "internal_error", "Internal server error.",
        "Please wait and try again, if the error persist please contact support.")
    static let invalidPayload = APIError(
        400, "invalid_payload", "Invalid payload.", "Correct payload and submit again.")
    static let invalidPageToken = APIError(
        400, "invalid_page_token", "Invalid page token.",
        "The page token to use is provided in the previous query response, for new queries simply leave this field undefined."
    )
    static let invalidPageSize = APIError(
        400, "invalid_page_size", "Page size must be numeric.",
        "Provide a numeric page size within the allowed range.")
    static let routeNotFound = APIError(404, "not_found", "Resource not found.", verifyParameters)
    static let noFieldsToUpdate = APIError(
        400, "no_fields_to_update", "No fields to be updated.", "Supply at least one field to update.")

    static func payloadTooLarge(limit: Int) -> APIError {
        APIError(
            413, "payload_too_large", "Request body too large.", "Send a body of at most \(limit) bytes.")
    }

    static func invalidInput(_ errors: [String]) -> APIError {
        APIError(
            400, "invalid_input", "Invalid input.", "Correct the validation errors and submit again.",
            ["validationErrors": .array(errors.map { .string($0) })])
    }

    static func invalidId(_ parameter: String) -> APIError {
        APIError(
            400, "invalid_id_format", "Id is not in the expected format.",
            "\(parameter) param is in the wrong format. Confirm that you're sending the correct value.")
    }

    static func invalidFilter(_ code: String, _ message: String, name: String, supported: [String]) -> APIError {
        APIError(
            400, code, message, "Verify that the \(name) used are supported by the Provisioning API.",
            ["supportedCodes": .string(supported.joined(separator: ", "))])
    }

    static func notFound(_ code: String, _ message: String) -> APIError {
        APIError(404, code, message, verifyParameters)
    }

    static func conflict(_ code: String, _ message: String, _ resolution: String) -> APIError {
        APIError(409, code, message, resolution)
    }
}

/// A successful answer of a handler.
struct Reply: Sendable {
    var status: Int
    var body: JSON?
    var headers: [(String, String)] = []
    /// Pre-serialised body bytes, used instead of `body` when set.
    var raw: [UInt8]?

    static func ok(_ body: JSON) -> Reply { Reply(status: 200, body: body) }
    static func created(_ body: JSON) -> Reply { Reply(status: 201, body: body) }
    static let noContent = Reply(status: 204, body: nil)
}
