import Foundation
import ProvisioningAPI
import SinchformManifest
import SinchformTestSupport
import Testing

@testable import SinchformEngine

/// `sinchform import` against a live emulator project holding every kind: the files validate, name resources
/// after what identifies them, leave secrets and server-computed fields out, and plan as no changes.
@Suite struct ImporterTests {
    /// Seeds one project with every kind the emulator serves, in several review states.
    static func seed(_ harness: EmulatorHarness) async throws {
        try await harness.withClient { client in
            _ = try await client.webhooks.create(
                try JSONValue(
                    json: """
                        {"target": "https://ops.example.com/sinch/events", "triggers": ["WHATSAPP_TEMPLATE_APPROVED",
                         "RCS_SENDER_STATUS_UPDATED"], "secret": "never-shown-1"}
                        """))
            // Two targets whose slugs collide: the second gets a suffix.
            _ = try await client.webhooks.create(
                try JSONValue(
                    json: #"{"target": "https://hooks.example.com/a-b", "triggers": ["ALL"], "secret": "x1"}"#))
            _ = try await client.webhooks.create(
                try JSONValue(
                    json: #"{"target": "https://hooks.example.com/a/b", "triggers": ["ALL"], "secret": "x2"}"#))

            for language in ["EN_US", "DE"] {
                _ = try await client.whatsappTemplates.create(
                    try JSONValue(
                        json: """
                            {"name": "order_shipped", "language": "\(language)", "category": "UTILITY",
                             "status": "SUBMIT", "details": {"components": [
                               {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}", "examples": ["48"]},
                               {"type": "BODY", "text": "Your order {{1}} ships on {{2}}.", "examples": ["001", "Friday"]},
                               {"type": "FOOTER", "text": "Reply STOP to opt out"}]}}
                            """))
            }
            _ = try await client.whatsappTemplates.create(
                try JSONValue(
                    json: """
                        {"name": "spring_sale", "language": "EN", "category": "MARKETING", "status": "SUBMIT",
                         "details": {"components": [{"type": "BODY", "text": "Save {{1}}%", "examples": ["20"]}],
                         "optimization": {"bidAmount": 500, "bidStrategy": "LOWEST_COST_WITH_BID_CAP",
                           "bidCountryMultiplierOverrides": {"US": "1.2", "GB": "1.1"}}}}
                        """))

            _ = try await client.kakaotalkSenders.create(
                try JSONValue(
                    json: """
                        {"plusFriendId": "@acme", "status": "SUBMIT", "details": {"adminPhoneNo": "+48777777777",
                         "name": "Acme Store", "topLevelCategoryCode": "001", "midLevelCategoryCode": "0001",
                         "subLevelCategoryCode": "0001"}}
                        """))
            _ = try await client.kakaotalkTemplates.create(
                plusFriendId: "@acme",
                try JSONValue(
                    json: """
                        {"status": "SUBMIT", "details": {"language": "EN", "messageType": "BASIC",
                         "emphasizeType": "EMPHASIZE_TYPE_NONE", "categoryCode": "001001", "securityFlag": false,
                         "name": "Example name", "content": "Example content", "extra": "Example extra",
                         "buttons": [{"ordering": 1, "type": "WEB_LINK", "name": "Shop",
                           "linkMo": "https://m.example.com", "linkPc": "https://www.example.com"}]}}
                        """))

            _ = try await client.rcsSenders.create(
                try JSONValue(
                    json: """
                        {"region": "EU", "billingCategory": "CONVERSATIONAL", "useCase": "OTP", "details": {
                          "brand": {"name": "Acme Brand", "color": "#0a84ff", "description": "Codes from Acme.",
                            "emails": [{"label": "Support", "address": "support@acme.example.com"}],
                            "phones": [{"label": "Call", "number": "+48777777777"}],
                            "websites": [{"label": "Shop", "url": "https://www.acme.example.com"}]},
                          "testNumbers": ["+46701234567"], "countries": ["SE", "DE"],
                          "questionnaire": {"verification": {"answers": {"name": "Exam Ple",
                            "email": "email@example.com", "title": "Head", "website": "https://example.com"}}}}}
                        """))

            _ = try await client.whatsappSenders.create(
                try JSONValue(
                    json: #"{"details": {"countryCode": "49", "phoneNumber": "1701234567", "displayName": "Demo"}}"#))
        }
        // Everything so far passes review; the template created next stays pending.
        try await harness.control.reviewAll(.approve)
        try await harness.withClient { client in
            _ = try await client.whatsappTemplates.create(
                try JSONValue(
                    json: """
                        {"name": "login_code", "language": "EN", "category": "AUTHENTICATION", "status": "SUBMIT",
                         "details": {"components": [{"type": "BODY", "addSecurityRecommendation": true},
                           {"type": "BUTTONS", "buttons": [{"type": "OTP", "otpType": "COPY_CODE",
                             "text": "Copy code"}]}]}}
                        """))
        }
    }

    static func importAll(
        _ harness: EmulatorHarness, into workspace: Workspace, options: ImportOptions = ImportOptions()
    ) async throws -> ImportResult {
        try await harness.withClient { client in
            try await Importer().importProject(
                client: client, into: workspace, project: "sinchform-project", options: options)
        }
    }

    /// Security audit 19: `--out` naming a file is refused before anything is written, and a generated set is
    /// validated on its own (another YAML file in the directory does not make a valid import fail).
    @Test func outMustBeADirectoryAndOtherFilesDoNotMatter() async throws {
        try await EmulatorHarness.run { harness in
            try await Self.seed(harness)
            let file = harness.directory.appendingPathComponent("README.txt")
            try "notes".write(to: file, atomically: true, encoding: .utf8)
            do {
                _ = try await Self.importAll(harness, into: Workspace(directory: file.path))
                Issue.record("imported into a file")
            } catch let EngineError.importFailed(message) {
                #expect(message.contains("is a file; give a directory"), "\(message)")
            }
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: harness.directory.path) == ["README.txt"],
                "nothing written beside the file")

            let out = harness.directory.appendingPathComponent("out")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            try "services: {web: {image: nginx}}\n".write(
                to: out.appendingPathComponent("docker-compose.yml"), atomically: true, encoding: .utf8)
            let result = try await Self.importAll(harness, into: Workspace(directory: out.path))
            #expect(result.files.count > 1)
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("sinchform.lock").path))
            let leftovers = try FileManager.default.contentsOfDirectory(
                atPath: out.appendingPathComponent(".sinchform").path)
            #expect(leftovers.isEmpty, "the scratch folder is gone: \(leftovers)")
        }
    }

    @Test func importedProjectPlansAsNoChanges() async throws {
        try await EmulatorHarness.run { harness in
            try await Self.seed(harness)

            let result = try await Self.importAll(harness, into: harness.workspace)
            let names = result.files.map { ($0 as NSString).lastPathComponent }
            #expect(
                names == [
                    "webhooks.yaml", "kakaotalk-senders.yaml", "kakaotalk-templates.yaml", "whatsapp-account.yaml",
                    "whatsapp-senders.yaml", "whatsapp-templates.yaml", "rcs-senders.yaml", "manifest.schema.json",
                ])
            #expect(
                result.addresses == [
                    "kakaotalkSender.acme", "kakaotalkTemplate.example-name", "rcsSender.acme-brand",
                    "webhook.hooks-example-com-a-b", "webhook.hooks-example-com-a-b-2",
                    "webhook.ops-example-com-sinch-events", "whatsappAccount", "whatsappSender.phone-491701234567",
                    "whatsappTemplate.login_code[EN]", "whatsappTemplate.order_shipped[DE]",
                    "whatsappTemplate.order_shipped[EN_US]", "whatsappTemplate.spring_sale[EN]",
                ])

            // The files load as they are (nothing needs an environment variable) and declare exactly what was imported.
            let loaded = await ManifestLoader(environment: [:]).load(harness.directory.path)
            #expect(loaded.errors.isEmpty, "\(loaded.errors)")
            #expect(loaded.manifests?.resources.map(\.address).sorted() == result.addresses)
            for file in result.files where file.hasSuffix(".yaml") {
                let text = try String(contentsOfFile: file, encoding: .utf8)
                #expect(text.hasPrefix("# yaml-language-server: $schema=manifest.schema.json\n"), "\(file)")
                #expect(!text.contains("never-shown"), "\(file) holds a secret")
                for serverField in [
                    " state:", " createTime", " updateTime", " id:", " changes:", " code:", " rejectionCode",
                ] {
                    #expect(!text.contains(serverField), "\(file) holds the server-computed \(serverField)")
                }
            }

            let webhooks = try String(
                contentsOf: harness.directory.appendingPathComponent("webhooks.yaml"), encoding: .utf8)
            #expect(webhooks.contains("    # secret: ${env.OPS_EXAMPLE_COM_SINCH_EVENTS_WEBHOOK_SECRET}\n"))
            #expect(webhooks.contains("triggers: [RCS_SENDER_STATUS_UPDATED, WHATSAPP_TEMPLATE_APPROVED]"))
            let templates = try String(
                contentsOf: harness.directory.appendingPathComponent("whatsapp-templates.yaml"), encoding: .utf8)
            // Strings YAML would read as numbers stay strings; the response spelling of bidStrategy is the input one.
            #expect(templates.contains(#"examples: ["001", Friday]"#))
            #expect(templates.contains(#"examples: ["48"]"#))
            #expect(templates.contains("bidStrategy: LOWEST_COST_WITH_BID_CAP\n"))
            #expect(templates.contains("    languages:\n      DE:\n"))
            #expect(!templates.contains("messageSendTtlSeconds"), "server defaults are left out")
            let senders = try String(
                contentsOf: harness.directory.appendingPathComponent("kakaotalk-senders.yaml"), encoding: .utf8)
            #expect(senders.contains(#"topLevelCategoryCode: "001""#))
            let kakaoTemplates = try String(
                contentsOf: harness.directory.appendingPathComponent("kakaotalk-templates.yaml"), encoding: .utf8)
            #expect(!kakaoTemplates.contains("messageType"), "values equal to the API default are left out")

            let plan = try await harness.plan()
            #expect(
                !plan.plan.hasChanges,
                "\(plan.plan.changes.filter(\.isChange).map { "\($0.address) \($0.action) \($0.fields)" })")
            #expect(plan.plan.summary.noop == result.addresses.count)
            #expect(!plan.plan.driftOnly().hasChanges)
            let pending = plan.plan.changes.first { $0.address == "whatsappTemplate.login_code[EN]" }?.review
            #expect(pending?.summary == .pending, "\(String(describing: pending))")

            // Reviews completing afterwards change nothing either.
            try await harness.control.reviewAll(.approve)
            let afterReview = try await harness.plan()
            #expect(
                !afterReview.plan.hasChanges,
                "\(afterReview.plan.changes.filter(\.isChange).map { "\($0.address) \($0.action) \($0.fields)" })")
        }
    }

    @Test func importRefusesToOverwriteAndIsStable() async throws {
        try await EmulatorHarness.run { harness in
            try await Self.seed(harness)
            let first = try await Self.importAll(harness, into: harness.workspace)
            let texts = try first.files.map { try String(contentsOfFile: $0, encoding: .utf8) }

            await #expect(throws: EngineError.self) { try await Self.importAll(harness, into: harness.workspace) }

            let second = try await Self.importAll(harness, into: harness.workspace, options: ImportOptions(force: true))
            #expect(second.files == first.files)
            #expect(try second.files.map { try String(contentsOfFile: $0, encoding: .utf8) } == texts)
        }
    }

    @Test func importsOnlyTheChosenKinds() async throws {
        try await EmulatorHarness.run { harness in
            try await Self.seed(harness)
            let out = harness.directory.appendingPathComponent("only-webhooks")
            let workspace = Workspace(directory: out.path, environment: harness.environment)
            let result = try await Self.importAll(
                harness, into: workspace, options: ImportOptions(kinds: [.webhook, .kakaotalkTemplate]))
            #expect(
                result.files.map { ($0 as NSString).lastPathComponent }.filter { $0.hasSuffix(".yaml") } == [
                    "webhooks.yaml", "kakaotalk-templates.yaml",
                ])
            #expect(result.addresses.allSatisfy { $0.kind == .webhook || $0.kind == .kakaotalkTemplate })
            let plan = try await harness.withClient { client in try await workspace.plan(client: client) }
            #expect(!plan.plan.hasChanges)
        }
    }

    @Test func namesAreSlugsAndUnique() {
        #expect(ImportNaming.slug("ops.example.com/sinch/Events", fallback: "x") == "ops-example-com-sinch-events")
        #expect(ImportNaming.slug("@acme", fallback: "x") == "acme")
        #expect(ImportNaming.slug("--", fallback: "webhook") == "webhook")
        #expect(ImportNaming.unique(["a b", "a-b", "a.b", "c"], fallback: "x") == ["a-b", "a-b-2", "a-b-3", "c"])
        #expect(
            ImportNaming.slug(String(repeating: "x", count: 300), fallback: "x").count == ImportNaming.maximumLength)
        #expect(
            ImportNaming.secretVariable(for: "ops-events", kind: .webhook, field: "secret")
                == "OPS_EVENTS_WEBHOOK_SECRET")
    }
}

