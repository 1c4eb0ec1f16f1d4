extension ProvisioningClient {
    /// RCS sender calls (`/v1/projects/{projectId}/rcs/senders`). The API has no DELETE for RCS senders.
    public var rcsSenders: RCSSenders { RCSSenders(client: self) }

    /// RCS sender calls. A sender is identified by its server ID.
    public struct RCSSenders: Sendable {
        let client: ProvisioningClient
        /// The largest page the endpoint accepts.
        public static let maxPageSize = 100

        private func path(_ rest: String...) -> String { client.projectPath(["rcs", "senders"] + rest) }

        /// Every RCS sender of the project.
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
                path: path(), itemsKey: "senders", pageSize: Self.maxPageSize, operation: "list RCS senders",
                label: label, each: item)
        }

        /// One sender.
        ///
        /// - Throws: ``APIError`` (404 `sender_not_found`).
        public func get(id: String, label: String? = nil) async throws -> JSONValue {
            try await client.sendForBody(.get, path: path(id), operation: "get RCS sender", label: label)
        }

        /// Creates a sender.
        ///
        /// - Throws: ``APIError`` when refused.
        public func create(_ body: JSONValue, label: String? = nil) async throws -> PostResult {
            try await client.post(path: path(), body: body, operation: "create RCS sender", label: label)
        }

        /// Updates a sender (PATCH).
        ///
        /// - Throws: ``APIError``.
        public func update(id: String, _ body: JSONValue, label: String? = nil) async throws -> JSONValue {
            try await client.sendForBody(
                .patch, path: path(id), body: body, operation: "update RCS sender", label: label)
        }

        /// Launches (or re-launches) a sender.
        ///
        /// - Throws: ``APIError`` when refused (e.g. 412 `launch_precondition_failed`).
        public func launch(id: String, label: String? = nil) async throws -> PostResult {
            try await client.post(path: path(id, "launch"), body: nil, operation: "launch RCS sender", label: label)
        }

        /// Adds test numbers (E.164) to a sender; each gets a tester invite.
        ///
        /// - Throws: ``APIError`` when refused.
        public func addTestNumbers(id: String, numbers: [String], label: String? = nil) async throws -> PostResult {
            try await client.post(
                path: path(id, "testNumbers"), body: ["testNumbers": .array(numbers.map(JSONValue.string))],
                operation: "add RCS test numbers", label: label)
        }

        /// Removes one test number (the `+` is sent as `%2B`).
        ///
        /// - Throws: ``APIError``.
        public func deleteTestNumber(id: String, number: String, label: String? = nil) async throws {
            _ = try await client.send(
                .delete, path: path(id, "testNumbers", number), operation: "delete RCS test number", label: label)
        }
    }
}
