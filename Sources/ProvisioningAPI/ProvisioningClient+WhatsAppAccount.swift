extension ProvisioningClient {
    /// The project's WhatsApp account (`/v1/projects/{projectId}/whatsapp`, part C): the account itself, its
    /// activities and comments, template analytics, and the embedded-signup helpers.
    public var whatsappAccount: WhatsAppAccount { WhatsAppAccount(client: self) }

    /// WhatsApp account calls. A project has at most one account, so no call takes an ID.
    public struct WhatsAppAccount: Sendable {
        let client: ProvisioningClient
        /// The largest page of the activity list (part C §3.5: 1–100).
        public static let maxActivitiesPageSize = 100

        private func path(_ rest: String...) -> String { client.projectPath(["whatsapp"] + rest) }

        /// The account (part C §3.1). Its ``Account/templateAnalytics`` is the only place template analytics can be
        /// read.
        ///
        /// - Throws: ``APIError`` (404 `account_not_found`, 409 `account_data_is_corrupt`); kind `undecodableResponse`
        ///   when the body is not an account.
        public func get(label: String? = nil) async throws -> Account {
            let operation = "get WhatsApp account"
            let body = try await client.sendForBody(.get, path: path(), operation: operation, label: label)
            return try Account(body, client.undecodable(operation, label: label, path: path()))
        }

        /// Creates the account (part C §3.2; one per project). The new account is under review: no `state` yet.
        ///
        /// - Throws: ``APIError`` when refused (400 `invalid_input`, 409 `account_exists`).
        public func create(_ body: JSONValue, label: String? = nil) async throws -> PostResult {
            try await client.post(path: path(), body: body, operation: "create WhatsApp account", label: label)
        }

        /// Updates the account (part C §3.4): only a `REJECTED` account can be updated; it is then reviewed again.
        ///
        /// - Throws: ``APIError`` (409 `account_not_updatable`, 400 `no_fields_to_update`, 404 `account_not_found`).
        public func update(_ body: JSONValue, label: String? = nil) async throws -> Account {
            let operation = "update WhatsApp account"
            let answer = try await client.sendForBody(
                .patch, path: path(), body: body, operation: operation, label: label)
            return try Account(answer, client.undecodable(operation, label: label, path: path()))
        }

        /// Deletes the account (part C §3.3, a closed beta): refused while senders, or sender changes, remain.
        ///
        /// - Throws: ``APIError`` (409 `account_has_senders`, `account_has_sender_changes`; 400
        ///   `project_not_initialized` when there is no account).
        public func delete(label: String? = nil) async throws {
            _ = try await client.send(.delete, path: path(), operation: "delete WhatsApp account", label: label)
        }

        /// Every activity of the account, newest first (part C §3.5).
        ///
        /// - Throws: ``APIError`` (404 `account_not_found`).
        public func activities(label: String? = nil) async throws -> [JSONValue] {
            try await client.listAll(
                path: path("activities"), itemsKey: "notifications", pageSize: Self.maxActivitiesPageSize,
                operation: "list WhatsApp account activities", label: label
            ) { $0 }
        }

        /// Adds a comment to the account (part C §3.6).
        ///
        /// - Throws: ``APIError`` (404 `account_not_found`, 400 `invalid_input`).
        public func comment(_ text: String, label: String? = nil) async throws -> PostResult {
            try await client.post(
                path: path("comments"), body: ["comment": .string(text)], operation: "comment on WhatsApp account",
                label: label)
        }

        /// Turns Meta template analytics on (part C §2.1). There is no way to turn them off again.
        ///
        /// - Throws: ``APIError`` (424 `template_insights_not_yet_available` when the account is not onboarded, 400
        ///   `project_not_initialized` when the project has no account).
        public func enableTemplateAnalytics(label: String? = nil) async throws {
            _ = try await client.send(
                .put, path: path("enableTemplateAnalytics"), operation: "enable WhatsApp template analytics",
                label: label)
        }

        /// Exchanges an embedded-signup code, or a token, for a long-lived access token (part C §2.2; deprecated by
        /// the API; valid 60 days). The token is a secret: it never appears in a log or a description.
        ///
        /// A code is single-use, so a request whose outcome is unknown is not sent again (the error is kind
        /// `outcomeUnknown`); a token may be exchanged again, so that request is retried like a GET.
        ///
        /// - Throws: ``APIError`` (400 `invalid_facebook_code`, `invalid_facebook_token`, `invalid_input`,
        ///   `invalid_business_manager`, `invalid_business_manager_for_environment`; 500
        ///   `facebook_Request_limit_reached`, `log_in_facebook_required`).
        public func longLivedAccessToken(
            _ credential: FacebookCredential, businessManager: String? = nil, label: String? = nil
        ) async throws -> LongLivedAccessToken {
            let operation = "exchange for a long-lived WhatsApp access token"
            var body: JSONObject = [:]
            let resendable: Bool
            switch credential {
            case .code(let code):
                body["facebookCode"] = .string(code)
                resendable = false
            case .token(let token):
                body["facebookToken"] = .string(token)
                resendable = true
            }
            if let businessManager { body["businessManager"] = .string(businessManager) }
            let answer = try await client.helperPost(
                path: path("longLivedAccessToken"), body: .object(body), resendable: resendable, operation: operation,
                label: label)
            guard let token = answer?["longLivedAccessToken"]?.stringValue, !token.isEmpty else {
                throw client.undecodable(operation, label: label, path: path("longLivedAccessToken"))(
                    "the response has no \"longLivedAccessToken\" string")
            }
            return LongLivedAccessToken(token)
        }

        /// The WhatsApp Business Accounts a Facebook token can reach, with the numbers shared to each (part C §2.3;
        /// deprecated by the API). A read-only query sent as a POST, so it is retried like a GET.
        ///
        /// - Throws: ``APIError`` (400 `invalid_facebook_token`, `invalid_business_manager`, …; 500
        ///   `facebook_Request_limit_reached`, `log_in_facebook_required`).
        public func wabaDetails(
            facebookToken: String, businessManager: String? = nil, label: String? = nil
        ) async throws -> [WABA] {
            let operation = "list WhatsApp Business Accounts"
            var body: JSONObject = ["facebookToken": .string(facebookToken)]
            if let businessManager { body["businessManager"] = .string(businessManager) }
            let answer = try await client.helperPost(
                path: path("wabaDetails"), body: .object(body), resendable: true, operation: operation, label: label)
            let fail = client.undecodable(operation, label: label, path: path("wabaDetails"))
            guard let wabas = answer?["wabas"]?.arrayValue else { throw fail("the response has no \"wabas\" array") }
            return try wabas.map { try WABA($0, fail) }
        }
    }
}

