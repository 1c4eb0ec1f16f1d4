import Foundation
import ProvisioningEmulator
import SinchformTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The README's quickstart, run end to end with the built binary on a temporary copy of `examples/quickstart`.
@Suite struct QuickstartTests {
    static let secrets = ["OPS_WEBHOOK_SECRET": "change-me", "AUDIT_WEBHOOK_SECRET": "change-me-too"]

    /// The commands the README shows, in order; the test fails when the README stops showing them.
    static let readmeCommands = [
        "swift run sinchform apply examples/quickstart --emulator --auto-approve",
        "swift run sinchform plan examples/quickstart --emulator --detailed-exitcode",
        "swift run sinchform emulator --state examples/quickstart/.sinchform/emulator.json --port 8080 &",
        "swift run sinchform drift examples/quickstart --emulator",
        "swift run sinchform import --emulator --emulator-state examples/quickstart/.sinchform/emulator.json --out /tmp/quickstart-imported",
    ]

    @Test func readmeShowsTheQuickstart() throws {
        let readme = try String(
            contentsOf: SinchformCLI.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var rest = Substring(readme)
        for command in Self.readmeCommands {
            let found = try #require(rest.range(of: command), "README.md lacks, or reorders: \(command)")
            rest = rest[found.upperBound...]
        }
        // The quickstart is the first thing to run, and `swift test` the second.
        let firstBlock = try #require(readme.range(of: "```sh\n")).upperBound
        let commands = readme[firstBlock...].split(separator: "\n").filter {
            $0.hasPrefix("swift ") || $0.hasPrefix("export ")
        }
        #expect(commands.first?.hasPrefix("export OPS_WEBHOOK_SECRET=") == true)
        #expect(commands.dropFirst().first?.hasPrefix(Self.readmeCommands[0] + " ") == true, "\(commands)")
        let blocks = readme.components(separatedBy: "```sh\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.dropFirst().first?.trimmingCharacters(in: .whitespacesAndNewlines) == "swift test")
    }

    @Test func quickstartAppliesPlansCleanAndReportsDrift() async throws {
        let quickstart = try SinchformCLI.copyExample("quickstart")
        let root = quickstart.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: root) }
        func sinchform(_ arguments: [String]) async throws -> SinchformCLI.Outcome {
            try await SinchformCLI.run(arguments, in: root, environment: Self.secrets)
        }

        let pending = try await sinchform(["plan", "quickstart", "--emulator", "--detailed-exitcode"])
        #expect(pending.status == 2, "changes to make: \(pending)")
        let apply = try await sinchform(["apply", "quickstart", "--emulator", "--auto-approve"])
        #expect(apply.status == 0, "\(apply)")
        #expect(apply.stdout.contains("Apply complete: 7 done, 0 failed"), "\(apply)")
        let state = quickstart.appendingPathComponent(".sinchform/emulator.json")
        #expect(FileManager.default.fileExists(atPath: state.path), "the emulator state persists between commands")
        let lock = try String(contentsOf: quickstart.appendingPathComponent("sinchform.lock"), encoding: .utf8)
        #expect(!lock.contains("change-me"))

        let plan = try await sinchform(["plan", "quickstart", "--emulator", "--detailed-exitcode"])
        #expect(plan.status == 0, "\(plan)")
        #expect(plan.stdout.contains("No changes"), "\(plan)")
        let quiet = try await sinchform(["drift", "quickstart", "--emulator"])
        #expect(quiet.status == 0, "\(quiet)")

        // The out-of-band edit: an ordinary API call to the same emulator state, as someone in the dashboard would.
        try await Self.editGermanTemplate(statePath: state.path)
        let drift = try await sinchform(["drift", "quickstart", "--emulator"])
        #expect(drift.status == 2, "\(drift)")
        #expect(drift.stdout.contains("whatsappTemplate.order_shipped[DE]"), "\(drift)")
        #expect(!drift.stdout.contains("order_shipped[EN_US]"), "\(drift)")

        // apply puts the files' version back once the edit's review is over (the API refuses to update a template
        // whose change is under review), and everything converges.
        try await Self.withEmulator(statePath: state.path) { try await $0.control.reviewAll(.approve) }
        let repair = try await sinchform(["apply", "quickstart", "--emulator", "--auto-approve"])
        #expect(repair.status == 0, "\(repair)")
        let converged = try await sinchform(["plan", "quickstart", "--emulator", "--detailed-exitcode"])
        #expect(converged.status == 0, "\(converged)")

        // import reads the same project back into new files that plan as no changes.
        let imported = try await sinchform([
            "import", "--emulator", "--emulator-state", state.path, "--out", "imported",
        ])
        #expect(imported.status == 0, "\(imported)")
        let importedPlan = try await sinchform([
            "plan", "imported", "--emulator", "--emulator-state", state.path, "--detailed-exitcode",
        ])
        #expect(importedPlan.status == 0, "\(importedPlan)")
        let again = try await sinchform(["import", "--emulator", "--emulator-state", state.path, "--out", "imported"])
        #expect(again.status == 1, "import never overwrites without --force: \(again)")
        #expect(again.stderr.contains("--force"), "\(again)")
    }

    /// What the README does with `sinchform emulator --state …` and curl, done in-process.
    static func editGermanTemplate(statePath: String) async throws {
        try await withEmulator(statePath: statePath) { emulator in
            // The README's pause lets the reviews of the apply complete (a few seconds of emulator clock); a
            // template still under review cannot be edited. Here the reviews are completed at once (on a slow
            // machine they may all have ended on their own).
            try await emulator.control.reviewAll(.approve)
            try await call(
                "PATCH",
                emulator.baseURL + "/v1/projects/sinchform-project/whatsapp/templates/order_shipped/languages/DE",
                #"""
                {"status": "SUBMIT", "details": {"components": [{"type": "BODY",
                 "text": "Ihre Bestellung {{1}} kommt am {{2}}.", "examples": ["#4711", "Freitag"]}]}}
                """#)
        }
    }

    /// Serves the state file on a free port for `body`, then stops (which writes the state back).
    static func withEmulator(statePath: String, _ body: (EmulatorHarness) async throws -> Void) async throws {
        try await EmulatorHarness.run(reviewDelay: .seconds(3), configure: { $0.statePath = statePath }, body)
    }

    /// One request with the emulator's key, as curl -u would send it; a status outside `accepting` fails the test.
    static func call(_ method: String, _ url: String, _ body: String, accepting: Set<Int> = [200]) async throws {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.httpMethod = method
        request.setValue(
            "Basic " + Data("sinchform-key:sinchform-secret".utf8).base64EncodedString(),
            forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        #expect(accepting.contains(status), "\(method) \(url): \(String(decoding: data, as: UTF8.self))")
    }
}
