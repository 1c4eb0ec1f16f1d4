import Foundation
import JSONSyntax
import SinchformTestSupport
import Testing

@testable import SinchformManifest

@Suite struct ManifestLoaderTests {
    /// Each folder under Fixtures/invalid holds manifests and `expected.txt`, the exact diagnostics
    /// (paths relative to the folder). Re-record with RECORD_SNAPSHOTS=1.
    @Test(arguments: FixturePaths.subdirectories(of: FixturePaths.fixtures.appendingPathComponent("invalid")))
    func invalidManifestsGiveExactDiagnostics(_ directory: URL) async throws {
        let environment = FixturePaths.environment(in: directory)
        let result = await ManifestLoader(environment: environment).load(directory.path)
        let rendered =
            result.diagnostics.map { $0.description.replacingOccurrences(of: directory.path + "/", with: "") }
            .joined(separator: "\n") + "\n"
        let expected = try Snapshot.expected(rendered, in: directory.appendingPathComponent("expected.txt"))
        #expect(rendered == expected, "diagnostics of \(directory.lastPathComponent) changed")
        // No diagnostic ever shows a value taken from the environment (it names the variable instead).
        for value in environment.values where value.count >= 8 {
            #expect(!rendered.contains(value), "\(directory.lastPathComponent) echoes an environment value")
        }
        #expect(!result.diagnostics.isEmpty)
        for diagnostic in result.diagnostics {
            #expect(diagnostic.location != nil, "every manifest problem names its place: \(diagnostic)")
        }
    }

    @Test(arguments: FixturePaths.subdirectories(of: FixturePaths.fixtures.appendingPathComponent("valid")))
    func validManifestsLoadWithoutDiagnostics(_ directory: URL) async throws {
        let result = await ManifestLoader(environment: FixturePaths.environment(in: directory)).load(directory.path)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let manifests = try result.get()
        #expect(!manifests.resources.isEmpty)
        #expect(Set(manifests.resources.map(\.address)).count == manifests.resources.count)
    }

    @Test func quickstartExampleValidates() async throws {
        let directory = FixturePaths.packageRoot.appendingPathComponent("examples/quickstart")
        let result = await ManifestLoader(environment: ["OPS_WEBHOOK_SECRET": "x", "AUDIT_WEBHOOK_SECRET": "y"]).load(
            directory.path)
        let manifests = try result.get()
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let kinds = Set(manifests.resources.map(\.kind))
        #expect(kinds == [.webhook, .whatsappTemplate, .kakaotalkSender, .kakaotalkTemplate, .rcsSender])
    }

    @Test func whatsappTemplatesExpandToOneResourcePerLanguage() async throws {
        let directory = FixturePaths.fixtures.appendingPathComponent("valid/quickstart-like")
        let manifests = try await ManifestLoader(environment: FixturePaths.environment(in: directory))
            .load(directory.path).get()
        let shipped = manifests.resources.filter { $0.kind == .whatsappTemplate && $0.name == "order_shipped" }
        #expect(
            shipped.map(\.address).sorted() == [
                "whatsappTemplate.order_shipped[DE]", "whatsappTemplate.order_shipped[EN_US]",
            ])
        for resource in shipped {
            #expect(resource.spec["category"]?.stringValue == "UTILITY")
            #expect(resource.spec["details"]?["components"]?.arrayValue?.isEmpty == false)
            #expect(resource.spec["languages"] == nil)
        }
        let sender = try #require(manifests.resource(at: "whatsappSender.support-line"))
        #expect(sender.lifecycle == Lifecycle(protect: true, ignoreChanges: ["details.about"]))
        #expect(sender.spec["lifecycle"] == nil)
        #expect(manifests.project == "fixture-project")
    }

    @Test func environmentValuesAreInterpolated() async throws {
        let directory = FixturePaths.fixtures.appendingPathComponent("valid/quickstart-like")
        let manifests = try await ManifestLoader(environment: [
            "OPS_WEBHOOK_SECRET": "from-env", "AUDIT_WEBHOOK_SECRET": "y",
        ]).load(directory.path)
            .get()
        let secret = try #require(manifests.resource(at: "webhook.ops-events")?.spec["secret"])
        #expect(secret.stringValue == "from-env")
    }

    @Test func aMissingDirectoryIsAnError() async {
        let result = await ManifestLoader(environment: [:]).load("/nonexistent/sinchform")
        #expect(result.manifests == nil)
        #expect(result.errors.first?.description == "error: /nonexistent/sinchform: no such file or directory")
    }

    @Test func symlinkLoopsAreReportedNotFollowed() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sinchform-loop-\(UUID().uuidString)")
        let inner = root.appendingPathComponent("inner")
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try "webhooks: {a: {target: https://a.example.com, triggers: [ALL]}}\n".write(
            to: root.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: inner.appendingPathComponent("loop"), withDestinationURL: root)
        let result = await ManifestLoader(environment: [:]).load(root.path)
        #expect(result.errors.contains { $0.message.contains("symbolic link loop") })
    }

    /// Pattern answers are kept per text: a repeated text gets the answer a match gives, before and after the
    /// cache stops keeping new texts. (Groups make these patterns NSRegularExpression's, whose answers are kept, not
    /// SimplePattern's.)
    @Test func keptPatternAnswersAreTheMatchesAnswers() {
        let cache = PatternCache()
        for round in 0..<2 {
            #expect(cache.matches("^([0-9]){3}$", "123"), "round \(round)")
            #expect(!cache.matches("^([0-9]){3}$", "12"), "round \(round)")
            #expect(!cache.matches("^([0-9]){3}$", "1234"), "round \(round)")
        }
        for round in 0..<2 {
            for number in 0..<3000 {
                #expect(cache.matches("^([0-9])+$", String(number)))
                #expect(!cache.matches("^([0-9])+$", "x\(number)"), "round \(round)")
            }
        }
    }
}
