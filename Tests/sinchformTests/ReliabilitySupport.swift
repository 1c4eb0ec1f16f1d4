import Foundation
import SinchformTestSupport

/// The built `sinchform` binary the reliability tests run, and their scratch directories.
enum Reliability {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let binary = packageRoot.appendingPathComponent(".build/debug/sinchform")

    static func scratch(_ name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sinchform-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// A scratch folder and the real `sinchform emulator` in a child process keeping its state there, both gone when
    /// `body` returns.
    static func withEmulator(
        _ name: String, keySecret: String = "reliability-secret", isolation: isolated (any Actor)? = #isolation,
        _ body: (EmulatorProcess, URL) async throws -> Void
    ) async throws {
        let scratch = try scratch(name)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try await EmulatorProcess.run(
            binary: binary, state: scratch.appendingPathComponent("emulator.json"), scratch: scratch,
            keyId: "reliability-key", keySecret: keySecret
        ) { emulator in try await body(emulator, scratch) }
    }
}
