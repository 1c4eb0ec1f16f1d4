extension ProvisioningClient {
    /// WhatsApp template calls (`/v1/projects/{projectId}/whatsapp/templates`).
    public var whatsappTemplates: WhatsAppTemplates { WhatsAppTemplates(client: self) }

    /// WhatsApp sender calls (`/v1/projects/{projectId}/whatsapp/senders`).
    public var whatsappSenders: WhatsAppSenders { WhatsAppSenders(client: self) }

    /// WhatsApp template calls.
    public typealias WhatsAppTemplates = Endpoint<WhatsAppTemplate>

    /// WhatsApp sender calls.
    public typealias WhatsAppSenders = Endpoint<WhatsAppSender>

    /// A WhatsApp template, identified by name and language (e.g. `EN_US`).
    public enum WhatsAppTemplate: DeletableKind {
        public static let noun = "WhatsApp template"
        public static let itemsKey = "templates"
        public static let maxPageSize = 1000
        public static let identity = ["name", "language"]
        public static func collection(_ parent: Void) -> [String] { ["whatsapp", "templates"] }
        public static func member(_ key: (name: String, language: String)) -> [String] {
            ["whatsapp", "templates", key.name, "languages", key.language]
        }
    }

    /// A WhatsApp sender, identified by its server ID.
    public enum WhatsAppSender: IdentifiedByID, DeletableKind {
        public static let noun = "WhatsApp sender"
        public static let itemsKey = "senders"
        public static let maxPageSize = 100
        public static let identity = ["id"]
        public static func collection(_ parent: Void) -> [String] { ["whatsapp", "senders"] }
        public static func member(_ id: String) -> [String] { ["whatsapp", "senders", id] }
    }
}

extension ProvisioningClient.Endpoint where Kind == ProvisioningClient.WhatsAppTemplate {
    private func byName(_ name: String) -> String { client.projectPath(["whatsapp", "templates", name]) }

    /// Every language of one template name.
    ///
    /// - Throws: ``APIError`` (404 `template_not_found` for an unknown name).
    public func listByName(_ name: String, label: String? = nil) async throws -> [JSONValue] {
        try await client.listAll(
            path: byName(name), itemsKey: Kind.itemsKey, pageSize: Kind.maxPageSize,
            operation: "list WhatsApp template \(name)", label: label, identity: Kind.identity
        ) { $0 }
    }

    /// One template in one language.
    ///
    /// - Throws: ``APIError`` (404 `template_not_found`).
    public func get(name: String, language: String, label: String? = nil) async throws -> JSONValue {
        try await get((name, language), label: label)
    }

    /// Updates a template (PATCH; the new content lands in `changes`).
    ///
    /// - Throws: ``APIError``.
    public func update(
        name: String, language: String, _ body: JSONValue, label: String? = nil
    ) async throws
        -> JSONValue
    {
        try await update((name, language), body, label: label)
    }

    /// Deletes every language of a template name.
    ///
    /// - Throws: ``APIError``.
    public func deleteByName(_ name: String, label: String? = nil) async throws {
        _ = try await client.send(.delete, path: byName(name), operation: "delete WhatsApp template", label: label)
    }

    /// Deletes one language of a template.
    ///
    /// - Parameter deleteSubmitted: `false` removes only a draft of pending changes; `true` deletes the submitted
    ///   template too (its name and language are then blocked for 30 days).
    /// - Throws: ``APIError``.
    public func delete(name: String, language: String, deleteSubmitted: Bool, label: String? = nil) async throws {
        try await delete(
            (name, language), query: [QueryItem("deleteSubmitted", deleteSubmitted ? "true" : "false")], label: label)
    }
}

extension ProvisioningClient.Endpoint where Kind == ProvisioningClient.WhatsAppSender {
    /// Asks Meta to send the verification code (`SMS` or `VOICE`).
    ///
    /// - Throws: ``APIError`` when refused (e.g. 409 `not_allowed_register`).
    public func register(id: String, method: String, label: String? = nil) async throws -> PostResult {
        try await action(
            id, ["register"], body: ["method": .string(method)], operation: "register WhatsApp sender", label: label)
    }

    /// Submits the verification code; `nil` when Meta has already verified the number.
    ///
    /// - Throws: ``APIError`` when refused (e.g. 409 `wrong_otp`).
    public func verify(id: String, code: String?, label: String? = nil) async throws -> PostResult {
        let body: JSONValue = code.map { ["code": .string($0)] } ?? [:]
        return try await action(id, ["verify"], body: body, operation: "verify WhatsApp sender", label: label)
    }
}
