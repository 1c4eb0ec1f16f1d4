import Foundation
import NIOHTTP1
import Testing

@testable import ProvisioningEmulator

@Suite struct WhatsAppSenderTests {
    /// Keys every example shows that a sender without a Conversation API app lacks.
    static let appKeys = ["conversationApiApp", "conversationApiAppDetails"]
    /// Keys a sender gets only once it is live.
    static let liveKeys = ["bearerToken", "maxTps", "qualityRating"]

    func forceReview(_ h: Harness, _ id: String, _ outcome: String, requireVerification: Bool = false) async throws {
        let result = try await h.control(
            .POST, "review",
            [
                "projectId": .string(Harness.project), "kind": "whatsappSender", "id": .string(id),
                "outcome": .string(outcome), "requireVerification": .bool(requireVerification),
            ])
        #expect(result.status == 200)
    }

    @Test func everyExampleCreateRequestIsAccepted() async throws {
        try await Harness.run { h in
            for name in try Examples.names(matching: ".json").filter({ $0.hasPrefix("whatsapp-sender.create.request") })
            {
                // Each on its own: the ES examples share one phoneNumberId.
                #expect(try await h.control(.POST, "reset").status == 204)
                let created = try await h.post("whatsapp/senders", try Examples.load(name))
                #expect(created.status == 201, "\(name): \(created.object)")
                #expect(created.object["state"] == nil)
                #expect(created.object["changes"]?["status"] == "IN_PROGRESS")
                #expect(created.object["metadata"]?["displayName"]?["status"] == "PENDING")
            }
            let missing = try await h.post("whatsapp/senders", [:])
            #expect(
                missing.object["additionalInformation"]?["validationErrors"]?.arrayValue?.contains(
                    "details should not be null or undefined") == true)
            for name in ["partner-initiated", "phone-provisioning"] {
                #expect(
                    try await h.post(
                        "whatsapp/senders", try Examples.load("whatsapp-sender.create.request.\(name).json")
                    )
                    .status == 201)
            }
            let list = try await h.get("whatsapp/senders?pageSize=2")
            #expect(list.object["totalSize"] == 3)
            #expect(list.object["senders"]?.arrayValue?.count == 2)
            #expect(list.object["nextPageToken"] != nil)
            #expect(try await h.get("whatsapp/senders?pageSize=0").errorCode == "invalid_page_size")
            let badFilter = try await h.get("whatsapp/senders?filterStates=NOPE")
            #expect(badFilter.json == (try Examples.load("whatsapp-sender.error.filter-states.json")))
        }
    }

    @Test func lifecycleMatchesExamples() async throws {
        try await Harness.run { h in
            let created = try await h.post(
                "whatsapp/senders", try Examples.load("whatsapp-sender.create.request.partner-initiated.json"))
            let createExample = withoutLaterKeys(
                try Examples.load("whatsapp-sender.create.response.json"), Self.appKeys + Self.liveKeys)
            #expect(structuralDifferences(expected: createExample, actual: try #require(created.json)) == [])
            let id = try #require(created.object["id"]?.stringValue)
            let path = "whatsapp/senders/\(id)"
            #expect(try await h.get(path).json == created.json)
            #expect(try await h.get("whatsapp/senders").object["senders"]?.arrayValue == [try #require(created.json)])
            let notUpdatable = try await h.patch(path, ["details": ["about": "x"]])
            #expect(notUpdatable.errorCode == "sender_changes_not_updatable")
            #expect(try await h.post(path + "/register", ["method": "SMS"]).errorCode == "not_allowed_register")

            // Review completes on the clock: straight to ACTIVE.
            try await h.advance(seconds: 600)
            let live = try await h.get(path)
            #expect(live.object["state"] == "ACTIVE")
            #expect(live.object["changes"] == nil)
            #expect(live.object["details"]?["displayName"] == "Test name")
            #expect(live.object["metadata"]?["displayName"]?["status"] == "APPROVED")
            #expect(
                structuralDifferences(
                    expected: withoutLaterKeys(try Examples.load("whatsapp-sender.get.response.json"), Self.appKeys),
                    actual: try #require(live.json)) == [])
            #expect(try await h.get("whatsapp/senders?filterStates=ACTIVE").object["totalSize"] == 1)

            #expect(try await h.patch(path, [:]).errorCode == "no_fields_to_update")
            let nullName = try await h.patch(path, ["details": ["displayName": nil]])
            #expect(
                nullName.object["additionalInformation"]?["validationErrors"]?.arrayValue?.contains(
                    "details.displayName should not be equal to null") == true)
            let updated = try await h.patch(path, try Examples.load("whatsapp-sender.update.request.json"))
            #expect(updated.status == 200)
            #expect(
                structuralDifferences(
                    expected: withoutLaterKeys(
                        try Examples.load("whatsapp-sender.update.response.json"), Self.appKeys + ["changes"]),
                    actual: withoutLaterKeys(try #require(updated.json), ["changes"])) == [])
            #expect(updated.object["changes"]?["status"] == "DRAFT")
            #expect(updated.object["changes"]?["details"]?["displayName"] == "Test name")
            #expect(updated.object["changes"]?["details"]?["email"] == nil)
            #expect(updated.object["metadata"]?["displayName"] == ["value": "Test name update", "status": "PENDING"])
            let again = try await h.patch(path, ["details": ["displayName": "Other"]])
            #expect(again.errorCode == "sender_display_name_update_not_allowed")
            let submitted = try await h.patch(path, ["status": "SUBMIT", "details": ["about": "Submitted about"]])
            #expect(submitted.object["changes"]?["status"] == "IN_PROGRESS")
            try await forceReview(h, id, "approve")
            let applied = try await h.get(path)
            #expect(applied.object["details"]?["about"] == "Submitted about")
            #expect(applied.object["details"]?["displayName"] == "Test name update")
            #expect(applied.object["details"]?["email"] == nil)
            #expect(applied.object["changes"] == nil)

            let username = try await h.patch(path, try Examples.load("whatsapp-sender.update.request.username.json"))
            #expect(username.object["metadata"]?["username"]?["status"] == "PENDING")
            let suggestions = try await h.get(path + "/suggestedUsernames")
            #expect(suggestions.object["usernames"]?.arrayValue?.isEmpty == false)

            let comment = try await h.post(
                path + "/comments", try Examples.load("whatsapp-sender.comment.request.json"))
            #expect(
                structuralDifferences(
                    expected: try Examples.load("whatsapp-sender.comment.response.json"),
                    actual: try #require(comment.json)) == [])
            let activities = try await h.get(path + "/activities")
            #expect(
                structuralDifferences(
                    expected: try Examples.load("whatsapp-sender.activities.response.json"),
                    actual: try #require(activities.json), abridged: true) == [])
            #expect(activities.object["notifications"]?.arrayValue?.first?["type"] == "COMMENT_ADDED")

            // Delete: works (unchanged) for 30 days, then gone.
            #expect(try await h.delete(path).status == 204)
            let again2 = try await h.delete(path)
            #expect(again2.json == (try Examples.load("whatsapp-sender.error.already-deleted.json")))
            #expect(try await h.get(path).object["state"] == "ACTIVE")
            try await h.advance(seconds: 31 * 86_400)
            #expect(try await h.get(path).json == (try Examples.load("whatsapp-sender.error.not-found.json")))
            #expect(try await h.get("whatsapp/senders").object["totalSize"] == 0)
        }
    }

    @Test func registerVerifyRejectAndDeleteChanges() async throws {
        try await Harness.run { h in
            let created = try await h.post(
                "whatsapp/senders",
                try Examples.load("whatsapp-sender.create.request.es-facebook-token.deprecated.json"))
            let id = try #require(created.object["id"]?.stringValue)
            let path = "whatsapp/senders/\(id)"
            let duplicate = try await h.post(
                "whatsapp/senders", try Examples.load("whatsapp-sender.create.request.es-facebook-code.deprecated.json")
            )
            #expect(duplicate.errorCode == "used_phone_number_id")
            try await forceReview(h, id, "approve", requireVerification: true)
            #expect(try await h.get(path).object["state"] == "PENDING_VERIFICATION")
            let notUpdatable = try await h.patch(path, ["details": ["about": "x"]])
            #expect(notUpdatable.errorCode == "sender_changes_not_updatable")
            #expect(try await h.post(path + "/verify", ["code": "123456"]).errorCode == "not_allowed_verify")
            #expect(try await h.post(path + "/register", ["method": "FAX"]).errorCode == "invalid_input")
            let registered = try await h.post(
                path + "/register", try Examples.load("whatsapp-sender.register.request.json"))
            #expect(
                structuralDifferences(
                    expected: try Examples.load("whatsapp-sender.register.response.json"),
                    actual: try #require(registered.json)) == [])
            #expect(try await h.post(path + "/verify", ["code": "12345"]).errorCode == "invalid_input")
            let wrong = try await h.post(path + "/verify", ["code": "654321"])
            #expect(wrong.json == (try Examples.load("whatsapp-sender.error.wrong-otp.json")))
            let verified = try await h.post(path + "/verify", try Examples.load("whatsapp-sender.verify.request.json"))
            #expect(verified.status == 204)
            #expect(try await h.get(path).object["state"] == "ACTIVE")
            let notAllowed = try await h.post(path + "/register", ["method": "VOICE"])
            #expect(notAllowed.json == (try Examples.load("whatsapp-sender.error.not-allowed-register.json")))

            // Rejected new sender: changes REJECTED, editable, deletable.
            let other = try await h.post(
                "whatsapp/senders", try Examples.load("whatsapp-sender.create.request.phone-provisioning.json"))
            let otherId = try #require(other.object["id"]?.stringValue)
            let otherPath = "whatsapp/senders/\(otherId)"
            #expect(try await h.delete(otherPath + "/changes").errorCode == "sender_changes_not_deletable")
            try await forceReview(h, otherId, "reject")
            let rejected = try await h.get(otherPath)
            #expect(rejected.object["changes"]?["status"] == "REJECTED")
            #expect(rejected.object["state"] == nil)
            #expect(try await h.get("whatsapp/senders?filterStatuses=REJECTED").object["totalSize"] == 1)
            let fixed = try await h.patch(otherPath, ["details": ["displayName": "Fixed"]])
            #expect(fixed.object["changes"]?["status"] == "DRAFT")
            #expect(fixed.object["metadata"]?["displayName"]?["value"] == "Fixed")
            #expect(try await h.delete(otherPath + "/changes").status == 204)
            #expect(try await h.get(otherPath).errorCode == "sender_not_found")
            #expect(try await h.delete(path + "/changes").errorCode == "sender_changes_not_found")

            // Verify without a code: Meta already verified the number.
            var esBody = try #require(try Examples.load("whatsapp-sender.create.request.es.json").objectValue)
            esBody["phoneNumberId"] = "333333333333333"
            let notActive = try await h.post("whatsapp/senders", .object(esBody))
            let notActiveId = try #require(notActive.object["id"]?.stringValue)
            try await forceReview(h, notActiveId, "approve", requireVerification: true)
            #expect(try await h.post("whatsapp/senders/\(notActiveId)/verify", [:]).status == 204)
        }
    }
}
