import Foundation

/// RCS senders (part B §5, RS1–RS12): create into `IN_TEST`, edit, launch, test numbers.
///
/// The stored `doc` keeps questionnaire blocks with answers only; ``render(_:)`` adds the read-only `questions`
/// on the way out, so 100,000 stored senders do not each hold a copy of the question texts.
enum RcsSenders {
    static let senders = "v1/projects/{projectId}/rcs/senders"
    static let sender = senders + "/{senderId}"
    static let testNumbers = sender + "/testNumbers"
    static let testNumber = testNumbers + "/{testNumber}"

    static let states = [
        "DRAFT", "IN_PROGRESS", "IN_TEST", "LAUNCHED", "LAUNCHING", "PREPARING_LAUNCH", "UNLAUNCHED", "UNKNOWN",
    ]
    static let regions = ["BR", "EU", "US"]
    static let billingCategories = [
        "CONVERSATIONAL", "NON_CONVERSATIONAL", "BASIC_MESSAGE", "CONVERSATIONAL_LEGACY", "SINGLE_MESSAGE",
    ]
    static let useCases = ["MULTIUSE", "OTP", "PROMOTIONAL", "TRANSACTIONAL"]
    static let launchCountries = [
        "AT", "BE", "BR", "CA", "CZ", "DK", "FI", "FR", "DE", "GR", "HU", "IT", "LT", "MX", "NL", "NO", "PE", "PL",
        "PT",
        "SG", "SK", "ES", "SE", "US", "GB",
    ]
    static let launchableStates = ["IN_TEST", "LAUNCHING", "LAUNCHED", "UNLAUNCHED"]
    static let sortColumns = ["CREATED", "MODIFIED", "NAME", "STATE"]
    static let testNumberStates = [
        "DECLINED", "EXPIRED", "FAILED", "INVALID", "PENDING", "REJECTED", "UNVERIFIED", "VERIFIED",
    ]
    static let e164Pattern = "^\\+[1-9][0-9]{1,14}$"

    static let senderNotFound = APIError.notFound("sender_not_found", "Sender not found.")
    static let notTester = APIError(
        404, "user_is_not_tester_for_agent", "Test number not found.", "Add the test number to the agent first.")

    static let routes: [Route] = [
        Route("GET", senders, list),
        Route("POST", senders, create),
        Route("GET", sender, { call, world in .ok(render(try lookup(call, world))) }),
        Route("PATCH", sender, update),
        Route("DELETE", sender, { call, world in try deleteSender(call, world) }),
        Route("GET", sender + "/activities", { call, world in try Common.activities(try lookup(call, world), call) }),
        Route("POST", sender + "/comments", comment),
        Route("POST", sender + "/launch", launch),
        Route("POST", testNumbers, addTestNumbers),
        Route("GET", testNumber, { call, world in .ok(try testNumberState(try lookup(call, world), call)) }),
        Route("DELETE", testNumber, deleteTestNumber),
        Route("GET", testNumber + "/capabilities", capabilities),
        Route("GET", testNumber + "/retry", retryTestNumber),
    ]

    // MARK: Lookup and rendering

    static func lookup(_ call: Call, _ world: World) throws -> Resource {
        let id = call.param("senderId")
        guard isUUID(id) else { throw APIError.invalidId("senderId") }
        guard let resource = world.projects[call.projectId]?.rcsSenders[id] else { throw senderNotFound }
        return resource
    }

    static func store(_ resource: Resource, _ call: Call, _ world: inout World) {
        world.withProject(call.projectId) { project in
            project.rcsSenders[call.param("senderId")] = resource
            // State, name and modified time feed the sort orders.
            project.rcsSenders.invalidateOrder()
        }
    }

