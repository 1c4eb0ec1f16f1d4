extension ProvisioningClient {
    /// Webhook calls (`/v1/projects/{projectId}/webhooks`).
    public var webhooks: Webhooks { Webhooks(client: self) }

    /// Webhook calls. Bodies and results are the API's JSON; the `secret` is never returned by the API.
    public typealias Webhooks = Endpoint<Webhook>

    /// A webhook: `target`, `secret`, `triggers`; identified by its server ID.
    public enum Webhook: IdentifiedByID, DeletableKind {
        public static let noun = "webhook"
        public static let itemsKey = "webhooks"
        public static let maxPageSize = 15
        public static let identity = ["id"]
        public static func collection(_ parent: Void) -> [String] { ["webhooks"] }
        public static func member(_ id: String) -> [String] { ["webhooks", id] }
    }
}

extension ProvisioningClient.Endpoint where Kind == ProvisioningClient.Webhook {
    /// Replaces a webhook (PUT; all three fields required).
    ///
    /// - Throws: ``APIError``.
    public func replace(id: String, _ body: JSONValue, label: String? = nil) async throws -> JSONValue {
        try await client.sendForBody(.put, path: path(id), body: body, operation: "replace webhook", label: label)
    }
}
