import Foundation
import NIOHTTP1
import Testing

@testable import ProvisioningEmulator

/// Drops keys the example shows but a fresh sender does not have yet (it is not attached to a Conversation API app and
/// has never been launched), so the remaining structure must match exactly.
func withoutLaterKeys(_ example: JSON, _ keys: [String]) -> JSON {
    guard case .object(var object) = example else { return example }
    for key in keys { object[key] = nil }
    return .object(object)
}

/// A create request carrying every answer block of the documented response (questions stripped).
func rcsRequestFromExampleResponse() throws -> JSON {
    let example = try Examples.load("rcs-sender.create.response.json")
    var details = try #require(example["details"]?.objectValue)
    var questionnaire = try #require(details["questionnaire"]?.objectValue)
    for (name, block) in questionnaire { questionnaire[name] = ["answers": block["answers"] ?? [:]] }
    details["questionnaire"] = .object(questionnaire)
    return [
        "region": example["region"] ?? .null, "billingCategory": example["billingCategory"] ?? .null,
        "useCase": example["useCase"] ?? .null, "details": .object(details),
    ]
}

@Suite struct RcsSenderTests {
    static let laterKeys = ["conversationApiApp", "conversationApiAppDetails", "launched"]

    @Test func createGetListAndExampleShapes() async throws {
        try await Harness.run { h in
            let documented = try await h.post("rcs/senders", try Examples.load("rcs-sender.create.request.json"))
            #expect(documented.status == 201)
            #expect(documented.object["countryStatus"]?.arrayValue?.map { $0["country"] } == ["GB", "FR"])
            let created = try await h.post("rcs/senders", try rcsRequestFromExampleResponse())
            #expect(created.status == 201)
            let body = try #require(created.json)
            let example = withoutLaterKeys(try Examples.load("rcs-sender.create.response.json"), Self.laterKeys)
            #expect(structuralDifferences(expected: example, actual: body) == [])
            #expect(body["state"] == "IN_TEST")
            #expect(body["hostingRegion"] == "EUROPE")
            #expect(
                body["details"]?["questionnaire"]?["general"]?["questions"]?["optInDescription"]?["question"]
                    == "How do users agree to receive messages from your business through the agent?")
            #expect(body["testNumberStates"]?.arrayValue?.first?["state"] == "UNVERIFIED")
            let id = try #require(body["id"]?.stringValue)

            let fetched = try await h.get("rcs/senders/\(id)")
            #expect(fetched.json == body)
            let list = try await h.get("rcs/senders")
            #expect(list.object["senders"]?.arrayValue?.first == body)
            #expect(list.object["totalSize"] == 2)
            #expect(list.object["pageSize"] == 50)
            let listExample = try Examples.load("rcs-sender.list.response.json")
            #expect(Set(list.object.keys) == Set(try #require(listExample.objectValue).keys))
            #expect(
                structuralDifferences(
                    expected: withoutLaterKeys(try #require(listExample["senders"]?.arrayValue?.first), Self.laterKeys),
                    actual: try #require(list.object["senders"]?.arrayValue?.first)) == [])

            #expect(try await h.get("rcs/senders/not-a-uuid").errorCode == "invalid_id_format")
            #expect(try await h.get("rcs/senders/\(newUUID())").errorCode == "sender_not_found")
            let deleted = try await h.delete("rcs/senders/\(id)")
            #expect(deleted.status == EmulatorDefaults.rcsDeleteStatus)
            #expect(deleted.object["errorCode"] != nil && deleted.object["resolution"] != nil)
        }
    }

    @Test func validationErrors() async throws {
        try await Harness.run { h in
            let missing = try await h.post("rcs/senders", [:])
            #expect(missing.status == 400)
            #expect(missing.errorCode == "invalid_input")
            let errors = missing.object["additionalInformation"]?["validationErrors"]?.arrayValue ?? []
            #expect(errors.contains("region should not be null or undefined"))
            let bad: JSON = [
                "region": "EU", "billingCategory": "CONVERSATIONAL", "useCase": "OTP",
                "details": [
                    "brand": [
                        "name": .string(String(repeating: "x", count: 41)),
                        "phones": [["label": "l", "number": "+33 777-777-777"]],
                    ],
                    "testNumbers": ["0612345678"], "countries": ["XX"], "callbackUrl": "https://example.com",
                ],
            ]
            let invalid = try await h.post("rcs/senders", bad)
            let messages = (invalid.object["additionalInformation"]?["validationErrors"]?.arrayValue ?? []).compactMap(
                \.stringValue)
            #expect(messages.contains { $0.contains("details.brand.name") })
            #expect(messages.contains { $0.contains("details.brand.phones.0.number") })
            #expect(messages.contains { $0.contains("details.testNumbers") })
            #expect(messages.contains { $0.contains("details.countries") })
            #expect(messages.contains("details.property callbackUrl should not exist"))
        }
    }

    @Test func patchListFiltersAndSorting() async throws {
        try await Harness.run { h in
            var ids: [String] = []
            for name in ["Bravo", "Alpha", "Charlie"] {
                let created = try await h.post(
                    "rcs/senders",
                    [
                        "region": "US", "billingCategory": "NON_CONVERSATIONAL", "useCase": "TRANSACTIONAL",
                        "details": ["brand": ["name": .string(name)]],
                    ])
                #expect(created.status == 201)
                #expect(created.object["hostingRegion"] == "NORTH_AMERICA")
                ids.append(try #require(created.object["id"]?.stringValue))
            }
            let newestFirst = try await h.get("rcs/senders")
            #expect(newestFirst.object["senders"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ids.reversed())
            let byName = try await h.get("rcs/senders?sortColumn=NAME&sortDirection=ASC&pageSize=2")
            #expect(
                byName.object["senders"]?.arrayValue?.compactMap { $0["details"]?["brand"]?["name"]?.stringValue }
                    == ["Alpha", "Bravo"])
            #expect(byName.object["nextPageToken"] != nil)
            let searched = try await h.get("rcs/senders?search=CHAR")
            #expect(searched.object["totalSize"] == 1)
            let filtered = try await h.get("rcs/senders?filterSenderIds=\(ids[0]),\(ids[1])")
            #expect(filtered.object["totalSize"] == 2)
            #expect(try await h.get("rcs/senders?filterStates=NOPE").errorCode == "invalid_filter_states")
            #expect(try await h.get("rcs/senders?sortColumn=SIZE").errorCode == "invalid_input")
            #expect(try await h.get("rcs/senders?pageSize=101").errorCode == "invalid_page_size")
            #expect(try await h.get("rcs/senders?filterStates=LAUNCHED").object["totalSize"] == 0)

            let path = "rcs/senders/\(ids[0])"
            #expect(try await h.patch(path, [:]).errorCode == "invalid_input")
            #expect(try await h.patch(path, ["details": [:]]).errorCode == "no_fields_to_update")
            #expect(try await h.patch(path, ["details": ["unknown": 1]]).errorCode == "invalid_input")
            let patched = try await h.patch(
                path,
                [
                    "details": [
                        "brand": ["description": "Updated", "name": nil], "testNumbers": ["+12223334444"],
                        "countries": ["US"],
                    ]
                ])
            #expect(patched.status == 200)
            #expect(patched.object["details"]?["brand"]?["description"] == "Updated")
            #expect(patched.object["details"]?["brand"]?["name"] == .string(EmulatorDefaults.rcsDefaultBrandName))
            #expect(patched.object["testNumberStates"]?.arrayValue?.count == 1)
            #expect(patched.object["countryStatus"]?.arrayValue?.first?["country"] == "US")
            let replaced = try await h.patch(path, ["details": ["countries": ["FR"], "testNumbers": nil]])
            #expect(replaced.object["details"]?["countries"] == ["FR"])
            #expect(replaced.object["details"]?["testNumbers"] == [])
            #expect(try await h.get(path).json == replaced.json)
            let activities = try await h.get(path + "/activities")
            #expect(activities.object["notifications"]?.arrayValue?.first?["type"] == "EDITED")
            let comment = try await h.post(path + "/comments", ["comment": "Hello"])
            #expect(comment.status == 201)
            #expect(try await h.post(path + "/comments", ["comment": ""]).errorCode == "invalid_input")
        }
    }

    @Test func launchLifecycle() async throws {
        try await Harness.run { h in
            let bare = try await h.post(
                "rcs/senders", ["region": "EU", "billingCategory": "CONVERSATIONAL", "useCase": "OTP"])
            let bareId = try #require(bare.object["id"]?.stringValue)
            let refused = try await h.post("rcs/senders/\(bareId)/launch")
            #expect(refused.status == 412)
            #expect(refused.errorCode == "launch_precondition_failed")
            let problems = refused.object["additionalInformation"]?["validationErrors"]?.arrayValue ?? []
            #expect(problems.contains("details.countries must contain at least 1 elements"))
            #expect(
                structuralDifferences(
                    expected: try Examples.load("rcs-error.launch-precondition-failed.json"),
                    actual: try #require(refused.json)) == [])

            let created = try await h.post("rcs/senders", try rcsRequestFromExampleResponse())
            let id = try #require(created.object["id"]?.stringValue)
            let launched = try await h.post("rcs/senders/\(id)/launch")
            #expect(launched.status == 200)
            #expect(launched.object["state"] == .string(EmulatorDefaults.rcsLaunchStateWithVideo))
            #expect(launched.object["countryStatus"]?.arrayValue?.first?["status"] == "PENDING")
            #expect(
                launched.object["countryStatus"]?.arrayValue?.first?["operators"]?.arrayValue?.first?["status"]
                    == "PENDING")
            let review = try await h.control(
                .POST, "review",
                [
                    "projectId": .string(Harness.project), "kind": "rcsSender", "id": .string(id),
                    "outcome": "approve",
                ])
            #expect(review.status == 200)
            let live = try await h.get("rcs/senders/\(id)")
            #expect(live.object["state"] == "LAUNCHED")
            #expect(live.object["launched"]?.stringValue != nil)
            #expect(live.object["countryStatus"]?.arrayValue?.allSatisfy { $0["status"] == "LAUNCHED" } == true)
            #expect(
                structuralDifferences(
                    expected: withoutLaterKeys(try Examples.load("rcs-sender.get.response.json"), Self.laterKeys),
                    actual: try #require(live.json), abridged: true) == [])
            // Relaunch is allowed from LAUNCHED; the clock completes it on its own.
            #expect(try await h.post("rcs/senders/\(id)/launch").status == 200)
            try await h.advance(seconds: 600)
            #expect(try await h.get("rcs/senders/\(id)").object["state"] == "LAUNCHED")

            // A sender not in a launchable state.
            var state = try #require(try await h.control(.GET, "state").json?.objectValue)
            let senders = try #require(state["projects"]?[Harness.project]?["rcsSenders"]?["items"]?.objectValue)
            var resource = try #require(senders[bareId]?.objectValue)
            var doc = try #require(resource["doc"]?.objectValue)
            doc["state"] = "IN_PROGRESS"
            resource["doc"] = .object(doc)
            var items = senders
            items[bareId] = .object(resource)
            var projects = try #require(state["projects"]?.objectValue)
            var project = try #require(projects[Harness.project]?.objectValue)
            project["rcsSenders"] = ["items": .object(items)]
            projects[Harness.project] = .object(project)
            state["projects"] = .object(projects)
            #expect(try await h.control(.PUT, "state", .object(state)).status == 204)
            let invalidState = try await h.post("rcs/senders/\(bareId)/launch")
            #expect(invalidState.json == (try Examples.load("rcs-error.launch-invalid-agent-state.json")))
        }
    }

    @Test func testNumbers() async throws {
        try await Harness.run { h in
            let created = try await h.post("rcs/senders", try Examples.load("rcs-sender.create.request.json"))
            let id = try #require(created.object["id"]?.stringValue)
            let base = "rcs/senders/\(id)/testNumbers"
            let added = try await h.post(base, ["testNumbers": ["+12223334444"]])
            #expect(added.status == 200)
            #expect(
                structuralDifferences(
                    expected: try Examples.load("rcs-sender.test-numbers.add.response.json"),
                    actual: try #require(added.json)) == [])
            #expect(added.object["testNumbers"]?.arrayValue?.count == 2)
            #expect(try await h.post(base, ["testNumbers": ["12"]]).errorCode == "invalid_input")

            let one = try await h.get(base + "/%2B12223334444")
            #expect(one.status == 200)
            #expect(
                structuralDifferences(
                    expected: try Examples.load("rcs-sender.test-number.get.response.json"),
                    actual: try #require(one.json)) == [])
            #expect(try await h.get(base + "/%2B19998887777").errorCode == "user_is_not_tester_for_agent")
            #expect(try await h.get(base + "/%2B12223334444/capabilities").errorCode == "user_has_not_accepted_invite")
            let accepted = try await h.control(
                .POST, "rcs/testNumbers",
                [
                    "projectId": .string(Harness.project), "senderId": .string(id), "number": "+12223334444",
                    "state": "VERIFIED",
                ])
            #expect(accepted.status == 200)
            let capabilities = try await h.get(base + "/%2B12223334444/capabilities")
            #expect(capabilities.json == (try Examples.load("rcs-sender.test-number.capabilities.response.json")))
            let retried = try await h.get(base + "/%2B12223334444/retry")
            #expect(retried.object["state"] == "UNVERIFIED")
            #expect(
                structuralDifferences(
                    expected: try Examples.load("rcs-sender.test-number.retry.response.json"),
                    actual: try #require(retried.json)) == [])
            #expect(try await h.delete(base + "/%2B12223334444").status == 204)
            let after = try await h.get("rcs/senders/\(id)")
            #expect(after.object["details"]?["testNumbers"] == ["+48777777777"])
            #expect(after.object["testNumberStates"]?.arrayValue?.count == 1)
            #expect(try await h.delete(base + "/%2B12223334444").errorCode == "user_is_not_tester_for_agent")
        }
    }
}
