// The kinds, transcribed from docs/api (part A: webhooks §2, WhatsApp templates §3, WhatsApp senders §4;
// part B: KakaoTalk senders §2, KakaoTalk templates §3, RCS senders §5; part C: the WhatsApp account §2.1, §3.1).
// Field names and nesting are the API's.

import Foundation
import JSONSyntax

private func text(
    _ min: Int? = nil, _ max: Int? = nil, pattern: String? = nil, hint: String? = nil,
    format: StringRules.Format? = nil
) -> SchemaType {
    .string(StringRules(minLength: min, maxLength: max, pattern: pattern, patternHint: hint, format: format))
}

private func number(_ min: Double? = nil, _ max: Double? = nil, integer: Bool = false) -> SchemaType {
    .number(NumberRules(minimum: min, maximum: max, integer: integer))
}

private func list(
    _ items: SchemaType, min: Int? = nil, max: Int? = nil, unique: Bool = false, set: Bool = false,
    uniqueBy: String? = nil
) -> SchemaType {
    .array(items, ArrayRules(minItems: min, maxItems: max, uniqueItems: unique, isSet: set, uniqueBy: uniqueBy))
}

private func object(_ description: String, _ fields: [Field]) -> SchemaType {
    .object(ObjectSchema(description, fields))
}

private func object(_ fields: [Field]) -> SchemaType {
    .object(ObjectSchema(fields))
}

