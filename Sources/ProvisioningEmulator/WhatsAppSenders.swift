/// WhatsApp senders (part A §4, S1–S11): create (four body variants), review, edits through `changes` and
/// `metadata`, register/verify, delete with a 30-day grace.
enum WhatsAppSenders {
    static let senders = "v1/projects/{projectId}/whatsapp/senders"
    static let sender = senders + "/{senderId}"
    static let states = ["ACTIVE", "IN_PROGRESS", "INACTIVE", "PENDING_VERIFICATION", "SUSPENDED", "ERROR"]
    static let filterableStatuses = ["DRAFT", "ERROR", "IN_PROGRESS", "REJECTED"]
    static let verticals = [
        "ALCOHOL", "AUTOMOTIVE", "BEAUTY_SPA_SALON", "CLOTHING_AND_APPAREL", "EDUCATION", "ENTERTAINMENT",
        "EVENT_PLANNING_AND_SERVICE", "FINANCE_AND_BANKING", "FOOD_AND_GROCERY", "HOTEL_AND_LODGING",
        "MEDICAL_AND_HEALTH", "NON_PROFIT", "ONLINE_GAMBLING", "OTC_DRUGS", "OTHER", "PHYSICAL_GAMBLING",
        "PROFESSIONAL_SERVICES", "PUBLIC_SERVICE", "RESTAURANT", "SHOPPING_AND_RETAIL", "TRAVEL_AND_TRANSPORTATION",
    ]
    static let regions = ["BR", "EU", "US"]
    static let storages = ["AE", "AU", "BH", "BR", "CA", "CH", "DE", "GB", "ID", "IN", "JP", "KR", "SG", "US", "ZA"]
    static let businessManagers = ["SINCH_BR", "SINCH_MX", "SINCH_UK"]
    static let profileFields = [
        "displayName", "description", "vertical", "email", "address", "websiteOne", "websiteTwo", "about", "photoUrl",
    ]
    static let graceSeconds = EmulatorDefaults.whatsappSenderRemovalGraceDays * 86_400

    static let senderNotFound = APIError.notFound("sender_not_found", "Sender not found.")

    static let routes: [Route] = [
        Route("GET", senders, list),
        Route("POST", senders, create),
        Route("GET", sender, { call, world in .ok(.object(try lookup(call, world).doc)) }),
        Route("PATCH", sender, update),
        Route("DELETE", sender, delete),
        Route("POST", sender + "/register", register),
        Route("POST", sender + "/verify", verify),
        Route("GET", sender + "/activities", { call, world in try Common.activities(try lookup(call, world), call) }),
        Route("POST", sender + "/comments", comment),
        Route("DELETE", sender + "/changes", deleteChanges),
        Route("GET", sender + "/suggestedUsernames", suggestedUsernames),
    ]

    // MARK: Lookup

    static func isGone(_ resource: Resource, _ now: Double) -> Bool {
        guard let deletedAt = resource.deletedAt else { return false }
        return now - deletedAt >= graceSeconds
    }

    static func lookup(_ call: Call, _ world: World) throws -> Resource {
        guard let resource = world.projects[call.projectId]?.whatsappSenders[call.param("senderId")],
            !isGone(resource, call.now)
        else { throw senderNotFound }
        return resource
    }

    static func store(_ resource: Resource, _ call: Call, _ world: inout World) {
        world.projects[call.projectId, default: ProjectState()].whatsappSenders[call.param("senderId")] = resource
    }

    // MARK: S1 list

    static func list(_ call: Call, _ world: inout World) throws -> Reply {
        let page = try PageRequest(call, range: 1...100, defaultSize: 50)
        let states = try Common.filter(
            call, "filterStates", allowed: states, code: "invalid_filter_states", message: "Invalid filterStates.")
        let statuses = try Common.filter(
            call, "filterStatuses", allowed: filterableStatuses, code: "invalid_filter_statuses",
            message: "Invalid filterStatuses.")
        return world.withProject(call.projectId) { project in
            let keys = project.whatsappSenders.orderedKeys(cacheKey: "created") { $0.seq < $1.seq }
            let now = call.now
            let matching: [String]
            if states == nil && statuses == nil && project.whatsappSenders.removedCount == 0 {
                matching = keys
            } else {
                matching = keys.filter { key in
                    guard let resource = project.whatsappSenders[key], !isGone(resource, now) else { return false }
                    return (states?.contains(resource.doc["state"]?.stringValue ?? "") ?? true)
                        && (statuses?.contains(resource.doc["changes"]?["status"]?.stringValue ?? "") ?? true)
                }
            }
            return .ok(
                page.envelope(matching, key: "senders") { key in
                    project.whatsappSenders[key].map { .object($0.doc) } ?? .null
                })
        }
    }

