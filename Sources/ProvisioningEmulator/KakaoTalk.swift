/// KakaoTalk senders (part B §2, KS1–KS10) and templates (part B §3, KT1–KT8) with categories (§4).
enum KakaoTalk {
    static let senders = "v1/projects/{projectId}/kakaotalk/senders"
    static let sender = senders + "/{plusFriendId}"
    static let templates = sender + "/templates"
    static let template = templates + "/{templateCode}"
    static let senderStates = ["ACTIVE", "BLOCKED", "INACTIVE", "SUSPENDED", "VERIFYING"]
    static let statuses = ["DRAFT", "IN_PROGRESS", "REJECTED"]
    static let graceSeconds = EmulatorDefaults.kakaotalkSenderRemovalGraceDays * 86_400

    static func templateKey(_ sender: String, _ code: String) -> String { sender + "/" + code }

    static let senderNotFound = APIError.notFound("sender_not_found", "Sender not found.")
    static let templateNotFound = APIError.notFound("template_not_found", "Template not found.")

    static let routes: [Route] = [
        Route("GET", senders, listSenders),
        Route("POST", senders, createSender),
        Route("GET", sender, getSender),
        Route("PATCH", sender, updateSender),
        Route("DELETE", sender, deleteSender),
        Route("GET", sender + "/activities", { call, world in try Common.activities(try lookup(call, world).1, call) }),
        Route("DELETE", sender + "/changes", deleteSenderChanges),
        Route("POST", sender + "/comments", senderComment),
        Route("POST", sender + "/register", register),
        Route("POST", sender + "/verify", verify),
        Route("GET", templates, listTemplates),
        Route("POST", templates, createTemplate),
        Route("GET", template, { call, world in .ok(.object(try lookupTemplate(call, world).1.doc)) }),
        Route("PATCH", template, updateTemplate),
        Route("DELETE", template, deleteTemplate),
        Route(
            "GET", template + "/activities",
            {
                call, world in try Common.activities(try lookupTemplate(call, world).1, call)
            }),
        Route("DELETE", template + "/changes", deleteTemplateDraft),
        Route("POST", template + "/comments", templateComment),
        Route(
            "GET", "v1/projects/{projectId}/kakaotalk/categories/senders",
            { _, _ in
                .ok(["categories": KakaoTalkCategories.senderTree])
            }),
        Route(
            "GET", "v1/projects/{projectId}/kakaotalk/categories/senders/{plusFriendId}/templates",
            {
                call, world in
                _ = try lookup(call, world)
                let page = try PageRequest(call, range: 1...100, defaultSize: 50)
                return .ok(page.envelope(KakaoTalkCategories.templateGroups, key: "categories") { $0 })
            }),
    ]

    // MARK: Senders

    static func isGone(_ resource: Resource, _ now: Double) -> Bool {
        guard let deletedAt = resource.deletedAt else { return false }
        return now - deletedAt >= graceSeconds
    }

    static func lookup(_ call: Call, _ world: World) throws -> (String, Resource) {
        let key = call.param("plusFriendId")
        guard let resource = world.projects[call.projectId]?.kakaotalkSenders[key], !isGone(resource, call.now) else {
            throw senderNotFound
        }
        return (key, resource)
    }

    static func listSenders(_ call: Call, _ world: inout World) throws -> Reply {
        let page = try PageRequest(call, range: 1...100, defaultSize: 50)
        let states = try Common.filter(
            call, "filterStates", allowed: senderStates, code: "invalid_filter_states", message: "Invalid filterStates."
        )
        let statuses = try Common.filter(
            call, "filterStatuses", allowed: statuses, code: "invalid_filter_statuses",
            message: "Invalid filter statuses.")
        // Creation order is cached (re-sorting every request would hold the world lock for milliseconds).
        let keys = world.withProject(call.projectId) { project in
            project.kakaotalkSenders.orderedKeys(cacheKey: "seq") { $0.seq < $1.seq }
        }
        let collection = world.projects[call.projectId]?.kakaotalkSenders ?? ResourceCollection()
        // Unfiltered, with nothing removed, every key matches: only the page is looked up and rendered.
        let matching =
            states == nil && statuses == nil && collection.removedCount == 0
            ? keys
            : keys.filter { key in
                guard let resource = collection[key] else { return false }
                return !isGone(resource, call.now)
                    && (states?.contains(resource.doc["state"]?.stringValue ?? "") ?? true)
                    && (statuses?.contains(resource.doc["changes"]?["status"]?.stringValue ?? "") ?? true)
            }
        return .ok(page.envelope(matching, key: "senders") { collection[$0].map { .object($0.doc) } ?? .null })
    }