    /// The API body: the stored doc plus the synthesized questionnaire `questions`.
    static func render(_ resource: Resource) -> JSON {
        var doc = resource.doc
        guard case .object(var details)? = doc["details"] else { return .object(doc) }
        var questionnaire = details["questionnaire"]?.objectValue ?? [:]
        for block in ["general", "verification"] where questionnaire[block] == nil {
            questionnaire[block] = ["answers": [:]]
        }
        for (name, value) in questionnaire {
            guard case .object(var block) = value, let questions = RcsQuestionnaire.blocks[name] else { continue }
            block["questions"] = questions
            if block["answers"] == nil { block["answers"] = [:] }
            questionnaire[name] = .object(block)
        }
        details["questionnaire"] = .object(questionnaire)
        doc["details"] = .object(details)
        return .object(doc)
    }

    // MARK: RS1 list

    static func list(_ call: Call, _ world: inout World) throws -> Reply {
        let page = try PageRequest(call, range: 1...100, defaultSize: 50)
        let states = try Common.filter(
            call, "filterStates", allowed: states, code: "invalid_filter_states", message: "Invalid filterStates.")
        var validation = Validation()
        let query = call.query.compactMapValues { $0.first.map(JSON.string) }
        let column =
            validation.oneOf(query, "sortColumn", allowed: sortColumns) ?? EmulatorDefaults.rcsDefaultSortColumn
        let direction =
            validation.oneOf(query, "sortDirection", allowed: ["ASC", "DESC"])
            ?? EmulatorDefaults.rcsDefaultSortDirection
        try validation.check()
        let ids = call.queryArray("filterSenderIds")
        let app = call.queryValue("filterConversationApiAppId").flatMap { $0.isEmpty ? nil : $0 }
        let search = (call.queryValue("search") ?? call.queryValue("filterSenderName") ?? "").lowercased()
        return world.withProject(call.projectId) { project in
            let keys = project.rcsSenders.orderedKeys(cacheKey: column + " " + direction) { a, b in
                let ordered = sortKey(a, column) < sortKey(b, column)
                let equal = sortKey(a, column) == sortKey(b, column)
                if equal { return direction == "ASC" ? a.seq < b.seq : a.seq > b.seq }
                return direction == "ASC" ? ordered : !ordered
            }
            let unfiltered = states == nil && ids.isEmpty && app == nil && search.isEmpty
            let matching: [String]
            if unfiltered {
                matching = keys
            } else {
                let idSet = Set(ids)
                matching = keys.filter { key in
                    guard let resource = project.rcsSenders[key] else { return false }
                    let doc = resource.doc
                    if let states, !states.contains(doc["state"]?.stringValue ?? "") { return false }
                    if !idSet.isEmpty, !idSet.contains(key) { return false }
                    if let app,
                        doc["conversationApiApp"]?.stringValue != app,
                        doc["conversationApiAppDetails"]?["id"]?.stringValue != app
                    {
                        return false
                    }
                    if !search.isEmpty {
                        let name = (doc["details"]?["brand"]?["name"]?.stringValue ?? "").lowercased()
                        if !name.contains(search) && !key.contains(search) { return false }
                    }
                    return true
                }
            }
            return .ok(
                page.envelope(matching, key: "senders") { key in
                    project.rcsSenders[key].map(render) ?? .null
                })
        }
    }

    static func sortKey(_ resource: Resource, _ column: String) -> String {
        switch column {
        case "MODIFIED": resource.doc["modified"]?.stringValue ?? ""
        case "NAME": resource.doc["details"]?["brand"]?["name"]?.stringValue ?? ""
        case "STATE": resource.doc["state"]?.stringValue ?? ""
        default: resource.doc["created"]?.stringValue ?? ""
        }
    }

    // MARK: Validation (§5.4, §5.5)

    static let detailsMembers = ["brand", "testNumbers", "countries", "questionnaire"]
    static let brandMembers = [
        "name", "emails", "phones", "websites", "color", "description", "bannerUrl", "logoUrl", "privacyPolicyUrl",
        "termsOfServiceUrl",
    ]

