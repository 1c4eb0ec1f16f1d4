import Foundation
import ProvisioningAPI
import SinchformEngine
import SinchformManifest
import SinchformTestSupport
import Testing

/// `apply --wait`: the applier polls submitted templates and senders until each review ends, reports rejections
/// with their reasons, and gives up at the timeout naming what is still pending.
@Suite struct ReviewWaitTests {
    static let manifests =
        "whatsappTemplates:\n" + ManifestText.whatsappTemplate("wait_approved", body: "Order {{1}} ships soon.") + """
            kakaotalkSenders:
              main:
                plusFriendId: "@wait"
                details: {adminPhoneNo: "+48777000222", name: Wait, topLevelCategoryCode: "001", midLevelCategoryCode: "0001", subLevelCategoryCode: "0001"}
            kakaotalkTemplates:
              rejected:
                plusFriendId: "@wait"
                details: {name: rejected, language: KO, content: "Hello #{name}."}

            """

    /// Reviews end while the applier waits (the test ends them when the first waiting event arrives): the approved
    /// ones stop being waited for, the rejected one is reported with its reason (for KakaoTalk, a comment in the
    /// template's activity list).
    @Test func waitsUntilReviewsEndAndReportsRejections() async throws {
        try await EmulatorHarness.run { harness in
            try harness.write("main.yaml", Self.manifests)

            let (waiting, signal) = AsyncStream.makeStream(of: [Address].self)
            let options = ApplyOptions(parallelism: 2, wait: true, waitTimeout: .seconds(300)) { event in
                if case let .waiting(pending, _) = event { signal.yield(pending) }
            }
            let apply = Task {
                try await harness.withClient { client in
                    let context = try await harness.workspace.plan(client: client)
                    return try await Applier().apply(
                        context, workspace: harness.workspace, client: client, options: options)
                }
            }
            var events = waiting.makeAsyncIterator()
            let first = await events.next()
            #expect(
                first == [
                    "kakaotalkSender.main", "kakaotalkTemplate.rejected", "whatsappTemplate.wait_approved[EN_US]",
                ])
            try await harness.control.reviewAll(.approve, kind: "whatsappTemplate")
            // A KakaoTalk sender that passed review is active only once verified with the one-time code.
            try await harness.control.reviewAll(.approve, kind: "kakaotalkSender")
            let sender = "/v1/projects/sinchform-project/kakaotalk/senders/@wait"
            try await harness.api(.post, sender + "/register")
            try await harness.api(.post, sender + "/verify", ["code": 123456])
            try await harness.control.review(
                .reject,
                ["kind": "kakaotalkTemplate", "all": true, "reason": "Button links must point to the channel's domain"])
            let result = try await apply.value
            signal.finish()

            #expect(result.done.count == 3)
            #expect(result.stillPending.isEmpty, "\(result.stillPending)")
            #expect(result.rejected.map(\.address) == ["kakaotalkTemplate.rejected"])
            #expect(result.rejected.first?.message?.contains("Button links must point") == true, "\(result.rejected)")
            #expect(!result.succeeded, "a rejection makes the apply unsuccessful (exit 1)")
        }
    }

    /// Nothing reviewed before the timeout: the apply ends, naming what is still under review.
    @Test func givesUpAtTheTimeoutNamingWhatIsPending() async throws {
        try await EmulatorHarness.run { harness in
            try harness.write("main.yaml", Self.manifests)
            let result = try await harness.withClient { client in
                let context = try await harness.workspace.plan(client: client)
                return try await Applier().apply(
                    context, workspace: harness.workspace, client: client,
                    options: ApplyOptions(wait: true, waitTimeout: .milliseconds(200)))
            }
            #expect(result.done.count == 3)
            #expect(result.rejected.isEmpty)
            #expect(
                result.stillPending == [
                    "kakaotalkSender.main", "kakaotalkTemplate.rejected", "whatsappTemplate.wait_approved[EN_US]",
                ])
        }
    }
}