    static func validateSenderDetails(_ details: [String: JSON], partial: Bool, _ validation: inout Validation) {
        validation.string(details, "adminPhoneNo", path: "details.adminPhoneNo", required: !partial, length: 1...15)
        validation.string(details, "name", path: "details.name", required: !partial, length: 1...512)
        validation.url(details, "logoImage", path: "details.logoImage", nullable: partial)
        for (key, digits) in [("topLevelCategoryCode", 3), ("midLevelCategoryCode", 4), ("subLevelCategoryCode", 4)] {
            if let code = validation.string(details, key, path: "details.\(key)", required: !partial),
                !matches(code, "^[0-9]{\(digits)}$")
            {
                validation.fail("details.\(key) must be exactly \(digits) digits")
            }
        }
    }

    static func createSender(_ call: Call, _ world: inout World) throws -> Reply {
        let body = try call.jsonObject()
        var validation = Validation()
        let plusFriendId = validation.string(body, "plusFriendId", required: true, length: 1...30) ?? ""
        let status = validation.oneOf(body, "status", allowed: ["DRAFT", "SUBMIT"]) ?? "SUBMIT"
        validation.bool(body, "saveDraftOnFailure")
        let draft = status == "DRAFT" && EmulatorDefaults.kakaoRelaxRequiredForDraft
        let details = validation.object(body, "details", required: !draft) ?? [:]
        validateSenderDetails(details, partial: draft, &validation)
        try validation.check()
        if let existing = world.projects[call.projectId]?.kakaotalkSenders[plusFriendId], !isGone(existing, call.now) {
            throw APIError.conflict(
                "plus_friend_id_used", "plusFriendId is already used.",
                "plusFriendId is already used by another sender.")
        }
        var resource = Resource(
            doc: [
                "id": .string(newUUID()), "plusFriendId": .string(plusFriendId),
                "changes": [
                    "status": .string(status == "SUBMIT" ? "IN_PROGRESS" : "DRAFT"), "details": .object(details),
                ],
                "created": .string(isoTimestamp(call.now)), "modified": .string(isoTimestamp(call.now)),
            ], seq: world.nextSeq())
        resource.addActivity("CREATED", at: call.now)
        resource.submitOrDraft(status, call)
        world.projects[call.projectId, default: ProjectState()].kakaotalkSenders[plusFriendId] = resource
        return .created(.object(resource.doc))
    }

    static func getSender(_ call: Call, _ world: inout World) throws -> Reply {
        .ok(.object(try lookup(call, world).1.doc))
    }

    static func updateSender(_ call: Call, _ world: inout World) throws -> Reply {
        var (key, resource) = try lookup(call, world)
        let body = try call.jsonObjectAllowingEmpty()
        var validation = Validation()
        let status = validation.oneOf(body, "status", allowed: ["DRAFT", "SUBMIT"]) ?? "DRAFT"
        let patch = validation.object(body, "details") ?? [:]
        validateSenderDetails(patch, partial: true, &validation)
        try validation.check()
        if patch.isEmpty { throw APIError.noFieldsToUpdate }
        let changes = resource.doc["changes"]?.objectValue
        if let pending = changes?["status"]?.stringValue {
            if pending != "DRAFT" && pending != "REJECTED" {
                throw APIError.conflict(
                    "sender_changes_not_updatable", "Sender is not updatable.",
                    "Updates are only supported by changes with status: DRAFT.")
            }
        } else if resource.doc["state"]?.stringValue != "ACTIVE" {
            throw APIError.conflict(
                "sender_not_updatable", "Sender is not updatable.",
                "Updates are only supported by senders with state: ACTIVE.")
        }
        resource.stageChanges(patch, status: status, call)
        world.projects[call.projectId]?.kakaotalkSenders[key] = resource
        return .ok(.object(resource.doc))
    }

