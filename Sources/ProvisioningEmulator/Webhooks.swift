/// Webhooks (part A §2): W1–W6.
enum Webhooks {
    static let base = "v1/projects/{projectId}/webhooks"
    static let limit = 15

    static let triggers = [
        "ALL", "BUNDLE_DONE",
        "KAKAOTALK_SENDER_ACTIVE", "KAKAOTALK_SENDER_COMMENT_ADDED", "KAKAOTALK_SENDER_INACTIVE",
        "KAKAOTALK_SENDER_REJECTED", "KAKAOTALK_TEMPLATE_APPROVED", "KAKAOTALK_TEMPLATE_COMMENT_ADDED",
        "KAKAOTALK_TEMPLATE_REJECTED",
        "RCS_BRAND_REGISTRATION_PROCESS_STATUS_UPDATED", "RCS_SENDER_COMMENT_ADDED",
        "RCS_SENDER_OPERATOR_STATUS_UPDATED", "RCS_SENDER_STATUS_UPDATED", "RCS_ACCOUNT_COMMENT_ADDED",
        "WHATSAPP_ACCOUNT_COMMENT_ADDED", "WHATSAPP_ACCOUNT_DAILY_LIMIT_CHANGED", "WHATSAPP_ACCOUNT_ONBOARDED",
        "WHATSAPP_ACCOUNT_PENDING_VERIFICATION", "WHATSAPP_ACCOUNT_REJECTED", "WHATSAPP_WABA_ACCOUNT_CHANGED",
        "WHATSAPP_SENDER_ACTIVE", "WHATSAPP_SENDER_COMMENT_ADDED", "WHATSAPP_SENDER_DAILY_LIMIT_CHANGED",
        "WHATSAPP_SENDER_DELETED", "WHATSAPP_SENDER_DISPLAY_NAME_UPDATED", "WHATSAPP_SENDER_ERROR",
        "WHATSAPP_SENDER_INACTIVE", "WHATSAPP_SENDER_PENDING_VERIFICATION",
        "WHATSAPP_SENDER_QUALITY_RATING_CHANGED", "WHATSAPP_SENDER_REJECTED", "WHATSAPP_SENDER_USERNAME_UPDATED",
        "WHATSAPP_TEMPLATE_APPROVED", "WHATSAPP_TEMPLATE_CATEGORY_FUTURE_UPDATE",
        "WHATSAPP_TEMPLATE_CATEGORY_UPDATED", "WHATSAPP_TEMPLATE_COMMENT_ADDED", "WHATSAPP_TEMPLATE_DELETED",
        "WHATSAPP_TEMPLATE_QUALITY_SCORE_UPDATED", "WHATSAPP_TEMPLATE_REJECTED", "WHATSAPP_TEMPLATE_STATUS_UPDATED",
    ]

    static let notFound = APIError.notFound("webhook_not_found", "Webhook not found.")
    static let exists = APIError.conflict(
        "webhook_exists", "Webhook with the provided target already exists.",
        "Webhooks must have a unique target. Change the target and submit again.")
    static let limitReached = APIError(
        424, "webhook_limit_reached", "Number of webhooks has reached the limit.",
        "Delete some webhooks to be able to add more.")

    static let routes: [Route] = [
        Route("GET", base, list),
        Route("POST", base, create),
        Route("GET", base + "/{webhookId}", get),
        Route("PUT", base + "/{webhookId}", replace),
        Route("PATCH", base + "/{webhookId}", update),
        Route("DELETE", base + "/{webhookId}", delete),
    ]

    static func view(_ resource: Resource) -> JSON { .object(resource.doc) }

    static func list(_ call: Call, _ world: inout World) throws -> Reply {
        let page = try PageRequest(call, range: 1...limit, defaultSize: limit)
        var project = world.projects[call.projectId, default: ProjectState()]
        let keys = project.webhooks.orderedKeys(cacheKey: "target") {
            ($0.doc["target"]?.stringValue ?? "", $0.seq) < ($1.doc["target"]?.stringValue ?? "", $1.seq)
        }
        world.projects[call.projectId] = project
        return .ok(page.envelope(keys.compactMap { project.webhooks[$0] }, key: "webhooks", render: view))
    }

