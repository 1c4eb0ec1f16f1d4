/// Enumerations of the Sinch Provisioning API (input variants), from docs/api/part-a.md and part-b.md.
public enum APIEnumerations {
    /// Webhook triggers (part A §2.2), 39 values.
    public static let webhookTriggers = [
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

    /// KakaoTalk template languages (part B §3.2), 69 codes.
    public static let kakaotalkLanguages = [
        "AF", "AR", "AZ", "BG", "BN", "CA", "CS", "DA", "DE", "EL", "EN", "EN_GB", "EN_US", "ES", "ES_AR", "ES_ES",
        "ES_MX", "ET", "FA", "FI", "FIL", "FR", "GA", "GU", "HA", "HE", "HI", "HR", "HU", "ID", "IT", "JA", "KA",
        "KK", "KN", "KO", "KY_KG", "LO", "LT", "LV", "MK", "ML", "MR", "MS", "NB", "NL", "PA", "PL", "PT_BR", "PT_PT",
        "RO", "RU", "RW_RW", "SK", "SL", "SQ", "SR", "SV", "SW", "TA", "TE", "TH", "TR", "UK", "UR", "UZ", "VI",
        "ZH_CN", "ZH_HK", "ZH_TW", "ZU",
    ]

    /// WhatsApp template languages (part A §3.1): the KakaoTalk list plus `ES_UY`, 72 codes.
    public static let whatsappLanguages = (kakaotalkLanguages + ["ES_UY"]).sorted()

    public static let whatsappTemplateCategories = ["AUTHENTICATION", "MARKETING", "UTILITY"]
    public static let regions = ["BR", "EU", "US"]
    public static let metaLocalStorage = [
        "AE", "AU", "BH", "BR", "CA", "CH", "DE", "GB", "ID", "IN", "JP", "KR", "SG", "US", "ZA",
    ]
    public static let whatsappBusinessManagers = ["SINCH_BR", "SINCH_MX", "SINCH_UK"]
    public static let whatsappVerticals = [
        "ALCOHOL", "AUTOMOTIVE", "BEAUTY_SPA_SALON", "CLOTHING_AND_APPAREL", "EDUCATION", "ENTERTAINMENT",
        "EVENT_PLANNING_AND_SERVICE", "FINANCE_AND_BANKING", "FOOD_AND_GROCERY", "HOTEL_AND_LODGING",
        "MEDICAL_AND_HEALTH", "NON_PROFIT", "ONLINE_GAMBLING", "OTC_DRUGS", "OTHER", "PHYSICAL_GAMBLING",
        "PROFESSIONAL_SERVICES", "PUBLIC_SERVICE", "RESTAURANT", "SHOPPING_AND_RETAIL", "TRAVEL_AND_TRANSPORTATION",
    ]
    public static let numberProviders = ["CUSTOMER", "SINCH"]
    public static let kakaotalkMessageTypes = ["AD_INCLUDED", "BASIC", "EXTRA_INFORMATION", "MIXED"]
    public static let kakaotalkEmphasizeTypes = ["EMPHASIZE_TYPE_IMAGE", "EMPHASIZE_TYPE_NONE", "EMPHASIZE_TYPE_TEXT"]
    public static let kakaotalkButtonTypes = [
        "APP_LINK", "BOT_FOR_CONSULTATION", "BOT_KEYWORD", "BOT_TRANSFER", "BUSINESS_FORM", "CHANNEL_ID_ADDED",
        "DELIVERY_SEARCH", "IMAGE_SECURE_TRANSMISSION_PLUGIN_ID", "MESSAGE_DELIVERY", "ONE_CLICK_PAYMENT_PLUGIN",
        "PERSONAL_INFORMATION_USE_PLUGIN_ID", "WEB_LINK",
    ]
    public static let rcsBillingCategories = [
        "CONVERSATIONAL", "NON_CONVERSATIONAL", "BASIC_MESSAGE", "CONVERSATIONAL_LEGACY", "SINGLE_MESSAGE",
    ]
    public static let rcsUseCases = ["MULTIUSE", "OTP", "PROMOTIONAL", "TRANSACTIONAL"]
    public static let rcsLaunchCountries = [
        "AT", "BE", "BR", "CA", "CZ", "DK", "FI", "FR", "DE", "GR", "HU", "IT", "LT", "MX", "NL", "NO", "PE", "PL",
        "PT", "SG", "SK", "ES", "SE", "US", "GB",
    ]
}
