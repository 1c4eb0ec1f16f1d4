import Foundation
import ProvisioningAPI
import SinchformTestSupport
import Testing

@Suite struct KakaoTalkTests {
    static func sender(_ plusFriendId: String, status: String = "SUBMIT") -> JSONValue {
        [
            "plusFriendId": .string(plusFriendId), "status": .string(status),
            "details": [
                "adminPhoneNo": "+48777777777", "name": "Acme", "topLevelCategoryCode": "019",
                "midLevelCategoryCode": "0006", "subLevelCategoryCode": "0001",
            ],
        ]
    }

    static func template(_ name: String) -> JSONValue {
        ["status": "DRAFT", "details": ["name": .string(name), "content": "Hello #{name}", "language": "EN"]]
    }

    @Test func senderLifecycleWithRegisterAndVerify() async throws {
        try await APIHarness.run { harness in
            let senders = harness.client.kakaotalkSenders
            let created = try #require(try await senders.create(Self.sender("@acme")).completedBody)
            #expect(created["plusFriendId"]?.stringValue == "@acme")
            #expect(try await senders.get(plusFriendId: "@acme")["plusFriendId"]?.stringValue == "@acme")

            try await harness.control.advanceClock(seconds: 600)  // the review completes
            let registered = try #require(try await senders.register(plusFriendId: "@acme").completedBody)
            #expect(registered["state"]?.stringValue == "VERIFYING")

            let wrongCode = try await #require(throws: APIError.self) {
                try await senders.verify(plusFriendId: "@acme", code: 999_999, label: "kakaotalkSender.main")
            }
            #expect(wrongCode.status == 400)
            #expect(wrongCode.description.hasPrefix("kakaotalkSender.main: verify KakaoTalk sender failed: 400"))

            let verified = try #require(try await senders.verify(plusFriendId: "@acme", code: 123_456).completedBody)
            #expect(verified["state"]?.stringValue == "ACTIVE")
            // The code went out as a JSON number, not a string.
            #expect(
                try await harness.requests("POST", pathSuffix: "/verify").map(\.status) == [400, 200])

            let again = try await #require(throws: APIError.self) { try await senders.register(plusFriendId: "@acme") }
            #expect(again.errorCode == "not_allowed_register")

            try await senders.delete(plusFriendId: "@acme")
            #expect(try await harness.requests("DELETE", pathSuffix: "/kakaotalk/senders/@acme").first?.status == 204)
        }
    }

    @Test func templatesLifecycle() async throws {
        try await APIHarness.run { harness in
            _ = try await harness.client.kakaotalkSenders.create(Self.sender("@acme", status: "DRAFT")).get()
            let templates = harness.client.kakaotalkTemplates
            let first = try #require(
                try await templates.create(plusFriendId: "@acme", Self.template("welcome")).completedBody)
            let code = try #require(first["code"]?.stringValue)
            let second = try #require(
                try await templates.create(plusFriendId: "@acme", Self.template("goodbye")).completedBody)
            let secondCode = try #require(second["code"]?.stringValue)

            #expect(try await templates.get(plusFriendId: "@acme", code: code)["code"]?.stringValue == code)
            let updated = try await templates.update(
                plusFriendId: "@acme", code: code, ["status": "DRAFT", "details": ["content": "Welcome #{name}"]])
            #expect(updated.value(atPath: "changes.details.content")?.stringValue == "Welcome #{name}")
            #expect(try await templates.list(plusFriendId: "@acme").count == 2)

            try await templates.deleteChanges(plusFriendId: "@acme", code: secondCode)
            try await templates.delete(plusFriendId: "@acme", code: code)
            #expect(try await templates.list(plusFriendId: "@acme").isEmpty)

            let duplicate = try await templates.create(plusFriendId: "@acme", Self.template("same")).get()
            #expect(duplicate?["code"] != nil)
            let error = try await #require(throws: APIError.self) {
                try await templates.create(plusFriendId: "@acme", Self.template("same"))
            }
            #expect(error.status == 409)
            #expect(error.errorCode == "template_exists")
        }
    }

    @Test func listsFollowEveryPage() async throws {
        try await APIHarness.run(auth: .basic) { harness in
            let count = 103
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    group.addTask {
                        let id = "@shop\(String(format: "%03d", index))"
                        _ = try await harness.client.kakaotalkSenders.create(Self.sender(id, status: "DRAFT")).get()
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await harness.client.kakaotalkSenders.list().count == count)
            let senderPages = try await harness.requests("GET", pathSuffix: "/kakaotalk/senders")
            #expect(senderPages.count == 2)
            #expect(senderPages.allSatisfy { $0.query.contains("pageSize=100") })

            for index in 0..<9 {
                _ = try await harness.client.kakaotalkTemplates.create(
                    plusFriendId: "@shop000", Self.template("t\(index)")
                ).get()
            }
            let small = try await harness.client.listAll(
                path: harness.client.projectPath("kakaotalk", "senders", "@shop000", "templates"),
                itemsKey: "templates", pageSize: 2, operation: "list KakaoTalk templates"
            ) { $0["code"]?.stringValue }
            #expect(Set(small.compactMap { $0 }).count == 9)
            #expect(try await harness.requests("GET", pathSuffix: "/@shop000/templates").count == 5)
            #expect(try await harness.client.kakaotalkTemplates.list(plusFriendId: "@shop000").count == 9)
        }
    }
}