    static func deleteSender(_ call: Call, _ world: inout World) throws -> Reply {
        var (key, resource) = try lookup(call, world)
        if resource.deletedAt != nil {
            throw APIError.conflict(
                "sender_already_deleted", "The sender has been deleted within the last 60 days.",
                "Wait the required time.")
        }
        resource.deletedAt = call.now
        world.projects[call.projectId]?.kakaotalkSenders[key] = resource
        return .noContent
    }

    static func deleteSenderChanges(_ call: Call, _ world: inout World) throws -> Reply {
        var (key, resource) = try lookup(call, world)
        guard let status = resource.doc["changes"]?["status"]?.stringValue else {
            throw APIError.notFound("sender_changes_not_found", "Sender changes not found.")
        }
        guard status == "DRAFT" || status == "REJECTED" else {
            throw APIError.conflict(
                "sender_changes_not_deletable", "Sender changes is not deletable.",
                "Only DRAFT or REJECTED changes can be deleted.")
        }
        resource.doc["changes"] = nil
        world.projects[call.projectId]?.kakaotalkSenders[key] = resource
        return .noContent
    }

    static func senderComment(_ call: Call, _ world: inout World) throws -> Reply {
        var (key, resource) = try lookup(call, world)
        let reply = try Common.comment(&resource, call)
        world.projects[call.projectId]?.kakaotalkSenders[key] = resource
        return reply
    }

    static func register(_ call: Call, _ world: inout World) throws -> Reply {
        var (key, resource) = try lookup(call, world)
        let ready = resource.doc["changes"]?["status"]?.stringValue == "IN_PROGRESS" && resource.reviewDue == nil
        if resource.doc["state"]?.stringValue == "ACTIVE" || !(ready || resource.doc["state"] != nil) {
            throw APIError.conflict(
                "not_allowed_register", "Sender not allowed to be registered.",
                "A sender in state ACTIVE cannot be registered.")
        }
        resource.doc["state"] = "VERIFYING"
        resource.touch(call.now)
        world.projects[call.projectId]?.kakaotalkSenders[key] = resource
        return .ok(.object(resource.doc))
    }

    static func verify(_ call: Call, _ world: inout World) throws -> Reply {
        var (key, resource) = try lookup(call, world)
        let body = try call.jsonObject()
        var validation = Validation()
        let code = validation.number(body, "code", required: true)
        try validation.check()
        guard resource.doc["state"]?.stringValue == "VERIFYING" else {
            throw APIError.conflict(
                "not_allowed_verify", "Sender not allowed to be verified.", "Sender must be in state VERIFYING.")
        }
        guard let code, formatNumber(code) == EmulatorDefaults.otpCode else {
            throw APIError.invalidInput(["code is not valid"])
        }
        resource.doc["state"] = "ACTIVE"
        if let details = resource.doc["changes"]?["details"] { resource.doc["details"] = details }
        resource.doc["changes"] = nil
        resource.touch(call.now)
        resource.addActivity("ACTIVE", at: call.now)
        world.projects[call.projectId]?.kakaotalkSenders[key] = resource
        return .ok(.object(resource.doc))
    }

    static func completeSenderReview(_ resource: inout Resource, _ outcome: ReviewOutcome, at time: Double) {
        guard case .object(let changes)? = resource.doc["changes"] else { return }
        if !outcome.approve {
            resource.rejectChanges(changes, reason: outcome.reason, at: time)
        } else if resource.doc["state"] != nil {
            // An edit of a live sender: the change goes live.
            resource.doc["details"] = changes["details"]
            resource.doc["changes"] = nil
        }
        // A new sender stays IN_PROGRESS until register + verify (EmulatorDefaults.kakaoSenderKeepsChangesUntilVerify).
        resource.touch(time)
    }

    // MARK: Templates

    static func lookupTemplate(_ call: Call, _ world: World) throws -> (String, Resource) {
        _ = try lookup(call, world)
        let key = templateKey(call.param("plusFriendId"), call.param("templateCode"))
        guard let resource = world.projects[call.projectId]?.kakaotalkTemplates[key] else { throw templateNotFound }
        return (key, resource)
    }