    /// Validates a create/replace (all required) or patch (none required) body.
    static func validate(_ body: [String: JSON], partial: Bool) throws -> (String?, String?, [String]?) {
        var validation = Validation()
        let target = validation.url(body, "target", required: !partial, maxLength: 742)
        let secret = validation.string(body, "secret", required: !partial, length: 1...128)
        var triggers: [String]?
        if let items = validation.array(body, "triggers", required: !partial, count: 1...Int.max, unique: true) {
            validation.enumArray(items, path: "triggers", allowed: Webhooks.triggers)
            triggers = items.compactMap(\.stringValue)
        }
        try validation.check()
        return (target, secret, triggers)
    }

    static func create(_ call: Call, _ world: inout World) throws -> Reply {
        let (target, secret, triggers) = try validate(try call.jsonObject(), partial: false)
        var project = world.projects[call.projectId, default: ProjectState()]
        if project.webhooks.values.contains(where: { $0.doc["target"]?.stringValue == target }) { throw exists }
        if project.webhooks.count >= limit { throw limitReached }
        let id = newUUID()
        var resource = Resource(
            doc: [
                "id": .string(id), "projectId": .string(call.projectId), "target": .string(target ?? ""),
                "triggers": .array((triggers ?? []).map { .string($0) }),
            ], seq: world.nextSeq())
        resource.secret = secret
        project.webhooks[id] = resource
        world.projects[call.projectId] = project
        return .created(view(resource))
    }

    static func lookup(_ call: Call, _ world: World) throws -> Resource {
        let id = call.param("webhookId")
        if EmulatorDefaults.webhookIdsAreUUIDs, !isUUID(id) { throw APIError.invalidId("webhookId") }
        guard let resource = world.projects[call.projectId]?.webhooks[id] else { throw notFound }
        return resource
    }

    static func get(_ call: Call, _ world: inout World) throws -> Reply {
        .ok(view(try lookup(call, world)))
    }

    static func replace(_ call: Call, _ world: inout World) throws -> Reply {
        let id = call.param("webhookId")
        if EmulatorDefaults.webhookIdsAreUUIDs, !isUUID(id) { throw APIError.invalidId("webhookId") }
        let body = try call.jsonObject()
        var resource = try lookup(call, world)
        let (target, secret, triggers) = try validate(body, partial: false)
        return try store(&resource, target: target, secret: secret, triggers: triggers, call, &world)
    }

    static func update(_ call: Call, _ world: inout World) throws -> Reply {
        let id = call.param("webhookId")
        if EmulatorDefaults.webhookIdsAreUUIDs, !isUUID(id) { throw APIError.invalidId("webhookId") }
        let body = try call.jsonObject()
        var resource = try lookup(call, world)
        let (target, secret, triggers) = try validate(body, partial: true)
        return try store(&resource, target: target, secret: secret, triggers: triggers, call, &world)
    }

    private static func store(
        _ resource: inout Resource, target: String?, secret: String?, triggers: [String]?, _ call: Call,
        _ world: inout World
    ) throws -> Reply {
        var project = world.projects[call.projectId, default: ProjectState()]
        let id = call.param("webhookId")
        if let target {
            let taken = project.webhooks.values.contains {
                $0.doc["target"]?.stringValue == target && $0.doc["id"]?.stringValue != id
            }
            if taken { throw exists }
            resource.doc["target"] = .string(target)
        }
        if let secret { resource.secret = secret }
        if let triggers { resource.doc["triggers"] = .array(triggers.map { .string($0) }) }
        project.webhooks[id] = resource
        project.webhooks.invalidateOrder()
        world.projects[call.projectId] = project
        return .ok(view(resource))
    }

    static func delete(_ call: Call, _ world: inout World) throws -> Reply {
        _ = try lookup(call, world)
        world.projects[call.projectId]?.webhooks[call.param("webhookId")] = nil
        return .noContent
    }
}
