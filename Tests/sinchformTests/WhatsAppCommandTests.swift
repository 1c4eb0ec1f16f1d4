import Foundation
import Testing

/// `sinchform whatsapp token` and `sinchform whatsapp wabas`, run as the built binary against `--emulator`.
@Suite struct WhatsAppCommandTests {
    static let deprecation = "the Provisioning API marks this operation deprecated"

    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sinchform-whatsapp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func tokenPrintsOnlyTheTokenOnStandardOutput() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (option, variable, value) in [
            ("--facebook-code-env", "ES_CODE", "code-from-signup-1234"),
            ("--facebook-token-env", "ES_TOKEN", "token-from-signup-5678"),
        ] {
            let outcome = try await SinchformCLI.run(
                ["whatsapp", "token", option, variable, "--business-manager", "SINCH_UK", "--emulator", "--verbose"],
                in: directory, environment: [variable: value])
            #expect(outcome.status == 0, "\(outcome)")
            let token = outcome.stdout.trimmingCharacters(in: .newlines)
            #expect(!token.isEmpty && !token.contains("\n"), "\(outcome)")
            #expect(outcome.stdout == token + "\n")
            #expect(!outcome.stderr.contains(token), "the token appears on standard output only")
            #expect(!outcome.stderr.contains(value), "the code or token given is never logged")
            #expect(outcome.stderr.contains(Self.deprecation), "\(outcome)")
        }
    }

    @Test func anInvalidCodeOrTokenIsAClearError() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let code = try await SinchformCLI.run(
            ["whatsapp", "token", "--facebook-code-env", "ES_CODE", "--emulator"], in: directory,
            environment: ["ES_CODE": "invalid-code"])
        #expect(code.status == 1, "\(code)")
        #expect(code.stdout.isEmpty)
        #expect(code.stderr.contains("400"), "\(code)")
        #expect(code.stderr.contains("invalid_facebook_code"), "\(code)")
        #expect(!code.stderr.contains("invalid-code"), "\(code)")

        let wabas = try await SinchformCLI.run(
            ["whatsapp", "wabas", "--facebook-token-env", "ES_TOKEN", "--emulator"], in: directory,
            environment: ["ES_TOKEN": "invalid-token"])
        #expect(wabas.status == 1, "\(wabas)")
        #expect(wabas.stdout.isEmpty)
        #expect(wabas.stderr.contains("invalid_facebook_token"), "\(wabas)")
        #expect(wabas.stderr.contains(Self.deprecation), "\(wabas)")
    }

    @Test func aMissingVariableOrAmbiguousFlagsAreRefused() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = try await SinchformCLI.run(
            ["whatsapp", "token", "--facebook-token-env", "NOT_SET_ANYWHERE", "--emulator"], in: directory)
        #expect(missing.status == 1, "\(missing)")
        #expect(missing.stdout.isEmpty)
        #expect(
            missing.stderr.contains("the environment variable NOT_SET_ANYWHERE is not set or empty"), "\(missing)")

        let both = try await SinchformCLI.run(
            ["whatsapp", "token", "--facebook-token-env", "A", "--facebook-code-env", "B", "--emulator"],
            in: directory, environment: ["A": "a", "B": "b"])
        #expect(both.status != 0)
        #expect(both.stderr.contains("exactly one of --facebook-code-env and --facebook-token-env"), "\(both)")

        let wabas = try await SinchformCLI.run(
            ["whatsapp", "wabas", "--facebook-token-env", "NOT_SET_ANYWHERE", "--emulator"], in: directory)
        #expect(wabas.status == 1, "\(wabas)")
        #expect(wabas.stderr.contains("NOT_SET_ANYWHERE is not set or empty"), "\(wabas)")
    }

    @Test func wabasListsNumbersAndWritesASnippetThatValidates() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = ["ES_TOKEN": "token-from-signup"]
        func wabas(_ format: String) async throws -> SinchformCLI.Outcome {
            try await SinchformCLI.run(
                ["whatsapp", "wabas", "--facebook-token-env", "ES_TOKEN", "--format", format, "--emulator"],
                in: directory, environment: environment)
        }
        let text = try await wabas("text")
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.contains("WABA "), "\(text)")
        #expect(text.stdout.contains("not provisioned"), "\(text)")
        #expect(text.stderr.contains(Self.deprecation))
        #expect(!text.stdout.contains("token-from-signup") && !text.stderr.contains("token-from-signup"))

        let json = try await wabas("json")
        #expect(json.status == 0, "\(json)")
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let list = try #require(parsed?["wabas"] as? [[String: Any]])
        let numbers = list.flatMap { ($0["numbers"] as? [[String: Any]]) ?? [] }
        let unprovisioned = numbers.filter { ($0["provisioned"] as? Bool) == false }
        #expect(!unprovisioned.isEmpty, "\(json)")

        let yaml = try await wabas("yaml")
        #expect(yaml.status == 0, "\(yaml)")
        #expect(yaml.stdout.contains("whatsappSenders:\n"), "\(yaml)")
        for number in unprovisioned {
            let id = try #require(number["id"] as? String)
            #expect(yaml.stdout.contains("phoneNumberId: \"\(id)\""), "\(yaml)")
        }
        for number in numbers where (number["provisioned"] as? Bool) == true {
            let id = try #require(number["id"] as? String)
            #expect(!yaml.stdout.contains(id), "a provisioned number is left out: \(yaml)")
        }
        #expect(yaml.stdout.contains("wabaId: \"\(try #require(list.first?["id"] as? String))\""))

        // The snippet is a manifest that validates.
        let manifests = directory.appendingPathComponent("manifests")
        try FileManager.default.createDirectory(at: manifests, withIntermediateDirectories: true)
        try yaml.stdout.write(to: manifests.appendingPathComponent("senders.yaml"), atomically: true, encoding: .utf8)
        let validate = try await SinchformCLI.run(["validate", "manifests"], in: directory)
        #expect(validate.status == 0, "\(validate)")
    }

    @Test func theAccountPlansAndAppliesThroughTheCLI() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "whatsappAccount:\n  templateAnalytics: true\n".write(
            to: directory.appendingPathComponent("account.yaml"), atomically: true, encoding: .utf8)
        let plan = try await SinchformCLI.run(["plan", ".", "--emulator", "--detailed-exitcode"], in: directory)
        #expect(plan.status == 2, "\(plan)")
        #expect(plan.stdout.contains("whatsappAccount"), "\(plan)")
        #expect(plan.stdout.contains("cannot be turned off"), "\(plan)")
        let apply = try await SinchformCLI.run(["apply", ".", "--emulator", "--auto-approve"], in: directory)
        #expect(apply.status == 0, "\(apply)")
        let again = try await SinchformCLI.run(["plan", ".", "--emulator", "--detailed-exitcode"], in: directory)
        #expect(again.status == 0, "\(again)")
    }
}
