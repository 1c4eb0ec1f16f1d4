extension ProvisioningClient {
    /// What sets one resource collection of the API apart from another: where it lives, how a member is addressed,
    /// what its list pages call their items, and the noun its calls are named with. Everything else about the calls
    /// is the same for every kind and lives in ``Endpoint``.
    public protocol EndpointKind: Sendable {
        /// What the collection is scoped to: nothing for project-level collections, a sender's `plusFriendId` for
        /// KakaoTalk templates.
        associatedtype Parent: Sendable = Void
        /// What identifies one member in its path.
        associatedtype Key: Sendable
        /// One member in operation names: `webhook` gives `create webhook`, `list webhooks`.
        static var noun: String { get }
        /// The member of a list page that holds its items (`webhooks`, `templates`, `senders`).
        static var itemsKey: String { get }
        /// The largest page the list accepts.
        static var maxPageSize: Int { get }
        /// The members every listed item must carry as non-empty strings: its identity.
        static var identity: [String] { get }
        /// The collection's path segments below the project.
        static func collection(_ parent: Parent) -> [String]
        /// One member's path segments below the project.
        static func member(_ key: Key) -> [String]
        /// The list call's operation name (`list webhooks` unless a kind says more).
        static func listOperation(_ parent: Parent) -> String
    }

    /// A kind whose members the API can delete (RCS senders cannot be deleted).
    public protocol DeletableKind: EndpointKind {}

    /// A kind whose members are addressed by their server ID (`{collection}/{id}`).
    public protocol IdentifiedByID: EndpointKind where Key == String, Parent == Void {}

    /// The calls of one resource collection: list (every page), get, create, update, delete, and the lifecycle
    /// actions below a member. Bodies and results are the API's JSON.
    public struct Endpoint<Kind: EndpointKind>: Sendable {
        let client: ProvisioningClient

        /// The largest page the endpoint accepts.
        public static var maxPageSize: Int { Kind.maxPageSize }

        /// Every item of the collection, each mapped by `item` as its page arrives, of each item only `members` (see
        /// ``ProvisioningClient/listAll(path:itemsKey:pageSize:query:operation:label:identity:members:each:)``).
        ///
        /// - Throws: ``APIError``.
        public func list<Item>(
            in parent: Kind.Parent, label: String? = nil, members: Set<String>? = nil,
            each item: (JSONValue) throws -> Item
        ) async throws -> [Item] {
            try await client.listAll(
                path: client.projectPath(Kind.collection(parent)), itemsKey: Kind.itemsKey,
                pageSize: Kind.maxPageSize, operation: Kind.listOperation(parent), label: label,
                identity: Kind.identity, members: members, each: item)
        }

        /// One member.
        ///
        /// - Throws: ``APIError`` (404 when it does not exist).
        public func get(_ key: Kind.Key, label: String? = nil) async throws -> JSONValue {
            try await client.sendForBody(
                .get, path: client.projectPath(Kind.member(key)), operation: "get \(Kind.noun)", label: label)
        }

        /// Creates a member (POST): an unknown outcome is returned, not thrown (see ``PostResult``).
        ///
        /// - Throws: ``APIError`` when refused (e.g. 409 when it exists).
        public func create(in parent: Kind.Parent, _ body: JSONValue, label: String? = nil) async throws -> PostResult {
            try await client.post(
                path: client.projectPath(Kind.collection(parent)), body: body, operation: "create \(Kind.noun)",
                label: label)
        }

        /// Updates some fields of a member (PATCH).
        ///
        /// - Throws: ``APIError``.
        public func update(_ key: Kind.Key, _ body: JSONValue, label: String? = nil) async throws -> JSONValue {
            try await client.sendForBody(
                .patch, path: client.projectPath(Kind.member(key)), body: body, operation: "update \(Kind.noun)",
                label: label)
        }

        /// A call below one member (`{member}/register`, `{member}/activities`…).
        func path(_ key: Kind.Key, _ rest: String...) -> String {
            client.projectPath(Kind.member(key) + rest)
        }

        /// A lifecycle action below one member (`register`, `verify`, `launch`…): a POST.
        func action(
            _ key: Kind.Key, _ segments: [String], body: JSONValue?, operation: String, label: String?
        ) async throws -> PostResult {
            try await client.post(
                path: client.projectPath(Kind.member(key) + segments), body: body, operation: operation, label: label)
        }
    }
}

extension ProvisioningClient.EndpointKind {
    public static func listOperation(_ parent: Parent) -> String { "list \(noun)s" }
}

extension ProvisioningClient.Endpoint where Kind: ProvisioningClient.DeletableKind {
    /// Deletes a member.
    ///
    /// - Throws: ``APIError``.
    public func delete(_ key: Kind.Key, query: [QueryItem] = [], label: String? = nil) async throws {
        _ = try await client.send(
            .delete, path: client.projectPath(Kind.member(key)), query: query, operation: "delete \(Kind.noun)",
            label: label)
    }
}

extension ProvisioningClient.Endpoint where Kind.Parent == Void {
    /// Every item of the collection.
    ///
    /// - Throws: ``APIError``.
    public func list(label: String? = nil) async throws -> [JSONValue] {
        try await list(in: (), label: label) { $0 }
    }

    /// The same list, each item mapped by `item` as its page arrives, of each item only `members` (nil: all).
    ///
    /// - Throws: ``APIError``.
    public func list<Item>(
        label: String? = nil, members: Set<String>? = nil, each item: (JSONValue) throws -> Item
    ) async throws -> [Item] {
        try await list(in: (), label: label, members: members, each: item)
    }

    /// Creates a member (POST).
    ///
    /// - Throws: ``APIError`` when refused.
    public func create(_ body: JSONValue, label: String? = nil) async throws -> PostResult {
        try await create(in: (), body, label: label)
    }
}

extension ProvisioningClient.Endpoint where Kind: ProvisioningClient.IdentifiedByID {
    /// One member by ID.
    ///
    /// - Throws: ``APIError`` (404 when it does not exist).
    public func get(id: String, label: String? = nil) async throws -> JSONValue {
        try await get(id, label: label)
    }

    /// Updates some fields of a member (PATCH).
    ///
    /// - Throws: ``APIError``.
    public func update(id: String, _ body: JSONValue, label: String? = nil) async throws -> JSONValue {
        try await update(id, body, label: label)
    }
}

extension ProvisioningClient.Endpoint where Kind: ProvisioningClient.IdentifiedByID & ProvisioningClient.DeletableKind {
    /// Deletes a member by ID.
    ///
    /// - Throws: ``APIError``.
    public func delete(id: String, label: String? = nil) async throws {
        try await delete(id, label: label)
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
