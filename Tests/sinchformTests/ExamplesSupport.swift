import Foundation
import Testing

/// Runs the built `sinchform` binary the way a user or a CI job would.
enum SinchformCLI {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `.build/debug/sinchform`, built by `swift build` before the tests run.
    static func binary() throws -> URL {
        let binary = packageRoot.appendingPathComponent(".build/debug/sinchform")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw CLIError("\(binary.path) is missing; run `swift build` first")
        }
        return binary
    }

    struct Outcome: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String

        var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
    }

    struct CLIError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs `sinchform ARGUMENTS` in `directory` with `environment` added to this process's environment; output goes
    /// through files, so a long plan can never fill a pipe and stall the child.
    static func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:], stdin: String? = nil
    ) async throws -> Outcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sinchform-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }

        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var merged = ProcessInfo.processInfo.environment
        // Runs must not reach a real project through whatever the developer has exported.
        for name in [
            "SINCH_PROJECT_ID", "SINCH_KEY_ID", "SINCH_KEY_SECRET", "SINCH_PROVISIONING_URL", "SINCH_AUTH_URL",
        ] {
            merged[name] = nil
        }
        merged["NO_COLOR"] = "1"
        merged.merge(environment) { $1 }
        process.environment = merged
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
                if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
                try? input.fileHandleForWriting.close()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return Outcome(
            status: status, stdout: try String(contentsOf: outURL, encoding: .utf8),
            stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    /// A fresh temporary directory holding a copy of `examples/NAME` (without local state).
    static func copyExample(_ name: String) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sinchform-example-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let copy = root.appendingPathComponent(name)
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("examples/\(name)"), to: copy)
        try? FileManager.default.removeItem(at: copy.appendingPathComponent(".sinchform"))
        try? FileManager.default.removeItem(at: copy.appendingPathComponent("sinchform.lock"))
        return copy
    }
}
