import ArgumentParser
import Foundation
import Logging
import ProvisioningEmulator
import SinchformEngine
import SinchformManifest

/// Flags every command that talks to the API shares.
struct ConnectionOptions: ParsableArguments {
    @Flag(help: "Log each request and response to standard error (Authorization, tokens and secrets redacted).")
    var verbose = false

    @Flag(
        help: """
            Run against an in-process emulator instead of Sinch; its state persists in .sinchform/emulator.json \
            beside the manifests, so no account is needed.
            """)
    var emulator = false

    @Option(help: "With --emulator: the emulator state file (default: .sinchform/emulator.json beside the manifests).")
    var emulatorState: String?

    func validate() throws {
        if emulatorState != nil && !emulator {
            throw ValidationError("--emulator-state needs --emulator")
        }
    }

    /// The engine session of a command: the process environment, the API or the in-process emulator, warnings on
    /// standard error.
    func session(_ interaction: Interaction = Interaction()) -> Session {
        var logger = Logger(label: "sinchform") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose ? .trace : .warning
        var interaction = interaction
        interaction.warnings = { warnings in for warning in warnings { Output.error(warning.description) } }
        interaction.staleLock = { Output.error("note: a previous apply did not finish (stale \($0)); continuing") }
        return Session(
            endpoint: emulator ? EmbeddedEmulator(statePath: emulatorState, logger: logger) : nil, logger: logger,
            interaction: interaction)
    }
}

/// `--target` and `--exclude`.
struct ScopeOptions: ParsableArguments {
    @Option(help: "Only this address and what it depends on (repeatable).") var target: [String] = []
    @Option(help: "Leave this address out (repeatable).") var exclude: [String] = []

    var scope: PlanScope { PlanScope(targets: target, excludes: exclude) }
}

/// `--auto-approve`, and the `yes` asked for on a terminal otherwise.
struct ConfirmationOptions: ParsableArguments {
    @Flag(help: "Go ahead without asking.") var autoApprove = false

    /// Refuses before anything happens when there is nobody to ask.
    func requireAnswerable(_ command: String) throws {
        if !autoApprove && isatty(STDIN_FILENO) != 1 { throw EngineError.needsConfirmation(command) }
    }

    /// Shows `text`; unless `--auto-approve`, asks `question` and accepts only `yes`.
    func confirm(_ text: String, asking question: String?) -> Bool {
        Output.write(text)
        guard let question, !autoApprove else { return true }
        Output.write("\n\(question) Only 'yes' is accepted: ")
        return readLine()?.trimmingCharacters(in: .whitespaces) == "yes"
    }
}

/// Flags of commands that print a plan.
struct FormatOptions: ParsableArguments {
    @Option(help: "Output format: text, json, markdown or html (one self-contained page with message previews).")
    var format: PlanFormat = .text

    /// The plan in the chosen format (colour only for text on a terminal).
    func render(_ plan: SinchformEngine.Plan, mode: PlanMode = .plan) throws -> String {
        try PlanRenderer(color: CommandSupport.color && format == .text).render(plan, format: format, mode: mode)
    }
}

extension PlanFormat: ExpressibleByArgument {}

/// The glue between a command's arguments and the engine: errors as one clear line, exit codes.
enum CommandSupport {
    /// Colour only on a terminal, and never when NO_COLOR is set.
    static var color: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    /// Runs a command body; engine and API errors become their one-line description on standard error and exit 1.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as EngineError {
            Output.error(error.description)
            throw ExitCode(1)
        } catch let error as CleanExit {
            throw error
        } catch {
            Output.error("error: \(error)")
            throw ExitCode(1)
        }
    }
}

/// The emulator behind `--emulator`: the ProvisioningEmulator on 127.0.0.1 (a free port), with state in a file so
/// that successive commands see one project.
struct EmbeddedEmulator: Endpoint {
    /// The state file; nil: `emulator.json` in the workspace's `.sinchform/`.
    let statePath: String?
    let logger: Logger

    /// The project the emulator's default configuration accepts.
    var defaultProject: String? { EmulatorConfiguration().projects.sorted().first }

    func serve<Value: Sendable>(
        project: String, stateDirectory: String, environment: [String: String],
        _ body: ([String: String]) async throws -> Value
    ) async throws -> Value {
        var configuration = EmulatorConfiguration()
        configuration.statePath = statePath ?? (stateDirectory as NSString).appendingPathComponent("emulator.json")
        // The manifests' `project:` wins as usual: the emulator accepts it alongside its own.
        configuration.projects.insert(project)
        guard let (keyId, keySecret) = configuration.credentials.sorted(by: { $0.key < $1.key }).first else {
            throw EngineError.configuration("the emulator has no access key configured")
        }
        let server = EmulatorServer(configuration: configuration, logger: logger)
        let baseURL: String
        do {
            baseURL = try await server.start(host: "127.0.0.1", port: 0)
        } catch {
            throw EngineError.emulator("\(error)")
        }
        var environment = environment
        environment["SINCH_KEY_ID"] = keyId
        environment["SINCH_KEY_SECRET"] = keySecret
        environment["SINCH_PROVISIONING_URL"] = baseURL
        environment["SINCH_AUTH_URL"] = baseURL + "/oauth2/token"
        let value: Value
        do {
            value = try await body(environment)
        } catch {
            try? await server.stop()
            throw error
        }
        // Stopping writes the state file.
        try await server.stop()
        return value
    }
}
