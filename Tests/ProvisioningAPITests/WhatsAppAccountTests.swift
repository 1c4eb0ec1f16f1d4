import Foundation
import NIOHTTP1
import ProvisioningAPI
import SinchformTestSupport
import Testing

/// The client's WhatsApp account calls (part C) against the emulator over HTTP.
@Suite struct WhatsAppAccountTests {
    static func setAccount(_ harness: APIHarness, _ body: JSONObject) async throws {
        var full = body
        full["projectId"] = .string(APIHarness.project)
        try await harness.control.call(.PUT, "whatsapp/account", .object(full))
    }

    @Test func readsTheAccountAndEnablesTemplateAnalytics() async throws {
        try await APIHarness.run { harness in
            let account = harness.client.whatsappAccount
            let before = try await account.get()
            #expect(before.state == .onboarded)
            #expect(before.templateAnalytics == false)
            #expect(before.body["wabaId"]?.stringValue != nil)
            try await account.enableTemplateAnalytics()
            #expect(try await account.get().templateAnalytics == true)

            try await Self.setAccount(harness, ["state": "REJECTED"])
            let notYet = try await #require(throws: APIError.self) {
                try await account.enableTemplateAnalytics(label: "whatsappAccount")
            }
            #expect(notYet.status == 424)
            #expect(notYet.errorCode == "template_insights_not_yet_available")
            #expect(notYet.description.hasPrefix("whatsappAccount: enable WhatsApp template analytics failed: 424"))

            try await Self.setAccount(harness, ["state": "NONE"])
            let none = try await #require(throws: APIError.self) { try await account.enableTemplateAnalytics() }
            #expect(none.status == 400)
            #expect(none.errorCode == "project_not_initialized")
            let missing = try await #require(throws: APIError.self) { try await account.get() }
            #expect(missing.errorCode == "account_not_found")
        }
    }

    @Test func createUpdateCommentActivitiesAndDelete() async throws {
        try await APIHarness.run { harness in
            let account = harness.client.whatsappAccount
            try await Self.setAccount(harness, ["state": "NONE"])
            let created = try #require(
                try await account.create(["companyLegalName": "Acme", "clientBusinessManagerId": "42"]).completedBody)
            #expect(created["changes"]?["status"]?.stringValue == "IN_PROGRESS")
            let pending = try await account.get()
            #expect(pending.state == nil)
            #expect(pending.pendingChangesStatus == "IN_PROGRESS")
            let exists = try await #require(throws: APIError.self) {
                try await account.create(["companyLegalName": "Acme", "clientBusinessManagerId": "42"]).get()
            }
            #expect(exists.errorCode == "account_exists")

            try await harness.control.call(
                .POST, "review",
                ["projectId": .string(APIHarness.project), "kind": "whatsappAccount", "outcome": "reject"])
            #expect(try await account.get().state == .rejected)
            let updated = try await account.update(["wabaName": "Acme Shop"])
            #expect(updated.state == .rejected)
            #expect(updated.pendingChangesStatus == "IN_PROGRESS")

            for index in 1...120 {
                _ = try await account.comment("note \(index)").get()
            }
            // More than one page (the largest is 100), newest first.
            let activities = try await account.activities()
            #expect(activities.count == 125)
            #expect(activities.first?["comment"]?.stringValue == "note 120")
            #expect(activities.last?["type"]?.stringValue == "CREATED")

            try await Self.setAccount(harness, ["state": "ONBOARDED"])
            try await account.delete()
            let gone = try await #require(throws: APIError.self) { try await account.delete() }
            #expect(gone.errorCode == "project_not_initialized")
        }
    }

    @Test func longLivedTokenIsNeverLogged() async throws {
        let code = "AQD-embedded-signup-code-5150"
        try await APIHarness.run { harness in
            let account = harness.client.whatsappAccount
            let token = try await account.longLivedAccessToken(.code(code))
            #expect(!token.value.isEmpty)
            #expect("\(token)" == "(sensitive)")
            #expect(String(reflecting: token) == "(sensitive)")
            var dumped = ""
            dump(token, to: &dumped)
            #expect(!dumped.contains(token.value))
            #expect(!"\(FacebookCredentialProbe.code(code))".contains(code))
            let fromToken = try await account.longLivedAccessToken(.token(token.value), businessManager: "SINCH_UK")
            #expect(!fromToken.value.isEmpty)

            let logs = harness.logs.text
            #expect(logs.contains("longLivedAccessToken"))
            #expect(!logs.contains(token.value))
            #expect(!logs.contains(fromToken.value))
            #expect(!logs.contains(code))

            let invalidCode = try await #require(throws: APIError.self) {
                try await account.longLivedAccessToken(.code("invalid-code"))
            }
            #expect(invalidCode.errorCode == "invalid_facebook_code")
            let invalidToken = try await #require(throws: APIError.self) {
                try await account.longLivedAccessToken(.token("invalid-token"))
            }
            #expect(invalidToken.errorCode == "invalid_facebook_token")
            let manager = try await #require(throws: APIError.self) {
                try await account.longLivedAccessToken(.token("t"), businessManager: "SINCH_BR")
            }
            #expect(manager.errorCode == "invalid_business_manager_for_environment")
        }
    }

    @Test func aTokenExchangeIsRetriedButACodeExchangeIsNot() async throws {
        try await APIHarness.run { harness in
            let account = harness.client.whatsappAccount
            let rule: JSONValue = ["type": "status", "status": 503, "count": 1, "path": "longLivedAccessToken$"]
            try await harness.control.setFaults([rule])
            let token = try await account.longLivedAccessToken(.token("EAAB"))
            #expect(!token.value.isEmpty)
            #expect(try await harness.requests("POST", pathSuffix: "/longLivedAccessToken").count == 2)

            try await harness.control.setFaults([rule])
            let unknown = try await #require(throws: APIError.self) {
                try await account.longLivedAccessToken(.code("AQD"))
            }
            #expect(unknown.kind == .outcomeUnknown)
            #expect(try await harness.requests("POST", pathSuffix: "/longLivedAccessToken").count == 3)

            try await harness.control.call(
                .PUT, "whatsapp/account",
                [
                    "projectId": .string(APIHarness.project),
                    "failures": ["longLivedAccessToken": "facebook_Request_limit_reached"],
                ])
            let limited = try await #require(throws: APIError.self) {
                try await account.longLivedAccessToken(.token("EAAB"))
            }
            #expect(limited.status == 500)
            #expect(limited.errorCode == "facebook_Request_limit_reached")
        }
    }

    @Test func wabaDetailsAreTypedAndRetried() async throws {
        try await APIHarness.run { harness in
            let account = harness.client.whatsappAccount
            try await harness.control.setFaults([["type": "status", "status": 503, "count": 1, "path": "wabaDetails$"]])
            let wabas = try await account.wabaDetails(facebookToken: "EAAB")
            #expect(try await harness.requests("POST", pathSuffix: "/wabaDetails").count == 2)
            let numbers = try #require(wabas.first?.numbers)
            #expect(numbers.contains { !$0.provisioned })
            #expect(numbers.allSatisfy { !$0.id.isEmpty && !$0.displayPhoneNumber.isEmpty })
            #expect(!harness.logs.text.contains("EAAB\""))

            let invalid = try await #require(throws: APIError.self) {
                try await account.wabaDetails(facebookToken: "invalid")
            }
            #expect(invalid.errorCode == "invalid_facebook_token")

            try await harness.control.setFaults([["type": "wrongTypes", "path": "wabaDetails$"]])
            let undecodable = try await #require(throws: APIError.self) {
                try await account.wabaDetails(facebookToken: "EAAB")
            }
            #expect(undecodable.kind == .undecodableResponse)
            try await harness.control.setFaults([["type": "wrongTypes", "path": "whatsapp$"]])
            let wrongAccount = try await #require(throws: APIError.self) { try await account.get() }
            #expect(wrongAccount.kind == .undecodableResponse)
        }
    }
}

typealias FacebookCredentialProbe = ProvisioningClient.WhatsAppAccount.FacebookCredential