    // MARK: Validation

    /// Profile fields of create (`partial == false`: `displayName`/`vertical` per `requireProfile`) or PATCH.
    static func validateProfile(
        _ details: [String: JSON], partial: Bool, requireProfile: Bool, _ validation: inout Validation
    ) {
        let required = !partial && requireProfile
        validation.string(details, "displayName", path: "details.displayName", required: required, length: 1...128)
        validation.oneOf(details, "vertical", path: "details.vertical", required: required, allowed: verticals)
        if partial, details["vertical"] == .null { validation.fail("details.vertical should not be equal to null") }
        validation.string(details, "description", path: "details.description", length: 1...512, nullable: partial)
        if let email = validation.string(
            details, "email", path: "details.email", length: 1...128, nullable: partial), !isEmail(email)
        {
            validation.fail("details.email must be an email")
        }
        validation.string(details, "address", path: "details.address", length: 1...256, nullable: partial)
        validation.string(details, "about", path: "details.about", length: 1...139, nullable: partial)
        for key in ["websiteOne", "websiteTwo", "photoUrl"] {
            validation.url(details, key, path: "details.\(key)", maxLength: 256, nullable: partial)
        }
        if partial {
            validation.string(details, "username", path: "details.username", length: 1...65535, nullable: true)
        }
    }

    /// `countryCode` (digits, string or number) and `phoneNumber` (digits, ≤ 32).
    static func validatePhone(
        _ details: [String: JSON], required: (country: Bool, number: Bool), _ validation: inout Validation
    ) -> (String?, String?) {
        var country: String?
        switch details["countryCode"] {
        case .string(let text)? where matches(text, "^[0-9]{1,4}$"): country = text
        case .number(let number)? where number >= 1 && number < 10_000 && number.rounded() == number:
            country = formatNumber(number)
        case nil, .null?:
            if required.country { validation.fail("details.countryCode should not be null or undefined") }
        default: validation.fail("details.countryCode must be a numeric string")
        }
        let number = validation.string(
            details, "phoneNumber", path: "details.phoneNumber", required: required.number, length: 1...32)
        if let number, !matches(number, "^[0-9]+$") { validation.fail("details.phoneNumber must contain only digits") }
        return (country, number)
    }

    // MARK: S2 create

    enum Variant: String {
        case embeddedSignup, phoneProvisioning, partnerInitiated, deprecatedEmbeddedSignup
    }

    /// Tells the four `anyOf` bodies apart by their required fields (part A §4.3 S2, INFERRED).
    static func variant(_ body: [String: JSON]) -> Variant {
        if body["facebookAccessToken"] != nil || body["facebookCode"] != nil || body["name"] != nil {
            return .deprecatedEmbeddedSignup
        }
        if body["phoneNumberProvider"] != nil { return .partnerInitiated }
        if body["wabaId"] != nil || body["phoneNumberId"] != nil { return .embeddedSignup }
        return .phoneProvisioning
    }

