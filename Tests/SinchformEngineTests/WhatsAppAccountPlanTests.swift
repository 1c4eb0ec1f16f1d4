import Foundation
import NIOHTTP1
import ProvisioningAPI
import SinchformManifest
import SinchformTestSupport
import Testing

@testable import SinchformEngine

/// The `whatsappAccount` kind (part C §2.1, §3.1) planned, applied, drifted and imported against the emulator over
/// HTTP.
@Suite struct WhatsAppAccountPlanTests {
    static let project = "sinchform-project"

    static func setAccount(_ harness: EmulatorHarness, _ state: String, analytics: Bool? = nil) async throws {
        var body: JSONObject = ["projectId": .string(project), "state": .string(state)]
        if let analytics { body["templateAnalytics"] = .bool(analytics) }
        try await harness.control.call(.PUT, "whatsapp/account", .object(body))
    }

    static func analytics(_ harness: EmulatorHarness) async throws -> Bool? {
        try await harness.withClient { try await $0.whatsappAccount.get().templateAnalytics }
    }

    /// The API requests the emulator recorded (not its control routes).
    static func apiRequests(_ harness: EmulatorHarness) async throws -> [String] {
        try await harness.control.requests().compactMap { entry in
            guard !entry.path.hasPrefix("/_emulator"), entry.path != "/oauth2/token" else { return nil }
            return entry.method + " " + entry.path
        }
    }

    @Test func enablesTemplateAnalyticsOnceAndSaysItIsOneWay() async throws {
        try await EmulatorHarness.run { harness in
            try harness.write("account.yaml", "whatsappAccount:\n  templateAnalytics: true\n")

            let plan = try await harness.plan().plan
            let change = try #require(plan.changes.first)
            #expect(plan.changes.count == 1)
            #expect(change.address.description == "whatsappAccount")
            #expect(change.action == .adopt)
            #expect(change.fields.map(\.path) == ["templateAnalytics"])
            #expect(change.consequences.contains { $0.contains("cannot be turned off") })

            #expect(try await harness.apply().succeeded)
            #expect(try await Self.analytics(harness) == true)
            let lock = try #require(try LockFile.read(in: harness.directory.path))
            #expect(lock.resources.keys.map(\.description) == ["whatsappAccount"])
            let lockText = try String(
                contentsOf: harness.directory.appendingPathComponent("sinchform.lock"), encoding: .utf8)
            #expect(lockText.contains("\"whatsappAccount\""))
            #expect(!(try await harness.plan().plan.hasChanges))
        }
    }

