/// How a review ends.
struct ReviewOutcome: Sendable {
    var approve: Bool
    var rejectionCode: String?
    var reason: String?
    /// WhatsApp senders: stop a new sender at `PENDING_VERIFICATION` (register + verify needed) instead of `ACTIVE`.
    var requireVerification = false

    static let approved = ReviewOutcome(approve: true)
}

/// The kinds of resource that go through review, with where they live and how their review completes.
enum ReviewKind: String, CaseIterable, Sendable {
    case whatsappTemplate
    case whatsappSender
    case kakaotalkSender
    case kakaotalkTemplate
    case rcsSender
    case whatsappAccount

    var keyPath: WritableKeyPath<ProjectState, ResourceCollection> {
        switch self {
        case .whatsappTemplate: \.whatsappTemplates
        case .whatsappSender: \.whatsappSenders
        case .kakaotalkSender: \.kakaotalkSenders
        case .kakaotalkTemplate: \.kakaotalkTemplates
        case .rcsSender: \.rcsSenders
        case .whatsappAccount: \.whatsappAccount
        }
    }

    func complete(_ resource: inout Resource, _ outcome: ReviewOutcome, at time: Double) {
        resource.reviewDue = nil
        switch self {
        case .whatsappTemplate: WhatsAppTemplates.completeReview(&resource, outcome, at: time)
        case .whatsappSender: WhatsAppSenders.completeReview(&resource, outcome, at: time)
        case .kakaotalkSender: KakaoTalk.completeSenderReview(&resource, outcome, at: time)
        case .kakaotalkTemplate: KakaoTalk.completeTemplateReview(&resource, outcome, at: time)
        case .rcsSender: RcsSenders.completeLaunch(&resource, outcome, at: time)
        case .whatsappAccount: WhatsAppAccount.completeReview(&resource, outcome, at: time)
        }
    }

    /// The collection key named by a control-API body, or nil when the body lacks it.
    func key(from body: [String: JSON]) -> String? {
        switch self {
        case .whatsappTemplate:
            guard let name = body["name"]?.stringValue, let language = body["language"]?.stringValue else { return nil }
            return WhatsAppTemplates.key(name, language)
        case .whatsappSender, .rcsSender:
            return body["id"]?.stringValue
        case .whatsappAccount:
            return WhatsAppAccount.key
        case .kakaotalkSender:
            return body["plusFriendId"]?.stringValue
        case .kakaotalkTemplate:
            guard let sender = body["plusFriendId"]?.stringValue, let code = body["code"]?.stringValue else {
                return nil
            }
            return KakaoTalk.templateKey(sender, code)
        }
    }
}

extension ProjectState {
    /// Completes (as approvals) every review whose delay has passed: reviews are evaluated lazily, no timers.
    mutating func settleReviews(now: Double) {
        for kind in ReviewKind.allCases {
            for key in self[keyPath: kind.keyPath].dueKeys(now: now) {
                guard var resource = self[keyPath: kind.keyPath][key], let due = resource.reviewDue else { continue }
                kind.complete(&resource, .approved, at: due)
                self[keyPath: kind.keyPath][key] = resource
            }
        }
    }
}

/// `POST /_emulator/review`.
enum Reviews {
    static func force(_ body: [String: JSON], world: inout World, now: Double) throws -> Int {
        var validation = Validation()
        let projectId = validation.string(body, "projectId", required: true) ?? ""
        let kindName = validation.oneOf(body, "kind", allowed: ReviewKind.allCases.map(\.rawValue))
        let outcomeName = validation.oneOf(body, "outcome", required: true, allowed: ["approve", "reject"])
        let rejectionCode = validation.string(body, "rejectionCode")
        let reason = validation.string(body, "reason")
        let all = validation.bool(body, "all") ?? false
        let requireVerification = validation.bool(body, "requireVerification") ?? false
        try validation.check()
        let kinds = kindName.flatMap(ReviewKind.init(rawValue:)).map { [$0] } ?? (all ? ReviewKind.allCases : [])
        if kinds.isEmpty { throw APIError.invalidInput(["kind should not be null or undefined"]) }
        let outcome = ReviewOutcome(
            approve: outcomeName == "approve", rejectionCode: rejectionCode, reason: reason,
            requireVerification: requireVerification)
        var project = world.projects[projectId, default: ProjectState()]
        project.settleReviews(now: now)
        var completed = 0
        for kind in kinds {
            let keys: [String]
            if all {
                keys = project[keyPath: kind.keyPath].dueKeys(now: .infinity)
            } else {
                guard let key = kind.key(from: body) else {
                    throw APIError.invalidInput(["the resource key of a \(kind.rawValue) is missing"])
                }
                keys = project[keyPath: kind.keyPath][key]?.reviewDue == nil ? [] : [key]
            }
            for key in keys {
                guard var resource = project[keyPath: kind.keyPath][key] else { continue }
                kind.complete(&resource, outcome, at: now)
                project[keyPath: kind.keyPath][key] = resource
                completed += 1
            }
        }
        world.projects[projectId] = project
        if completed == 0 {
            throw APIError.notFound("review_not_found", "No pending review matches.")
        }
        return completed
    }
}

