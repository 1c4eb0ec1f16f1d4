import Foundation
import JSONSyntax
import NIOHTTP1
import Testing

@testable import ProvisioningEmulator

@Suite struct WhatsAppTemplateTests {
    static let body: JSON = [
        "name": "order_shipped", "language": "EN_US", "category": "UTILITY", "status": "SUBMIT",
        "details": ["components": [["type": "BODY", "text": "Your order {{1}} has shipped.", "examples": ["42"]]]],
    ]

    @Test func exampleCreateRequestsAreAcceptedOrRejectedAsTheFactsSay() async throws {
        try await Harness.run { h in
            let names = try Examples.names(matching: ".json").filter {
                $0.hasPrefix("whatsapp-template.create.request")
            }
            #expect(names.count >= 8)
            for name in names {
                _ = try await h.control(.POST, "reset")
                let result = try await h.post("whatsapp/templates", try Examples.load(name))
                // Part A §3.3 SPEC-CONFLICT: these showcases repeat component types; the emulator enforces uniqueness.
                if name.contains("authentication-full") || name.contains("marketing-or-utility-full") {
                    #expect(result.status == 400, "\(name)")
                    #expect(result.errorCode == "invalid_input", "\(name)")
                } else {
                    #expect(result.status == 201, "\(name): \(result.json?.serializedString() ?? "")")
                    var example = try Examples.load("whatsapp-template.create.response.json").objectValue ?? [:]
                    example["changes"] = ["status": "DRAFT", "details": ["components": []]]  // optional parts vary
                    var actual = try #require(result.json?.objectValue)
                    actual["state"] = nil  // a submitted template is PENDING; the example is a draft
                    #expect(
                        structuralDifferences(expected: .object(example), actual: .object(actual), abridged: true) == []
                    )
                }
            }
        }
    }

    @Test func reviewLifecycleWithClockAndForcedReviews() async throws {
        try await Harness.run { h in
            let created = try await h.post("whatsapp/templates", Self.body)
            #expect(created.status == 201)
            #expect(created.object["state"] == "PENDING")
            #expect(created.object["changes"]?["status"] == "IN_PROGRESS")
            #expect(created.object["whatsappId"] == nil)
            let path = "whatsapp/templates/order_shipped/languages/EN_US"
            #expect(try await h.get(path).object["state"] == "PENDING")
            // PATCH while IN_PROGRESS is refused.
            #expect(try await h.patch(path, ["details": [:]]).errorCode == "template_changes_not_updatable")

            try await h.advance(seconds: 600)
            let approved = try await h.get(path)
            #expect(approved.object["state"] == "APPROVED")
            #expect(approved.object["changes"] == nil)
            #expect(approved.object["whatsappId"]?.stringValue != nil)
            #expect(approved.object["details"]?["components"] == Self.body["details"]?["components"])

            // list items are exactly the get bodies
            let list = try await h.get("whatsapp/templates")
            #expect(list.object["templates"]?.arrayValue == [try #require(approved.json)])

            // Edit goes into changes, live details stay.
            let edit: JSON = [
                "status": "SUBMIT",
                "details": ["components": [["type": "BODY", "text": "Order {{1}} shipped!", "examples": ["1"]]]],
            ]
            let edited = try await h.patch(path, edit)
            #expect(edited.status == 200)
            #expect(edited.object["details"]?["components"] == Self.body["details"]?["components"])
            #expect(edited.object["changes"]?["status"] == "IN_PROGRESS")
            var example = try Examples.load("whatsapp-template.update.response.json").objectValue ?? [:]
            example["details"] = ["components": []]  // optimization is optional
            example["changes"] = ["status": "DRAFT", "details": ["components": []]]
            #expect(
                structuralDifferences(expected: .object(example), actual: try #require(edited.json), abridged: true)
                    == [])

            let rejected = try await h.control(
                .POST, "review",
                [
                    "projectId": .string(Harness.project), "kind": "whatsappTemplate", "outcome": "reject",
                    "name": "order_shipped", "language": "EN_US", "reason": "nope",
                ])
            #expect(rejected.status == 200)
            let afterReject = try await h.get(path)
            #expect(afterReject.object["state"] == "APPROVED")
            #expect(afterReject.object["changes"]?["status"] == "REJECTED")
            let activities = try await h.get(path + "/activities")
            #expect(activities.object["notifications"]?.arrayValue?.first?["type"] == "REJECTED")

            let nothing = try await h.control(
                .POST, "review",
                ["projectId": .string(Harness.project), "kind": "whatsappTemplate", "outcome": "approve", "all": true])
            #expect(nothing.status == 404)

            // A new template rejected on first review.
            var second = Self.body.objectValue ?? [:]
            second["language"] = "DE"
            #expect(try await h.post("whatsapp/templates", .object(second)).status == 201)
            _ = try await h.control(
                .POST, "review",
                [
                    "projectId": .string(Harness.project), "kind": "whatsappTemplate", "outcome": "reject",
                    "rejectionCode": "INCORRECT_CATEGORY", "name": "order_shipped", "language": "DE",
                ])
            let de = try await h.get("whatsapp/templates/order_shipped/languages/DE")
            #expect(de.object["state"] == "REJECTED")
            #expect(de.object["rejectionCode"] == "INCORRECT_CATEGORY")
            #expect(try await h.get("whatsapp/templates?filterStates=REJECTED").object["totalSize"] == 1)
            #expect(try await h.get("whatsapp/templates?filterStates=APPROVED,REJECTED").object["totalSize"] == 2)
            #expect(try await h.get("whatsapp/templates?filterStatuses=REJECTED").object["totalSize"] == 1)
            let badFilter = try await h.get("whatsapp/templates?filterStates=NOPE")
            #expect(badFilter.json == (try Examples.load("whatsapp-template.error.filter-states.json")))
            #expect(try await h.get("whatsapp/templates/order_shipped").object["totalSize"] == 2)
            let masked = try await h.get("whatsapp/templates?fieldMask=name&fieldMask=state")
            #expect(
                Set(masked.object["templates"]?.arrayValue?.first?.objectValue?.keys.map { $0 } ?? []) == [
                    "name", "state",
                ])
            #expect(try await h.get("whatsapp/templates?fieldMask=bogus").errorCode == "invalid_fields")
        }
    }

    @Test func errorPaths() async throws {
        try await Harness.run { h in
            #expect(try await h.post("whatsapp/templates", Self.body).status == 201)
            let duplicate = try await h.post("whatsapp/templates", Self.body)
            #expect(duplicate.json == (try Examples.load("whatsapp-template.error.exists.json")))
            var other = Self.body.objectValue ?? [:]
            other["language"] = "EN"
            other["category"] = "MARKETING"
            #expect(try await h.post("whatsapp/templates", .object(other)).errorCode == "template_incorrect_category")
            var badCategory = Self.body.objectValue ?? [:]
            badCategory["category"] = "NOPE"
            let invalid = try await h.post("whatsapp/templates", .object(badCategory))
            #expect(invalid.json == (try Examples.load("whatsapp-template.error.invalid-category-input.json")))
            var badName = Self.body.objectValue ?? [:]
            badName["name"] = "Bad Name"
            #expect(try await h.post("whatsapp/templates", .object(badName)).errorCode == "invalid_input")

            let path = "whatsapp/templates/order_shipped/languages/EN_US"
            #expect(
                try await h.get("whatsapp/templates/order_shipped/languages/XX").errorCode
                    == "template_invalid_language_code")
            let missing = try await h.get("whatsapp/templates/nothing/languages/EN")
            #expect(missing.json == (try Examples.load("whatsapp-template.error.not-found.json")))
            let notDeletable = try await h.delete(path)
            #expect(
                notDeletable.json
                    == (try Examples.load("whatsapp-template.error.not-deletable-due-to-input-config.json")))

            // Draft: delete removes it; no changes → template_changes_not_found.
            var draft = Self.body.objectValue ?? [:]
            draft["name"] = "draft_one"
            draft["status"] = "DRAFT"
            let created = try await h.post("whatsapp/templates", .object(draft))
            #expect(created.object["changes"]?["status"] == "DRAFT")
            #expect(created.object["state"] == nil)
            let patched = try await h.patch(
                "whatsapp/templates/draft_one/languages/EN_US",
                try Examples.load("whatsapp-template.update.request.marketing-optimization.json"))
            #expect(patched.status == 200)
            #expect(patched.object["category"] == "MARKETING")
            #expect(
                patched.object["changes"]?["details"]?["optimization"]?["bidStrategy"]
                    == "BID_STRATEGY_LOWEST_COST_WITH_BID_CAP")
            let removed = try await h.patch(
                "whatsapp/templates/draft_one/languages/EN_US",
                try Examples.load("whatsapp-template.update.request.remove-optimization.json"))
            #expect(removed.object["changes"]?["details"]?["optimization"] == nil)
            #expect(try await h.delete("whatsapp/templates/draft_one/languages/EN_US").status == 204)
            #expect(try await h.get("whatsapp/templates/draft_one/languages/EN_US").status == 404)

            // Approved: category is not updatable; delete by name blocks the name for 30 days.
            try await h.advance(seconds: 600)
            let category = try await h.patch(path, ["category": "MARKETING"])
            #expect(category.json == (try Examples.load("whatsapp-template.error.category-not-updatable.json")))
            #expect(try await h.delete(path).errorCode == "template_changes_not_found")
            #expect(try await h.delete("whatsapp/templates/order_shipped").status == 204)
            #expect(try await h.delete("whatsapp/templates/order_shipped").status == 404)
            let blocked = try await h.post("whatsapp/templates", Self.body)
            #expect(blocked.status == 409)
            #expect(blocked.errorCode == "template_name_recently_used")
            try await h.advance(seconds: 31 * 86_400)
            #expect(try await h.post("whatsapp/templates", Self.body).status == 201)

            let comment = try await h.post(
                path + "/comments", try Examples.load("whatsapp-template.comment.request.json"))
            #expect(comment.status == 201)
            #expect(
                structuralDifferences(
                    expected: try Examples.load("whatsapp-template.comment.response.json"),
                    actual: try #require(comment.json)) == [])
            let activities = try await h.get(path + "/activities?pageSize=1")
            #expect(
                structuralDifferences(
                    expected: try Examples.load("whatsapp-template.activities.response.json"),
                    actual: try #require(activities.json), abridged: true) == [])
            #expect(activities.object["notifications"]?.arrayValue?.first?["type"] == "COMMENT_ADDED")
            #expect(try await h.get(path + "/activities?pageSize=101").errorCode == "invalid_page_size")
            #expect(try await h.post("whatsapp/templates/sync").status == 200)
        }
    }
}
