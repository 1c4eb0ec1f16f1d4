import Foundation
import NIOHTTP1
import Testing

@testable import ProvisioningEmulator

@Suite struct WebhookTests {
    @Test func createGetListReplacePatchDelete() async throws {
        try await Harness.run { h in
            let request = try Examples.load("webhook.create.request.specific-triggers.json")
            let created = try await h.post("webhooks", request)
            #expect(created.status == 201)
            #expect(created.object["secret"] == nil)
            let example = try Examples.load("webhook.create.response.specific-triggers.json")
            #expect(structuralDifferences(expected: example, actual: try #require(created.json)) == [])
            let id = try #require(created.object["id"]?.stringValue)
            #expect(isUUID(id))
            #expect(created.object["projectId"]?.stringValue == Harness.project)

            let got = try await h.get("webhooks/\(id)")
            #expect(got.status == 200)
            #expect(got.json == created.json)
            #expect(
                structuralDifferences(
                    expected: try Examples.load("webhook.get.response.json"), actual: try #require(got.json)) == [])

            let replaced = try await h.put(
                "webhooks/\(id)", try Examples.load("webhook.replace.request.all-triggers.json"))
            #expect(replaced.status == 200)
            #expect(replaced.object["triggers"] == ["ALL"])
            let patched = try await h.patch("webhooks/\(id)", try Examples.load("webhook.update.request.json"))
            #expect(patched.status == 200)
            #expect(
                structuralDifferences(
                    expected: try Examples.load("webhook.update.response.json"), actual: try #require(patched.json))
                    == [])
            let empty = try await h.patch("webhooks/\(id)", [:])
            #expect(empty.status == 200)
            #expect(empty.json == patched.json)

            let list = try await h.get("webhooks")
            #expect(list.status == 200)
            #expect(list.object["totalSize"] == 1)
            #expect(list.object["webhooks"]?.arrayValue?.first == patched.json)
            #expect(list.object["nextPageToken"] == nil)

            #expect(try await h.delete("webhooks/\(id)").status == 204)
            let gone = try await h.get("webhooks/\(id)")
            #expect(gone.status == 404)
            #expect(gone.json == (try Examples.load("webhook.error.not-found.json")))
        }
    }

    @Test func limitsUniquenessAndValidation() async throws {
        try await Harness.run { h in
            var ids: [String] = []
            for index in 0..<15 {
                let created = try await h.post(
                    "webhooks",
                    ["target": .string("https://hooks.example.com/\(100 - index)"), "secret": "s", "triggers": ["ALL"]])
                #expect(created.status == 201)
                ids.append(created.object["id"]?.stringValue ?? "")
            }
            let sixteenth = try await h.post(
                "webhooks", ["target": "https://other.example.com", "secret": "s", "triggers": ["ALL"]])
            #expect(sixteenth.status == 424)
            #expect(sixteenth.json == (try Examples.load("webhook.error.limit-reached.json")))

            let duplicate = try await h.post(
                "webhooks", ["target": "https://hooks.example.com/100", "secret": "s", "triggers": ["ALL"]])
            #expect(duplicate.status == 409)
            #expect(duplicate.json == (try Examples.load("webhook.error.exists.json")))
            let patchClash = try await h.patch("webhooks/\(ids[1])", ["target": "https://hooks.example.com/100"])
            #expect(patchClash.status == 409)
            let putClash = try await h.put(
                "webhooks/\(ids[1])", ["target": "https://hooks.example.com/100", "secret": "x", "triggers": ["ALL"]])
            #expect(putClash.errorCode == "webhook_exists")

            // Alphabetical by target, paginated with opaque tokens.
            let first = try await h.get("webhooks?pageSize=10")
            let targets = first.object["webhooks"]?.arrayValue?.compactMap { $0["target"]?.stringValue } ?? []
            #expect(targets == targets.sorted())
            #expect(first.object["totalSize"] == 15)
            #expect(first.object["pageSize"] == 10)
            let token = try #require(first.object["nextPageToken"]?.stringValue)
            let second = try await h.get("webhooks?pageSize=10&pageToken=\(token)")
            #expect(second.object["webhooks"]?.arrayValue?.count == 5)
            #expect(second.object["nextPageToken"] == nil)
            #expect(second.object["previousPageToken"] != nil)

            #expect(try await h.get("webhooks?pageSize=16").errorCode == "invalid_page_size")
            #expect(try await h.get("webhooks?pageSize=abc").errorCode == "invalid_page_size")
            let badToken = try await h.get("webhooks?pageToken=nonsense")
            #expect(badToken.status == 400)
            #expect(badToken.json == (try Examples.load("error.invalid-page-token.json")))

            let invalid = try await h.post("webhooks", ["target": 5, "secret": "s", "triggers": ["ALL"]])
            #expect(invalid.status == 400)
            #expect(invalid.errorCode == "invalid_input")
            #expect(
                invalid.object["additionalInformation"]?["validationErrors"]?.arrayValue?.contains(
                    "target must be a string") == true)
            let badTrigger = try await h.post(
                "webhooks", ["target": "https://x.example.com", "secret": "s", "triggers": ["NOPE"]])
            #expect(badTrigger.errorCode == "invalid_input")
            let noTriggers = try await h.post(
                "webhooks", ["target": "https://x.example.com", "secret": "s", "triggers": []])
            #expect(noTriggers.errorCode == "invalid_input")
            let notURL = try await h.post("webhooks", ["target": "not a url", "secret": "s", "triggers": ["ALL"]])
            #expect(notURL.object["additionalInformation"]?["validationErrors"] == ["target must be a URL address"])

            let payload = try await h.send(.POST, "webhooks", body: "{not json")
            #expect(payload.status == 400)
            #expect(payload.json == (try Examples.load("error.invalid-payload.json")))

            let badId = try await h.get("webhooks/not-a-uuid")
            #expect(badId.status == 400)
            #expect(badId.json == (try Examples.load("webhook.error.invalid-id-format.json")))
            #expect(try await h.delete("webhooks/not-a-uuid").errorCode == "invalid_id_format")
            #expect(
                try await h.put(
                    "webhooks/\(UUID().uuidString.lowercased())",
                    ["target": "https://y.example.com", "secret": "s", "triggers": ["ALL"]]
                ).status == 404)
        }
    }

    @Test func everyWebhookExampleRequestIsAccepted() async throws {
        try await Harness.run { h in
            for name in try Examples.names(matching: ".json").filter({
                $0.hasPrefix("webhook.") && $0.contains(".request")
            }) {
                let body = try Examples.load(name)
                _ = try await h.control(.POST, "reset")
                if name.contains("create") {
                    #expect(try await h.post("webhooks", body).status == 201, "\(name)")
                } else {
                    let id =
                        try await h.post(
                            "webhooks", ["target": "https://z.example.com", "secret": "s", "triggers": ["ALL"]]
                        ).object["id"]?.stringValue ?? ""
                    let result =
                        name.contains("replace")
                        ? try await h.put("webhooks/\(id)", body) : try await h.patch("webhooks/\(id)", body)
                    #expect(result.status == 200, "\(name)")
                }
            }
        }
    }
}
