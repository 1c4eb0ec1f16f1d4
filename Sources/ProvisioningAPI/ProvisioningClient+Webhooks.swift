extension ProvisioningClient {
    /// Webhook calls (`/v1/projects/{projectId}/webhooks`).
    public var webhooks: Webhooks { Webhooks(client: self) }

    /// Webhook calls. Bodies and results are the API's JSON; the `secret` is never returned by the API.
    public struct Webhooks: Sendable {
        let client: ProvisioningClient
        /// The largest page the endpoint accepts.
        public static let maxPageSize = 15

        private func path(_ rest: String...) -> String { client.projectPath(["webhooks"] + rest) }

        /// Every webhook of the project.
        ///
        /// - Throws: ``APIError``.
        public func list(label: String? = nil) async throws -> [JSONValue] {
            try await client.listAll(
                path: path(), itemsKey: "webhooks", pageSize: Self.maxPageSize, operation: "list webhooks",
                label: label)
        }

        /// One webhook by ID.
        ///
        /// - Throws: ``APIError`` (status 404, `webhook_not_found`, when it does not exist).
        public func get(id: String, label: String? = nil) async throws -> JSONValue {
            try await client.send(.get, path: path(id), operation: "get webhook", label: label).requireBody()
        }

        /// Registers a webhook (`target`, `secret`, `triggers`).
        ///
        /// - Throws: ``APIError`` when refused (e.g. 409 `webhook_exists`, 424 `webhook_limit_reached`).
        public func create(_ body: JSONValue, label: String? = nil) async throws -> PostResult {
            try await client.post(path: path(), body: body, operation: "create webhook", label: label)
        }

        /// Replaces a webhook (PUT; all three fields required).
        ///
        /// - Throws: ``APIError``.
        public func replace(id: String, _ body: JSONValue, label: String? = nil) async throws -> JSONValue {
            try await client.send(.put, path: path(id), body: body, operation: "replace webhook", label: label)
                .requireBody()
        }

        /// Updates some fields of a webhook (PATCH).
        ///
        /// - Throws: ``APIError``.
        public func update(id: String, _ body: JSONValue, label: String? = nil) async throws -> JSONValue {
            try await client.send(.patch, path: path(id), body: body, operation: "update webhook", label: label)
                .requireBody()
        }

        /// Deletes a webhook.
        ///
        /// - Throws: ``APIError``.
        public func delete(id: String, label: String? = nil) async throws {
            _ = try await client.send(.delete, path: path(id), operation: "delete webhook", label: label)
        }
    }
}

extension APIResponse {
    /// The body of a response that must have one.
    func requireBody(operation: String? = nil) throws -> JSONValue {
        guard let body else {
            throw APIError(
                kind: .undecodableResponse, operation: operation ?? "read the response",
                message: "the response has no body", status: status)
        }
        return body
    }
}