    static func listTemplates(_ call: Call, _ world: inout World) throws -> Reply {
        _ = try lookup(call, world)
        let page = try PageRequest(call, range: 1...1000, defaultSize: 50)
        let states = try Common.filter(
            call, "filterStates", allowed: ["APPROVED", "REJECTED"], code: "invalid_filter_states",
            message: "Invalid filterStates.")
        let statuses = try Common.filter(
            call, "filterStatuses", allowed: statuses, code: "invalid_filter_statuses",
            message: "Invalid filter statuses.")
        let prefix = call.queryValue("templateName") ?? ""
        func name(_ resource: Resource) -> String {
            (resource.doc["details"] ?? resource.doc["changes"]?["details"])?["name"]?.stringValue ?? ""
        }
        let items =
            (world.projects[call.projectId]?.kakaotalkTemplates.members(of: call.param("plusFriendId")) ?? [])
            .map(\.resource).filter { resource in
                name(resource).hasPrefix(prefix)
                    && (states?.contains(resource.doc["state"]?.stringValue ?? "") ?? true)
                    && (statuses?.contains(resource.doc["changes"]?["status"]?.stringValue ?? "") ?? true)
            }.sorted { (name($0), $0.seq) < (name($1), $1.seq) }
        return .ok(page.envelope(items, key: "templates") { .object($0.doc) })
    }

    static func validateTemplateDetails(_ details: [String: JSON], partial: Bool, _ validation: inout Validation) {
        validation.string(details, "name", path: "details.name", required: !partial, length: 1...150)
        if !partial {
            validation.oneOf(
                details, "language", path: "details.language", required: true,
                allowed: WhatsAppTemplates.languages.filter { $0 != "ES_UY" })
        }
        validation.string(details, "content", path: "details.content", required: !partial, length: 1...1000)
        validation.oneOf(
            details, "messageType", path: "details.messageType",
            allowed: ["AD_INCLUDED", "BASIC", "EXTRA_INFORMATION", "MIXED"])
        validation.oneOf(
            details, "emphasizeType", path: "details.emphasizeType",
            allowed: ["EMPHASIZE_TYPE_IMAGE", "EMPHASIZE_TYPE_NONE", "EMPHASIZE_TYPE_TEXT"])
        validation.bool(details, "securityFlag", path: "details.securityFlag")
        for (key, limit) in [("extra", 500), ("title", 50), ("subtitle", 50), ("imageName", 250)] {
            validation.string(details, key, path: "details.\(key)", length: 1...limit, nullable: partial)
        }
        validation.url(details, "imageUrl", path: "details.imageUrl", nullable: partial)
        if let buttons = validation.array(details, "buttons", path: "details.buttons", count: 0...5, nullable: partial)
        {
            let types = buttons.compactMap { $0["type"]?.stringValue }
            if Set(types).count != types.count { validation.fail("details.buttons must have unique types") }
        }
    }

    static func categoryError(_ details: [String: JSON]) -> APIError? {
        guard let code = details["categoryCode"]?.stringValue else { return nil }
        if matches(code, EmulatorDefaults.kakaoTemplateCategoryPattern) { return nil }
        return APIError(
            400, "template_invalid_category_code", "Invalid template category code.",
            "Use a category supported for the project.")
    }

    static func createTemplate(_ call: Call, _ world: inout World) throws -> Reply {
        let (senderKey, _) = try lookup(call, world)
        let body = try call.jsonObject()
        var validation = Validation()
        let status = validation.oneOf(body, "status", allowed: ["DRAFT", "SUBMIT"]) ?? "SUBMIT"
        validation.bool(body, "saveDraftOnFailure")
        var details = validation.object(body, "details", required: true) ?? [:]
        validateTemplateDetails(details, partial: false, &validation)
        try validation.check()
        if let error = categoryError(details) { throw error }
        try checkNameUnique(details["name"]?.stringValue ?? "", sender: senderKey, except: nil, call, world)
        let defaults: [String: JSON] = [
            "messageType": "BASIC", "emphasizeType": "EMPHASIZE_TYPE_NONE", "categoryCode": "999999",
            "securityFlag": false, "buttons": [],
        ]
        for (key, value) in defaults where details[key] == nil { details[key] = value }
        let code = randomString(length: EmulatorDefaults.kakaoTemplateCodeLength, alphabet: alphanumerics)
        var resource = Resource(
            doc: [
                "id": .string(newUUID()), "code": .string(code),
                "changes": [
                    "status": .string(status == "SUBMIT" ? "IN_PROGRESS" : "DRAFT"), "details": .object(details),
                ],
                "created": .string(isoTimestamp(call.now)), "modified": .string(isoTimestamp(call.now)),
            ], seq: world.nextSeq())
        resource.addActivity("CREATED", at: call.now)
        resource.submitOrDraft(status, call)
        world.projects[call.projectId, default: ProjectState()].kakaotalkTemplates[templateKey(senderKey, code)] =
            resource
        return .created(.object(resource.doc))
    }

