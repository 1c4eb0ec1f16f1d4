/// Every choice the emulator makes where the API facts say UNCONFIRMED (or SPEC-CONFLICT), kept in one place.
///
/// Each constant cites the fact it stands in for; change them here and nowhere else.
enum EmulatorDefaults {
    /// Part A §3.4 T3, SPEC-CONFLICT: schema default `SUBMIT` vs operation text "draft". Machine-readable default wins.
    static let templateCreateDefaultStatus = "SUBMIT"

    /// Part A §1.2: token response body is UNCONFIRMED; public test code mocks `{access_token, token_type, expires_in}`.
    static let tokenType = "Bearer"

    /// Part A §1.5: webhook id format UNCONFIRMED; emulator uses UUIDv4 and rejects non-UUIDs with `invalid_id_format`.
    static let webhookIdsAreUUIDs = true

    /// Part A §2.3 W1: the sort key behind "alphabetical" webhook lists is UNCONFIRMED; emulator sorts by `target`.
    static let webhookSortKey = "target"

    /// Part A §2.2: whether `ALL` may be mixed with other triggers is UNCONFIRMED; emulator accepts it.
    static let allowAllWithOtherTriggers = true

    /// Part A §3.3 SPEC-CONFLICT: "one component of each type" vs the spec's own showcase examples with repeated
    /// types (`authentication-full`, `marketing-or-utility-full`). The emulator enforces uniqueness.
    static let enforceUniqueComponentTypes = true

    /// Part A §3.3 says `components` must contain a `BODY`, yet the spec's own flow examples (`flow-utility`,
    /// `flow-marketing`) have only `BUTTONS`. Off, so documented bodies are accepted.
    static let requireBodyComponent = false

    /// Part A §3.4 T1: query-array encoding UNCONFIRMED; emulator accepts repeated keys and comma-separated values.
    static let acceptCommaSeparatedArrays = true

    /// Part A §3.5 / §7.11: a submitted new template shows `state: PENDING` while `changes.status` is `IN_PROGRESS`.
    static let newTemplateStateWhileInReview = "PENDING"

    /// Rejection code used when a forced rejection names none (Part A §3.1 enum).
    static let defaultTemplateRejectionCode = "INVALID_FORMAT"

    /// Part A §1.3: WhatsApp sender list order UNCONFIRMED; emulator orders by `created`.
    /// Part A §4.3 S5 / §7.9: a deleted WhatsApp sender stays readable during its 30-day grace (UNCONFIRMED look).
    static let whatsappSenderRemovalGraceDays = 30.0

    /// Part A §4.4 (INFERRED model): an approved review of a new WhatsApp sender makes it `ACTIVE` straight away
    /// (details applied, `changes` cleared, `metadata.displayName` APPROVED). A forced review with
    /// `"requireVerification": true` stops at `PENDING_VERIFICATION` instead, so register + verify (OTP) can be tested.
    /// An approved edit of a live sender applies the change; a display name or username edit is reviewed on its own in
    /// `metadata`.
    static let whatsappSenderStateAfterReview = "ACTIVE"

    /// Part A §4.3 S5 / §7.9: during the 30-day grace a deleted sender still works, so GET and list show it unchanged;
    /// a repeated DELETE answers `409 sender_already_deleted`; after the grace it is `404 sender_not_found`.
    static let whatsappDeletedSenderLooksUnchanged = true

    /// Part A §4.3 S2: `region` defaults "from the billing account's country" (UNCONFIRMED); the emulator uses EU.
    static let whatsappDefaultRegion = "EU"
    /// Default `metaLocalStorage` per region (UNCONFIRMED; the example pairs EU with DE).
    static let whatsappDefaultStorage: [String: String] = ["EU": "DE", "US": "US", "BR": "BR"]
    /// Default `businessManager` per region, chosen from the supported combinations table (UNCONFIRMED).
    static let whatsappDefaultBusinessManager: [String: String] = [
        "EU": "SINCH_UK", "US": "SINCH_UK", "BR": "SINCH_BR",
    ]
    /// An Embedded Signup body has no profile; Meta supplies it. The emulator shows this display name and vertical
    /// `OTHER` until the client edits them (UNCONFIRMED).
    static let whatsappEmbeddedDisplayName = "WhatsApp Business"
    /// `maxTps` of an active sender (the examples show 10).
    static let whatsappMaxTps = 10.0
    /// A fresh sender is attached to no Conversation API app: `conversationApiApp` / `conversationApiAppDetails`
    /// (shown in every example) stay absent (UNCONFIRMED); `bearerToken`, `maxTps`, `qualityRating` appear on activation.
    static let whatsappAttachesConversationApp = false

    /// Fixed OTP accepted by WhatsApp (S7) and KakaoTalk (KS10) verification.
    static let otpCode = "123456"

    /// Part B §2.7: a wrong KakaoTalk OTP is UNCONFIRMED; emulator answers `400 invalid_input`.
    static let kakaoWrongOtpStatus = 400

