import Foundation

/// WhatsApp templates (part A §3): T1–T11 and the review lifecycle.
enum WhatsAppTemplates {
    static let base = "v1/projects/{projectId}/whatsapp/templates"
    static let one = base + "/{templateName}/languages/{languageCode}"

    static let languages = [
        "AF", "AR", "AZ", "BG", "BN", "CA", "CS", "DA", "DE", "EL", "EN", "EN_GB", "EN_US", "ES", "ES_AR", "ES_ES",
        "ES_MX", "ES_UY", "ET", "FA", "FI", "FIL", "FR", "GA", "GU", "HA", "HE", "HI", "HR", "HU", "ID", "IT", "JA",
        "KA", "KK", "KN", "KO", "KY_KG", "LO", "LT", "LV", "MK", "ML", "MR", "MS", "NB", "NL", "PA", "PL", "PT_BR",
        "PT_PT", "RO", "RU", "RW_RW", "SK", "SL", "SQ", "SR", "SV", "SW", "TA", "TE", "TH", "TR", "UK", "UR", "UZ",
        "VI", "ZH_CN", "ZH_HK", "ZH_TW", "ZU",
    ]
    static let categories = ["AUTHENTICATION", "MARKETING", "UTILITY"]
    static let states = ["APPROVED", "DISABLED", "PAUSED", "PENDING", "REJECTED"]
    static let statuses = ["DRAFT", "IN_PROGRESS", "REJECTED"]
    static let componentTypes = ["HEADER", "BODY", "FOOTER", "BUTTONS", "CAROUSEL", "LIMITED_TIME_OFFER"]
    static let headerFormats = ["TEXT", "LOCATION", "IMAGE", "VIDEO", "DOCUMENT"]
    static let buttonTypes = [
        "PHONE_NUMBER", "URL", "QUICK_REPLY", "OTP", "FLOW", "REQUEST_CONTACT_INFO", "ORDER_DETAILS", "COPY_CODE",
    ]
    static let maskRoots: Set<String> = [
        "whatsappId", "state", "name", "language", "category", "rejectionCode", "qualityScore", "isMetaGenerated",
        "changes", "details", "analytics",
    ]
    /// Part A §3.3 TTL table: the documented default `messageSendTtlSeconds` per category.
    static let defaultTTL: [String: Double] = ["AUTHENTICATION": 600, "MARKETING": 2_592_000, "UTILITY": 2_592_000]
    static let namePattern = "^[a-z0-9][a-z0-9_]*[a-z0-9]$"
    static let blockSeconds = 30.0 * 86_400

    static func key(_ name: String, _ language: String) -> String { name + "/" + language }

    static let notFound = APIError.notFound("template_not_found", "Template not found.")
    static let invalidLanguage = APIError(
        400, "template_invalid_language_code", "Invalid language code.", "Use one of the supported language codes.",
        ["supportedCodes": .string(languages.joined(separator: ", "))])

    static let routes: [Route] = [
        Route("GET", base, list),
        Route("POST", base, create),
        Route("POST", base + "/sync", sync),
        Route("GET", base + "/{templateName}", listByName),
        Route("DELETE", base + "/{templateName}", deleteByName),
        Route("GET", one, get),
        Route("PATCH", one, update),
        Route("DELETE", one, deleteOne),
        Route("GET", one + "/activities", activities),
        Route("POST", one + "/comments", comment),
        Route("POST", one + "/compare", compare),
    ]

    // MARK: Reads

    static func list(_ call: Call, _ world: inout World) throws -> Reply {
        let page = try PageRequest(call, range: 1...1000, defaultSize: 50)
        let states = try Common.filter(
            call, "filterStates", allowed: states, code: "invalid_filter_states", message: "Invalid filterStates.")
        let statuses = try Common.filter(
            call, "filterStatuses", allowed: statuses, code: "invalid_filter_statuses",
            message: "Invalid filter statuses.")
        let mask = try fieldMask(call)
        let prefix = call.queryValue("templateName")
        return world.withProject(call.projectId) { state in
            let keys = state.whatsappTemplates.orderedKeys(cacheKey: "key") { lhs, rhs in
                sortKey(lhs) < sortKey(rhs)
            }
            // Unfiltered, every key matches: only the page is looked up and rendered.
            let matching =
                prefix == nil && states == nil && statuses == nil
                ? keys
                : keys.filter { key in
                    guard let resource = state.whatsappTemplates[key] else { return false }
                    if let prefix, !(resource.doc["name"]?.stringValue ?? "").hasPrefix(prefix) { return false }
                    if let states, !states.contains(resource.doc["state"]?.stringValue ?? "") { return false }
                    if let statuses, !statuses.contains(resource.doc["changes"]?["status"]?.stringValue ?? "") {
                        return false
                    }
                    return true
                }
            return .ok(
                page.envelope(matching, key: "templates") { key in
                    state.whatsappTemplates[key].map { project(.object($0.doc), mask) } ?? .null
                })
        }
    }