    static func checkNameUnique(_ name: String, sender: String, except: String?, _ call: Call, _ world: World) throws {
        let clash = world.projects[call.projectId]?.kakaotalkTemplates.members(of: sender).contains { key, resource in
            key != except
                && ((resource.doc["details"] ?? resource.doc["changes"]?["details"])?["name"]?.stringValue == name)
        }
        if clash == true {
            throw APIError.conflict("template_exists", "Template already exists.", "Templates must have unique name.")
        }
    }

    static func updateTemplate(_ call: Call, _ world: inout World) throws -> Reply {
        var (key, resource) = try lookupTemplate(call, world)
        let body = try call.jsonObjectAllowingEmpty()
        var validation = Validation()
        let status = validation.oneOf(body, "status", allowed: ["DRAFT", "SUBMIT"]) ?? "DRAFT"
        let patch = validation.object(body, "details") ?? [:]
        validateTemplateDetails(patch, partial: true, &validation)
        try validation.check()
        if let error = categoryError(patch) { throw error }
        let changes = resource.doc["changes"]?.objectValue
        if let pending = changes?["status"]?.stringValue {
            if pending != "DRAFT" && pending != "REJECTED" {
                throw APIError.conflict(
                    "template_changes_not_updatable", "Template is not updatable.",
                    "Updates are only supported by changes with status: DRAFT or REJECTED.")
            }
        } else if !["APPROVED", "REJECTED"].contains(resource.doc["state"]?.stringValue ?? "") {
            throw APIError.conflict(
                "template_not_updatable", "Template is not updatable.",
                "Updates are only supported by templates with state: APPROVED or REJECTED.")
        }
        if let name = patch["name"]?.stringValue {
            try checkNameUnique(name, sender: call.param("plusFriendId"), except: key, call, world)
        }
        resource.stageChanges(patch, status: status, call)
        world.projects[call.projectId]?.kakaotalkTemplates[key] = resource
        return .ok(.object(resource.doc))
    }

    static func deleteTemplate(_ call: Call, _ world: inout World) throws -> Reply {
        let (key, _) = try lookupTemplate(call, world)
        world.projects[call.projectId]?.kakaotalkTemplates[key] = nil
        return .noContent
    }

    static func deleteTemplateDraft(_ call: Call, _ world: inout World) throws -> Reply {
        let (key, resource) = try lookupTemplate(call, world)
        guard resource.doc["changes"]?["status"]?.stringValue == "DRAFT", resource.doc["state"] == nil,
            !resource.submitted
        else {
            throw APIError.conflict(
                "template_not_deletable", "Template is not deletable.", "Only templates not yet submitted to KakaoTalk."
            )
        }
        world.projects[call.projectId]?.kakaotalkTemplates[key] = nil
        return .noContent
    }

    static func templateComment(_ call: Call, _ world: inout World) throws -> Reply {
        var (key, resource) = try lookupTemplate(call, world)
        let reply = try Common.comment(&resource, call)
        world.projects[call.projectId]?.kakaotalkTemplates[key] = resource
        return reply
    }

    static func completeTemplateReview(_ resource: inout Resource, _ outcome: ReviewOutcome, at time: Double) {
        guard case .object(let changes)? = resource.doc["changes"] else { return }
        if outcome.approve {
            resource.doc["state"] = "APPROVED"
            resource.doc["details"] = changes["details"]
            resource.doc["changes"] = nil
        } else if resource.doc["state"] == nil {
            resource.doc["state"] = "REJECTED"
            resource.doc["details"] = changes["details"]
            resource.doc["changes"] = nil
            resource.addActivity("REJECTED", at: time, comment: outcome.reason)
        } else {
            resource.rejectChanges(changes, reason: outcome.reason, at: time)
        }
        resource.touch(time)
    }
}
