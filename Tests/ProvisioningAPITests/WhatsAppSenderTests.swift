import Foundation
import ProvisioningAPI
import SinchformTestSupport
import Testing

@Suite struct WhatsAppSenderTests {
    static func sender(_ phoneNumber: String) -> JSONValue {
        ["details": ["countryCode": "49", "phoneNumber": .string(phoneNumber), "displayName": "Demo sender"]]
    }

    @Test func lifecycleWithRegisterAndVerify() async throws {
        try await APIHarness.run { harness in
            let senders = harness.client.whatsappSenders
            let created = try #require(try await senders.create(Self.sender("1701234567")).completedBody)
            let id = try #require(created["id"]?.stringValue)
            #expect(try await senders.get(id: id)["id"]?.stringValue == id)

            let early = try await #require(throws: APIError.self) {
                try await senders.register(id: id, method: "SMS", label: "whatsappSender.support")
            }
            #expect(early.status == 409)
            #expect(early.errorCode == "not_allowed_register")
            #expect(early.description.hasPrefix("whatsappSender.support: register WhatsApp sender failed: 409"))

            // Meta asks for an OTP: the review completes into PENDING_VERIFICATION.
            try await harness.control.review(
                .approve, ["kind": "whatsappSender", "id": .string(id), "requireVerification": true])
            #expect(try await senders.get(id: id)["state"]?.stringValue == "PENDING_VERIFICATION")

            let registered = try #require(try await senders.register(id: id, method: "SMS").completedBody)
            #expect(registered["verificationCodeSent"] == true)

            let wrong = try await #require(throws: APIError.self) { try await senders.verify(id: id, code: "000000") }
            #expect(wrong.errorCode == "wrong_otp")
            let verified = try await senders.verify(id: id, code: "123456")
            #expect(verified.completedBody == nil)  // 204
            let active = try await senders.get(id: id)
            #expect(active["state"]?.stringValue == "ACTIVE")

            let updated = try await senders.update(id: id, ["details": ["about": "We answer fast."]])
            #expect(updated["id"]?.stringValue == id)
            try await senders.delete(id: id)
            let again = try await #require(throws: APIError.self) { try await senders.delete(id: id) }
            #expect(again.status == 409)
            #expect(again.errorCode == "sender_already_deleted")
        }
    }

    @Test func bearerTokenOfASenderIsNeverLogged() async throws {
        try await APIHarness.run { harness in
            let created = try #require(
                try await harness.client.whatsappSenders.create(Self.sender("1701234999")).completedBody)
            let id = try #require(created["id"]?.stringValue)
            try await harness.control.review(.approve, ["kind": "whatsappSender", "id": .string(id)])
            let live = try await harness.client.whatsappSenders.get(id: id)
            let token = try #require(live["bearerToken"]?.stringValue)
            #expect(!harness.logs.text.contains(token))
            #expect(harness.logs.text.contains(#""bearerToken":"(sensitive)""#))
        }
    }

    @Test func listFollowsEveryPage() async throws {
        try await APIHarness.run(auth: .basic) { harness in
            let count = 103
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    group.addTask {
                        let number = "17012" + String(format: "%05d", index)
                        _ = try await harness.client.whatsappSenders.create(Self.sender(number)).get()
                    }
                }
                try await group.waitForAll()
            }
            let all = try await harness.client.whatsappSenders.list()
            #expect(Set(all.compactMap { $0["id"]?.stringValue }).count == count)
            let pages = try await harness.requests("GET", pathSuffix: "/whatsapp/senders")
            #expect(pages.count == 2)
            #expect(pages.allSatisfy { $0.query.contains("pageSize=100") })
        }
    }
}
