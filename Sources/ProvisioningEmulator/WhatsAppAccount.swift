/// The WhatsApp account (part C §3: one per project, at `…/whatsapp`), its activities and comments, template
/// analytics (§2.1) and the embedded-signup helpers `longLivedAccessToken` (§2.2) and `wabaDetails` (§2.3).
enum WhatsAppAccount {
    static let base = "v1/projects/{projectId}/whatsapp"
    /// The account's key in its project's collection.
    static let key = "account"
    static let states = ["ONBOARDED", "PENDING_FACEBOOK_VERIFICATION", "REJECTED"]
    /// Part C §4.3 `WhatsappInputBusinessManagersEnum`.
    static let businessManagers = ["SINCH_AMERICA", "SINCH_BR", "SINCH_MX", "SINCH_SEP", "SINCH_UK"]
    /// Part C §4.3 `WhatsappInputAccountWhatsAppVerticalsEnum` (no NOT_SET, ONLINE_GAMBLING or UNRECOGNIZED).
    static let verticals = WhatsAppSenders.verticals.filter { $0 != "ONLINE_GAMBLING" }
    static let inputFields = ["companyLegalName", "wabaName", "clientBusinessManagerId", "senderDetails"]
    /// Operations whose documented failures the control API can switch on, with the codes each documents.
    static let failureCodes: [String: [String]] = [
        "longLivedAccessToken": ["facebook_Request_limit_reached", "log_in_facebook_required", "internal_error"],
        "wabaDetails": ["facebook_Request_limit_reached", "log_in_facebook_required", "internal_error"],
        "delete": ["template_could_not_delete_drafts", "internal_error"],
    ]

    static let routes: [Route] = [
        Route("GET", base, get),
        Route("POST", base, create),
        Route("PATCH", base, update),
        Route("DELETE", base, delete),
        Route("GET", base + "/activities", activities),
        Route("POST", base + "/comments", comment),
        Route("PUT", base + "/enableTemplateAnalytics", enableTemplateAnalytics),
        Route("POST", base + "/longLivedAccessToken", longLivedAccessToken),
        Route("POST", base + "/wabaDetails", wabaDetails),
    ]

    // MARK: Errors (part C §2, §3)

    static let notFound = APIError.notFound("account_not_found", "Account not found.")
    static let corrupt = APIError.conflict(
        "account_data_is_corrupt", "Account data is corrupt.", "Please contact support.")
    static let exists = APIError.conflict(
        "account_exists", "Account already exists.",
        "There can only be one WhatsApp account for each project. Choose another one project to create a new "
            + "WhatsApp account.")
    static let notUpdatable = APIError.conflict(
        "account_not_updatable", "Account is not updatable.",
        "Only account that are in \"REJECTED\" state can be updated.")
    static let projectNotInitialized = APIError(
        400, "project_not_initialized", "Project not initialized for WhatsApp.",
        "Verify that the project ID is correct and that it has been onboarded for WhatsApp.")
    static let insightsUnavailable = APIError(
        424, "template_insights_not_yet_available", "Template Insights unavailable.",
        "Template Insights are not available yet for this WhatsApp Business account, please contact support.")
    static let invalidFacebookToken = APIError(
        400, "invalid_facebook_token", "Facebook token is invalid or has expired",
        "Check that token is correct, or create a new one and try again.")
    static let invalidFacebookCode = APIError(
        400, "invalid_facebook_code", "Facebook code is invalid or has expired",
        "Check that code is correct, or request a new one and try again.")
    static let invalidBusinessManager = APIError(
        400, "invalid_business_manager", "Invalid business manager.",
        "Check that business manager is correct for project.")
    static let invalidBusinessManagerForEnvironment = APIError(
        400, "invalid_business_manager_for_environment", "Invalid business manager for environment.",
        "Verify that business manager is valid for environment. Allowed business managers for environment "
            + EmulatorDefaults.whatsappEnvironmentBusinessManagers.joined(separator: ", ") + ".")

    static func hasSenders(_ projectId: String, _ senderIds: [String]) -> APIError {
        APIError(
            409, "account_has_senders", "Account has senders.", "Delete senders before deleting the account.",
            ["projectId": .string(projectId), "senderIds": .array(senderIds.map { .string($0) })])
    }

    static func hasSenderChanges(_ projectId: String) -> APIError {
        APIError(
            409, "account_has_sender_changes", "Account has pending sender changes.",
            "All sender changes must be resolved before deleting the account. If the error persists, please contact "
                + "support.", ["projectId": .string(projectId)])
    }

