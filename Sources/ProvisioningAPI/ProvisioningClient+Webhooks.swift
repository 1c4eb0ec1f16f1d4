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
            try await list(label: label) { $0 }
        }

        /// The same list, each item mapped by `item` as its page arrives (see ``ProvisioningClient/listAll``).
        public func list<Item>(
            label: String? = nil, each item: (JSONValue) throws -> Item
        ) async throws -> [Item] {
            try await client.listAll(
                path: path(), itemsKey: "webhooks", pageSize: Self.maxPageSize, operation: "list webhooks",
                label: label, each: item)
        }

        /// One webhook by ID.
        ///
        /// - Throws: ``APIError`` (status 404, `webhook_not_found`, when it does not exist).
        public func get(id: String, label: String? = nil) async throws -> JSONValue {
            try await client.sendForBody(.get, path: path(id), operation: "get webhook", label: label)
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
            try await client.sendForBody(.put, path: path(id), body: body, operation: "replace webhook", label: label)
        }

        /// Updates some fields of a webhook (PATCH).
        ///
        /// - Throws: ``APIError``.
        public func update(id: String, _ body: JSONValue, label: String? = nil) async throws -> JSONValue {
            try await client.sendForBody(.patch, path: path(id), body: body, operation: "update webhook", label: label)
        }

        /// Deletes a webhook.
        ///
        /// - Throws: ``APIError``.
        public func delete(id: String, label: String? = nil) async throws {
            _ = try await client.send(.delete, path: path(id), operation: "delete webhook", label: label)
        }
    }
}

extension ProvisioningClient {
    /// Sends a request whose success must carry a JSON body (a resource).
    func sendForBody(
        _ method: APIMethod, path: String, query: [QueryItem] = [], body: JSONValue? = nil, operation: String,
        label: String? = nil
    ) async throws -> JSONValue {
        let response = try await send(method, path: path, query: query, body: body, operation: operation, label: label)
        guard let body = response.body else {
            throw APIError(
                kind: .undecodableResponse, operation: operation, message: "the response has no body",
                status: response.status, resource: label, url: configuration.provisioningURL + path)
        }
        return body
    }
}
