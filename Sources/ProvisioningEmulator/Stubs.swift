enum KakaoTalk {
    static let routes: [Route] = []
    static func templateKey(_ sender: String, _ code: String) -> String { sender + "/" + code }
    static func completeSenderReview(_ resource: inout Resource, _ outcome: ReviewOutcome, at time: Double) {}
    static func completeTemplateReview(_ resource: inout Resource, _ outcome: ReviewOutcome, at time: Double) {}
}
enum RcsSenders {
    static let routes: [Route] = []
    static func completeLaunch(_ resource: inout Resource, _ outcome: ReviewOutcome, at time: Double) {}
}
enum WhatsAppSenders {
    static let routes: [Route] = []
    static func completeReview(_ resource: inout Resource, _ outcome: ReviewOutcome, at time: Double) {}
}