    /// The 500 answers the control API can switch on (part C §2.2, §3.3).
    static func failure(_ code: String) -> APIError {
        switch code {
        case "facebook_Request_limit_reached":
            APIError(500, code, "Facebook request limit reached.", "Please try again later.")
        case "log_in_facebook_required":
            APIError(
                500, code, "Log in to facebook required.",
                "Log in to www.facebook.com and follow the instructions given.")
        case "template_could_not_delete_drafts":
            APIError(
                500, code, "Couldn't delete template drafts.",
                "Please try again later, if the error persists, please contact support.")
        default: APIError.internalError
        }
    }

    // MARK: Defaults

    /// The account a new project has: onboarded, template analytics off (DESIGN, "The WhatsApp account"); the body is
    /// part C §3.1's example with the emulator's WABA.
    static func onboardedCollection() -> ResourceCollection {
        var collection = ResourceCollection()
        collection[key] = Resource(
            doc: [
                "state": "ONBOARDED", "isEmbeddedSignup": false, "businessManager": "SINCH_UK",
                "wabaId": .string(EmulatorDefaults.whatsappWabaId),
                "details": [
                    "companyLegalName": "Sinchform Emulator", "wabaName": "Sinchform Emulator",
                    "clientBusinessManagerId": "1234567890",
                ],
                "wabaMaxPriceOnboarded": false, "wabaEnabledForInsights": false, "wabaEnabledForDirectSend": false,
                "compatibleRegions": ["eu", "us"], "currency": "EUR",
            ], seq: 0)
        return collection
    }

    /// One WABA with one number not provisioned yet (part C §2.3's example) and one that is.
    static let defaultWabas: [JSON] = [
        [
            "id": .string(EmulatorDefaults.whatsappWabaId),
            "numbers": [
                ["id": "222222222222222", "displayPhoneNumber": "+48 777 777777", "provisioned": false],
                ["id": "333333333333333", "displayPhoneNumber": "+48 777 777778", "provisioned": true],
            ],
        ]
    ]