    static func create(_ call: Call, _ world: inout World) throws -> Reply {
        let body = try call.jsonObject()
        let kind = variant(body)
        var validation = Validation()
        let region = validation.oneOf(body, "region", allowed: regions) ?? EmulatorDefaults.whatsappDefaultRegion
        let storage =
            validation.oneOf(body, "metaLocalStorage", allowed: storages)
            ?? EmulatorDefaults.whatsappDefaultStorage[region] ?? "DE"
        let manager =
            validation.oneOf(body, "businessManager", allowed: businessManagers)
            ?? EmulatorDefaults.whatsappDefaultBusinessManager[region] ?? "SINCH_UK"
        var status = "SUBMIT"
        var provider = "SINCH"
        var details: [String: JSON] = [:]
        var phone: (String?, String?) = (nil, nil)
        var phoneNumberId: String?
        switch kind {
        case .embeddedSignup:
            validation.string(body, "wabaId", required: true, length: 1...64)
            phoneNumberId = validation.string(body, "phoneNumberId", required: true, length: 1...64)
            validation.string(body, "authenticationCode", length: 1...4096)
            provider = "CUSTOMER"
            details = ["displayName": .string(EmulatorDefaults.whatsappEmbeddedDisplayName), "vertical": "OTHER"]
        case .deprecatedEmbeddedSignup:
            validation.string(body, "name", required: true, length: 1...128)
            validation.string(body, "wabaId", length: 1...64)
            phoneNumberId = validation.string(body, "phoneNumberId", length: 1...64)
            validation.string(body, "facebookAccessToken", length: 1...4096)
            validation.string(body, "facebookCode", length: 1...4096)
            details = validation.object(body, "details", required: true) ?? [:]
            validateProfile(details, partial: false, requireProfile: true, &validation)
            provider = "CUSTOMER"
        case .partnerInitiated:
            status = validation.oneOf(body, "status", allowed: ["DRAFT", "SUBMIT"]) ?? "SUBMIT"
            provider =
                validation.oneOf(body, "phoneNumberProvider", required: true, allowed: ["CUSTOMER", "SINCH"]) ?? "SINCH"
            validation.bool(body, "saveDraftOnFailure")
            details = validation.object(body, "details", required: true) ?? [:]
            validateProfile(details, partial: false, requireProfile: true, &validation)
            phone = validatePhone(details, required: (true, false), &validation)
        case .phoneProvisioning:
            details = validation.object(body, "details", required: true) ?? [:]
            validateProfile(details, partial: false, requireProfile: false, &validation)
            validation.string(details, "displayName", path: "details.displayName", required: true)
            phone = validatePhone(details, required: (true, true), &validation)
            if details["vertical"] == nil { details["vertical"] = "OTHER" }
        }
        try validation.check()
        if let phoneNumberId {
            let used = world.projects[call.projectId]?.whatsappSenders.values.contains {
                $0.hidden?["phoneNumberId"]?.stringValue == phoneNumberId && !isGone($0, call.now)
            }
            if used == true {
                throw APIError.conflict(
                    "used_phone_number_id", "Phone number ID is already used.",
                    "Use a phone number ID that is not connected to another sender.")
            }
        }
        let profile = details.filter { profileFields.contains($0.key) }
        let id = newUUID()
        let now = isoTimestamp(call.now)
        var doc: [String: JSON] = [
            "id": .string(id), "region": .string(region), "metaLocalStorage": .string(storage), "cloudApi": true,
            "businessManager": .string(manager), "compatibleRegions": [.string(region.lowercased())],
            "numberProvider": .string(provider), "created": .string(now), "modified": .string(now),
            "changes": ["status": .string(status == "SUBMIT" ? "IN_PROGRESS" : "DRAFT"), "details": .object(profile)],
            "metadata": [
                "displayName": ["value": profile["displayName"] ?? "", "status": "PENDING"]
            ],
        ]
        if let country = phone.0 { doc["countryCode"] = .string(country) }
        if let number = phone.1 { doc["phoneNumber"] = .string(number) }
        var resource = Resource(doc: doc, seq: world.nextSeq())
        resource.hidden = ["variant": .string(kind.rawValue)]
        if let phoneNumberId { resource.hidden?["phoneNumberId"] = .string(phoneNumberId) }
        resource.addActivity("CREATED", at: call.now)
        resource.submitOrDraft(status, call)
        world.withProject(call.projectId) { project in
            project.whatsappSenders[id] = resource
        }
        return .created(.object(resource.doc))
    }

    // MARK: S4 update