    static func sortKey(_ resource: Resource) -> String {
        key(resource.doc["name"]?.stringValue ?? "", resource.doc["language"]?.stringValue ?? "")
    }

    static func listByName(_ call: Call, _ world: inout World) throws -> Reply {
        let page = try PageRequest(call, range: 1...1000, defaultSize: 50)
        let mask = try fieldMask(call)
        let name = call.param("templateName")
        let found =
            (world.projects[call.projectId]?.whatsappTemplates.values.filter {
                $0.doc["name"]?.stringValue == name
            } ?? []).sorted { sortKey($0) < sortKey($1) }
        if found.isEmpty { throw notFound }
        return .ok(page.envelope(found, key: "templates") { project(.object($0.doc), mask) })
    }

    static func lookup(_ call: Call, _ world: World) throws -> (String, Resource) {
        let language = call.param("languageCode")
        guard languages.contains(language) else { throw invalidLanguage }
        let key = key(call.param("templateName"), language)
        guard let resource = world.projects[call.projectId]?.whatsappTemplates[key] else { throw notFound }
        return (key, resource)
    }

    static func get(_ call: Call, _ world: inout World) throws -> Reply {
        let mask = try fieldMask(call)
        return .ok(project(.object(try lookup(call, world).1.doc), mask))
    }

    static func activities(_ call: Call, _ world: inout World) throws -> Reply {
        try Common.activities(try lookup(call, world).1, call)
    }

    static func comment(_ call: Call, _ world: inout World) throws -> Reply {
        var (key, resource) = try lookup(call, world)
        let reply = try Common.comment(&resource, call)
        world.projects[call.projectId]?.whatsappTemplates[key] = resource
        return reply
    }

    static func compare(_ call: Call, _ world: inout World) throws -> Reply {
        let (_, resource) = try lookup(call, world)
        let body = try call.jsonObject()
        var validation = Validation()
        let others = validation.array(body, "templates", required: true, count: 1...1) ?? []
        validation.oneOf(body, "timeframe", allowed: ["7", "30", "60", "90"])
        try validation.check()
        let other = others.first?.objectValue ?? [:]
        let otherName = other["templateName"]?.stringValue ?? ""
        let otherLanguage = other["templateLanguage"]?.stringValue ?? ""
        if otherName == resource.doc["name"]?.stringValue, otherLanguage == resource.doc["language"]?.stringValue {
            throw APIError.conflict(
                "templates_compare_not_unique", "Templates to compare are not unique.",
                "Compare two different templates.")
        }
        guard world.projects[call.projectId]?.whatsappTemplates[key(otherName, otherLanguage)] != nil else {
            throw APIError.notFound("templates_compare_not_found", "Template to compare not found.")
        }
        throw APIError.conflict(
            "templates_not_eligible_for_comparison", "Templates are not eligible for comparison.",
            "Both templates need at least 1,000 sends in the timeframe.")
    }

    static func sync(_ call: Call, _ world: inout World) throws -> Reply {
        Reply(status: 200, body: nil)
    }

    // MARK: Field masks

    /// Parses `fieldMask` into a path tree, or `invalid_fields`.
    static func fieldMask(_ call: Call) throws -> MaskTree? {
        let paths = call.queryArray("fieldMask")
        if paths.isEmpty { return nil }
        var tree = MaskTree()
        for path in paths {
            let parts = path.split(separator: ".").map(String.init)
            guard let root = parts.first, maskRoots.contains(root) else {
                throw APIError(
                    400, "invalid_fields", "Invalid fields.", "Verify that the fields used are supported.",
                    ["supportedCodes": .string(maskRoots.sorted().joined(separator: ", "))])
            }
            tree.insert(parts[...])
        }
        return tree
    }

    static func project(_ value: JSON, _ mask: MaskTree?) -> JSON {
        mask?.project(value) ?? value
    }

    // MARK: Writes

