import Foundation
import SinchformTestSupport
import Testing

/// `sinchform apply --wait` end to end on the embedded emulator (reviews there end by themselves after 3 s): the
/// binary waits, prints plain waiting lines when its output is not a terminal, and exits 0 once approved.
@Suite struct ApplyWaitCommandTests {
    @Test func waitsForTheReviewAndExitsZero() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sinchform-wait-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("waiting")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try ("whatsappTemplates:\n" + ManifestText.whatsappTemplate("wait_for_me", body: "Order {{1}} ships soon."))
            .write(to: folder.appendingPathComponent("main.yaml"), atomically: true, encoding: .utf8)

        let apply = try await SinchformCLI.run(
            ["apply", "waiting", "--emulator", "--auto-approve", "--wait", "--wait-timeout", "120"], in: root)
        #expect(apply.status == 0, "\(apply)")
        #expect(apply.stdout.contains("waiting for review ("), "\(apply)")
        #expect(apply.stdout.contains("1 pending: whatsappTemplate.wait_for_me[EN_US]"), "\(apply)")
        #expect(!apply.stdout.contains("\u{1B}["), "no terminal control sequences when the output is not a terminal")
        #expect(apply.stdout.contains("Apply complete: 1 done, 0 failed"), "\(apply)")
        #expect(!apply.stdout.contains("still under review"), "\(apply)")
    }
}