    static func update(_ call: Call, _ world: inout World) throws -> Reply {
        var resource = try lookup(call, world)
        let body = try call.jsonObjectAllowingEmpty()
        var validation = Validation()
        let status = validation.oneOf(body, "status", allowed: ["DRAFT", "SUBMIT"]) ?? "DRAFT"
        let patch = validation.object(body, "details") ?? [:]
        validateProfile(patch, partial: true, requireProfile: false, &validation)
        try validation.check()
        let known = patch.filter { profileFields.contains($0.key) || $0.key == "username" }
        if known.isEmpty { throw APIError.noFieldsToUpdate }
        var changes = resource.doc["changes"]?.objectValue
        let state = resource.doc["state"]?.stringValue
        if let pending = changes?["status"]?.stringValue {
            guard pending == "DRAFT" || pending == "REJECTED" else {
                throw APIError.conflict(
                    "sender_changes_not_updatable", "Sender changes are not updatable.",
                    "Updates are only supported by changes with status: DRAFT or REJECTED.")
            }
        } else if state != "ACTIVE" {
            throw APIError.conflict(
                "sender_not_updatable", "Sender is not updatable.",
                "Updates are only supported by senders with state: ACTIVE.")
        }
        var metadata = resource.doc["metadata"]?.objectValue ?? [:]
        var profilePatch = known.filter { $0.key != "username" }
        if state == "ACTIVE", let name = profilePatch.removeValue(forKey: "displayName") {
            // A live sender's new display name is reviewed by Meta on its own, tracked in metadata.displayName.
            if metadata["displayName"]?["status"]?.stringValue == "PENDING" {
                throw APIError.conflict(
                    "sender_display_name_update_not_allowed", "Display name update not allowed.",
                    "Wait until the display name under review is approved or rejected.")
            }
            metadata["displayName"] = ["value": name, "status": "PENDING"]
        }
        if let username = known["username"] {
            guard state == "ACTIVE" else {
                throw APIError.conflict(
                    "sender_username_update_not_available", "Username update not available.",
                    "Usernames can only be set on senders with state: ACTIVE.")
            }
            metadata["username"] = username == .null ? nil : ["value": username, "status": "PENDING"]
        }
        if !profilePatch.isEmpty || changes != nil {
            let base = changes?["details"]?.objectValue ?? resource.doc["details"]?.objectValue ?? [:]
            var merged = mergePatch(base, profilePatch)
            if state != "ACTIVE", let name = merged["displayName"] {
                metadata["displayName"] = ["value": name, "status": "PENDING"]
            }
            merged = merged.filter { profileFields.contains($0.key) }
            changes = ["status": .string(status == "SUBMIT" ? "IN_PROGRESS" : "DRAFT"), "details": .object(merged)]
            resource.doc["changes"] = changes.map(JSON.object)
        }
        resource.doc["metadata"] = .object(metadata)
        resource.touch(call.now)
        resource.addActivity("EDITED", at: call.now)
        let metadataPending = metadata.values.contains { $0["status"]?.stringValue == "PENDING" }
        if changes != nil {
            resource.submitOrDraft(status, call)
        } else if metadataPending {
            resource.reviewDue = call.now + call.configuration.reviewDelay.seconds
        }
        store(resource, call, &world)
        return .ok(.object(resource.doc))
    }

    // MARK: S5 delete, S10 deleteChanges

    static func delete(_ call: Call, _ world: inout World) throws -> Reply {
        var resource = try lookup(call, world)
        if resource.deletedAt != nil {
            throw APIError.conflict(
                "sender_already_deleted", "A sender has been deleted within 30 days.", "Wait the required time.")
        }
        // The sender keeps working (and reads unchanged) for the grace period, then it is gone.
        resource.deletedAt = call.now
        resource.reviewDue = nil
        store(resource, call, &world)
        return .noContent
    }

    static func deleteChanges(_ call: Call, _ world: inout World) throws -> Reply {
        var resource = try lookup(call, world)
        guard let status = resource.doc["changes"]?["status"]?.stringValue else {
            throw APIError.notFound("sender_changes_not_found", "Sender changes not found.")
        }
        guard ["DRAFT", "REJECTED", "ERROR"].contains(status) else {
            throw APIError.conflict(
                "sender_changes_not_deletable", "Sender changes are not deletable.",
                "Only DRAFT, REJECTED or ERROR changes can be deleted.")
        }
        if resource.doc["state"] == nil {
            // A sender that never went live is nothing but its changes: it goes with them.
            world.projects[call.projectId]?.whatsappSenders[call.param("senderId")] = nil
            return .noContent
        }
        resource.doc["changes"] = nil
        resource.touch(call.now)
        store(resource, call, &world)
        return .noContent
    }

    // MARK: S6 register, S7 verify

    static func register(_ call: Call, _ world: inout World) throws -> Reply {
        var resource = try lookup(call, world)
        let body = try call.jsonObject()
        var validation = Validation()
        let method = validation.oneOf(body, "method", required: true, allowed: ["SMS", "VOICE"]) ?? "SMS"
        try validation.check()
        guard resource.doc["state"]?.stringValue == "PENDING_VERIFICATION" else {
            throw APIError.conflict(
                "not_allowed_register", "Sender not allowed to be registered.",
                "Only \"PENDING_VERIFICATION\" sender can be registered.")
        }
        resource.hidden = (resource.hidden ?? [:]).merging(["registered": true]) { $1 }
        resource.addActivity("REGISTERED", at: call.now)
        store(resource, call, &world)
        return .ok([
            "id": resource.doc["id"] ?? .null, "method": .string(method), "accepted": .string(isoTimestamp(call.now)),
            "verificationCodeSent": true,
        ])
    }