    static func validateDetails(_ details: [String: JSON]?, draft: Bool, validation: inout Validation) {
        guard let details else {
            if !draft { validation.fail("details should not be null or undefined") }
            return
        }
        guard let components = validation.array(details, "components", path: "details.components", required: !draft)
        else { return }
        var types: [String] = []
        for (index, item) in components.enumerated() {
            let path = "details.components.\(index)"
            guard case .object(let component) = item else {
                validation.fail("\(path) must be an object")
                continue
            }
            guard
                let type = validation.oneOf(
                    component, "type", path: "\(path).type", required: true,
                    allowed: componentTypes)
            else { continue }
            types.append(type)
            switch type {
            case "HEADER":
                let format = validation.oneOf(
                    component, "format", path: "\(path).format", required: true,
                    allowed: headerFormats)
                if format == "TEXT" {
                    validation.string(component, "text", path: "\(path).text", required: !draft, length: 1...60)
                }
            case "BODY":
                validation.string(component, "text", path: "\(path).text", length: 0...1024)
            case "FOOTER":
                validation.string(component, "text", path: "\(path).text", length: 0...60)
            case "BUTTONS":
                let buttons =
                    validation.array(
                        component, "buttons", path: "\(path).buttons", required: !draft,
                        count: 1...10) ?? []
                for (buttonIndex, button) in buttons.enumerated() {
                    validation.oneOf(
                        button.objectValue ?? [:], "type", path: "\(path).buttons.\(buttonIndex).type",
                        required: true, allowed: buttonTypes)
                }
            case "CAROUSEL":
                validation.array(component, "cards", path: "\(path).cards", required: !draft, count: 1...10)
            case "LIMITED_TIME_OFFER":
                validation.string(component, "text", path: "\(path).text", required: true, length: 1...16)
            default:
                break
            }
        }
        if EmulatorDefaults.requireBodyComponent, !draft, !types.contains("BODY") {
            validation.fail("details.components must contain a BODY component")
        }
        if EmulatorDefaults.enforceUniqueComponentTypes, Set(types).count != types.count {
            validation.fail("details.components must contain at most one component of each type")
        }
    }

    /// Response spelling of the details (bid strategy is echoed with its `BID_STRATEGY_` prefix).
    static func normalize(_ details: [String: JSON]) -> [String: JSON] {
        var result = details
        if case .object(var optimization)? = details["optimization"],
            let strategy = optimization["bidStrategy"]?.stringValue, !strategy.hasPrefix("BID_STRATEGY_")
        {
            optimization["bidStrategy"] = .string("BID_STRATEGY_" + strategy)
            result["optimization"] = .object(optimization)
        }
        return result
    }

    static func create(_ call: Call, _ world: inout World) throws -> Reply {
        let body = try call.jsonObject()
        var validation = Validation()
        let name = validation.string(body, "name", required: true, length: 1...512) ?? ""
        if !name.isEmpty, !matches(name, namePattern) {
            validation.fail("name must match \(namePattern) regular expression")
        }
        let language = validation.oneOf(body, "language", required: true, allowed: languages) ?? ""
        let category = validation.oneOf(body, "category", required: true, allowed: categories) ?? ""
        let status =
            validation.oneOf(body, "status", allowed: ["DRAFT", "SUBMIT"])
            ?? call.configuration.templateCreateDefaultStatus
        let allowCategoryChange = validation.bool(body, "allowCategoryChange")
        validation.bool(body, "saveDraftOnFailure")
        let details = validation.object(body, "details", required: status != "DRAFT")
        validateDetails(details, draft: status == "DRAFT", validation: &validation)
        try validation.check()

        let seq = world.nextSeq()
        return try world.withProject(call.projectId) { project in
            let key = key(name, language)
            if project.whatsappTemplates[key] != nil {
                throw APIError(
                    409, "template_exists", "Template already exists.",
                    "Templates must have unique name and language. Change language or name and submit again.",
                    ["supportedCodes": .string(languages.joined(separator: ", "))])
            }
            if let blocked = project.whatsappTemplateNameBlocks[name], call.now - blocked < blockSeconds {
                throw APIError.conflict(
                    "template_name_recently_used", "A template with the same name has been deleted within 30 days.",
                    "Use another \"name\" for \"\(language)\" or wait the required time.")
            }
            if let blocked = project.whatsappTemplateNameBlocks[key], call.now - blocked < blockSeconds {
                throw APIError.conflict(
                    "template_language_recently_deleted",
                    "A template with the same name and language has been deleted within 4 weeks.",
                    "Use another name or wait the required time.")
            }
            let sibling = project.whatsappTemplates.values.first { $0.doc["name"]?.stringValue == name }
            if let existing = sibling?.doc["category"]?.stringValue, existing != category {
                throw APIError.conflict(
                    "template_incorrect_category", "Template category is incorrect.",
                    "Use the category \(existing) already used by other languages of this template.")
            }
            var proposed = normalize(details ?? [:])
            if proposed["messageSendTtlSeconds"] == nil, let ttl = defaultTTL[category] {
                proposed["messageSendTtlSeconds"] = .number(ttl)
            }
            var changes: [String: JSON] = [
                "status": .string(status == "SUBMIT" ? "IN_PROGRESS" : "DRAFT"), "details": .object(proposed),
            ]
            if let allowCategoryChange { changes["allowCategoryChange"] = .bool(allowCategoryChange) }
            var resource = Resource(
                doc: [
                    "name": .string(name), "language": .string(language), "category": .string(category),
                    "analytics": [], "isMetaGenerated": false, "qualityScore": "QUALITY_SCORE_UNKNOWN",
                    "changes": .object(changes),
                ], seq: seq)
            resource.addActivity("CREATED", at: call.now)
            if status == "SUBMIT" {
                submit(&resource, call)
            } else {
                resource.addActivity("DRAFT", at: call.now)
            }
            project.whatsappTemplates[key] = resource
            return .created(.object(resource.doc))
        }
    }