extension ProvisioningClient.WhatsAppAccount {
    /// The account as `GET …/whatsapp` returns it (`WhatsappAccountDto`), with the members sinchform reads typed.
    public struct Account: Sendable {
        /// The account's state; `nil` while a new account is under review (the API then shows only `changes`).
        public var state: State?
        /// `wabaEnabledForInsights`: whether template analytics are on; `nil` when the API leaves it out (unknown).
        public var templateAnalytics: Bool?
        /// `changes.status` of pending changes (`DRAFT`, `IN_PROGRESS`, `PENDING_FACEBOOK_VERIFICATION`, `REJECTED`).
        public var pendingChangesStatus: String?
        /// The whole body, as the API sent it.
        public var body: JSONValue

        /// `WhatsappAccountStateEnum`, with any value a newer API may add kept as it came.
        public enum State: Sendable, Hashable {
            case onboarded
            case pendingFacebookVerification
            case rejected
            case other(String)

            init(_ text: String) {
                switch text {
                case "ONBOARDED": self = .onboarded
                case "PENDING_FACEBOOK_VERIFICATION": self = .pendingFacebookVerification
                case "REJECTED": self = .rejected
                default: self = .other(text)
                }
            }
        }

        init(_ body: JSONValue, _ fail: (String) -> APIError) throws {
            guard case .object(let members) = body else { throw fail("the account is not a JSON object") }
            self.body = body
            switch members["state"] {
            case nil, .null?: state = nil
            case .string(let text)?: state = State(text)
            default: throw fail("the account's \"state\" is not a string")
            }
            switch members["wabaEnabledForInsights"] {
            case nil, .null?: templateAnalytics = nil
            case .bool(let flag)?: templateAnalytics = flag
            default: throw fail("the account's \"wabaEnabledForInsights\" is not a boolean")
            }
            switch members["changes"]?["status"] {
            case nil, .null?: pendingChangesStatus = nil
            case .string(let text)?: pendingChangesStatus = text
            default: throw fail("the account's \"changes.status\" is not a string")
            }
        }
    }

