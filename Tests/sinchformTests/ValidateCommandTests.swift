import Foundation
import JSONSyntax
import Testing

/// `sinchform validate --format json|github`, run as a CI job would run it.
@Suite struct ValidateCommandTests {
    static let manifest = """
        webhooks:
          ops:
            target: ${env.HOOK_SECRET}
            triggers: [ALL]
        whatsappTemplates:
          greeting:
            category: UTILITY
            languages:
              EN_US:
                details:
                  components:
                    - type: HEADER
                      format: TEXT
                      text: "Hi, there 🎉"
                    - type: BODY
                      text: "Hello {{1}}, your order has shipped and arrives soon."

        """

    func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sinchform-validate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("sinch"), withIntermediateDirectories: true)
        try Self.manifest.write(
            to: directory.appendingPathComponent("sinch/a.yaml"), atomically: true, encoding: .utf8)
        return directory
    }

    @Test func jsonListsEveryDiagnosticWithItsPlace() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try await SinchformCLI.run(
            ["validate", "sinch", "--format", "json"], in: directory, environment: ["HOOK_SECRET": "CANARY-SECRET-1"])
        #expect(outcome.status == 1, "\(outcome)")
        #expect(!outcome.stdout.contains("CANARY") && !outcome.stderr.contains("CANARY"))
        let document = try JSONValue(json: outcome.stdout)
        #expect(document["errors"] == 2)
        #expect(document["warnings"] == 1)
        let items = try #require(document["diagnostics"]?.arrayValue)
        #expect(
            items.first
                == [
                    "file": "sinch/a.yaml", "line": 3, "column": 13, "severity": "error", "address": "webhook.ops",
                    "message":
                        "webhook.ops.target: the value of ${env.HOOK_SECRET} is not a URL (expected https://host/...)",
                ])
        #expect(items.map { $0["severity"]?.stringValue } == ["error", "warning", "error"])
        #expect(items.last?["address"] == "whatsappTemplate.greeting[EN_US]")
    }

    @Test func githubWritesWorkflowCommandsWithEscaping() async throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try await SinchformCLI.run(
            ["validate", "sinch", "--format", "github"], in: directory, environment: ["HOOK_SECRET": "x"])
        #expect(outcome.status == 1, "\(outcome)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(outcome)")
        #expect(
            lines.first
                == "::error file=sinch/a.yaml,line=3,col=13,title=sinchform webhook.ops::webhook.ops.target: the value of ${env.HOOK_SECRET} is not a URL (expected https://host/...)"
        )
        #expect(lines[1].hasPrefix("::warning file=sinch/a.yaml,line=14,col=21,"), "\(lines[1])")
        #expect(outcome.stderr.contains("2 errors, 1 warning"))
    }

    @Test func githubEscapesNewlinesPercentAndPropertySeparators() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sinchform-validate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // A file name with a comma and a colon, and a value with % in the message.
        try "webhooks:\n  a:\n    target: \"100% not a url\"\n    triggers: [ALL]\n".write(
            to: directory.appendingPathComponent("a,b:c.yaml"), atomically: true, encoding: .utf8)
        let outcome = try await SinchformCLI.run(["validate", ".", "--format", "github"], in: directory)
        #expect(outcome.status == 1)
        #expect(
            outcome.stdout
                == "::error file=a%2Cb%3Ac.yaml,line=3,col=13,title=sinchform webhook.a::webhook.a.target: '100%25 not a url' is not a URL (expected https://host/...)\n",
            "\(outcome)")
    }

    @Test func validManifestsPrintNothingForMachines() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sinchform-validate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "webhooks:\n  a:\n    target: https://ops.example.com\n    triggers: [ALL]\n".write(
            to: directory.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        let json = try await SinchformCLI.run(["validate", ".", "--format", "json"], in: directory)
        #expect(json.status == 0)
        #expect(json.stdout == #"{"diagnostics":[],"errors":0,"warnings":0}"# + "\n")
        let github = try await SinchformCLI.run(["validate", ".", "--format", "github"], in: directory)
        #expect(github.status == 0)
        #expect(github.stdout.isEmpty)
    }
}
