import ArgumentParser
import Foundation
import Logging
import ProvisioningEmulator

extension Sinchform {
    struct EmulatorCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "emulator",
            abstract: "Run a local stand-in for the Sinch Provisioning API (offline tests and demos).",
            discussion: """
                Prints the URL it listens on as the first line of standard output, then the environment a client \
                needs. Stops cleanly on SIGINT or SIGTERM. The key secret is a local test credential for this \
                emulator only: it is never printed, and it must not be a real Sinch secret.
                """)

        @Option(help: "Address to listen on.")
        var host = "127.0.0.1"

        @Option(help: "Port to listen on (0 picks a free port).")
        var port = 0

        @Option(help: "Keep state in this JSON file: loaded at start, written atomically after changes and at exit.")
        var state: String?

        @Option(help: "Access key ID the emulator accepts.")
        var keyId = "sinchform-key"

        @Option(
            help: """
                Environment variable holding the access key secret the emulator accepts (default: the public local \
                test secret sinchform-secret). Secrets never come from flags: they would show in process lists.
                """)
        var keySecretEnv: String?

        /// The key secret: from the variable `--key-secret-env` names, else the public local test secret.
        var keySecret: String {
            keySecretEnv.flatMap { ProcessInfo.processInfo.environment[$0] } ?? "sinchform-secret"
        }

        @Option(name: .customLong("project-id"), help: "A project ID the key may use (repeatable).")
        var projectIds: [String] = []

        @Option(help: "Seconds (emulator clock) until a submitted review completes on its own.")
        var reviewDelay: Double = 3

        func validate() throws {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
            // Bounded before it becomes a Duration (milliseconds in an Int64): 1e300 is an error, never a trap.
            guard reviewDelay >= 0, reviewDelay <= Self.maxReviewDelay else {
                throw ValidationError("--review-delay must be a number of seconds from 0 to 1000000000.")
            }
            guard !keyId.isEmpty else { throw ValidationError("--key-id must not be empty.") }
            if let keySecretEnv, ProcessInfo.processInfo.environment[keySecretEnv, default: ""].isEmpty {
                throw ValidationError(
                    "--key-secret-env \(keySecretEnv): that environment variable is not set or empty.")
            }
        }

        static let maxReviewDelay = 1e9

        /// Whether `host` is a loopback address (only this machine can connect).
        static func isLoopback(_ host: String) -> Bool {
            let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
            let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
            return bare == "localhost" || bare == "::1"
                || (octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil })
        }

        func run() async throws {
            if !Self.isLoopback(host) {
                Output.error(
                    "warning: the emulator listens on \(host), which other machines can reach: anyone who knows its "
                        + "key can read and change its state, and the default key is public. Use --host 127.0.0.1 "
                        + "unless other machines must connect, and then a key of your own.")
            }
            var configuration = EmulatorConfiguration()
            configuration.credentials = [keyId: keySecret]
            if !projectIds.isEmpty { configuration.projects = Set(projectIds) }
            // range-checked: validate() keeps reviewDelay within 0...maxReviewDelay.
            configuration.reviewDelay = .milliseconds(Int64((reviewDelay * 1000).rounded()))
            configuration.statePath = state.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            var logger = Logger(label: "sinchform.emulator")
            logger.logLevel = .warning
            let server = EmulatorServer(configuration: configuration, logger: logger)
            let project = projectIds.first ?? configuration.projects.sorted().first ?? ""
            do {
                try await server.run(host: host, port: port) { url in
                    Output.line(url)
                    Output.line(
                        "export SINCH_PROVISIONING_URL=\(url) SINCH_AUTH_URL=\(url)/oauth2/token "
                            + "SINCH_PROJECT_ID=\(project) SINCH_KEY_ID=\(keyId)")
                }
            } catch {
                Output.error("error: the emulator stopped: \(error)")
                throw ExitCode(1)
            }
        }
    }
}