    /// Validates create (`partial == false`) or PATCH (`partial == true`, where `null` deletes) details.
    static func validateDetails(_ details: [String: JSON], partial: Bool, _ validation: inout Validation) {
        for key in details.keys.sorted() where !detailsMembers.contains(key) {
            validation.fail("details.property \(key) should not exist")
        }
        if let brand = validation.object(details, "brand", path: "details.brand", nullable: partial) {
            validateBrand(brand, partial: partial, &validation)
        }
        if let numbers = validation.array(
            details, "testNumbers", path: "details.testNumbers", count: 0...200, unique: true, nullable: partial)
        {
            for number in numbers where !(number.stringValue.map { matches($0, e164Pattern) } ?? false) {
                validation.fail("each value in details.testNumbers must be a valid phone number in E.164 format")
                break
            }
        }
        if let countries = validation.array(
            details, "countries", path: "details.countries", count: 1...launchCountries.count, unique: true,
            nullable: partial)
        {
            validation.enumArray(countries, path: "details.countries", allowed: launchCountries)
        }
        if let questionnaire = validation.object(
            details, "questionnaire", path: "details.questionnaire", nullable: partial)
        {
            validateQuestionnaire(questionnaire, partial: partial, &validation)
        }
    }

    static func validateBrand(_ brand: [String: JSON], partial: Bool, _ validation: inout Validation) {
        for key in brand.keys.sorted() where !brandMembers.contains(key) {
            validation.fail("details.brand.property \(key) should not exist")
        }
        validation.string(brand, "name", path: "details.brand.name", length: 0...40, nullable: partial)
        validation.string(brand, "description", path: "details.brand.description", length: 0...100, nullable: partial)
        if let color = validation.string(brand, "color", path: "details.brand.color", nullable: partial),
            !matches(color, "^#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")
        {
            validation.fail("details.brand.color must be a hexadecimal color")
        }
        for key in ["bannerUrl", "logoUrl", "privacyPolicyUrl", "termsOfServiceUrl"] {
            validation.url(brand, key, path: "details.brand.\(key)", nullable: partial)
        }
        let lists: [(String, String)] = [("emails", "address"), ("phones", "number"), ("websites", "url")]
        for (list, valueKey) in lists {
            let path = "details.brand.\(list)"
            guard let items = validation.array(brand, list, path: path, count: 1...3, nullable: partial) else {
                continue
            }
            var seen: Set<String> = []
            for (index, item) in items.enumerated() {
                let itemPath = "\(path).\(index)"
                guard case .object(let entry) = item else {
                    validation.fail("\(itemPath) must be an object")
                    continue
                }
                validation.string(entry, "label", path: itemPath + ".label", required: true, length: 0...25)
                let valuePath = itemPath + "." + valueKey
                switch valueKey {
                case "address":
                    if let address = validation.string(
                        entry, valueKey, path: valuePath, required: true, length: 1...100), !isEmail(address)
                    {
                        validation.fail("\(valuePath) must be an email")
                    }
                case "number":
                    if let number = validation.string(entry, valueKey, path: valuePath, required: true, length: 6...15),
                        !matches(number, "^\\+?[0-9+\\s]{6,15}$")
                    {
                        validation.fail("\(valuePath) must match ^\\+?[\\d+\\s]{6,15}$ regular expression")
                    }
                default:
                    validation.url(entry, valueKey, path: valuePath, required: true, maxLength: 255)
                }
                if let value = entry[valueKey]?.stringValue, !seen.insert(value).inserted {
                    validation.fail("All \(path)'s \(valueKey) values must be unique")
                }
            }
        }
    }

    static func validateQuestionnaire(_ questionnaire: [String: JSON], partial: Bool, _ validation: inout Validation) {
        for key in questionnaire.keys.sorted() where RcsQuestionnaire.blocks[key] == nil {
            validation.fail("details.questionnaire.property \(key) should not exist")
        }
        for name in RcsQuestionnaire.blocks.keys.sorted() {
            let path = "details.questionnaire.\(name)"
            guard let block = validation.object(questionnaire, name, path: path, nullable: partial) else { continue }
            guard let answers = validation.object(block, "answers", path: path + ".answers", required: true) else {
                continue
            }
            validateAnswers(name, answers, path: path + ".answers", partial: partial, &validation)
        }
    }