private let url = text(1, 742, format: .url)
private let e164 = text(pattern: #"^\+[1-9][0-9]{1,14}$"#, hint: "an E.164 number such as +12223334444")

extension ResourceDefinition {
    /// The definitions of every kind, in dependency order: what others depend on comes first. A new kind adds its
    /// definition below and here.
    public static let all: [ResourceDefinition] = [
        webhook, kakaotalkSender, kakaotalkTemplate, whatsappAccount, whatsappSender, whatsappTemplate, rcsSender,
    ]

    // MARK: Webhooks (part A §2)

    static let webhook: ResourceDefinition = {
        let spec = ObjectSchema(
            "A project webhook; identified by its target URL (unique per project).",
            [
                Field(
                    "target", text(1, 742, format: .url), required: true, traits: [.identity],
                    "The URL events are posted to; unique within the project."),
                Field(
                    "triggers", list(.enumeration(APIEnumerations.webhookTriggers), min: 1, set: true),
                    required: true,
                    "Events this webhook receives; ALL receives every event and is not combined with others."),
                Field(
                    "secret", text(1, 128), traits: [.writeOnly, .sensitive, .requiredToCreate],
                    "Signs callbacks (HMAC-SHA256). Write-only: never read back. Use ${env.NAME}."),
            ])
        return ResourceDefinition(
            kind: .webhook, description: spec.description, nameRules: StringRules(minLength: 1, maxLength: 128),
            manifestSpec: spec, resourceSpec: spec,
            naturalKey: NaturalKey { first, location in
                "the same target as \(first) (\(location)); targets are unique per project"
            },
            // part A §2.3, `webhook_limit_reached`.
            limit: 15, checks: [webhookTriggers],
            importing: Importing(fileName: "webhooks.yaml") { effective, _ in
                guard let target = effective["target"]?.stringValue else { return nil }
                guard let components = URLComponents(string: target), let host = components.host else { return target }
                return host + components.path
            })
    }()

    // MARK: WhatsApp templates (part A §3)

    private static let whatsappButton: SchemaType = .oneOf(
        discriminator: "type",
        variants: [
            (
                "PHONE_NUMBER",
                ObjectSchema([
                    Field("text", text(1, 25), required: true, "Button label."),
                    Field("phoneNumber", text(1, 32), required: true, "Phone number to call, e.g. +48 777 777777."),
                ])
            ),
            (
                "URL",
                ObjectSchema([
                    Field("text", text(1, 25), required: true, "Button label."),
                    Field(
                        "url", text(1, 2000, format: .url), required: true,
                        "Target URL; a dynamic URL may end with {{1}}."),
                    Field("examples", list(text(1)), "Full sample URLs; required when url ends with {{1}}."),
                ])
            ),
            ("QUICK_REPLY", ObjectSchema([Field("text", text(1, 25), required: true, "Button label.")])),
            (
                "OTP",
                ObjectSchema([
                    Field(
                        "otpType", .enumeration(["COPY_CODE", "ONE_TAP", "ZERO_TAP"]), required: true,
                        "How the one-time password is delivered."),
                    Field("text", text(1, 25), required: true, "Button label."),
                    Field("autofillText", text(0, 25), "One-tap autofill label."),
                    Field(
                        "supportedApps",
                        list(
                            object([
                                Field("packageName", text(1), required: true, "Android package name."),
                                Field("signatureHash", text(1), required: true, "App signing key hash."),
                            ])), "Apps that may autofill the code."),
                    Field("packageName", text(1), "Deprecated single-app form."),
                    Field("signatureHash", text(1), "Deprecated single-app form."),
                    Field("zeroTapTermsAccepted", .boolean, "Accepts WhatsApp's zero-tap terms."),
                ])
            ),
            (
                "FLOW",
                ObjectSchema([
                    Field("text", text(1, 25), required: true, "Button label."),
                    Field(
                        "flowId", text(1, 30, pattern: "^[0-9]+$", hint: "1 to 30 digits"), required: true, "Flow ID."),
                    Field("flowAction", .enumeration(["DATA_EXCHANGE", "NAVIGATE"]), required: true, "Flow action."),
                    Field("navigateScreen", text(1, 432), "First screen; required for NAVIGATE."),
                ])
            ),
            ("REQUEST_CONTACT_INFO", ObjectSchema([Field("text", text(1, 25), "Button label.")])),
            ("ORDER_DETAILS", ObjectSchema([Field("text", text(1, 25), "Button label.")])),
            ("COPY_CODE", ObjectSchema([Field("examples", list(text(1, 20), min: 1), "Sample codes.")])),
        ])

    private static let mediaExamples = list(
        object([
            Field("url", text(1, format: .url), required: true, "Sample media URL."),
            Field(
                "mimeType", .enumeration(["IMAGE/JPEG", "IMAGE/PNG", "APPLICATION/PDF", "VIDEO/3GP", "VIDEO/MP4"]),
                "Media type."),
        ]), min: 1)

    private static let whatsappComponent: SchemaType = .oneOf(
        discriminator: "type",
        variants: [
            (
                "HEADER",
                ObjectSchema([
                    Field(
                        "format", .enumeration(["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"]), required: true,
                        "Header format."),
                    Field("text", text(1, 60), "Header text (TEXT); may hold one variable."),
                    Field(
                        "examples", list(.any, min: 1), "Sample values: strings for TEXT, {url, mimeType} for media."),
                ])
            ),
            (
                "BODY",
                ObjectSchema([
                    Field("text", text(0, 1024), "Body text with {{1}}, {{2}}… variables (empty for AUTHENTICATION)."),
                    Field("examples", list(text()), "One sample per variable."),
                    Field("addSecurityRecommendation", .boolean, default: .bool(false), "AUTHENTICATION only."),
                ])
            ),
            (
                "FOOTER",
                ObjectSchema([
                    Field("text", text(0, 60), "Footer text."),
                    Field("codeExpirationMinutes", number(1, 90, integer: true), "AUTHENTICATION only."),
                ])
            ),
            (
                "BUTTONS",
                ObjectSchema([
                    Field("buttons", list(whatsappButton, min: 1), required: true, "The buttons.")
                ])
            ),
            (
                "CAROUSEL",
                ObjectSchema([
                    Field(
                        "cards",
                        list(
                            object([
                                Field(
                                    "components",
                                    list(
                                        .oneOf(
                                            discriminator: "type",
                                            variants: [
                                                (
                                                    "HEADER",
                                                    ObjectSchema([
                                                        Field(
                                                            "format", .enumeration(["IMAGE", "VIDEO"]), required: true,
                                                            "Card header format."),
                                                        Field("examples", mediaExamples, "Sample media."),
                                                    ])
                                                ),
                                                (
                                                    "BODY",
                                                    ObjectSchema([
                                                        Field("text", text(1, 160), required: true, "Card text."),
                                                        Field("examples", list(text()), "One sample per variable."),
                                                    ])
                                                ),
                                                (
                                                    "BUTTONS",
                                                    ObjectSchema([
                                                        Field(
                                                            "buttons", list(whatsappButton, min: 1, max: 2),
                                                            required: true, "URL, QUICK_REPLY or PHONE_NUMBER buttons.")
                                                    ])
                                                ),
                                            ]), uniqueBy: "type"), required: true, "The card's components.")
                            ]), min: 1, max: 10), required: true, "1 to 10 cards with the same components.")
                ])
            ),
            (
                "LIMITED_TIME_OFFER",
                ObjectSchema([
                    Field("text", text(1, 16), required: true, "Offer details."),
                    Field("hasExpiration", .boolean, default: .bool(false), "Show the expiry in the message."),
                ])
            ),
        ])

    private static let whatsappTemplateDetails: SchemaType = object(
        "The template content.",
        [
            Field(
                "components", list(whatsappComponent, min: 1, uniqueBy: "type"), required: true,
                "Header, body, footer, buttons…; must contain a BODY; at most one of each type."),
            Field(
                "messageSendTtlSeconds", number(10, 2_592_000, integer: true),
                "Delivery time-to-live; "
                    + whatsappTTLRanges.map {
                        // range-checked: the ranges are constants of ours.
                        "\($0.category) \(Int($0.seconds.lowerBound))–\(Int($0.seconds.upperBound))"
                    }
                    .joined(separator: ", ") + "."),
            Field(
                "optimization",
                object([
                    Field("bidAmount", number(0), required: true, "Max price per 1,000 deliveries (smallest unit)."),
                    Field(
                        "bidStrategy", .enumeration(["LOWEST_COST_WITH_BID_CAP"]), required: true,
                        "Bid strategy (read back as BID_STRATEGY_LOWEST_COST_WITH_BID_CAP)."),
                    Field(
                        "bidCountryMultiplierOverrides",
                        .map(
                            keys: StringRules(pattern: "^[A-Z]{2}$", patternHint: "an ISO 3166-1 alpha-2 code"),
                            values: text(pattern: #"^(10(\.0+)?|[0-9](\.[0-9]+)?)$"#, hint: "a decimal 0.0 to 10.0")),
                        "Country code → multiplier (a decimal string)."),
                ]), "Marketing dynamic pricing."),
        ])

    private static let whatsappCategory = Field(
        "category", .enumeration(APIEnumerations.whatsappTemplateCategories), required: true, traits: [.immutable],
        "Template category; the same for every language of a name.")

    private static let allowCategoryChange = Field(
        "allowCategoryChange", .boolean, traits: [.writeOnly], "Let Meta reassign the category instead of rejecting.")

    static let whatsappTemplate: ResourceDefinition = {
        let language = ObjectSchema(
            "One language of the template.",
            [Field("details", whatsappTemplateDetails, required: true, "The content in this language.")])
        let manifest = ObjectSchema(
            "A WhatsApp message template; the map key is the template name, identified by name + language.",
            [
                whatsappCategory, allowCategoryChange,
                Field(
                    "languages",
                    .map(
                        keys: StringRules(
                            pattern: "^(" + APIEnumerations.whatsappLanguages.joined(separator: "|") + ")$",
                            patternHint: "a language code such as EN_US"),
                        values: .object(language)), required: true, "Language code → content."),
            ])
        let resource = ObjectSchema(manifest.description, [whatsappCategory, allowCategoryChange] + language.fields)
        return ResourceDefinition(
            kind: .whatsappTemplate, description: manifest.description,
            nameRules: StringRules(
                minLength: 2, maxLength: 512, pattern: "^[a-z0-9][a-z0-9_]*[a-z0-9]$",
                patternHint: "lower-case letters, digits and _, starting and ending with a letter or digit"),
            manifestSpec: manifest, resourceSpec: resource, naturalKey: NaturalKey(byName: true), isReviewed: true,
            checks: [whatsappTemplateContent, TemplateLint.whatsappTemplate],
            importing: Importing(fileName: "whatsapp-templates.yaml") { _, name in name })
    }()

    // MARK: WhatsApp senders (part A §4)

    static let whatsappSender: ResourceDefinition = {
        let spec = ObjectSchema(
            "A WhatsApp sender (phone number); adopted by its phone number.",
            [
                Field(
                    "region", .enumeration(APIEnumerations.regions), traits: [.immutable], "Where it is provisioned."),
                Field(
                    "metaLocalStorage", .enumeration(APIEnumerations.metaLocalStorage), traits: [.immutable],
                    "Where Meta stores the data."),
                Field(
                    "businessManager", .enumeration(APIEnumerations.whatsappBusinessManagers), traits: [.immutable],
                    "Sinch business manager."),
                Field(
                    "wabaId", text(1), traits: [.immutable, .writeOnly],
                    "WhatsApp Business Account to connect (Embedded Signup)."),
                Field(
                    "phoneNumberId", text(1), traits: [.immutable, .writeOnly],
                    "Phone number ID in that WABA (Embedded Signup)."),
                Field(
                    "authenticationCode", text(1), traits: [.writeOnly, .sensitive],
                    "Single-use code from Embedded Signup."),
                Field(
                    "phoneNumberProvider", .enumeration(APIEnumerations.numberProviders),
                    traits: [.immutable, .writeOnly],
                    "Partner-initiated senders: who provides the number."),
                Field(
                    "details",
                    object(
                        "The business profile.",
                        [
                            Field("displayName", text(1, 128), required: true, "Display name."),
                            Field("description", text(1, 512), "Business description."),
                            Field("vertical", .enumeration(APIEnumerations.whatsappVerticals), "Business vertical."),
                            Field("email", text(1, 128, format: .email), "Contact e-mail."),
                            Field("address", text(1, 256), "Business address."),
                            Field("websiteOne", text(1, 256, format: .url), "First website."),
                            Field("websiteTwo", text(1, 256, format: .url), "Second website."),
                            Field("about", text(1, 139), "About text."),
                            Field("photoUrl", text(1, 256, format: .url), "Profile picture URL."),
                            Field("username", text(1), "WhatsApp username."),
                            Field(
                                "countryCode", text(1, 4, pattern: "^[0-9]+$", hint: "digits, e.g. 48"),
                                traits: [.immutable, .identity], "Country calling code without +."),
                            Field(
                                "phoneNumber",
                                text(1, 32, pattern: "^[0-9]+$", hint: "digits without the country code"),
                                traits: [.immutable, .identity], "Number without the country code."),
                        ]), required: true, "The business profile."),
            ])
        return ResourceDefinition(
            kind: .whatsappSender, description: spec.description, nameRules: StringRules(minLength: 1, maxLength: 128),
            manifestSpec: spec, resourceSpec: spec,
            naturalKey: NaturalKey { first, location in "the same phone number as \(first) (\(location))" },
            isReviewed: true,
            importing: Importing(fileName: "whatsapp-senders.yaml") { effective, _ in
                guard let code = effective.at(["details", "countryCode"])?.stringValue,
                    let number = effective.at(["details", "phoneNumber"])?.stringValue
                else { return nil }
                return "phone " + code + number
            })
    }()

    // MARK: The WhatsApp account (part C §2.1, §3.1)

    static let whatsappAccount: ResourceDefinition = {
        let spec = ObjectSchema(
            "The project's WhatsApp account (one per project, no name). sinchform never creates or deletes it: "
                + "create it with Embedded Signup or in the Sinch dashboard.",
            [
                Field(
                    "templateAnalytics", .boolean, traits: [.oneWay],
                    "Meta template analytics (wabaEnabledForInsights). One-way: once on, the API cannot turn it off."
                )
            ])
        return ResourceDefinition(
            kind: .whatsappAccount, description: spec.description, nameRules: StringRules(maxLength: 0),
            manifestSpec: spec, resourceSpec: spec,
            importing: Importing(fileName: "whatsapp-account.yaml") { _, _ in "" }, isSingleton: true)
    }()

    // MARK: KakaoTalk senders (part B §2)

    static let kakaotalkSender: ResourceDefinition = {
        let spec = ObjectSchema(
            "A KakaoTalk sender (channel); identified by its plusFriendId.",
            [
                Field(
                    "plusFriendId", text(1, 30), required: true, traits: [.identity, .immutable],
                    "Kakao channel ID, e.g. @acme; unique."),
                Field(
                    "details",
                    object(
                        "The sender's details.",
                        [
                            Field("adminPhoneNo", text(1, 15), required: true, "Administrator phone number."),
                            Field("name", text(1, 512), required: true, "Sender name."),
                            Field(
                                "topLevelCategoryCode",
                                text(pattern: "^[0-9]{3}$", hint: "exactly 3 digits, e.g. \"001\""),
                                required: true, "Depth-1 sender category code."),
                            Field(
                                "midLevelCategoryCode",
                                text(pattern: "^[0-9]{4}$", hint: "exactly 4 digits, e.g. \"0001\""),
                                required: true, "Depth-2 sender category code."),
                            Field(
                                "subLevelCategoryCode",
                                text(pattern: "^[0-9]{4}$", hint: "exactly 4 digits, e.g. \"0001\""),
                                required: true, "Depth-3 sender category code."),
                            Field("logoImage", text(1, 2000, format: .url), "Logo URL (jpeg/png, max 5 MB)."),
                        ]), required: true, "The sender's details."),
            ])
        return ResourceDefinition(
            kind: .kakaotalkSender, description: spec.description, nameRules: StringRules(minLength: 1, maxLength: 128),
            manifestSpec: spec, resourceSpec: spec,
            naturalKey: NaturalKey { first, location in
                "already used by \(first) (\(location)); plusFriendId is unique"
            },
            isReviewed: true,
            importing: Importing(fileName: "kakaotalk-senders.yaml") { effective, _ in
                effective["plusFriendId"]?.stringValue
            })
    }()

    // MARK: KakaoTalk templates (part B §3)

    static let kakaotalkTemplate: ResourceDefinition = {
        // Web links (linkMo, linkPc) open in a browser: http(s). App links (schemeIos, schemeAndroid) take the app's
        // own scheme, e.g. daumapps://open (part B §3.2: "url 1–500"; Kakao's APP_LINK button).
        let link = text(1, 500, format: .url)
        let appLink = text(1, 500, format: .uri)
        let spec = ObjectSchema(
            "A KakaoTalk (AlimTalk) template of a sender; adopted by details.name within its sender.",
            [
                Field(
                    "plusFriendId", text(1, 30), required: true, traits: [.immutable, .identity],
                    "The sender the template belongs to."),
                Field(
                    "details",
                    object(
                        "The template content.",
                        [
                            Field(
                                "name", text(1, 150), required: true, traits: [.identity],
                                "Template name; unique per sender."),
                            Field(
                                "language", .enumeration(APIEnumerations.kakaotalkLanguages), required: true,
                                traits: [.immutable], "Language; cannot change after create."),
                            Field("content", text(1, 1000), required: true, "Body text."),
                            Field(
                                "messageType", .enumeration(APIEnumerations.kakaotalkMessageTypes),
                                default: .string("BASIC"), "Message type."),
                            Field(
                                "emphasizeType", .enumeration(APIEnumerations.kakaotalkEmphasizeTypes),
                                default: .string("EMPHASIZE_TYPE_NONE"), "Emphasis."),
                            Field("categoryCode", text(1, 6), default: .string("999999"), "Template category code."),
                            Field("securityFlag", .boolean, default: .bool(false), "Security (e.g. OTP) template."),
                            Field("extra", text(1, 500), "Additional information block."),
                            Field("title", text(1, 50), "Emphasis title."),
                            Field("subtitle", text(1, 50), "Auxiliary phrase."),
                            Field("imageName", text(1, 250), "Uploaded image name."),
                            Field("imageUrl", text(1, 2000, format: .url), "Image URL (jpeg/png, 2:1, max 500 KB)."),
                            Field(
                                "buttons",
                                list(
                                    object([
                                        Field("ordering", number(1, 5, integer: true), required: true, "Position 1–5."),
                                        Field(
                                            "type", .enumeration(APIEnumerations.kakaotalkButtonTypes), required: true,
                                            "Button type."),
                                        Field("name", text(1, 14), required: true, "Button label."),
                                        Field("linkMo", link, "Mobile link."),
                                        Field("linkPc", link, "PC link."),
                                        Field("schemeIos", appLink, "iOS app link, e.g. daumapps://open."),
                                        Field("schemeAndroid", appLink, "Android app link, e.g. daumapps://open."),
                                    ]), max: 5, uniqueBy: "type"), default: .array([]),
                                "Up to five buttons, unique type."),
                        ]), required: true, "The template content."),
            ])
        return ResourceDefinition(
            kind: .kakaotalkTemplate, description: spec.description,
            nameRules: StringRules(minLength: 1, maxLength: 128), manifestSpec: spec, resourceSpec: spec,
            naturalKey: NaturalKey { first, location in
                "the same name as \(first) (\(location)) for one sender; names are unique per sender"
            },
            parent: Parent(kind: .kakaotalkSender, field: "plusFriendId"), isReviewed: true,
            checks: [TemplateLint.kakaotalkTemplate],
            importing: Importing(fileName: "kakaotalk-templates.yaml") { effective, _ in
                effective.at(["details", "name"])?.stringValue
            })
    }()

    // MARK: RCS senders (part B §5)

    static let rcsSender: ResourceDefinition = {
        func labelled(_ valueName: String, _ value: SchemaType, _ description: String) -> SchemaType {
            list(
                object([
                    Field("label", text(0, 25), required: true, "Label."),
                    Field(valueName, value, required: true, description),
                ]), min: 1, max: 3, uniqueBy: valueName)
        }
        let answers = object(
            "A questionnaire block.", [Field("answers", .any, required: true, "The answers (API field names).")])
        let spec = ObjectSchema(
            "An RCS sender (RBM agent); adopted by its brand name. The API has no DELETE for it.",
            [
                Field("region", .enumeration(APIEnumerations.regions), required: true, traits: [.immutable], "Region."),
                Field(
                    "billingCategory", .enumeration(APIEnumerations.rcsBillingCategories), required: true,
                    traits: [.immutable], "Billing category."),
                Field(
                    "useCase", .enumeration(APIEnumerations.rcsUseCases), required: true, traits: [.immutable],
                    "Use case."),
                Field(
                    "details",
                    object(
                        "The agent's details.",
                        [
                            Field(
                                "brand",
                                object(
                                    "The brand shown to users.",
                                    [
                                        Field(
                                            "name", text(0, 40), traits: [.identity],
                                            default: .string("RCS Sender"), "Brand name."),
                                        Field(
                                            "emails", labelled("address", text(1, 100, format: .email), "Address."),
                                            "1–3 e-mails."),
                                        Field(
                                            "phones",
                                            labelled(
                                                "number",
                                                text(
                                                    pattern: #"^\+?[0-9+\s]{6,15}$"#,
                                                    hint: "6 to 15 digits, optionally with +"),
                                                "Number."), "1–3 phones."),
                                        Field(
                                            "websites", labelled("url", text(1, 255, format: .url), "URL."),
                                            "1–3 websites."),
                                        Field(
                                            "color",
                                            text(pattern: "^#[0-9a-fA-F]{6}$", hint: "a hex colour such as #1a2b3c"),
                                            default: .string("#000000"), "Brand colour."),
                                        Field("description", text(0, 100), "Brand description."),
                                        Field(
                                            "bannerUrl", text(1, 2000, format: .url), "Banner (1440×448, max 200 KB)."),
                                        Field("logoUrl", text(1, 2000, format: .url), "Logo (224×224, max 50 KB)."),
                                        Field("privacyPolicyUrl", text(1, 2000, format: .url), "Privacy policy."),
                                        Field("termsOfServiceUrl", text(1, 2000, format: .url), "Terms of service."),
                                    ]), "The brand."),
                            Field("testNumbers", list(e164, max: 200, set: true), "Test devices (E.164)."),
                            Field(
                                "countries", list(.enumeration(APIEnumerations.rcsLaunchCountries), min: 1, set: true),
                                "Countries to launch in."),
                            Field(
                                "questionnaire",
                                object(
                                    "Questionnaire answers.",
                                    [
                                        Field("general", answers, "General answers."),
                                        Field("verification", answers, "Verification contact."),
                                        Field("gb", answers, "United Kingdom."),
                                        Field("fr", answers, "France."),
                                        Field("us", answers, "United States."),
                                    ]), "Questionnaire answers."),
                        ]), "The agent's details."),
            ])
        return ResourceDefinition(
            kind: .rcsSender, description: spec.description, nameRules: StringRules(minLength: 1, maxLength: 128),
            manifestSpec: spec, resourceSpec: spec,
            importing: Importing(
                fileName: "rcs-senders.yaml",
                comment: [
                    "RCS senders cannot be deleted through the API: removing one from the files makes sinchform "
                        + "forget it."
                ]
            ) { effective, _ in effective.at(["details", "brand", "name"])?.stringValue })
    }()
}

// MARK: - Rules within one resource that the schema cannot say

/// ALL already receives every event (part A §2.2).
@Sendable private func webhookTriggers(_ address: String, _ spec: ManifestValue) -> [Diagnostic] {
    guard let triggers = spec["triggers"]?.array, triggers.count > 1,
        let all = triggers.first(where: { $0.string == "ALL" })
    else { return [] }
    return [
        .error(
            at: all.location, "\(address).triggers: ALL already receives every event; remove the other triggers or ALL")
    ]
}

/// Delivery time-to-live per category (part A §3.3).
private let whatsappTTLRanges: [(category: String, seconds: ClosedRange<Double>)] = [
    ("AUTHENTICATION", 10...900), ("UTILITY", 30...43200), ("MARKETING", 43200...2_592_000),
]

/// A template needs a BODY component, and its TTL must suit its category (part A §3.3).
@Sendable private func whatsappTemplateContent(_ address: String, _ spec: ManifestValue) -> [Diagnostic] {
    guard let details = spec["details"] else { return [] }
    var diagnostics: [Diagnostic] = []
    let components = details["components"]?.array ?? []
    if !components.isEmpty, !components.contains(where: { $0.string("type") == "BODY" }) {
        diagnostics.append(
            .error(
                at: details["components"]?.location ?? details.location,
                "\(address).details.components: a template needs a BODY component"))
    }
    if let ttl = details["messageSendTtlSeconds"], let seconds = ttl.number,
        let category = spec.string("category"),
        let range = whatsappTTLRanges.first(where: { $0.category == category })?.seconds,
        !range.contains(seconds)
    {
        diagnostics.append(
            .error(
                at: ttl.location,
                "\(address).details.messageSendTtlSeconds: \(Int(exactly: seconds).map(String.init) ?? "\(seconds)") is outside \(Int(range.lowerBound))–\(Int(range.upperBound)) seconds allowed for \(category) templates"
            ))
    }
    return diagnostics
}