extension Resource {
    /// A review rejected the pending `changes`: they stay, marked REJECTED, with the reason as an activity comment.
    mutating func rejectChanges(_ changes: [String: JSON], reason: String?, at time: Double) {
        var changes = changes
        changes["status"] = "REJECTED"
        doc["changes"] = .object(changes)
        addActivity("REJECTED", at: time, comment: reason)
    }

    mutating func addActivity(_ type: String, at time: Double, comment: String? = nil) {
        var activity: [String: JSON] = [
            "type": .string(type), "created": .string(isoTimestamp(time)),
            "author": .string(EmulatorDefaults.activityAuthor),
        ]
        if let comment { activity["comment"] = .string(comment) }
        activities.append(.object(activity))
    }

    mutating func touch(_ time: Double) {
        if doc["modified"] != nil || doc["created"] != nil { doc["modified"] = .string(isoTimestamp(time)) }
    }

    /// Puts the resource under review; it completes after `reviewDelay` of emulator time unless forced sooner.
    mutating func startReview(_ call: Call) {
        submitted = true
        reviewDue = call.now + call.configuration.reviewDelay.seconds
    }

    /// A request's `status`: SUBMIT starts the review, DRAFT only records the draft.
    mutating func submitOrDraft(_ status: String, _ call: Call) {
        if status == "SUBMIT" {
            startReview(call)
            addActivity("IN_PROGRESS", at: call.now)
        } else {
            addActivity("DRAFT", at: call.now)
        }
    }

    /// A PATCH laid over the pending (or else the live) details, kept as pending changes with the request's status.
    mutating func stageChanges(_ patch: [String: JSON], status: String, _ call: Call) {
        let base = doc["changes"]?["details"]?.objectValue ?? doc["details"]?.objectValue ?? [:]
        doc["changes"] = [
            "status": .string(status == "SUBMIT" ? "IN_PROGRESS" : "DRAFT"),
            "details": .object(mergePatch(base, patch)),
        ]
        touch(call.now)
        addActivity("EDITED", at: call.now)
        submitOrDraft(status, call)
    }
}

/// Shared list/activities/comments helpers.
enum Common {
    static func activities(_ resource: Resource, _ call: Call) throws -> Reply {
        let page = try PageRequest(call, range: 1...100, defaultSize: 50)
        return .ok(page.envelope(Array(resource.activities.reversed()), key: "notifications") { $0 })
    }

    static func comment(_ resource: inout Resource, _ call: Call) throws -> Reply {
        let body = try call.jsonObject()
        var validation = Validation()
        let text = validation.string(body, "comment", required: true, length: 1...65535) ?? ""
        try validation.check()
        resource.addActivity("COMMENT_ADDED", at: call.now, comment: text)
        return .created(["type": "CREATED", "comment": .string(text), "created": .string(isoTimestamp(call.now))])
    }

    /// Parses a `filter*` query array against the allowed values, or throws the documented filter error.
    static func filter(
        _ call: Call, _ name: String, allowed: [String], code: String, message: String
    ) throws -> Set<String>? {
        let values = call.queryArray(name)
        if values.isEmpty { return nil }
        if values.contains(where: { !allowed.contains($0) }) {
            throw APIError.invalidFilter(code, message, name: name, supported: allowed)
        }
        return Set(values)
    }
}