    static func validateAnswers(
        _ block: String, _ answers: [String: JSON], path: String, partial: Bool, _ validation: inout Validation
    ) {
        func text(_ key: String, _ length: ClosedRange<Int> = 1...65535) {
            validation.string(answers, key, path: "\(path).\(key)", length: length, nullable: partial)
        }
        switch block {
        case "general":
            for key in ["optInDescription", "triggerDescription", "interactionsDescription", "optOutDescription"] {
                text(key)
            }
            for key in ["videoUris", "screenshotUris"] {
                if let uris = validation.array(answers, key, path: "\(path).\(key)", count: 1...100, nullable: partial),
                    uris.contains(where: { !($0.stringValue.map(isURL) ?? false) })
                {
                    validation.fail("each value in \(path).\(key) must be a URL address")
                }
            }
        case "verification":
            text("name")
            text("title", 1...100)
            if let email = validation.string(
                answers, "email", path: path + ".email", length: 1...100, nullable: partial),
                !isEmail(email)
            {
                validation.fail("\(path).email must be an email")
            }
            validation.url(answers, "website", path: path + ".website", nullable: partial)
            if let phone = validation.string(
                answers, "phone", path: path + ".phone", length: 1...17, nullable: partial),
                !matches(phone, "^(?:\\+|00)[0-9]{6,15}$")
            {
                validation.fail("\(path).phone must match ^(?:\\+|00)\\d{6,15}$ regular expression")
            }
        case "gb":
            for key in [
                "brandIndustry", "companyLegalName", "companyRegistrationNumber", "fullCompanyAddress",
                "messagesVolume", "messagesFrequency", "campaignLength",
            ] {
                text(key)
            }
        case "fr":
            text("fullCompanyAddress")
            if let siren = validation.string(answers, "siren", path: path + ".siren", nullable: partial),
                !matches(siren, "^[0-9]{9}$")
            {
                validation.fail("\(path).siren must be exactly 9 digits")
            }
        default:
            // US: v2 "brand campaign" or deprecated v1; types are checked, the launch check covers completeness.
            validation.number(answers, "messagesVolume", path: path + ".messagesVolume")
            for key in ["embeddedLink", "embeddedPhone", "ageGatedContent", "directLending"] {
                validation.bool(answers, key, path: "\(path).\(key)")
            }
        }
    }

    // MARK: RS2 create