/// Live text holding `${` is data: `import` writes it as `$${`, so the next plan neither interpolates it nor reports
/// a change (security audit finding 2).
@Suite struct ImportEscapingTests {
    @Test func liveDollarBraceIsWrittenEscapedAndReplansAsNoChanges() async throws {
        try await EmulatorHarness.run(environment: ["CANARYVAR": "ENV-CANARY-777"]) { harness in
            try await harness.withClient { client in
                _ = try await client.whatsappTemplates.create(
                    try JSONValue(
                        json: """
                            {"name": "dollar_text", "language": "EN_US", "category": "UTILITY", "status": "SUBMIT",
                             "details": {"components": [{"type": "BODY",
                               "text": "Hello ${env.CANARYVAR} friend, total ${{1}} today.", "examples": ["5"]}]}}
                            """))
            }
            _ = try await harness.control.reviewAll(.approve)
            let result = try await ImporterTests.importAll(harness, into: harness.workspace)
            let file = try #require(result.files.first { $0.hasSuffix("whatsapp-templates.yaml") })
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(text.contains("Hello $${env.CANARYVAR} friend, total $${{1}} today."), "\(text)")

            let plan = try await harness.plan()
            #expect(!plan.plan.hasChanges, "\(plan.plan.changes.filter(\.isChange).map(\.fields))")
            let rendered = try PlanRenderer().render(plan.plan, format: .text)
            #expect(!rendered.contains("ENV-CANARY-777"))
        }
    }
}