    static func verify(_ call: Call, _ world: inout World) throws -> Reply {
        var resource = try lookup(call, world)
        let body = try call.jsonObjectAllowingEmpty()
        var validation = Validation()
        let code = validation.string(body, "code", length: 6...6)
        if let code, code.contains(" ") { validation.fail("code must not contain spaces") }
        try validation.check()
        guard resource.doc["state"]?.stringValue == "PENDING_VERIFICATION",
            code == nil || resource.hidden?["registered"] == true
        else {
            throw APIError.conflict(
                "not_allowed_verify", "Sender not allowed to be verified.",
                "Only \"PENDING_VERIFICATION\" sender that has been registered can be verified.")
        }
        if let code, code != EmulatorDefaults.otpCode {
            throw APIError.conflict(
                "wrong_otp", "Sender verification failed due to wrong OTP.",
                "Please make sure that the correct OTP code is entered.")
        }
        resource.addActivity("VERIFIED", at: call.now)
        activate(&resource, at: call.now)
        store(resource, call, &world)
        return .noContent
    }

    // MARK: Review

    /// Fields a live sender has (part A §4.2): generated on activation.
    static func activate(_ resource: inout Resource, at time: Double) {
        resource.doc["state"] = "ACTIVE"
        if let details = resource.doc["changes"]?["details"] { resource.doc["details"] = details }
        resource.doc["changes"] = nil
        if case .object(var metadata)? = resource.doc["metadata"], case .object(var name)? = metadata["displayName"] {
            name["status"] = "APPROVED"
            metadata["displayName"] = .object(name)
            resource.doc["metadata"] = .object(metadata)
        }
        if resource.doc["bearerToken"] == nil {
            resource.doc["bearerToken"] = .string(
                [16, 16, 16].map { randomString(length: $0, alphabet: alphanumerics) }.joined(separator: "."))
        }
        if resource.doc["maxTps"] == nil { resource.doc["maxTps"] = .number(EmulatorDefaults.whatsappMaxTps) }
        if resource.doc["qualityRating"] == nil { resource.doc["qualityRating"] = "GREEN" }
        resource.touch(time)
        resource.addActivity("ACTIVE", at: time)
    }

    /// Completes a review: a new sender becomes `ACTIVE` (or `PENDING_VERIFICATION` when the forced review asks for an
    /// OTP); an edit of a live sender goes live; metadata reviews (display name, username) are approved or rejected.
    static func completeReview(_ resource: inout Resource, _ outcome: ReviewOutcome, at time: Double) {
        if case .object(let changes)? = resource.doc["changes"], changes["status"] == "IN_PROGRESS" {
            if !outcome.approve {
                resource.rejectChanges(changes, reason: outcome.reason, at: time)
            } else if resource.doc["state"] != nil {
                // The pending details are the complete new profile (deleted fields are absent).
                resource.doc["details"] = changes["details"]
                resource.doc["changes"] = nil
            } else if outcome.requireVerification {
                resource.doc["state"] = "PENDING_VERIFICATION"
                if let details = changes["details"] { resource.doc["details"] = details }
            } else {
                activate(&resource, at: time)
            }
        }
        // Display name and username of a live sender are reviewed on their own (after the details, so they win).
        if case .object(var metadata)? = resource.doc["metadata"] {
            for key in ["displayName", "username"] {
                guard case .object(var entry)? = metadata[key], entry["status"] == "PENDING" else { continue }
                if key == "displayName", resource.doc["state"]?.stringValue != "ACTIVE" { continue }
                entry["status"] = outcome.approve ? "APPROVED" : "REJECTED"
                if !outcome.approve, let reason = outcome.reason { entry["rejectionReason"] = .string(reason) }
                if outcome.approve, key == "displayName", case .object(var details)? = resource.doc["details"] {
                    details["displayName"] = entry["value"]
                    resource.doc["details"] = .object(details)
                }
                metadata[key] = .object(entry)
            }
            resource.doc["metadata"] = .object(metadata)
        }
        resource.touch(time)
    }

    // MARK: S9 comments, S11 suggested usernames

    static func comment(_ call: Call, _ world: inout World) throws -> Reply {
        var resource = try lookup(call, world)
        let reply = try Common.comment(&resource, call)
        store(resource, call, &world)
        return reply
    }

    static func suggestedUsernames(_ call: Call, _ world: inout World) throws -> Reply {
        let resource = try lookup(call, world)
        let name =
            (resource.doc["details"]?["displayName"] ?? resource.doc["changes"]?["details"]?["displayName"])?
            .stringValue ?? "sender"
        let stem = String(name.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(30))
        let base = stem.isEmpty ? "sender" : stem
        return .ok(["usernames": [.string(base), .string(base + "_official"), .string(base + "hq")]])
    }
}