    static func create(_ call: Call, _ world: inout World) throws -> Reply {
        let body = try call.jsonObject()
        var validation = Validation()
        let region = validation.oneOf(body, "region", required: true, allowed: regions) ?? "EU"
        let billing = validation.oneOf(body, "billingCategory", required: true, allowed: billingCategories) ?? ""
        let useCase = validation.oneOf(body, "useCase", required: true, allowed: useCases) ?? ""
        let input = validation.object(body, "details") ?? [:]
        validateDetails(input, partial: false, &validation)
        for key in body.keys.sorted() where !["region", "billingCategory", "useCase", "details"].contains(key) {
            validation.fail("property \(key) should not exist")
        }
        try validation.check()
        let id = newUUID()
        let now = isoTimestamp(call.now)
        var details = input
        var brand = details["brand"]?.objectValue ?? [:]
        if brand["name"] == nil { brand["name"] = .string(EmulatorDefaults.rcsDefaultBrandName) }
        if brand["color"] == nil { brand["color"] = .string(EmulatorDefaults.rcsDefaultBrandColor) }
        details["brand"] = .object(brand)
        if details["testNumbers"] == nil { details["testNumbers"] = [] }
        if details["countries"] == nil { details["countries"] = [] }
        var doc: [String: JSON] = [
            "id": .string(id), "state": "IN_TEST", "region": .string(region), "billingCategory": .string(billing),
            "useCase": .string(useCase),
            "hostingRegion": .string(EmulatorDefaults.rcsHostingRegions[region] ?? "EUROPE"),
            "authName": .string(randomString(length: 12, alphabet: alphanumerics)),
            "authToken": .string(randomString(length: 20, alphabet: alphanumerics)),
            "supplierDetails": [
                "google": [
                    "agentId": .string("sinchform_" + randomString(length: 12, alphabet: "abcdefghijklmnopqrstuvwxyz")),
                    "brandId": .string(newUUID()),
                ]
            ],
            "created": .string(now), "modified": .string(now), "details": .object(details),
        ]
        doc["testNumberStates"] = .array(
            (details["testNumbers"]?.arrayValue ?? []).map { invite($0.stringValue ?? "", now) })
        doc["countryStatus"] = countryStatus(details["countries"], status: "NOT_LAUNCHED", at: now)
        var resource = Resource(doc: doc, seq: world.nextSeq())
        resource.addActivity("CREATED", at: call.now)
        world.withProject(call.projectId) { project in
            project.rcsSenders[id] = resource
            project.rcsSenders.invalidateOrder()
        }
        return .created(render(resource))
    }

    static func invite(_ number: String, _ time: String) -> JSON {
        ["number": .string(number), "state": "UNVERIFIED", "submitted": .string(time)]
    }

    /// One entry per launch country, every operator in `status`.
    static func countryStatus(_ countries: JSON?, status: String, at time: String, remark: String? = nil) -> JSON {
        .array(
            (countries?.arrayValue ?? []).compactMap(\.stringValue).map { country in
                let operators = (EmulatorDefaults.rcsOperators[country] ?? ["\(country) Mobile"]).map { name in
                    var entry: [String: JSON] = [
                        "name": .string(name), "status": .string(status), "modified": .string(time),
                    ]
                    if let remark { entry["remark"] = .string(remark) }
                    return JSON.object(entry)
                }
                return ["country": .string(country), "status": .string(status), "operators": .array(operators)]
            })
    }

    // MARK: RS4 update

    static func update(_ call: Call, _ world: inout World) throws -> Reply {
        var resource = try lookup(call, world)
        let body = try call.jsonObject()
        var validation = Validation()
        let patch = validation.object(body, "details", required: true) ?? [:]
        validateDetails(patch, partial: true, &validation)
        validation.oneOf(
            call.query.compactMapValues { $0.first.map(JSON.string) }, "usQuestionnaireVersion", allowed: ["v1", "v2"])
        for key in body.keys.sorted() where key != "details" {
            validation.fail("property \(key) should not exist")
        }
        try validation.check()
        if patch.isEmpty { throw APIError.noFieldsToUpdate }
        let old = resource.doc["details"]?.objectValue ?? [:]
        // mergePatch replaces arrays and deletes on null (EmulatorDefaults.rcsPatchArraysReplace).
        var details = mergePatch(old, patch)
        if case .object(var brand)? = details["brand"] {
            if brand["name"] == nil { brand["name"] = .string(EmulatorDefaults.rcsDefaultBrandName) }
            if brand["color"] == nil { brand["color"] = .string(EmulatorDefaults.rcsDefaultBrandColor) }
            details["brand"] = .object(brand)
        }
        if details["testNumbers"] == nil { details["testNumbers"] = [] }
        if details["countries"] == nil { details["countries"] = [] }
        let now = isoTimestamp(call.now)
        if details["testNumbers"] != old["testNumbers"] {
            let existing = testStates(resource)
            resource.doc["testNumberStates"] = .array(
                (details["testNumbers"]?.arrayValue ?? []).compactMap(\.stringValue).map {
                    existing[$0] ?? invite($0, now)
                })
        }
        if details["countries"] != old["countries"] {
            let previous = Dictionary(
                (resource.doc["countryStatus"]?.arrayValue ?? []).compactMap { entry in
                    entry["country"]?.stringValue.map { ($0, entry) }
                }, uniquingKeysWith: { first, _ in first })
            let fresh = countryStatus(details["countries"], status: "NOT_LAUNCHED", at: now).arrayValue ?? []
            resource.doc["countryStatus"] = .array(
                fresh.map { entry in previous[entry["country"]?.stringValue ?? ""] ?? entry })
        }
        resource.doc["details"] = .object(details)
        resource.doc["modified"] = .string(now)
        resource.addActivity("EDITED", at: call.now)
        store(resource, call, &world)
        return .ok(render(resource))
    }