    /// Validates seeded WABAs: `[{id, numbers: [{id, displayPhoneNumber, provisioned?}]}]`.
    static func wabas(from value: JSON, path: String) throws -> [JSON] {
        guard case .array(let items) = value else { throw APIError.invalidInput(["\(path) must be an array"]) }
        var validation = Validation()
        var result: [JSON] = []
        for (index, item) in items.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard case .object(let waba) = item else {
                validation.fail("\(itemPath) must be an object")
                continue
            }
            let id = validation.string(waba, "id", path: itemPath + ".id", required: true, length: 1...64) ?? ""
            let numbers = validation.array(waba, "numbers", path: itemPath + ".numbers", required: true) ?? []
            var kept: [JSON] = []
            for (position, number) in numbers.enumerated() {
                let numberPath = "\(itemPath).numbers[\(position)]"
                guard case .object(let fields) = number else {
                    validation.fail("\(numberPath) must be an object")
                    continue
                }
                let numberId = validation.string(fields, "id", path: numberPath + ".id", required: true, length: 1...64)
                let display = validation.string(
                    fields, "displayPhoneNumber", path: numberPath + ".displayPhoneNumber", required: true,
                    length: 1...64)
                let provisioned = validation.bool(fields, "provisioned", path: numberPath + ".provisioned") ?? false
                if let numberId, let display {
                    kept.append([
                        "id": .string(numberId), "displayPhoneNumber": .string(display),
                        "provisioned": .bool(provisioned),
                    ])
                }
            }
            result.append(["id": .string(id), "numbers": .array(kept)])
        }
        try validation.check()
        return result
    }

    // MARK: Lookup

    static func lookup(_ call: Call, _ world: World, corruptIsError: Bool = true) throws -> Resource {
        guard let account = world.projects[call.projectId]?.whatsappAccount[key] else { throw notFound }
        if corruptIsError, account.hidden?["corrupt"] == true { throw corrupt }
        return account
    }

    static func store(_ account: Resource, _ call: Call, _ world: inout World) {
        world.withProject(call.projectId) { $0.whatsappAccount[key] = account }
    }

    /// `businessManager` of the embedded-signup helpers: allowed in this environment, and the account's own.
    static func checkBusinessManager(_ manager: String?, _ call: Call, _ world: World) throws {
        guard let manager else { return }
        guard EmulatorDefaults.whatsappEnvironmentBusinessManagers.contains(manager) else {
            throw invalidBusinessManagerForEnvironment
        }
        if let account = world.projects[call.projectId]?.whatsappAccount[key],
            let own = account.doc["businessManager"]?.stringValue, own != manager
        {
            throw invalidBusinessManager
        }
    }

    static func failIfSwitchedOn(_ operation: String, _ call: Call, _ world: World) throws {
        if let code = world.projects[call.projectId]?.whatsappFailures[operation] { throw failure(code) }
    }

    // MARK: §3.1 get, §3.2 create, §3.4 update, §3.3 delete

    static func get(_ call: Call, _ world: inout World) throws -> Reply {
        .ok(.object(try lookup(call, world).doc))
    }

    /// The sender details of a create (`required`) or update body.
    static func validateSenderDetails(_ details: [String: JSON], required: Bool, _ validation: inout Validation) {
        let path = "senderDetails"
        validation.string(details, "displayName", path: path + ".displayName", required: required, length: 1...255)
        validation.oneOf(
            details, "businessCategory", path: path + ".businessCategory", required: required, allowed: verticals)
        validation.oneOf(details, "region", path: path + ".region", allowed: WhatsAppSenders.regions)
        validation.oneOf(
            details, "metaLocalStorage", path: path + ".metaLocalStorage", allowed: WhatsAppSenders.storages)
    }

    static func create(_ call: Call, _ world: inout World) throws -> Reply {
        let body = try call.jsonObject()
        var validation = Validation()
        let manager = validation.oneOf(body, "businessManager", allowed: businessManagers)
        var details: [String: JSON] = [:]
        let clientId = validation.string(body, "clientBusinessManagerId", required: true, length: 1...255)
        details["clientBusinessManagerId"] = clientId.map(JSON.string)
        var region: String?
        if body["wabaName"] != nil || body["senderDetails"] != nil {
            // WhatsappInputAccountPartnerInitiatedDto.
            details["wabaName"] = validation.string(body, "wabaName", required: true, length: 1...255).map(JSON.string)
            if let sender = validation.object(body, "senderDetails", required: true) {
                validateSenderDetails(sender, required: true, &validation)
                details["senderDetails"] = .object(
                    sender.filter {
                        ["displayName", "businessCategory", "region", "metaLocalStorage"].contains($0.key)
                    })
                region = sender["region"]?.stringValue
            }
        } else {
            // WhatsappInputAccountDtoDeprecated: the legal name is the WABA name too.
            let name = validation.string(body, "companyLegalName", required: true, length: 1...255)
            details["companyLegalName"] = name.map(JSON.string)
            details["wabaName"] = name.map(JSON.string)
        }
        try validation.check()
        if let manager, !EmulatorDefaults.whatsappEnvironmentBusinessManagers.contains(manager) {
            throw invalidBusinessManagerForEnvironment
        }
        if let existing = world.projects[call.projectId]?.whatsappAccount[key] {
            throw existing.hidden?["corrupt"] == true ? corrupt : exists
        }
        let regions: JSON = region.map { JSON.array([.string($0.lowercased())]) } ?? ["eu", "us"]
        var account = Resource(
            doc: [
                "isEmbeddedSignup": false, "businessManager": .string(manager ?? "SINCH_UK"),
                "wabaId": .string(randomString(length: 15, alphabet: "0123456789")),
                "changes": ["status": "IN_PROGRESS", "details": .object(details)],
                "wabaMaxPriceOnboarded": false,
                "compatibleRegions": regions,
            ], seq: world.nextSeq())
        account.addActivity("CREATED", at: call.now)
        account.submitOrDraft("SUBMIT", call)
        store(account, call, &world)
        return .created(.object(account.doc))
    }

    static func update(_ call: Call, _ world: inout World) throws -> Reply {
        let body = try call.jsonObject()
        var validation = Validation()
        for field in ["companyLegalName", "wabaName", "clientBusinessManagerId"] {
            validation.string(body, field, length: 1...255)
        }
        if let sender = validation.object(body, "senderDetails") {
            validateSenderDetails(sender, required: false, &validation)
        }
        try validation.check()
        let patch = body.filter { inputFields.contains($0.key) }
        if patch.isEmpty { throw APIError.noFieldsToUpdate }
        var account = try lookup(call, world)
        guard account.doc["state"]?.stringValue == "REJECTED" else { throw notUpdatable }
        account.stageChanges(patch, status: "SUBMIT", call)
        store(account, call, &world)
        return .ok(.object(account.doc))
    }

    static func delete(_ call: Call, _ world: inout World) throws -> Reply {
        guard let project = world.projects[call.projectId], project.whatsappAccount[key] != nil else {
            throw projectNotInitialized
        }
        let senders = project.whatsappSenders.values.filter { $0.deletedAt == nil }.sorted { $0.seq < $1.seq }
        let live = senders.filter { $0.doc["state"] != nil }.compactMap { $0.doc["id"]?.stringValue }
        if !live.isEmpty { throw hasSenders(call.projectId, live) }
        if !senders.isEmpty { throw hasSenderChanges(call.projectId) }
        try failIfSwitchedOn("delete", call, world)
        world.withProject(call.projectId) { $0.whatsappAccount[key] = nil }
        return .noContent
    }

    // MARK: §3.5 activities, §3.6 comments

    static func activities(_ call: Call, _ world: inout World) throws -> Reply {
        try Common.activities(try lookup(call, world, corruptIsError: false), call)
    }

    static func comment(_ call: Call, _ world: inout World) throws -> Reply {
        var account = try lookup(call, world)
        let reply = try Common.comment(&account, call)
        store(account, call, &world)
        return reply
    }

    // MARK: §2.1 template analytics

    static func enableTemplateAnalytics(_ call: Call, _ world: inout World) throws -> Reply {
        guard var account = world.projects[call.projectId]?.whatsappAccount[key] else { throw projectNotInitialized }
        guard account.doc["state"]?.stringValue == "ONBOARDED" else { throw insightsUnavailable }
        account.doc["wabaEnabledForInsights"] = true
        store(account, call, &world)
        return Reply(status: 200, body: nil)
    }

    // MARK: §2.2 long-lived token, §2.3 WABA details

    /// Any non-empty code or token is valid unless it begins with `invalid` (DESIGN, "The WhatsApp account").
    static func isValidFacebookCredential(_ value: String) -> Bool {
        !value.isEmpty && !value.hasPrefix("invalid")
    }

    static func longLivedAccessToken(_ call: Call, _ world: inout World) throws -> Reply {
        let body = try call.jsonObject()
        var validation = Validation()
        let token = validation.string(body, "facebookToken", length: 1...Int.max)
        let code = validation.string(body, "facebookCode", length: 1...Int.max)
        let manager = validation.oneOf(body, "businessManager", allowed: businessManagers)
        if body["facebookToken"] == nil && body["facebookCode"] == nil {
            validation.fail("at least one of facebookToken or facebookCode must be provided")
        }
        try validation.check()
        try checkBusinessManager(manager, call, world)
        try failIfSwitchedOn("longLivedAccessToken", call, world)
        if let code, !isValidFacebookCredential(code) { throw invalidFacebookCode }
        if let token, !isValidFacebookCredential(token) { throw invalidFacebookToken }
        // Minted, never stored: nothing can read it back (part C §0).
        return .created(["longLivedAccessToken": .string("EAA" + randomString(length: 180, alphabet: alphanumerics))])
    }

    static func wabaDetails(_ call: Call, _ world: inout World) throws -> Reply {
        let body = try call.jsonObject()
        var validation = Validation()
        let token = validation.string(body, "facebookToken", required: true)
        let manager = validation.oneOf(body, "businessManager", allowed: businessManagers)
        try validation.check()
        try checkBusinessManager(manager, call, world)
        try failIfSwitchedOn("wabaDetails", call, world)
        guard let token, isValidFacebookCredential(token) else { throw invalidFacebookToken }
        let project = world.projects[call.projectId] ?? ProjectState()
        // A number is provisioned when seeded so, or once a sender that is not gone uses it.
        let used = Set(
            project.whatsappSenders.values.filter { !WhatsAppSenders.isGone($0, call.now) }
                .compactMap { $0.hidden?["phoneNumberId"]?.stringValue })
        let wabas = project.whatsappWabas.map { waba -> JSON in
            let numbers = (waba["numbers"]?.arrayValue ?? []).map { number -> JSON in
                guard case .object(var fields) = number else { return number }
                if let id = fields["id"]?.stringValue, used.contains(id) { fields["provisioned"] = true }
                return .object(fields)
            }
            return ["id": waba["id"] ?? .null, "numbers": .array(numbers)]
        }
        return .ok(["wabas": .array(wabas)])
    }

    // MARK: Review

    /// A submitted account (new or edited) is onboarded, rejected, or (forced with `requireVerification`) waits for
    /// Facebook verification.
    static func completeReview(_ account: inout Resource, _ outcome: ReviewOutcome, at time: Double) {
        guard case .object(let changes)? = account.doc["changes"] else { return }
        account.doc["changes"] = nil
        if !outcome.approve {
            // A rejected new account shows what was submitted; a rejected edit leaves the details as they were.
            if account.doc["details"] == nil { account.doc["details"] = changes["details"] }
            account.doc["state"] = "REJECTED"
            account.addActivity("REJECTED", at: time, comment: outcome.reason)
            return
        }
        account.doc["details"] = changes["details"]
        if outcome.requireVerification {
            account.doc["state"] = "PENDING_FACEBOOK_VERIFICATION"
            account.addActivity("PENDING_FACEBOOK_VERIFICATION", at: time)
        } else {
            account.doc["state"] = "ONBOARDED"
        }
        if account.doc["wabaEnabledForInsights"] == nil { account.doc["wabaEnabledForInsights"] = false }
        if account.doc["wabaEnabledForDirectSend"] == nil { account.doc["wabaEnabledForDirectSend"] = false }
    }

    // MARK: Control API

    /// `PUT /_emulator/whatsapp/account`: `{projectId, state?, templateAnalytics?, corrupt?, failures?}`. `state` is
    /// `ONBOARDED`, `PENDING_FACEBOOK_VERIFICATION`, `REJECTED`, `IN_PROGRESS` (submitted, under review) or `NONE`
    /// (no account); `failures` maps `longLivedAccessToken`, `wabaDetails` or `delete` to a documented 500
    /// `errorCode` (null switches it off).
    static func control(
        _ body: [String: JSON], world: inout World, now: Double, reviewDelay: Double
    ) throws -> JSON {
        var validation = Validation()
        let projectId = validation.string(body, "projectId", required: true, length: 1...255) ?? ""
        let state = validation.oneOf(body, "state", allowed: states + ["IN_PROGRESS", "NONE"])
        let analytics = validation.bool(body, "templateAnalytics")
        let corruptFlag = validation.bool(body, "corrupt")
        var failures = world.projects[projectId]?.whatsappFailures ?? [:]
        for (operation, value) in validation.object(body, "failures") ?? [:] {
            guard let allowed = failureCodes[operation] else {
                validation.fail("failures.\(operation) is not an operation with documented failures")
                continue
            }
            if value.isNull {
                failures[operation] = nil
            } else if let code = validation.oneOf(
                ["code": value], "code", path: "failures.\(operation)", allowed: allowed)
            {
                failures[operation] = code
            }
        }
        let hasAccount = world.projects[projectId]?.whatsappAccount[key] != nil
        if (analytics != nil || corruptFlag != nil) && (state == "NONE" || (state == nil && !hasAccount)) {
            validation.fail("templateAnalytics and corrupt need an account: give a state other than NONE")
        }
        try validation.check()
        return world.withProject(projectId) { project -> JSON in
            project.whatsappFailures = failures
            switch state {
            case "NONE"?:
                project.whatsappAccount[key] = nil
            case let state?:
                var account = project.whatsappAccount[key] ?? onboardedCollection()[key] ?? Resource(doc: [:], seq: 0)
                let details = account.doc["details"] ?? account.doc["changes"]?["details"] ?? [:]
                account.reviewDue = nil
                if state == "IN_PROGRESS" {
                    account.doc["state"] = nil
                    account.doc["changes"] = ["status": "IN_PROGRESS", "details": details]
                    account.submitted = true
                    account.reviewDue = now + reviewDelay
                } else {
                    account.doc["state"] = .string(state)
                    account.doc["details"] = details
                    account.doc["changes"] = nil
                }
                project.whatsappAccount[key] = account
            case nil:
                break
            }
            if var account = project.whatsappAccount[key], analytics != nil || corruptFlag != nil {
                if let analytics { account.doc["wabaEnabledForInsights"] = .bool(analytics) }
                if let corruptFlag {
                    account.hidden = (account.hidden ?? [:]).merging(["corrupt": .bool(corruptFlag)]) { $1 }
                }
                project.whatsappAccount[key] = account
            }
            return [
                "account": project.whatsappAccount[key].map { .object($0.doc) } ?? .null,
                "failures": .object(project.whatsappFailures.mapValues { .string($0) }),
            ]
        }
    }

    /// `PUT /_emulator/whatsapp/wabas`: `{projectId, wabas: [{id, numbers: [{id, displayPhoneNumber,
    /// provisioned?}]}]}` replaces what `wabaDetails` reports.
    static func seedWabas(_ body: [String: JSON], world: inout World) throws -> JSON {
        var validation = Validation()
        let projectId = validation.string(body, "projectId", required: true, length: 1...255) ?? ""
        let value = validation.array(body, "wabas", required: true)
        try validation.check()
        let seeded = try wabas(from: .array(value ?? []), path: "wabas")
        world.withProject(projectId) { $0.whatsappWabas = seeded }
        return ["wabas": .array(seeded)]
    }
}
