enum WhatsAppSenders {
    static let routes: [Route] = []
    static func completeReview(_ resource: inout Resource, _ outcome: ReviewOutcome, at time: Double) {}
}