    static func testStates(_ resource: Resource) -> [String: JSON] {
        Dictionary(
            (resource.doc["testNumberStates"]?.arrayValue ?? []).compactMap { entry in
                entry["number"]?.stringValue.map { ($0, entry) }
            }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: Delete (not in the API)

    static func deleteSender(_ call: Call, _ world: World) throws -> Reply {
        if EmulatorDefaults.rcsDeleteStatus == 405 {
            _ = try lookup(call, world)
            throw APIError(
                405, "method_not_allowed", "Method not allowed.",
                "RCS senders cannot be deleted through the Provisioning API; contact Sinch support.")
        }
        throw APIError.routeNotFound
    }

    // MARK: RS6 comments

    static func comment(_ call: Call, _ world: inout World) throws -> Reply {
        var resource = try lookup(call, world)
        let reply = try Common.comment(&resource, call)
        world.projects[call.projectId]?.rcsSenders[call.param("senderId")] = resource
        return reply
    }

    // MARK: RS7 launch

    static func launch(_ call: Call, _ world: inout World) throws -> Reply {
        var resource = try lookup(call, world)
        let state = resource.doc["state"]?.stringValue ?? ""
        guard launchableStates.contains(state) else {
            throw APIError.conflict(
                "launch_invalid_agent_state", "Sender can't be launched.",
                "Launch are only supported by senders with state: IN_TEST, LAUNCHING, LAUNCHED, UNLAUNCHED.")
        }
        let problems = launchProblems(resource.doc["details"]?.objectValue ?? [:])
        if !problems.isEmpty {
            throw APIError(
                412, "launch_precondition_failed", "Launch precondition failed.",
                "Correct the precondition errors and launch again.",
                ["validationErrors": .array(problems.map(JSON.string))])
        }
        let details = resource.doc["details"]?.objectValue ?? [:]
        let hasVideo = !(details["questionnaire"]?["general"]?["answers"]?["videoUris"]?.arrayValue ?? []).isEmpty
        let now = isoTimestamp(call.now)
        resource.doc["state"] = .string(
            hasVideo ? EmulatorDefaults.rcsLaunchStateWithVideo : EmulatorDefaults.rcsLaunchStateWithoutVideo)
        resource.doc["countryStatus"] = countryStatus(details["countries"], status: "PENDING", at: now)
        resource.doc["modified"] = .string(now)
        resource.startReview(call)
        store(resource, call, &world)
        return .ok(render(resource))
    }

    /// The §5.7 launch requirements that `details` misses, in validation-message form.
    static func launchProblems(_ details: [String: JSON]) -> [String] {
        var problems: [String] = []
        let brand = details["brand"]?.objectValue ?? [:]
        if (details["countries"]?.arrayValue ?? []).isEmpty {
            problems.append("details.countries must contain at least 1 elements")
        }
        if (brand["phones"]?.arrayValue ?? []).isEmpty && (brand["emails"]?.arrayValue ?? []).isEmpty {
            problems.append("details.brand must have at least one phone or email")
        }
        for key in ["bannerUrl", "logoUrl", "privacyPolicyUrl", "termsOfServiceUrl"] where brand[key] == nil {
            problems.append("details.brand.\(key) should not be null or undefined")
        }
        let questionnaire = details["questionnaire"]?.objectValue ?? [:]
        func require(_ block: String, _ keys: [String]) {
            let answers = questionnaire[block]?["answers"]?.objectValue ?? [:]
            for key in keys where answers[key] == nil || answers[key] == .null {
                problems.append("details.questionnaire.\(block).answers.\(key) should not be null or undefined")
            }
        }
        require("general", ["optInDescription", "triggerDescription", "interactionsDescription", "optOutDescription"])
        require("verification", ["name", "email", "website"])
        let countries = Set((details["countries"]?.arrayValue ?? []).compactMap(\.stringValue))
        if countries.contains("GB") { require("gb", ["brandIndustry", "companyLegalName", "messagesVolume"]) }
        if countries.contains("US") {
            let answers = questionnaire["us"]?["answers"]?.objectValue ?? [:]
            if answers["ein"] != nil {
                require("us", ["companyLegalName", "ein", "brandIndustry", "fullCompanyAddress"])
            } else {
                require(
                    "us",
                    [
                        "ownershipType", "companyLegalName", "companyPhoneNumber", "companyEmailAddress", "brandName",
                        "brandIndustry", "legalForm", "taxIdCountry", "taxId", "addressLine", "addressCity",
                        "addressCountry", "addressPostalCode", "websiteUrl", "contactFirstName", "contactSurname",
                        "sampleMessages", "messagesVolume", "optInConfirmationMessage", "helpMessage",
                        "callToActionMessage",
                    ])
                require("verification", ["phone"])
            }
        }
        return problems
    }

    /// Completes a launch: approval launches every country; rejection marks the operators `REJECTED` and returns the
    /// sender to `IN_TEST` (EmulatorDefaults.rcsStateAfterRejectedLaunch).
    static func completeLaunch(_ resource: inout Resource, _ outcome: ReviewOutcome, at time: Double) {
        let now = isoTimestamp(time)
        let countries = resource.doc["details"]?["countries"]
        if outcome.approve {
            resource.doc["state"] = "LAUNCHED"
            resource.doc["launched"] = .string(now)
            resource.doc["countryStatus"] = countryStatus(countries, status: "LAUNCHED", at: now)
            resource.addActivity("ACTIVE", at: time)
        } else {
            resource.doc["state"] = .string(EmulatorDefaults.rcsStateAfterRejectedLaunch)
            resource.doc["countryStatus"] = countryStatus(
                countries, status: "REJECTED", at: now, remark: outcome.reason ?? "Rejected by the operator.")
            resource.addActivity("INACTIVE", at: time, comment: outcome.reason)
        }
        resource.doc["modified"] = .string(now)
    }

    // MARK: RS8–RS12 test numbers

    static func numberParam(_ call: Call) throws -> String {
        let number = call.param("testNumber")
        guard matches(number, e164Pattern) else {
            throw APIError(400, "add_test_number_invalid", "Invalid phone number.", "Use a number in E.164 format.")
        }
        return number
    }

    static func testNumberState(_ resource: Resource, _ call: Call) throws -> JSON {
        let number = try numberParam(call)
        guard let state = testStates(resource)[number] else { throw notTester }
        return state
    }

    static func addTestNumbers(_ call: Call, _ world: inout World) throws -> Reply {
        var resource = try lookup(call, world)
        let body = try call.jsonObject()
        var validation = Validation()
        let numbers = validation.array(body, "testNumbers", required: true, count: 1...200, unique: true) ?? []
        if numbers.contains(where: { !($0.stringValue.map { matches($0, e164Pattern) } ?? false) }) {
            validation.fail("each value in testNumbers must be a valid phone number in E.164 format")
        }
        try validation.check()
        let now = isoTimestamp(call.now)
        var states = resource.doc["testNumberStates"]?.arrayValue ?? []
        var listed = resource.doc["details"]?["testNumbers"]?.arrayValue ?? []
        for number in numbers.compactMap(\.stringValue) {
            // Re-adding a number sends a new invite: it goes back to UNVERIFIED.
            if let index = states.firstIndex(where: { $0["number"]?.stringValue == number }) {
                states[index] = invite(number, now)
            } else {
                states.append(invite(number, now))
                listed.append(.string(number))
            }
        }
        if states.count > 200 {
            throw APIError.invalidInput(["details.testNumbers must contain no more than 200 elements"])
        }
        resource.doc["testNumberStates"] = .array(states)
        if case .object(var details)? = resource.doc["details"] {
            details["testNumbers"] = .array(listed)
            resource.doc["details"] = .object(details)
        }
        resource.doc["modified"] = .string(now)
        resource.addActivity("TEST", at: call.now)
        store(resource, call, &world)
        return .ok(["testNumbers": .array(states)])
    }

    static func deleteTestNumber(_ call: Call, _ world: inout World) throws -> Reply {
        var resource = try lookup(call, world)
        let number = try numberParam(call)
        guard testStates(resource)[number] != nil else { throw notTester }
        resource.doc["testNumberStates"] = .array(
            (resource.doc["testNumberStates"]?.arrayValue ?? []).filter { $0["number"]?.stringValue != number })
        if case .object(var details)? = resource.doc["details"] {
            details["testNumbers"] = .array(
                (details["testNumbers"]?.arrayValue ?? []).filter { $0.stringValue != number })
            resource.doc["details"] = .object(details)
        }
        resource.doc["modified"] = .string(isoTimestamp(call.now))
        store(resource, call, &world)
        return .noContent
    }

    static func capabilities(_ call: Call, _ world: inout World) throws -> Reply {
        let state = try testNumberState(try lookup(call, world), call)
        switch state["state"]?.stringValue {
        case "VERIFIED":
            return .ok(["features": .array(EmulatorDefaults.rcsTestNumberFeatures.map(JSON.string))])
        case "DECLINED":
            throw APIError(
                404, "blocked_because_the_recipient_declined", "The recipient declined the tester invitation.",
                "Ask the recipient to accept the invitation.")
        default:
            throw APIError(
                404, "user_has_not_accepted_invite", "The user has not accepted the tester invite.",
                "Retry later, after the user accepts the invite.")
        }
    }

    static func retryTestNumber(_ call: Call, _ world: inout World) throws -> Reply {
        var resource = try lookup(call, world)
        let number = try numberParam(call)
        guard testStates(resource)[number] != nil else { throw notTester }
        let fresh = invite(number, isoTimestamp(call.now))
        resource.doc["testNumberStates"] = .array(
            (resource.doc["testNumberStates"]?.arrayValue ?? []).map {
                $0["number"]?.stringValue == number ? fresh : $0
            }
        )
        store(resource, call, &world)
        return .ok(fresh)
    }

    /// `POST /_emulator/rcs/testNumbers`: a tester accepts, declines or lets an invite expire.
    static func setTestNumberState(_ body: [String: JSON], world: inout World) throws -> JSON {
        var validation = Validation()
        let projectId = validation.string(body, "projectId", required: true) ?? ""
        let senderId = validation.string(body, "senderId", required: true) ?? ""
        let number = validation.string(body, "number", required: true) ?? ""
        let state = validation.oneOf(body, "state", required: true, allowed: testNumberStates) ?? ""
        try validation.check()
        guard var resource = world.projects[projectId]?.rcsSenders[senderId] else { throw senderNotFound }
        var entries = resource.doc["testNumberStates"]?.arrayValue ?? []
        guard let index = entries.firstIndex(where: { $0["number"]?.stringValue == number }),
            case .object(var entry) = entries[index]
        else { throw notTester }
        entry["state"] = .string(state)
        entries[index] = .object(entry)
        resource.doc["testNumberStates"] = .array(entries)
        world.projects[projectId]?.rcsSenders[senderId] = resource
        return .object(entry)
    }
}