    static func submit(_ resource: inout Resource, _ call: Call) {
        resource.startReview(call)
        if resource.doc["state"] == nil {
            resource.doc["state"] = .string(EmulatorDefaults.newTemplateStateWhileInReview)
        }
        resource.addActivity("IN_PROGRESS", at: call.now)
    }

    static func update(_ call: Call, _ world: inout World) throws -> Reply {
        var (key, resource) = try lookup(call, world)
        let body = try call.jsonObject()
        var validation = Validation()
        let status = validation.oneOf(body, "status", allowed: ["DRAFT", "SUBMIT"]) ?? "DRAFT"
        let category = validation.oneOf(body, "category", allowed: categories)
        let allowCategoryChange = validation.bool(body, "allowCategoryChange")
        let patch = validation.object(body, "details")
        try validation.check()

        if resource.doc["isMetaGenerated"]?.boolValue == true {
            throw APIError.conflict(
                "template_source_not_updatable", "Template source is not updatable.",
                "Templates generated by Meta cannot be updated.")
        }
        let state = resource.doc["state"]?.stringValue
        let changes = resource.doc["changes"]?.objectValue
        if let changes {
            let pending = changes["status"]?.stringValue ?? ""
            if pending != "DRAFT" && pending != "REJECTED" {
                throw APIError.conflict(
                    "template_changes_not_updatable", "Template changes are not updatable.",
                    "Updates are only supported by template changes with status: DRAFT or REJECTED.")
            }
        } else if !["APPROVED", "DISABLED", "PAUSED", "REJECTED"].contains(state ?? "") {
            throw APIError.conflict(
                "template_not_updatable", "Template is not updatable.",
                "Updates are only supported by templates with state: APPROVED, DISABLED, PAUSED or REJECTED.")
        }
        let isDraft = state == nil
        let incorrectCategory =
            state == "REJECTED" && resource.doc["rejectionCode"]?.stringValue == "INCORRECT_CATEGORY"
        if let category, category != resource.doc["category"]?.stringValue {
            guard isDraft || incorrectCategory else {
                throw APIError.conflict(
                    "template_category_not_updatable", "Template category is not updatable.",
                    "Updates are only supported by template with state: DRAFT or with state: REJECTED and rejectionCode: INCORRECT_CATEGORY."
                )
            }
            resource.doc["category"] = .string(category)
        }
        if let allowCategoryChange, allowCategoryChange != (changes?["allowCategoryChange"]?.boolValue ?? false) {
            guard isDraft || incorrectCategory else {
                throw APIError.conflict(
                    "template_allow_category_change_not_updatable", "Template allowCategoryChange is not updatable.",
                    "Updates are only supported by template with state: DRAFT or with state: REJECTED and rejectionCode: INCORRECT_CATEGORY."
                )
            }
        }
        let baseDetails = changes?["details"]?.objectValue ?? resource.doc["details"]?.objectValue ?? [:]
        let proposed = normalize(mergePatch(baseDetails, patch ?? [:]))
        if status == "SUBMIT" {
            var check = Validation()
            validateDetails(proposed, draft: false, validation: &check)
            try check.check()
        }
        var newChanges: [String: JSON] = [
            "status": .string(status == "SUBMIT" ? "IN_PROGRESS" : "DRAFT"), "details": .object(proposed),
        ]
        if let flag = allowCategoryChange ?? changes?["allowCategoryChange"]?.boolValue {
            newChanges["allowCategoryChange"] = .bool(flag)
        }
        resource.doc["changes"] = .object(newChanges)
        resource.addActivity("EDITED", at: call.now)
        if status == "SUBMIT" { submit(&resource, call) }
        world.projects[call.projectId]?.whatsappTemplates[key] = resource
        return .ok(.object(resource.doc))
    }

