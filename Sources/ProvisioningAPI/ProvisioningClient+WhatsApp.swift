extension ProvisioningClient {
    /// WhatsApp template calls (`/v1/projects/{projectId}/whatsapp/templates`).
    public var whatsappTemplates: WhatsAppTemplates { WhatsAppTemplates(client: self) }

    /// WhatsApp sender calls (`/v1/projects/{projectId}/whatsapp/senders`).
    public var whatsappSenders: WhatsAppSenders { WhatsAppSenders(client: self) }

    /// WhatsApp template calls. A template is identified by name and language (e.g. `EN_US`).
    public struct WhatsAppTemplates: Sendable {
        let client: ProvisioningClient
        /// The largest page the endpoint accepts.
        public static let maxPageSize = 1000

        private func path(_ rest: String...) -> String { client.projectPath(["whatsapp", "templates"] + rest) }

        /// Every template of the project, all languages.
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
                path: path(), itemsKey: "templates", pageSize: Self.maxPageSize,
                operation: "list WhatsApp templates", label: label, each: item)
        }

        /// Every language of one template name.
        ///
        /// - Throws: ``APIError`` (404 `template_not_found` for an unknown name).
        public func listByName(_ name: String, label: String? = nil) async throws -> [JSONValue] {
            try await client.listAll(
                path: path(name), itemsKey: "templates", pageSize: Self.maxPageSize,
                operation: "list WhatsApp template \(name)", label: label
            ) { $0 }
        }

        /// One template in one language.
        ///
        /// - Throws: ``APIError`` (404 `template_not_found`).
        public func get(name: String, language: String, label: String? = nil) async throws -> JSONValue {
            try await client.sendForBody(
                .get, path: path(name, "languages", language), operation: "get WhatsApp template", label: label
            )
        }

        /// Creates a template (body with `name`, `language`, `category`, `status`, `details`).
        ///
        /// - Throws: ``APIError`` when refused (e.g. 409 `template_exists`, `template_name_recently_used`).
        public func create(_ body: JSONValue, label: String? = nil) async throws -> PostResult {
            try await client.post(path: path(), body: body, operation: "create WhatsApp template", label: label)
        }

        /// Updates a template (PATCH; the new content lands in `changes`).
        ///
        /// - Throws: ``APIError``.
        public func update(
            name: String, language: String, _ body: JSONValue, label: String? = nil
        ) async throws
            -> JSONValue
        {
            try await client.sendForBody(
                .patch, path: path(name, "languages", language), body: body, operation: "update WhatsApp template",
                label: label
            )
        }

        /// Deletes every language of a template name.
        ///
        /// - Throws: ``APIError``.
        public func deleteByName(_ name: String, label: String? = nil) async throws {
            _ = try await client.send(
                .delete, path: path(name), operation: "delete WhatsApp template", label: label)
        }

        /// Deletes one language of a template.
        ///
        /// - Parameter deleteSubmitted: `false` removes only a draft of pending changes; `true` deletes the
        ///   submitted template too (its name and language are then blocked for 30 days).
        /// - Throws: ``APIError``.
        public func delete(
            name: String, language: String, deleteSubmitted: Bool, label: String? = nil
        )
            async throws
        {
            _ = try await client.send(
                .delete, path: path(name, "languages", language),
                query: [QueryItem("deleteSubmitted", deleteSubmitted ? "true" : "false")],
                operation: "delete WhatsApp template", label: label)
        }
    }

    /// WhatsApp sender calls. A sender is identified by its server ID.
    public struct WhatsAppSenders: Sendable {
        let client: ProvisioningClient
        /// The largest page the endpoint accepts.
        public static let maxPageSize = 100

        private func path(_ rest: String...) -> String { client.projectPath(["whatsapp", "senders"] + rest) }

        /// Every WhatsApp sender of the project.
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
                path: path(), itemsKey: "senders", pageSize: Self.maxPageSize, operation: "list WhatsApp senders",
                label: label, each: item)
        }

        /// One sender.
        ///
        /// - Throws: ``APIError`` (404 `sender_not_found`).
        public func get(id: String, label: String? = nil) async throws -> JSONValue {
            try await client.sendForBody(.get, path: path(id), operation: "get WhatsApp sender", label: label)
        }

        /// Creates a sender.
        ///
        /// - Throws: ``APIError`` when refused.
        public func create(_ body: JSONValue, label: String? = nil) async throws -> PostResult {
            try await client.post(path: path(), body: body, operation: "create WhatsApp sender", label: label)
        }

        /// Updates a sender (PATCH).
        ///
        /// - Throws: ``APIError``.
        public func update(id: String, _ body: JSONValue, label: String? = nil) async throws -> JSONValue {
            try await client.sendForBody(
                .patch, path: path(id), body: body, operation: "update WhatsApp sender", label: label)
        }

        /// Deletes a sender (it keeps working for 30 days).
        ///
        /// - Throws: ``APIError``.
        public func delete(id: String, label: String? = nil) async throws {
            _ = try await client.send(.delete, path: path(id), operation: "delete WhatsApp sender", label: label)
        }

        /// Asks Meta to send the verification code (`SMS` or `VOICE`).
        ///
        /// - Throws: ``APIError`` when refused (e.g. 409 `not_allowed_register`).
        public func register(id: String, method: String, label: String? = nil) async throws -> PostResult {
            try await client.post(
                path: path(id, "register"), body: ["method": .string(method)], operation: "register WhatsApp sender",
                label: label)
        }

        /// Submits the verification code; `nil` when Meta has already verified the number.
        ///
        /// - Throws: ``APIError`` when refused (e.g. 409 `wrong_otp`).
        public func verify(id: String, code: String?, label: String? = nil) async throws -> PostResult {
            let body: JSONValue = code.map { ["code": .string($0)] } ?? [:]
            return try await client.post(
                path: path(id, "verify"), body: body, operation: "verify WhatsApp sender", label: label)
        }
    }
}
