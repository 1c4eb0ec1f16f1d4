extension ProvisioningClient {
    /// KakaoTalk sender calls (`/v1/projects/{projectId}/kakaotalk/senders`).
    public var kakaotalkSenders: KakaoTalkSenders { KakaoTalkSenders(client: self) }

    /// KakaoTalk template calls (`/v1/projects/{projectId}/kakaotalk/senders/{plusFriendId}/templates`).
    public var kakaotalkTemplates: KakaoTalkTemplates { KakaoTalkTemplates(client: self) }

    /// KakaoTalk sender calls.
    public typealias KakaoTalkSenders = Endpoint<KakaoTalkSender>

    /// KakaoTalk template calls.
    public typealias KakaoTalkTemplates = Endpoint<KakaoTalkTemplate>

    /// A KakaoTalk sender, identified by its `plusFriendId` (e.g. `@acme`).
    public enum KakaoTalkSender: DeletableKind {
        public static let noun = "KakaoTalk sender"
        public static let itemsKey = "senders"
        public static let maxPageSize = 100
        public static let identity = ["plusFriendId"]
        public static func collection(_ parent: Void) -> [String] { ["kakaotalk", "senders"] }
        public static func member(_ plusFriendId: String) -> [String] { ["kakaotalk", "senders", plusFriendId] }
    }

    /// A KakaoTalk template: it belongs to a sender and is identified by its server `code`.
    public enum KakaoTalkTemplate: DeletableKind {
        public static let noun = "KakaoTalk template"
        public static let itemsKey = "templates"
        public static let maxPageSize = 1000
        /// The largest page of the activity list (its range is 1–100, unlike the template list's).
        public static let maxActivitiesPageSize = 100
        public static let identity = ["code"]
        public static func collection(_ plusFriendId: String) -> [String] {
            ["kakaotalk", "senders", plusFriendId, "templates"]
        }
        public static func member(_ key: (plusFriendId: String, code: String)) -> [String] {
            collection(key.plusFriendId) + [key.code]
        }
        public static func listOperation(_ plusFriendId: String) -> String {
            "list KakaoTalk templates of \(plusFriendId)"
        }
    }
}

extension ProvisioningClient.Endpoint where Kind == ProvisioningClient.KakaoTalkSender {
    /// One sender.
    ///
    /// - Throws: ``APIError`` (404 `sender_not_found`).
    public func get(plusFriendId: String, label: String? = nil) async throws -> JSONValue {
        try await get(plusFriendId, label: label)
    }

    /// Updates a sender (PATCH).
    ///
    /// - Throws: ``APIError``.
    public func update(plusFriendId: String, _ body: JSONValue, label: String? = nil) async throws -> JSONValue {
        try await update(plusFriendId, body, label: label)
    }

    /// Deletes a sender (marked for deletion).
    ///
    /// - Throws: ``APIError``.
    public func delete(plusFriendId: String, label: String? = nil) async throws {
        try await delete(plusFriendId, label: label)
    }

    /// The sender's activity list (created, submitted, rejected, comments…): rejection reasons arrive here as
    /// comments.
    ///
    /// - Throws: ``APIError``.
    public func activities(plusFriendId: String, label: String? = nil) async throws -> [JSONValue] {
        try await client.listAll(
            path: path(plusFriendId, "activities"), itemsKey: "notifications", pageSize: Kind.maxPageSize,
            operation: "list KakaoTalk sender activities", label: label
        ) { $0 }
    }

    /// Starts verification: Kakao sends a code to the admin phone.
    ///
    /// - Throws: ``APIError`` when refused (e.g. 409 `not_allowed_register`).
    public func register(plusFriendId: String, label: String? = nil) async throws -> PostResult {
        try await action(plusFriendId, ["register"], body: nil, operation: "register KakaoTalk sender", label: label)
    }

    /// Submits the verification code (a number).
    ///
    /// - Throws: ``APIError`` when refused (e.g. 409 `not_allowed_verify`).
    public func verify(plusFriendId: String, code: Int, label: String? = nil) async throws -> PostResult {
        try await action(
            plusFriendId, ["verify"], body: ["code": .number(Double(code))], operation: "verify KakaoTalk sender",
            label: label)
    }
}

extension ProvisioningClient.Endpoint where Kind == ProvisioningClient.KakaoTalkTemplate {
    /// The largest page of the activity list.
    public static var maxActivitiesPageSize: Int { Kind.maxActivitiesPageSize }

    /// Every template of one sender.
    ///
    /// - Throws: ``APIError``.
    public func list(plusFriendId: String, label: String? = nil) async throws -> [JSONValue] {
        try await list(in: plusFriendId, label: label) { $0 }
    }

    /// The same list, each item mapped by `item` as its page arrives, of each item only `members` (nil: all).
    ///
    /// - Throws: ``APIError``.
    public func list<Item>(
        plusFriendId: String, label: String? = nil, members: Set<String>? = nil,
        each item: (JSONValue) throws -> Item
    ) async throws -> [Item] {
        try await list(in: plusFriendId, label: label, members: members, each: item)
    }

    /// One template.
    ///
    /// - Throws: ``APIError`` (404 `template_not_found`).
    public func get(plusFriendId: String, code: String, label: String? = nil) async throws -> JSONValue {
        try await get((plusFriendId, code), label: label)
    }

    /// Creates a template for a sender.
    ///
    /// - Throws: ``APIError`` when refused (e.g. 409 `template_exists`).
    public func create(plusFriendId: String, _ body: JSONValue, label: String? = nil) async throws -> PostResult {
        try await create(in: plusFriendId, body, label: label)
    }

    /// Updates a template (PATCH).
    ///
    /// - Throws: ``APIError``.
    public func update(
        plusFriendId: String, code: String, _ body: JSONValue, label: String? = nil
    ) async throws
        -> JSONValue
    {
        try await update((plusFriendId, code), body, label: label)
    }

    /// Deletes a template.
    ///
    /// - Throws: ``APIError``.
    public func delete(plusFriendId: String, code: String, label: String? = nil) async throws {
        try await delete((plusFriendId, code), label: label)
    }

    /// The template's activity list: review comments (and rejection reasons) arrive here.
    ///
    /// - Throws: ``APIError``.
    public func activities(plusFriendId: String, code: String, label: String? = nil) async throws -> [JSONValue] {
        try await client.listAll(
            path: path((plusFriendId, code), "activities"), itemsKey: "notifications",
            pageSize: Kind.maxActivitiesPageSize, operation: "list KakaoTalk template activities", label: label
        ) { $0 }
    }

    /// Deletes a template's pending draft changes.
    ///
    /// - Throws: ``APIError`` (409 `template_not_deletable` once submitted).
    public func deleteChanges(plusFriendId: String, code: String, label: String? = nil) async throws {
        _ = try await client.send(
            .delete, path: path((plusFriendId, code), "changes"), operation: "delete KakaoTalk template changes",
            label: label)
    }
}
