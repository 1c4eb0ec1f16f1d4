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

    /// Part A §4.4 (INFERRED model): review of a new WhatsApp sender approves into `PENDING_VERIFICATION`, then
    /// register + verify (OTP) makes it `ACTIVE`; review of an edit applies the change directly.
    static let whatsappSenderStateAfterReview = "PENDING_VERIFICATION"

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