    /// What an embedded signup gave: a single-use code or a (short- or long-lived) user access token.
    public enum FacebookCredential: Sendable, CustomStringConvertible {
        case code(String)
        case token(String)

        /// Names the kind only, never the value.
        public var description: String {
            switch self {
            case .code: "Facebook code \(Redaction.placeholder)"
            case .token: "Facebook token \(Redaction.placeholder)"
            }
        }
    }

    /// A long-lived access token: a secret. Its description (and so any interpolation or `dump`) never shows it;
    /// read ``value`` only to hand it to its one consumer.
    public struct LongLivedAccessToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible,
        CustomReflectable
    {
        /// The token itself.
        public let value: String

        init(_ value: String) { self.value = value }

        public var description: String { Redaction.placeholder }
        public var debugDescription: String { Redaction.placeholder }
        public var customMirror: Mirror { Mirror(self, children: []) }
    }

    /// A WhatsApp Business Account a token can reach (`WhatsappWabaDetailsDto`).
    public struct WABA: Sendable, Hashable {
        /// The WABA's ID (an embedded-signup sender's `wabaId`).
        public var id: String
        /// The numbers shared to it.
        public var numbers: [Number]

        /// A number shared to a WABA (`WhatsappWabaNumbersDto`).
        public struct Number: Sendable, Hashable {
            /// The number's ID (an embedded-signup sender's `phoneNumberId`).
            public var id: String
            /// The number as displayed, e.g. `+48 777 777777`.
            public var displayPhoneNumber: String
            /// Whether the number is in use already.
            public var provisioned: Bool
        }

        init(_ value: JSONValue, _ fail: (String) -> APIError) throws {
            guard let id = value["id"]?.stringValue, let numbers = value["numbers"]?.arrayValue else {
                throw fail("a WABA has no \"id\" string or no \"numbers\" array")
            }
            self.id = id
            self.numbers = try numbers.map { number in
                guard let numberId = number["id"]?.stringValue,
                    let display = number["displayPhoneNumber"]?.stringValue,
                    case .bool(let provisioned)? = number["provisioned"]
                else {
                    throw fail("a number of WABA \(id) lacks \"id\", \"displayPhoneNumber\" or \"provisioned\"")
                }
                return Number(id: numberId, displayPhoneNumber: display, provisioned: provisioned)
            }
        }
    }
}

extension ProvisioningClient {
    /// Makes the error for a body that is not what `operation` expects.
    fileprivate func undecodable(_ operation: String, label: String?, path: String) -> (String) -> APIError {
        let url = configuration.provisioningURL + path
        return { message in
            APIError(kind: .undecodableResponse, operation: operation, message: message, resource: label, url: url)
        }
    }

    /// A POST of the embedded-signup helpers, which create nothing: `resendable` ones are retried like a GET.
    fileprivate func helperPost(
        path: String, body: JSONValue, resendable: Bool, operation: String, label: String?
    ) async throws -> JSONValue? {
        let bytes = body.serialized()
        let exchange = Exchange(
            method: .post, url: configuration.provisioningURL + path, body: bytes, contentType: "application/json",
            operation: operation, label: label, authentication: .api, resendable: resendable)
        let raw = try await execute(exchange)
        guard !raw.body.isEmpty else { return nil }
        do {
            return try JSONValue(bytes: raw.body)
        } catch {
            let failure = undecodable(operation, label: label, path: path)("the body is not JSON")
            throw resendable ? failure : APIError.outcomeUnknown(failure)
        }
    }
}
