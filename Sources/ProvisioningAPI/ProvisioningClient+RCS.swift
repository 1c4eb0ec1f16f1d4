extension ProvisioningClient {
    /// RCS sender calls (`/v1/projects/{projectId}/rcs/senders`). The API has no DELETE for RCS senders.
    public var rcsSenders: RCSSenders { RCSSenders(client: self) }

    /// RCS sender calls.
    public typealias RCSSenders = Endpoint<RCSSender>

    /// An RCS sender, identified by its server ID; it cannot be deleted.
    public enum RCSSender: IdentifiedByID {
        public static let noun = "RCS sender"
        public static let itemsKey = "senders"
        public static let maxPageSize = 100
        public static let identity = ["id"]
        public static func collection(_ parent: Void) -> [String] { ["rcs", "senders"] }
        public static func member(_ id: String) -> [String] { ["rcs", "senders", id] }
    }
}

extension ProvisioningClient.Endpoint where Kind == ProvisioningClient.RCSSender {
    /// Launches (or re-launches) a sender.
    ///
    /// - Throws: ``APIError`` when refused (e.g. 412 `launch_precondition_failed`).
    public func launch(id: String, label: String? = nil) async throws -> PostResult {
        try await action(id, ["launch"], body: nil, operation: "launch RCS sender", label: label)
    }

    /// Adds test numbers (E.164) to a sender; each gets a tester invite.
    ///
    /// - Throws: ``APIError`` when refused.
    public func addTestNumbers(id: String, numbers: [String], label: String? = nil) async throws -> PostResult {
        try await action(
            id, ["testNumbers"], body: ["testNumbers": .array(numbers.map(JSONValue.string))],
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
