extension ProvisioningClient {
    /// KakaoTalk sender calls (`/v1/projects/{projectId}/kakaotalk/senders`).
    public var kakaotalkSenders: KakaoTalkSenders { KakaoTalkSenders(client: self) }

    /// KakaoTalk template calls (`/v1/projects/{projectId}/kakaotalk/senders/{plusFriendId}/templates`).
    public var kakaotalkTemplates: KakaoTalkTemplates { KakaoTalkTemplates(client: self) }

    /// KakaoTalk sender calls. A sender is identified by its `plusFriendId` (e.g. `@acme`).
    public struct KakaoTalkSenders: Sendable {
        let client: ProvisioningClient
        /// The largest page the endpoint accepts.
        public static let maxPageSize = 100

        private func path(_ rest: String...) -> String { client.projectPath(["kakaotalk", "senders"] + rest) }

        /// Every KakaoTalk sender of the project.
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
                path: path(), itemsKey: "senders", pageSize: Self.maxPageSize, operation: "list KakaoTalk senders",
                label: label, each: item)
        }

        /// One sender.
        ///
        /// - Throws: ``APIError`` (404 `sender_not_found`).
        public func get(plusFriendId: String, label: String? = nil) async throws -> JSONValue {
            try await client.sendForBody(
                .get, path: path(plusFriendId), operation: "get KakaoTalk sender", label: label)
        }

        /// Creates a sender (`plusFriendId`, `details`, `status`).
        ///
        /// - Throws: ``APIError`` when refused (e.g. 409 `plus_friend_id_used`).
        public func create(_ body: JSONValue, label: String? = nil) async throws -> PostResult {
            try await client.post(path: path(), body: body, operation: "create KakaoTalk sender", label: label)
        }

        /// Updates a sender (PATCH).
        ///
        /// - Throws: ``APIError``.
        public func update(plusFriendId: String, _ body: JSONValue, label: String? = nil) async throws -> JSONValue {
            try await client.sendForBody(
                .patch, path: path(plusFriendId), body: body, operation: "update KakaoTalk sender", label: label
            )
        }

        /// Deletes a sender (marked for deletion).
        ///
        /// - Throws: ``APIError``.
        public func delete(plusFriendId: String, label: String? = nil) async throws {
            _ = try await client.send(
                .delete, path: path(plusFriendId), operation: "delete KakaoTalk sender", label: label)
        }

        /// The sender's activity list (created, submitted, rejected, comments…): rejection reasons arrive here as
        /// comments.
        ///
        /// - Throws: ``APIError``.
        public func activities(plusFriendId: String, label: String? = nil) async throws -> [JSONValue] {
            try await client.listAll(
                path: path(plusFriendId, "activities"), itemsKey: "notifications", pageSize: Self.maxPageSize,
                operation: "list KakaoTalk sender activities", label: label
            ) { $0 }
        }

        /// Starts verification: Kakao sends a code to the admin phone.
        ///
        /// - Throws: ``APIError`` when refused (e.g. 409 `not_allowed_register`).
        public func register(plusFriendId: String, label: String? = nil) async throws -> PostResult {
            try await client.post(
                path: path(plusFriendId, "register"), body: nil, operation: "register KakaoTalk sender", label: label)
        }

        /// Submits the verification code (a number).
        ///
        /// - Throws: ``APIError`` when refused (e.g. 409 `not_allowed_verify`).
        public func verify(plusFriendId: String, code: Int, label: String? = nil) async throws -> PostResult {
            try await client.post(
                path: path(plusFriendId, "verify"), body: ["code": .number(Double(code))],
                operation: "verify KakaoTalk sender", label: label)
        }
    }

    /// KakaoTalk template calls. A template belongs to a sender and is identified by its server `code`.
    public struct KakaoTalkTemplates: Sendable {
        let client: ProvisioningClient
        /// The largest page the endpoint accepts.
        public static let maxPageSize = 1000
        /// The largest page of the activity list (its range is 1–100, unlike the template list's).
        public static let maxActivitiesPageSize = 100

        private func path(_ plusFriendId: String, _ rest: String...) -> String {
            client.projectPath(["kakaotalk", "senders", plusFriendId, "templates"] + rest)
        }

        /// Every template of one sender.
        ///
        /// - Throws: ``APIError``.
        public func list(plusFriendId: String, label: String? = nil) async throws -> [JSONValue] {
            try await list(plusFriendId: plusFriendId, label: label) { $0 }
        }

        /// The same list, each item mapped by `item` as its page arrives (see ``ProvisioningClient/listAll``).
        public func list<Item>(
            plusFriendId: String, label: String? = nil, each item: (JSONValue) throws -> Item
        ) async throws -> [Item] {
            try await client.listAll(
                path: path(plusFriendId), itemsKey: "templates", pageSize: Self.maxPageSize,
                operation: "list KakaoTalk templates of \(plusFriendId)", label: label, each: item)
        }

        /// One template.
        ///
        /// - Throws: ``APIError`` (404 `template_not_found`).
        public func get(plusFriendId: String, code: String, label: String? = nil) async throws -> JSONValue {
            try await client.sendForBody(
                .get, path: path(plusFriendId, code), operation: "get KakaoTalk template", label: label
            )
        }

        /// Creates a template for a sender.
        ///
        /// - Throws: ``APIError`` when refused (e.g. 409 `template_exists`).
        public func create(plusFriendId: String, _ body: JSONValue, label: String? = nil) async throws -> PostResult {
            try await client.post(
                path: path(plusFriendId), body: body, operation: "create KakaoTalk template", label: label)
        }

        /// Updates a template (PATCH).
        ///
        /// - Throws: ``APIError``.
        public func update(
            plusFriendId: String, code: String, _ body: JSONValue, label: String? = nil
        )
            async throws -> JSONValue
        {
            try await client.sendForBody(
                .patch, path: path(plusFriendId, code), body: body, operation: "update KakaoTalk template",
                label: label
            )
        }

        /// Deletes a template.
        ///
        /// - Throws: ``APIError``.
        public func delete(plusFriendId: String, code: String, label: String? = nil) async throws {
            _ = try await client.send(
                .delete, path: path(plusFriendId, code), operation: "delete KakaoTalk template", label: label)
        }

        /// The template's activity list: review comments (and rejection reasons) arrive here.
        ///
        /// - Throws: ``APIError``.
        public func activities(plusFriendId: String, code: String, label: String? = nil) async throws -> [JSONValue] {
            try await client.listAll(
                path: path(plusFriendId, code, "activities"), itemsKey: "notifications",
                pageSize: Self.maxActivitiesPageSize,
                operation: "list KakaoTalk template activities", label: label
            ) { $0 }
        }

        /// Deletes a template's pending draft changes.
        ///
        /// - Throws: ``APIError`` (409 `template_not_deletable` once submitted).
        public func deleteChanges(plusFriendId: String, code: String, label: String? = nil) async throws {
            _ = try await client.send(
                .delete, path: path(plusFriendId, code, "changes"), operation: "delete KakaoTalk template changes",
                label: label)
        }
    }
}
