import Foundation
import ProvisioningAPI
import SinchformTestSupport
import Testing

@Suite struct WhatsAppTemplateTests {
    static func template(_ name: String, language: String = "EN_US", status: String = "DRAFT") -> JSONValue {
        [
            "name": .string(name), "language": .string(language), "category": "UTILITY", "status": .string(status),
            "details": ["components": [["type": "BODY", "text": "Your order {{1}} has shipped.", "examples": ["42"]]]],
        ]
    }

    @Test func lifecycle() async throws {
        try await APIHarness.run { harness in
            let templates = harness.client.whatsappTemplates
            for language in ["EN_US", "DE"] {
                let created = try #require(
                    try await templates.create(Self.template("order_shipped", language: language)).completedBody)
                #expect(created["name"]?.stringValue == "order_shipped")
            }
            _ = try await templates.create(Self.template("other_template")).get()

            #expect(try await templates.listByName("order_shipped").count == 2)
            let fetched = try await templates.get(name: "order_shipped", language: "DE")
            #expect(fetched["language"]?.stringValue == "DE")

            let updated = try await templates.update(
                name: "order_shipped", language: "DE",
                ["status": "DRAFT", "details": ["components": [["type": "BODY", "text": "Unterwegs."]]]])
            #expect(updated.value(atPath: "changes.details.components.0.text")?.stringValue == "Unterwegs.")

            try await templates.delete(name: "order_shipped", language: "DE", deleteSubmitted: false)
            #expect(try await templates.listByName("order_shipped").count == 1)
            let deleteRequest = try await harness.requests("DELETE", pathSuffix: "/order_shipped/languages/DE")
            #expect(deleteRequest.first?.query.contains("deleteSubmitted=false") == true)

            try await templates.deleteByName("order_shipped")
            let missing = try await #require(throws: APIError.self) {
                try await templates.get(name: "order_shipped", language: "EN_US", label: "whatsappTemplate.x[EN_US]")
            }
            #expect(missing.status == 404)
            #expect(missing.errorCode == "template_not_found")
            #expect(missing.description.hasPrefix("whatsappTemplate.x[EN_US]: get WhatsApp template failed: 404"))
            #expect(try await templates.list().compactMap { $0["name"]?.stringValue } == ["other_template"])
        }
    }

    @Test func duplicateIsRefusedWithItsCode() async throws {
        try await APIHarness.run { harness in
            _ = try await harness.client.whatsappTemplates.create(Self.template("dup_name")).get()
            let error = try await #require(throws: APIError.self) {
                try await harness.client.whatsappTemplates.create(Self.template("dup_name"))
            }
            #expect(error.status == 409)
            #expect(error.errorCode == "template_exists")
        }
    }

    @Test func listFollowsManyPages() async throws {
        try await APIHarness.run(auth: .basic) { harness in
            let count = 1003
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    group.addTask {
                        let name = "bulk_\(String(format: "%04d", index))"
                        _ = try await harness.client.whatsappTemplates.create(Self.template(name)).get()
                    }
                }
                try await group.waitForAll()
            }
            // The typed list asks for 1000 at a time: two pages.
            let all = try await harness.client.whatsappTemplates.list()
            #expect(all.count == count)
            #expect(Set(all.compactMap { $0["name"]?.stringValue }).count == count)
            let pages = try await harness.requests("GET", pathSuffix: "/whatsapp/templates")
            #expect(pages.count == 2)
            #expect(pages.allSatisfy { $0.query.contains("pageSize=1000") })

            // Small pages by name prefix, through the generic pager with a filter.
            let some = try await harness.client.listAll(
                path: harness.client.projectPath("whatsapp", "templates"), itemsKey: "templates", pageSize: 7,
                query: [QueryItem("templateName", "bulk_00")], operation: "list WhatsApp templates"
            ) { $0["name"]?.stringValue }
            #expect(some.count == 100)
            #expect(Set(some.compactMap { $0 }).count == 100)
            #expect(try await harness.requests("GET", pathSuffix: "/whatsapp/templates").count == 2 + 15)
        }
    }
}