    /// Part B §2.7: KakaoTalk sender removal grace (60 days); the sender stays readable during it (UNCONFIRMED).
    static let kakaotalkSenderRemovalGraceDays = 60.0

    /// Part B §2.7: after a passed review a KakaoTalk sender is ready to register; `changes` stay until activation.
    /// The emulator keeps `changes.status` at `IN_PROGRESS` until verify (UNCONFIRMED exact shape).
    static let kakaoSenderKeepsChangesUntilVerify = true

    /// Part B §2.4: "not required for draft" relaxes the sender `details` requirements when `status=DRAFT`.
    static let kakaoRelaxRequiredForDraft = true

    /// Part B §3.1: KakaoTalk template name uniqueness scope UNCONFIRMED; emulator: per sender.
    static let kakaoTemplateNameUniquePerSender = true

    /// Part B §3.1: template `code` format UNCONFIRMED; emulator: 20 alphanumerics like the example.
    static let kakaoTemplateCodeLength = 20

    /// Part B §4.2: template category code table UNCONFIRMED; emulator accepts any 1–6 digit code.
    static let kakaoTemplateCategoryPattern = "^[0-9]{1,6}$"

    /// Part B §5.3: `hostingRegion` for BR/US UNCONFIRMED; EU→EUROPE is from the example.
    static let rcsHostingRegions: [String: String] = ["EU": "EUROPE", "US": "NORTH_AMERICA", "BR": "NORTH_AMERICA"]

    /// Part B §5.6 / §9.1.7: there is no RCS sender DELETE; emulator answers 405 (method not allowed).
    static let rcsDeleteStatus = 405

    /// Part B §5.6 RS1: default sort UNCONFIRMED; emulator `CREATED DESC`; `NAME` sorts by `details.brand.name`.
    static let rcsDefaultSortColumn = "CREATED"
    static let rcsDefaultSortDirection = "DESC"

    /// Part B §5.5: PATCH arrays replace (not merge), UNCONFIRMED.
    static let rcsPatchArraysReplace = true

    /// Part B §5.7: launch with preconditions met goes to `LAUNCHING` when a video is given, else `PREPARING_LAUNCH`.
    static let rcsLaunchStateWithVideo = "LAUNCHING"
    static let rcsLaunchStateWithoutVideo = "PREPARING_LAUNCH"

    /// Part B §5.4: brand name default.
    static let rcsDefaultBrandName = "RCS Sender"
    static let rcsDefaultBrandColor = "#000000"

    /// Part B §5.3: mobile operators listed under `countryStatus`; FR/GB/SE are the example's, the rest UNCONFIRMED
    /// (the emulator names one operator "<country> Mobile").
    static let rcsOperators: [String: [String]] = [
        "FR": ["Coriolis Telecom", "Lycamobile", "Bouygues", "Free", "NRJ Mobile", "SFR", "Orange"],
        "GB": ["EE", "Three", "Sky", "O2", "Vodafone"],
        "SE": ["Tele2", "Telenor", "Telia", "Three"],
    ]

    /// Part B §5.6 RS11: features a VERIFIED test number reports (the example's pair; UNCONFIRMED per device).
    static let rcsTestNumberFeatures = ["REVOCATION", "ACTION_DIAL"]

    /// Part B §9.1.8: a rejected launch (forced through `/_emulator/review`) marks operators `REJECTED` with the
    /// reason as `remark` and returns the sender to this state (UNCONFIRMED).
    static let rcsStateAfterRejectedLaunch = "IN_TEST"

    /// Part C §2.3: the WABA `wabaDetails` reports by default (the example's id), also the default account's `wabaId`.
    static let whatsappWabaId = "100000000000000"

    /// Part C §2.2 / §3.2: the business managers this environment allows (UNCONFIRMED; the documented example's list).
    /// Another valid one answers `invalid_business_manager_for_environment`; one that is not the account's own,
    /// `invalid_business_manager`.
    static let whatsappEnvironmentBusinessManagers = ["SINCH_AMERICA", "SINCH_UK"]

    /// Largest request body read from a caller with valid credentials; `PUT /_emulator/state` (a seeded world) may be
    /// larger. A caller without valid credentials gets its answer without its body being read at all.
    static let maxRequestBodyBytes = 8 << 20
    static let maxStateBodyBytes = 1 << 30

    /// Author shown on activities created through the API (examples use this text).
    static let activityAuthor = "Provisioning API user"

    /// Error codes for injected status faults (not documented; 429/500 reuse documented shapes).
    static func faultErrorCode(for status: Int) -> (code: String, message: String) {
        switch status {
        case 429: return ("too_many_requests", "Too many requests.")
        case 500: return ("internal_error", "Internal server error.")
        case 502: return ("bad_gateway", "Bad gateway.")
        case 503: return ("service_unavailable", "Service unavailable.")
        case 504: return ("gateway_timeout", "Gateway timeout.")
        default: return ("internal_error", "Internal server error.")
        }
    }

    /// Size of the request log ring (brief: keep the last 100,000 entries).
    static let requestLogCapacity = 100_000
}