    static func deleteByName(_ call: Call, _ world: inout World) throws -> Reply {
        let name = call.param("templateName")
        return try world.withProject(call.projectId) { project in
            let keys = project.whatsappTemplates.values.filter { $0.doc["name"]?.stringValue == name }.map(sortKey)
            if keys.isEmpty { throw notFound }
            for key in keys { project.whatsappTemplates[key] = nil }
            project.whatsappTemplateNameBlocks[name] = call.now
            return .noContent
        }
    }

    static func deleteOne(_ call: Call, _ world: inout World) throws -> Reply {
        var (key, resource) = try lookup(call, world)
        if call.queryValue("deleteSubmitted")?.lowercased() == "true" {
            world.withProject(call.projectId) { project in
                project.whatsappTemplates[key] = nil
                if resource.submitted { project.whatsappTemplateNameBlocks[key] = call.now }
            }
            return .noContent
        }
        return try deleteDraft(key, &resource, call, &world)
    }

    private static func deleteDraft(
        _ key: String, _ resource: inout Resource, _ call: Call, _ world: inout World
    )
        throws -> Reply
    {
        guard let changes = resource.doc["changes"]?.objectValue else {
            throw APIError.notFound("template_changes_not_found", "Template changes not found.")
        }
        if changes["status"]?.stringValue == "IN_PROGRESS" {
            throw APIError.conflict(
                "template_not_deletable_due_to_input_config", "Template is not deletable due to input config.",
                "Only draft templates will be deleted by name and language code if `deleteSubmitted` is `false` or not provided. Be aware that templates deleted for a language cannot be recreated for 30 days with the same template name. If you need the template in this language soon, update the submitted template for the language instead of trying to delete and recreate it again."
            )
        }
        if resource.doc["state"] == nil {
            world.projects[call.projectId]?.whatsappTemplates[key] = nil
        } else {
            resource.doc["changes"] = nil
            world.projects[call.projectId]?.whatsappTemplates[key] = resource
        }
        return .noContent
    }

    // MARK: Review

    static func completeReview(_ resource: inout Resource, _ outcome: ReviewOutcome, at time: Double) {
        let changes = resource.doc["changes"]?.objectValue ?? [:]
        let proposed = changes["details"] ?? resource.doc["details"] ?? [:]
        let isNew =
            resource.doc["state"]?.stringValue == EmulatorDefaults.newTemplateStateWhileInReview
            || resource.doc["state"] == nil
        if outcome.approve {
            resource.doc["state"] = "APPROVED"
            resource.doc["details"] = proposed
            resource.doc["changes"] = nil
            resource.doc["rejectionCode"] = nil
            resource.doc["qualityScore"] = "QUALITY_SCORE_GREEN"
            if resource.doc["whatsappId"] == nil {
                resource.doc["whatsappId"] = .string(randomString(length: 15, alphabet: "0123456789"))
            }
        } else if isNew {
            resource.doc["state"] = "REJECTED"
            resource.doc["details"] = proposed
            resource.doc["changes"] = nil
            resource.doc["rejectionCode"] = .string(
                outcome.rejectionCode ?? EmulatorDefaults.defaultTemplateRejectionCode)
            resource.addActivity("REJECTED", at: time, comment: outcome.reason)
        } else {
            var rejected = changes
            rejected["status"] = "REJECTED"
            resource.doc["changes"] = .object(rejected)
            resource.addActivity("REJECTED", at: time, comment: outcome.reason)
        }
    }
}

/// A `fieldMask` as a tree of path segments; `0` stands for every element of an array.
struct MaskTree {
    var children: [String: MaskTree] = [:]
    var isLeaf = false

    mutating func insert(_ parts: ArraySlice<String>) {
        guard let first = parts.first else {
            isLeaf = true
            return
        }
        children[first, default: MaskTree()].insert(parts.dropFirst())
    }

    func project(_ value: JSON) -> JSON {
        if isLeaf { return value }
        switch value {
        case .object(let object):
            var result: [String: JSON] = [:]
            for (key, child) in children { if let inner = object[key] { result[key] = child.project(inner) } }
            return .object(result)
        case .array(let items):
            guard let child = children["0"] else { return .array([]) }
            return .array(items.map { child.project($0) })
        default:
            return value
        }
    }
}
