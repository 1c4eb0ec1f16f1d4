import Foundation
import NIOHTTP1
import Testing

@testable import ProvisioningEmulator

/// The WhatsApp account, its activities and comments, template analytics and the embedded-signup helpers (part C):
/// every documented status and `errorCode`, over HTTP.
@Suite struct WhatsAppAccountTests {
    /// Puts the default project's account in `state` (or switches failures on) through the control API.
    static func setAccount(_ h: Harness, _ body: [String: JSON]) async throws {
        var full = body
        full["projectId"] = .string(Harness.project)
        let result = try await h.control(.PUT, "whatsapp/account", .object(full))
        #expect(result.status == 200, "\(result.object)")
    }

    @Test func theDefaultProjectIsOnboardedWithTemplateAnalyticsOff() async throws {
        try await Harness.run { h in
            let account = try await h.get("whatsapp")
            #expect(account.status == 200)
            #expect(account.object["state"] == "ONBOARDED")
            #expect(account.object["wabaEnabledForInsights"] == false)
            let example = try Examples.load("whatsapp-account.get.response.json")
            #expect(structuralDifferences(expected: example, actual: try #require(account.json)) == [])
        }
    }

    @Test func templateAnalyticsEveryStatus() async throws {
        try await Harness.run { h in
            let enabled = try await h.send(.PUT, "whatsapp/enableTemplateAnalytics")
            #expect(enabled.status == 200)
            #expect(enabled.bytes.isEmpty)
            #expect(try await h.get("whatsapp").object["wabaEnabledForInsights"] == true)
            // Enabling again changes nothing and is not an error (the API documents no 409).
            #expect(try await h.send(.PUT, "whatsapp/enableTemplateAnalytics").status == 200)

            for state in ["REJECTED", "PENDING_FACEBOOK_VERIFICATION", "IN_PROGRESS"] {
                try await Self.setAccount(h, ["state": .string(state)])
                let refused = try await h.send(.PUT, "whatsapp/enableTemplateAnalytics")
                #expect(refused.status == 424, "\(state)")
                #expect(refused.errorCode == "template_insights_not_yet_available", "\(state)")
            }
            try await Self.setAccount(h, ["state": "NONE"])
            let none = try await h.send(.PUT, "whatsapp/enableTemplateAnalytics")
            #expect(none.status == 400)
            #expect(none.errorCode == "project_not_initialized")

            let anonymous = try await h.send(.PUT, "whatsapp/enableTemplateAnalytics", auth: .none)
            #expect(anonymous.status == 401)
            #expect(anonymous.errorCode == "unauthorized_error")
            _ = try await h.control(
                .PUT, "faults", ["rules": [["type": "status", "status": 500, "path": "enableTemplateAnalytics"]]])
            let failed = try await h.send(.PUT, "whatsapp/enableTemplateAnalytics")
            #expect(failed.status == 500)
            #expect(failed.errorCode == "internal_error")
        }
    }

