import Foundation
import NIOHTTP1
import Testing

@testable import ProvisioningEmulator

@Suite struct KakaoTalkTests {
    @Test func senderLifecycleAndTemplates() async throws {
        try await Harness.run { h in
            let created = try await h.post(
                "kakaotalk/senders", try Examples.load("kakaotalk-sender.create.request.json"))
            #expect(created.status == 201)
            #expect(
                structuralDifferences(
                    expected: try Examples.load("kakaotalk-sender.create.response.json"),
                    actual: try #require(created.json))
                    == [])
            #expect(created.object["changes"]?["status"] == "IN_PROGRESS")
            let duplicate = try await h.post(
                "kakaotalk/senders", try Examples.load("kakaotalk-sender.create.request.minimal.json"))
            #expect(duplicate.errorCode == "plus_friend_id_used")
            #expect(try await h.post("kakaotalk/senders", ["plusFriendId": ""]).errorCode == "invalid_input")

            try await h.advance(seconds: 600)
            let registered = try await h.post("kakaotalk/senders/plusFriendId/register")
            #expect(registered.object["state"] == "VERIFYING")
            #expect(try await h.post("kakaotalk/senders/plusFriendId/verify", ["code": 1]).status == 400)
            let verified = try await h.post(
                "kakaotalk/senders/plusFriendId/verify", try Examples.load("kakaotalk-sender.verify.request.json"))
            #expect(verified.object["state"] == "ACTIVE")
            #expect(
                structuralDifferences(
                    expected: try Examples.load("kakaotalk-sender.verify.response.json"),
                    actual: try #require(verified.json))
                    == [])
            #expect(try await h.get("kakaotalk/senders/plusFriendId").json == verified.json)
            let list = try await h.get("kakaotalk/senders?filterStates=ACTIVE")
            #expect(list.object["senders"]?.arrayValue == [try #require(verified.json)])
            let badFilter = try await h.get("kakaotalk/senders?filterStates=NOPE")
            #expect(badFilter.json == (try Examples.load("kakaotalk-error.invalid-filter-states.json")))

            let updated = try await h.patch(
                "kakaotalk/senders/plusFriendId", try Examples.load("kakaotalk-sender.update.request.json"))
            #expect(updated.status == 200)
            #expect(updated.object["state"] == "ACTIVE")
            #expect(updated.object["changes"]?["status"] == "IN_PROGRESS")
            #expect(
                try await h.post(
                    "kakaotalk/senders/plusFriendId/comments",
                    try Examples.load("kakaotalk-sender.comment.request.json")
                ).status == 201)
            let activities = try await h.get("kakaotalk/senders/plusFriendId/activities")
            #expect(activities.object["notifications"]?.arrayValue?.first?["type"] == "COMMENT_ADDED")

            // Templates
            let template = try await h.post(
                "kakaotalk/senders/plusFriendId/templates", try Examples.load("kakaotalk-template.create.request.json"))
            #expect(template.status == 201)
            let code = try #require(template.object["code"]?.stringValue)
            #expect(code.count == 20)
            var expected = try Examples.load("kakaotalk-template.create.response.json").objectValue ?? [:]
            expected["changes"] = ["status": "IN_PROGRESS", "details": [:]]
            #expect(
                structuralDifferences(expected: .object(expected), actual: try #require(template.json), abridged: true)
                    == [])
            let minimal = try await h.post(
                "kakaotalk/senders/plusFriendId/templates",
                try Examples.load("kakaotalk-template.create.request.minimal.json"))
            #expect(minimal.errorCode == "template_exists")
            var other = try Examples.load("kakaotalk-template.create.request.minimal.json").objectValue ?? [:]
            other["details"] = ["name": "Other", "content": "Hi", "language": "EN"]
            other["status"] = "DRAFT"
            let draft = try await h.post("kakaotalk/senders/plusFriendId/templates", .object(other))
            #expect(draft.object["changes"]?["details"]?["messageType"] == "BASIC")
            #expect(draft.object["changes"]?["details"]?["categoryCode"] == "999999")
            #expect(draft.object["changes"]?["details"]?["buttons"] == [])
            let draftCode = draft.object["code"]?.stringValue ?? ""
            #expect(
                try await h.delete("kakaotalk/senders/plusFriendId/templates/\(code)/changes").errorCode
                    == "template_not_deletable")
            #expect(try await h.delete("kakaotalk/senders/plusFriendId/templates/\(draftCode)/changes").status == 204)

            try await h.advance(seconds: 600)
            let approved = try await h.get("kakaotalk/senders/plusFriendId/templates/\(code)")
            #expect(approved.object["state"] == "APPROVED")
            #expect(approved.object["changes"] == nil)
            var getExample = try Examples.load("kakaotalk-template.get.response.json").objectValue ?? [:]
            var exampleDetails = getExample["details"]?.objectValue ?? [:]
            exampleDetails["ad"] = nil  // response-only field; the input schemas cannot set it
            getExample["details"] = .object(exampleDetails)
            #expect(structuralDifferences(expected: .object(getExample), actual: try #require(approved.json)) == [])
            let edit = try await h.patch(
                "kakaotalk/senders/plusFriendId/templates/\(code)",
                try Examples.load("kakaotalk-template.update.request.json"))
            #expect(edit.object["changes"]?["status"] == "DRAFT")
            #expect(
                try await h.patch(
                    "kakaotalk/senders/plusFriendId/templates/\(code)",
                    try Examples.load("kakaotalk-template.update.request.minimal.json")
                ).status == 200)
            #expect(
                try await h.get("kakaotalk/senders/plusFriendId/templates?templateName=Exa").object["totalSize"] == 1)
            #expect(try await h.delete("kakaotalk/senders/plusFriendId/templates/\(code)").status == 204)

            #expect(try await h.get("kakaotalk/categories/senders").object["categories"]?.arrayValue?.count == 2)
            #expect(try await h.get("kakaotalk/categories/senders/plusFriendId/templates").object["totalSize"] == 1)

            #expect(try await h.delete("kakaotalk/senders/plusFriendId").status == 204)
            #expect(try await h.delete("kakaotalk/senders/plusFriendId").errorCode == "sender_already_deleted")
            try await h.advance(seconds: 61 * 86_400)
            #expect(try await h.get("kakaotalk/senders/plusFriendId").errorCode == "sender_not_found")
        }
    }
}
