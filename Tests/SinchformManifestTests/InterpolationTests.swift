import Foundation
import Testing

@testable import SinchformManifest

/// `${env.NAME}` as DESIGN "Interpolation and variables" fixes it.
@Suite struct InterpolationTests {
    @Test(arguments: [
        ("plain text", "plain text"),
        ("Total: ${{1}}", "Total: ${{1}}"),
        ("$${env.X}", "${env.X}"),
        ("$$${env.X}", "$${env.X}"),
        ("a $ b $$ c", "a $ b $$ c"),
        ("pre ${env.X} post", "pre value post"),
        ("${env.X}${env.X}", "valuevalue"),
    ])
    func expands(_ input: String, _ expected: String) {
        let expansion = Interpolation.expand(input, environment: ["X": "value"])
        #expect(expansion.problems.isEmpty)
        #expect(expansion.text == expected)
    }

    /// What `import` writes reads back as the live text, whatever it holds.
    @Test(arguments: [
        "Hello ${env.HOME} friend", "${\u{301}env.HOME}", "Total: ${{1}}", "$${", "$$", "${", "a$",
        "${env.X}${{2}}$${x}",
    ])
    func escapeRoundTrips(_ live: String) {
        let expansion = Interpolation.expand(Interpolation.escape(live), environment: ["HOME": "/root", "X": "v"])
        #expect(expansion.problems.isEmpty)
        #expect(expansion.text == live)
        #expect(expansion.variables.isEmpty)
    }

    @Test func secretNamedVariablesAreSensitive() {
        for name in ["HOOK_SECRET", "github_token", "DB_PASSWORD", "SMTP_PASSWD", "AWS_CREDENTIALS", "PRIVATE_KEY"] {
            #expect(Interpolation.isSensitive(variable: name), "\(name)")
        }
        for name in ["SHOP_URL", "TEMPLATE_FOOTER", "RCS_BRAND_NAME"] {
            #expect(!Interpolation.isSensitive(variable: name), "\(name)")
        }
        let expansion = Interpolation.expand("k=${env.API_TOKEN}", environment: ["API_TOKEN": "t"])
        #expect(expansion.sensitive)
        #expect(expansion.variables == ["API_TOKEN"])
    }

    @Test func credentialsAreRefusedEvenWhenSet() {
        let expansion = Interpolation.expand(
            "${env.SINCH_KEY_SECRET}", environment: ["SINCH_KEY_SECRET": "real-secret"])
        #expect(expansion.problems.count == 1)
        #expect(expansion.problems.first?.message.contains("real-secret") == false)
    }

    /// A value from a secret-named variable marks its leaf, wherever it lands, so the planner can mask it.
    @Test func sensitiveLeavesArePathsOfTheResource() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sinchform-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
        webhooks:
          ops:
            target: https://ops.example.com/?k=${env.OPS_TOKEN}
            triggers: [ALL]
            secret: ${env.PLAIN}
        whatsappTemplates:
          otp:
            category: UTILITY
            languages:
              EN_US:
                details:
                  components:
                    - {type: BODY, text: "Your code is ${env.OPS_TOKEN} for this session."}
        """.write(to: directory.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        let manifests = try await ManifestLoader(environment: ["OPS_TOKEN": "tok", "PLAIN": "p"]).load(directory.path)
            .get()
        #expect(manifests.resource(at: "webhook.ops")?.sensitivePaths.map(\.description) == ["target"])
        #expect(
            manifests.resource(at: "whatsappTemplate.otp[EN_US]")?.sensitivePaths.map(\.description) == [
                "details.components[0].text"
            ])
    }
}

@Suite struct DiagnosticFormatTests {
    @Test func githubCommandsEscapeDataAndProperties() {
        let diagnostic = Diagnostic(
            .warning, at: SourceLocation(file: "dir,x/a:b.yaml", line: 3, column: 7), "100% sure\r\nsecond line",
            address: "webhook.a")
        #expect(
            DiagnosticFormat.workflowCommand(diagnostic)
                == "::warning file=dir%2Cx/a%3Ab.yaml,line=3,col=7,title=sinchform webhook.a::100%25 sure%0D%0Asecond line\n"
        )
        let unlocated = Diagnostic(.error, at: nil, "no files")
        #expect(DiagnosticFormat.workflowCommand(unlocated) == "::error title=sinchform validate::no files\n")
    }
}