    @Test func createReviewAndActivities() async throws {
        try await Harness.run { h in
            try await Self.setAccount(h, ["state": "NONE"])
            for path in ["whatsapp", "whatsapp/activities"] {
                let missing = try await h.get(path)
                #expect(missing.status == 404, "\(path)")
                #expect(missing.errorCode == "account_not_found", "\(path)")
            }
            #expect(try await h.post("whatsapp/comments", ["comment": "hello"]).errorCode == "account_not_found")
            #expect(try await h.patch("whatsapp", ["wabaName": "X"]).errorCode == "account_not_found")

            let invalid = try await h.post("whatsapp", ["companyLegalName": 7])
            #expect(invalid.status == 400)
            #expect(invalid.errorCode == "invalid_input")
            #expect(
                invalid.object["additionalInformation"]?["validationErrors"]?.arrayValue?.contains(
                    "companyLegalName must be a string") == true)
            #expect(try await h.send(.POST, "whatsapp", body: "{not json").errorCode == "invalid_payload")
            let wrongManager = try await h.post(
                "whatsapp", ["companyLegalName": "Acme", "clientBusinessManagerId": "1", "businessManager": "SINCH_BR"])
            #expect(wrongManager.status == 400)
            #expect(wrongManager.errorCode == "invalid_business_manager_for_environment")

            // The deprecated body's answer has exactly the documented `pending` shape.
            let input = try await h.post("whatsapp", try Examples.load("whatsapp-account.create.request.input.json"))
            #expect(input.status == 201)
            let pending = try Examples.load("whatsapp-account.create.response.pending.json")
            #expect(structuralDifferences(expected: pending, actual: try #require(input.json)) == [])
            try await Self.setAccount(h, ["state": "NONE"])

            let body = try Examples.load("whatsapp-account.create.request.partner-initiated.json")
            let created = try await h.post("whatsapp", body)
            #expect(created.status == 201)
            #expect(created.object["state"] == nil)
            #expect(created.object["changes"]?["status"] == "IN_PROGRESS")
            #expect(created.object["changes"]?["details"]?["senderDetails"]?["displayName"] == "My Sender Name")
            let again = try await h.post("whatsapp", body)
            #expect(again.status == 409)
            #expect(again.errorCode == "account_exists")

            // The review completes on its own after the review delay: onboarded, details applied.
            try await h.advance(seconds: 301)
            let onboarded = try await h.get("whatsapp")
            #expect(onboarded.object["state"] == "ONBOARDED")
            #expect(onboarded.object["changes"] == nil)
            #expect(onboarded.object["details"]?["wabaName"] == body["wabaName"])

            let activities = try await h.get("whatsapp/activities")
            #expect(activities.status == 200)
            let example = try Examples.load("whatsapp-account.activities.response.json")
            #expect(structuralDifferences(expected: example, actual: try #require(activities.json)) == [])
            #expect(
                activities.object["notifications"]?.arrayValue?.compactMap { $0["type"]?.stringValue } == [
                    "IN_PROGRESS", "CREATED",
                ])
        }
    }

    @Test func commentsAndPaginationNewestFirst() async throws {
        try await Harness.run { h in
            for index in 1...5 {
                let comment = try await h.post("whatsapp/comments", ["comment": .string("note \(index)")])
                #expect(comment.status == 201)
                #expect(comment.object["type"] == "CREATED")
                #expect(comment.object["comment"] == .string("note \(index)"))
            }
            let first = try await h.get("whatsapp/activities?pageSize=2")
            #expect(first.object["totalSize"] == 5)
            #expect(
                first.object["notifications"]?.arrayValue?.compactMap { $0["comment"]?.stringValue } == [
                    "note 5", "note 4",
                ])
            let token = try #require(first.object["nextPageToken"]?.stringValue)
            let second = try await h.get("whatsapp/activities?pageSize=2&pageToken=\(token)")
            #expect(
                second.object["notifications"]?.arrayValue?.compactMap { $0["comment"]?.stringValue } == [
                    "note 3", "note 2",
                ])
            for size in ["0", "101", "1e300", "-1", "abc"] {
                let refused = try await h.get("whatsapp/activities?pageSize=\(size)")
                #expect(refused.status == 400, "\(size)")
                #expect(refused.errorCode == "invalid_page_size", "\(size)")
            }
            #expect(try await h.get("whatsapp/activities?pageToken=nonsense").errorCode == "invalid_page_token")

            let empty = try await h.post("whatsapp/comments", ["comment": ""])
            #expect(empty.errorCode == "invalid_input")
            #expect(
                empty.object["additionalInformation"]?["validationErrors"]?.arrayValue?.contains(
                    "comment must be longer than or equal to 1 characters") == true)
            #expect(try await h.send(.POST, "whatsapp/comments", body: "[").errorCode == "invalid_payload")

            try await Self.setAccount(h, ["corrupt": true])
            for result in [try await h.get("whatsapp"), try await h.post("whatsapp/comments", ["comment": "x"])] {
                #expect(result.status == 409)
                #expect(result.errorCode == "account_data_is_corrupt")
            }
            #expect(
                try await h.post("whatsapp", ["companyLegalName": "A", "clientBusinessManagerId": "1"]).errorCode
                    == "account_data_is_corrupt")
        }
    }

    @Test func updateOnlyWhenRejected() async throws {
        try await Harness.run { h in
            let onboarded = try await h.patch("whatsapp", ["wabaName": "New name"])
            #expect(onboarded.status == 409)
            #expect(onboarded.errorCode == "account_not_updatable")
            #expect(try await h.patch("whatsapp", ["other": 1]).errorCode == "no_fields_to_update")
            let wrongType = try await h.patch("whatsapp", ["wabaName": 5])
            #expect(wrongType.errorCode == "invalid_input")
            #expect(
                wrongType.object["additionalInformation"]?["validationErrors"]?.arrayValue?.contains(
                    "wabaName must be a string") == true)

            try await Self.setAccount(h, ["state": "REJECTED"])
            let updated = try await h.patch("whatsapp", ["wabaName": "New name"])
            #expect(updated.status == 200)
            #expect(updated.object["state"] == "REJECTED")
            #expect(updated.object["changes"]?["status"] == "IN_PROGRESS")
            #expect(updated.object["changes"]?["details"]?["wabaName"] == "New name")

            let rejection: JSON = [
                "projectId": .string(Harness.project), "kind": "whatsappAccount", "outcome": "reject",
                "reason": "Name does not match the Business Manager",
            ]
            #expect(try await h.control(.POST, "review", rejection).status == 200)
            let rejected = try await h.get("whatsapp")
            #expect(rejected.object["state"] == "REJECTED")
            #expect(rejected.object["changes"] == nil)
            #expect(rejected.object["details"]?["wabaName"] != "New name")
            let latest = try await h.get("whatsapp/activities?pageSize=1")
            #expect(latest.object["notifications"]?.arrayValue?.first?["type"] == "REJECTED")

            _ = try await h.patch("whatsapp", ["wabaName": "Newer name"])
            let approval: JSON = [
                "projectId": .string(Harness.project), "kind": "whatsappAccount", "outcome": "approve",
            ]
            #expect(try await h.control(.POST, "review", approval).status == 200)
            let approved = try await h.get("whatsapp")
            #expect(approved.object["state"] == "ONBOARDED")
            #expect(approved.object["details"]?["wabaName"] == "Newer name")
        }
    }

    @Test func deleteIsRefusedWhileSendersOrSenderChangesRemain() async throws {
        try await Harness.run { h in
            let sender = try await h.post(
                "whatsapp/senders",
                ["details": ["displayName": "Shop", "countryCode": "48", "phoneNumber": "777777777"]])
            #expect(sender.status == 201)
            let senderId = try #require(sender.object["id"]?.stringValue)
            let changes = try await h.delete("whatsapp")
            #expect(changes.status == 409)
            #expect(changes.errorCode == "account_has_sender_changes")
            #expect(changes.object["additionalInformation"]?["projectId"] == .string(Harness.project))

            let approval: JSON = [
                "projectId": .string(Harness.project), "kind": "whatsappSender", "id": .string(senderId),
                "outcome": "approve",
            ]
            #expect(try await h.control(.POST, "review", approval).status == 200)
            let senders = try await h.delete("whatsapp")
            #expect(senders.status == 409)
            #expect(senders.errorCode == "account_has_senders")
            #expect(senders.object["additionalInformation"]?["senderIds"] == [.string(senderId)])

            #expect(try await h.delete("whatsapp/senders/\(senderId)").status == 204)
            try await Self.setAccount(h, ["failures": ["delete": "template_could_not_delete_drafts"]])
            let drafts = try await h.delete("whatsapp")
            #expect(drafts.status == 500)
            #expect(drafts.errorCode == "template_could_not_delete_drafts")
            try await Self.setAccount(h, ["failures": ["delete": nil]])
            #expect(try await h.delete("whatsapp").status == 204)
            #expect(try await h.get("whatsapp").errorCode == "account_not_found")
            let gone = try await h.delete("whatsapp")
            #expect(gone.status == 400)
            #expect(gone.errorCode == "project_not_initialized")
        }
    }

    @Test func longLivedAccessTokenEveryStatus() async throws {
        try await Harness.run { h in
            let path = "whatsapp/longLivedAccessToken"
            for body: JSON in [["facebookCode": "AQD-code"], ["facebookToken": "EAAB-token"]] {
                let minted = try await h.post(path, body)
                #expect(minted.status == 201)
                #expect((minted.object["longLivedAccessToken"]?.stringValue ?? "").isEmpty == false)
                let example = try Examples.load("whatsapp-long-lived-access-token.response.json")
                #expect(structuralDifferences(expected: example, actual: try #require(minted.json)) == [])
            }
            let cases: [(JSON, String, String?)] = [
                ([:], "invalid_input", "at least one of facebookToken or facebookCode must be provided"),
                (["facebookToken": 5], "invalid_input", "facebookToken must be a string"),
                (["facebookCode": 5], "invalid_input", "facebookCode must be a string"),
                (["facebookCode": "invalid-code"], "invalid_facebook_code", nil),
                (["facebookToken": "invalid-token"], "invalid_facebook_token", nil),
                (
                    ["facebookToken": "t", "businessManager": "SINCH_BR"], "invalid_business_manager_for_environment",
                    nil
                ),
                (["facebookToken": "t", "businessManager": "SINCH_AMERICA"], "invalid_business_manager", nil),
                (["facebookToken": "t", "businessManager": "ACME"], "invalid_input", nil),
            ]
            for (body, code, message) in cases {
                let refused = try await h.post(path, body)
                #expect(refused.status == 400, "\(body)")
                #expect(refused.errorCode == code, "\(body)")
                if let message {
                    #expect(
                        refused.object["additionalInformation"]?["validationErrors"]?.arrayValue?.contains(
                            .string(message)) == true, "\(body)")
                }
            }
            #expect(try await h.send(.POST, path, body: "facebookCode=x").errorCode == "invalid_payload")
            #expect(try await h.post(path, ["facebookCode": "c"], auth: .none).errorCode == "unauthorized_error")
            for code in ["facebook_Request_limit_reached", "log_in_facebook_required", "internal_error"] {
                try await Self.setAccount(h, ["failures": ["longLivedAccessToken": .string(code)]])
                let failed = try await h.post(path, ["facebookCode": "c"])
                #expect(failed.status == 500)
                #expect(failed.errorCode == code)
            }
        }
    }

    @Test func wabaDetailsReportsNumbersNotProvisioned() async throws {
        try await Harness.run { h in
            let path = "whatsapp/wabaDetails"
            let details = try await h.post(path, ["facebookToken": "EAAB-token"])
            #expect(details.status == 200)
            let example = try Examples.load("whatsapp-waba-details.response.json")
            #expect(structuralDifferences(expected: example, actual: try #require(details.json)) == [])
            let numbers = details.object["wabas"]?.arrayValue?.first?["numbers"]?.arrayValue ?? []
            let free = try #require(numbers.first { $0["provisioned"] == false })
            let phoneNumberId = try #require(free["id"]?.stringValue)

            // An embedded-signup sender on that number provisions it.
            let sender = try await h.post(
                "whatsapp/senders",
                ["wabaId": .string(EmulatorDefaults.whatsappWabaId), "phoneNumberId": .string(phoneNumberId)])
            #expect(sender.status == 201)
            let after = try await h.post(path, ["facebookToken": "EAAB-token"])
            let same = after.object["wabas"]?.arrayValue?.first?["numbers"]?.arrayValue?.first {
                $0["id"] == .string(phoneNumberId)
            }
            #expect(same?["provisioned"] == true)

            let seeded = try await h.control(
                .PUT, "whatsapp/wabas",
                [
                    "projectId": .string(Harness.project),
                    "wabas": [["id": "42", "numbers": [["id": "7", "displayPhoneNumber": "+46 70 123 45 67"]]]],
                ])
            #expect(seeded.status == 200)
            #expect(
                try await h.post(path, ["facebookToken": "t"]).object["wabas"] == [
                    [
                        "id": "42",
                        "numbers": [["id": "7", "displayPhoneNumber": "+46 70 123 45 67", "provisioned": false]],
                    ]
                ])

            for (body, code): (JSON, String) in [
                (["facebookToken": "invalid"], "invalid_facebook_token"),
                (["facebookToken": ""], "invalid_facebook_token"),
                ([:], "invalid_input"), (["facebookToken": 1], "invalid_input"),
                (["facebookToken": "t", "businessManager": "SINCH_MX"], "invalid_business_manager_for_environment"),
                (["facebookToken": "t", "businessManager": "SINCH_AMERICA"], "invalid_business_manager"),
            ] {
                let refused = try await h.post(path, body)
                #expect(refused.status == 400, "\(body)")
                #expect(refused.errorCode == code, "\(body)")
            }
            #expect(try await h.send(.POST, path, body: "").errorCode == "invalid_payload")
            #expect(try await h.post(path, ["facebookToken": "t"], auth: .none).status == 401)
            try await Self.setAccount(h, ["failures": ["wabaDetails": "log_in_facebook_required"]])
            let failed = try await h.post(path, ["facebookToken": "t"])
            #expect(failed.status == 500)
            #expect(failed.errorCode == "log_in_facebook_required")
        }
    }

    @Test func controlRoutesValidateTheirBodies() async throws {
        try await Harness.run { h in
            let project = JSON.string(Harness.project)
            let bodies: [(String, JSON)] = [
                ("whatsapp/account", ["projectId": project, "state": "BOGUS"]),
                ("whatsapp/account", ["projectId": project, "failures": ["create": "internal_error"]]),
                ("whatsapp/account", ["projectId": project, "failures": ["delete": "facebook_Request_limit_reached"]]),
                ("whatsapp/account", ["projectId": project, "state": "NONE", "templateAnalytics": true]),
                ("whatsapp/account", ["state": "ONBOARDED"]),
                ("whatsapp/wabas", ["projectId": project, "wabas": [["id": 1, "numbers": []]]]),
                ("whatsapp/wabas", ["projectId": project, "wabas": [["id": "1", "numbers": [["id": "2"]]]]]),
                ("whatsapp/wabas", ["projectId": project]),
            ]
            for (path, body) in bodies {
                let refused = try await h.control(.PUT, path, body)
                #expect(refused.status == 400, "\(path) \(body)")
                #expect(refused.errorCode == "invalid_input", "\(path) \(body)")
            }
            // Each state the control API offers is what GET then shows.
            for state in ["ONBOARDED", "PENDING_FACEBOOK_VERIFICATION", "REJECTED"] {
                try await Self.setAccount(h, ["state": .string(state), "templateAnalytics": true])
                let account = try await h.get("whatsapp")
                #expect(account.object["state"] == .string(state))
                #expect(account.object["wabaEnabledForInsights"] == true)
            }
            try await Self.setAccount(h, ["state": "IN_PROGRESS"])
            #expect(try await h.get("whatsapp").object["changes"]?["status"] == "IN_PROGRESS")
        }
    }

    @Test func theAccountSurvivesAStateRoundTrip() async throws {
        try await Harness.run { h in
            try await Self.setAccount(h, ["state": "REJECTED", "failures": ["wabaDetails": "internal_error"]])
            _ = try await h.post("whatsapp/comments", ["comment": "kept"])
            let dump = try await h.control(.GET, "state?secrets=true")
            #expect(try await h.control(.POST, "reset").status == 204)
            #expect(try await h.get("whatsapp").object["state"] == "ONBOARDED")
            #expect(
                try await h.send(.PUT, "/_emulator/state", body: String(decoding: dump.bytes, as: UTF8.self)).status
                    == 204)
            #expect(try await h.get("whatsapp").object["state"] == "REJECTED")
            #expect(
                try await h.get("whatsapp/activities").object["notifications"]?.arrayValue?.first?["comment"] == "kept")
            #expect(try await h.post("whatsapp/wabaDetails", ["facebookToken": "t"]).status == 500)

            // A state that does not mention the account (an older file) has the default, onboarded one.
            let old: JSON = ["projects": [Harness.project: ["webhooks": ["items": [:]]]]]
            #expect(try await h.send(.PUT, "/_emulator/state", json: old).status == 204)
            #expect(try await h.get("whatsapp").object["state"] == "ONBOARDED")
        }
    }
}