    @Test func falseWhileLiveIsTrueIsAPlanError() async throws {
        try await EmulatorHarness.run { harness in
            try await Self.setAccount(harness, "ONBOARDED", analytics: true)
            try harness.write("account.yaml", "whatsappAccount: {templateAnalytics: false}\n")

            let error = try await #require(throws: EngineError.self) { try await harness.plan() }
            #expect(
                error.description
                    == "error: whatsappAccount.templateAnalytics: it is on in the project and the API cannot turn it off; set templateAnalytics: true or remove the line"
            )
        }
    }

    @Test func enabledOutsideSinchformIsDrift() async throws {
        try await EmulatorHarness.run { harness in
            try harness.write("account.yaml", "whatsappAccount: {templateAnalytics: false}\n")
            #expect(try await harness.apply().succeeded)
            #expect(try LockFile.read(in: harness.directory.path)?.resources["whatsappAccount"] != nil)

            // Turned on in the dashboard: an ordinary API call.
            try await harness.withClient { try await $0.whatsappAccount.enableTemplateAnalytics() }
            let error = try await #require(throws: EngineError.self) { try await harness.plan() }
            #expect(error.description.contains("it was turned on outside sinchform since the last apply"))
            // `drift` shows it, where plan and apply refuse the manifests' false.
            let drift = try await Session(environment: harness.environment).drift(harness.directory.path)
            let change = try #require(drift.changes.first)
            #expect(drift.changes.count == 1)
            #expect(change.address.description == "whatsappAccount")
            #expect(change.origin == .drift)
            #expect(change.fields.map(\.path) == ["templateAnalytics"])
            #expect(change.consequences.contains { $0.contains("was turned on outside sinchform") })

            // Accepting it: the manifest says true, and nothing is left to do.
            try harness.write("account.yaml", "whatsappAccount: {templateAnalytics: true}\n")
            let plan = try await harness.plan().plan
            #expect(plan.changes.map(\.action) == [.noop])
        }
    }

    @Test func aProjectWithoutAnAccountIsAClearPlanError() async throws {
        try await EmulatorHarness.run { harness in
            try await Self.setAccount(harness, "NONE")
            try harness.write("account.yaml", "whatsappAccount:\n  templateAnalytics: true\n")

            let error = try await #require(throws: EngineError.self) { try await harness.plan() }
            #expect(error.description.hasPrefix("error: whatsappAccount: the project has no WhatsApp account"))
            #expect(error.description.contains("sinchform never creates one"))
        }
    }

    @Test func notOnboardedIsSaidInThePlanAndAClearErrorAtApply() async throws {
        try await EmulatorHarness.run { harness in
            try await Self.setAccount(harness, "PENDING_FACEBOOK_VERIFICATION")
            try harness.write("account.yaml", "whatsappAccount:\n  templateAnalytics: true\n")

            let plan = try await harness.plan().plan
            #expect(plan.changes.first?.consequences.contains { $0.contains("not onboarded") } == true)
            let result = try await harness.apply()
            #expect(!result.succeeded)
            let failure = try #require(result.failed.first?.message)
            #expect(failure.contains("424"))
            #expect(failure.contains("template_insights_not_yet_available"))
            #expect(try await Self.analytics(harness) == false)
        }
    }

    @Test func removingItFromTheManifestsForgetsItWithoutACall() async throws {
        try await EmulatorHarness.run { harness in
            try harness.write("account.yaml", "whatsappAccount:\n  templateAnalytics: true\n")
            #expect(try await harness.apply().succeeded)
            try FileManager.default.removeItem(at: harness.directory.appendingPathComponent("account.yaml"))

            let plan = try await harness.plan().plan
            #expect(plan.changes.map(\.action) == [.forget])
            let before = try await Self.apiRequests(harness).count
            #expect(try await harness.apply().succeeded)
            let calls = try await Self.apiRequests(harness).dropFirst(before)
            #expect(calls.allSatisfy { $0 == "GET /v1/projects/\(Self.project)/whatsapp" })
            #expect(try LockFile.read(in: harness.directory.path)?.resources.isEmpty == true)
            #expect(try await Self.analytics(harness) == true)
        }
    }

    @Test func importWritesTheAccount() async throws {
        try await EmulatorHarness.run { harness in
            try await Self.setAccount(harness, "ONBOARDED", analytics: true)
            _ = try await harness.withClient { client in
                try await Importer().importProject(
                    client: client, into: harness.workspace, project: Self.project,
                    options: ImportOptions(kinds: [.whatsappAccount]))
            }
            let text = try String(
                contentsOf: harness.directory.appendingPathComponent("whatsapp-account.yaml"), encoding: .utf8)
            #expect(text.hasSuffix("whatsappAccount:\n  templateAnalytics: true\n"))
            let plan = try await harness.plan().plan
            #expect(plan.changes.map(\.action) == [.noop])
            #expect(plan.changes.map(\.address.description) == ["whatsappAccount"])
        }
    }

    @Test func aProjectThatDoesNotNameTheAccountNeverReadsIt() async throws {
        try await EmulatorHarness.run(environment: ["OPS_SECRET": "s1", "AUDIT_SECRET": "s2"]) { harness in
            try await Self.setAccount(harness, "NONE")
            try harness.write("webhooks.yaml", PlanScenarioTests.webhooks)
            #expect(try await harness.apply().succeeded)
            _ = try await harness.plan()
            let calls = try await Self.apiRequests(harness)
            #expect(!calls.isEmpty)
            #expect(!calls.contains { $0.contains("/whatsapp") })

            // Named, it is read once per plan, in the same refresh.
            try harness.write("account.yaml", "whatsappAccount: {}\n")
            let before = calls.count
            let error = try await #require(throws: EngineError.self) { try await harness.plan() }
            #expect(error.description.contains("no WhatsApp account"))
            let named = try await Self.apiRequests(harness).dropFirst(before)
            #expect(named.filter { $0.hasSuffix("/whatsapp") }.count == 1)
        }
    }

    @Test func addressesOfAKindWithoutNames() throws {
        let address = try Address(parsing: "whatsappAccount")
        #expect(address.kind == .whatsappAccount)
        #expect(address.name.isEmpty)
        #expect(address.description == "whatsappAccount")
        #expect(throws: AddressError.self) { try Address(parsing: "whatsappAccount.main") }
        #expect(throws: AddressError.self) { try Address(parsing: "webhook") }
        #expect(try Address(parsing: "webhook.ops").description == "webhook.ops")
        #expect(ResourceKind.whatsappAccount.manifestKey == "whatsappAccount")
        #expect(ResourceKind(manifestKey: "whatsappAccount") == .whatsappAccount)
        #expect(ResourceKind.webhook.manifestKey == "webhooks")
    }
}

/// The manifest side of the kind: a spec under the kind's key itself, checked like any other.
@Suite struct WhatsAppAccountManifestTests {
    static func load(_ files: [String: String]) async throws -> ManifestLoadResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sinchform-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in files {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return await ManifestLoader(environment: [:]).load(directory.path)
    }

    @Test func loadsOneAccountWithoutAName() async throws {
        let result = try await Self.load(["a.yaml": "whatsappAccount:\n  templateAnalytics: true\n"])
        let manifests = try result.get()
        #expect(manifests.resources.map(\.address.description) == ["whatsappAccount"])
        #expect(manifests.resources.first?.spec == ["templateAnalytics": true])
    }

    @Test func wrongValuesAndTwoDeclarationsAreLocatedErrors() async throws {
        let wrong = try await Self.load(["a.yaml": "whatsappAccount:\n  templateAnalytics: yes please\n  other: 1\n"])
        let messages = wrong.diagnostics.map(\.description)
        #expect(messages.contains { $0.contains("a.yaml:2:") && $0.contains("templateAnalytics") }, "\(messages)")
        #expect(messages.contains { $0.contains("a.yaml:3:") && $0.contains("other") }, "\(messages)")

        let twice = try await Self.load([
            "a.yaml": "whatsappAccount: {templateAnalytics: true}\n", "b.yaml": "whatsappAccount: {}\n",
        ])
        #expect(twice.manifests == nil)
        #expect(twice.diagnostics.contains { $0.description.contains("whatsappAccount") }, "\(twice.diagnostics)")
    }
}
