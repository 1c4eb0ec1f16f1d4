import ProvisioningAPI
import SinchformTestSupport
import Testing

@Suite struct RCSSenderTests {
    static func sender(_ name: String, launchable: Bool = true) -> JSONValue {
        var brand: JSONValue = [
            "name": .string(name), "description": "Parcels, delivered.", "color": "#112233",
            "emails": [["label": "Support", "address": "support@example.com"]],
            "phones": [["label": "Support", "number": "+48777777777"]],
        ]
        if launchable {
            brand["bannerUrl"] = "https://example.com/banner.png"
            brand["logoUrl"] = "https://example.com/logo.png"
            brand["privacyPolicyUrl"] = "https://example.com/privacy"
            brand["termsOfServiceUrl"] = "https://example.com/terms"
        }
        return [
            "region": "EU", "billingCategory": "CONVERSATIONAL", "useCase": "OTP",
            "details": [
                "brand": brand, "countries": ["FR"], "testNumbers": ["+48777777777"],
                "questionnaire": [
                    "general": [
                        "answers": [
                            "optInDescription": "Sign-up form", "triggerDescription": "A purchase",
                            "interactionsDescription": "Order updates", "optOutDescription": "Reply STOP",
                            "videoUris": ["https://example.com/video.mp4"],
                        ]
                    ],
                    "verification": [
                        "answers": [
                            "name": "Ann Example", "email": "ann@example.com", "title": "Head of Messaging",
                            "website": "https://example.com",
                        ]
                    ],
                ],
            ],
        ]
    }

    @Test func lifecycleWithLaunchAndTestNumbers() async throws {
        try await APIHarness.run { harness in
            let senders = harness.client.rcsSenders
            let created = try #require(try await senders.create(Self.sender("Acme")).completedBody)
            let id = try #require(created["id"]?.stringValue)
            #expect(try await senders.get(id: id)["id"]?.stringValue == id)

            let updated = try await senders.update(id: id, ["details": ["brand": ["description": "New text"]]])
            #expect(updated.value(atPath: "details.brand.description")?.stringValue == "New text")

            let added = try #require(
                try await senders.addTestNumbers(id: id, numbers: ["+12223334444"]).completedBody)
            let numbers = added["testNumbers"]?.arrayValue?.compactMap { $0["number"]?.stringValue } ?? []
            #expect(numbers.contains("+12223334444"))

            try await senders.deleteTestNumber(id: id, number: "+12223334444")
            let after = try await senders.get(id: id)
            #expect(after.value(atPath: "details.testNumbers") == ["+48777777777"])
            let missingNumber = try await #require(throws: APIError.self) {
                try await senders.deleteTestNumber(id: id, number: "+12223334444")
            }
            #expect(missingNumber.status == 404)

            let launched = try #require(try await senders.launch(id: id).completedBody)
            #expect(launched["state"]?.stringValue != "IN_TEST")
        }
    }

    @Test func launchPreconditionsAreReported() async throws {
        try await APIHarness.run { harness in
            let created = try #require(
                try await harness.client.rcsSenders.create(Self.sender("Bare", launchable: false)).completedBody)
            let id = try #require(created["id"]?.stringValue)
            let error = try await #require(throws: APIError.self) {
                try await harness.client.rcsSenders.launch(id: id, label: "rcsSender.bare")
            }
            #expect(error.status == 412)
            #expect(error.errorCode == "launch_precondition_failed")
            #expect(
                error.description.hasPrefix("rcsSender.bare: launch RCS sender failed: 412 launch_precondition_failed"))
            #expect(error.description.contains("details.brand.bannerUrl"))
            #expect(try await harness.requests("POST", pathSuffix: "/launch").count == 1)
        }
    }

    @Test func listFollowsEveryPage() async throws {
        try await APIHarness.run(auth: .basic) { harness in
            let count = 103
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    group.addTask {
                        _ = try await harness.client.rcsSenders.create(Self.sender("Brand \(index)")).get()
                    }
                }
                try await group.waitForAll()
            }
            let all = try await harness.client.rcsSenders.list()
            #expect(Set(all.compactMap { $0["id"]?.stringValue }).count == count)
            let pages = try await harness.requests("GET", pathSuffix: "/rcs/senders")
            #expect(pages.count == 2)
            #expect(pages.allSatisfy { $0.query.contains("pageSize=100") })
        }
    }
}
