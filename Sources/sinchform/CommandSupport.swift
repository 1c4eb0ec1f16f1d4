import ArgumentParser
import Foundation
import Logging
import ProvisioningAPI
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

    mutating func validate() throws {
        if emulatorState != nil && !emulator {
            throw ValidationError("--emulator-state needs --emulator")
        }
        // Commands resolve the project (a manifest's `project:`, else SINCH_PROJECT_ID) before they connect; with
        // no project anywhere, the emulator's own project stands in, as if the user had exported it.
        if emulator, ProcessInfo.processInfo.environment["SINCH_PROJECT_ID", default: ""].isEmpty,
            let project = EmbeddedEmulator.defaultProject
        {
            setenv("SINCH_PROJECT_ID", project, 1)
        }
    }
}

/// Flags of commands that print a plan.
struct FormatOptions: ParsableArguments {
    @Option(help: "Output format: text, json, markdown or html (one self-contained page with message previews).")
    var format: PlanFormat = .text
}

extension PlanFormat: ExpressibleByArgument {}

/// The glue between a command's arguments and the engine: client lifetime, logging, errors as one clear line.
enum CommandSupport {
    static func logger(verbose: Bool) -> Logger {
        var logger = Logger(label: "sinchform") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose ? .trace : .warning
        return logger
    }

    /// Colour only on a terminal, and never when NO_COLOR is set.
    static var color: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    /// Runs `body` with a client for the workspace's project; with `--emulator`, against an in-process emulator
    /// that lives exactly as long as `body`.
    static func withClient<Value: Sendable>(
        _ workspace: Workspace, project: String, connection: ConnectionOptions,
        _ body: (ProvisioningClient) async throws -> Value
    ) async throws -> Value {
        guard connection.emulator else {
            let configuration = try workspace.clientConfiguration(project: project)
            return try await withProvisioningClient(
                configuration: configuration, logger: logger(verbose: connection.verbose), body)
        }
        let embedded = EmbeddedEmulator(
            statePath: connection.emulatorState
                ?? (workspace.stateDirectory as NSString).appendingPathComponent("emulator.json"),
            project: project, logger: logger(verbose: connection.verbose))
        let environment = try await embedded.start(environment: workspace.environment)
        let value: Value
        do {
            var connected = workspace
            connected.environment = environment
            let configuration = try connected.clientConfiguration(project: project)
            value = try await withProvisioningClient(
                configuration: configuration, logger: logger(verbose: connection.verbose), body)
        } catch {
            try? await embedded.stop()
            throw error
        }
        try await embedded.stop()
        return value
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
        } catch let error as APIError {
            Output.error("error: \(error)")
            throw ExitCode(1)
        } catch let error as CleanExit {
            throw error
        } catch {
            Output.error("error: \(error)")
            throw ExitCode(1)
        }
    }

    static func printWarnings(_ warnings: [Diagnostic]) {
        for warning in warnings { Output.error(warning.description) }
    }

    /// Plans the workspace and runs `body` with the plan and the client it was made with (warnings printed first).
    ///
    /// The client is for `SINCH_PROJECT_ID` or the lock file's project, so that live state is read while the
    /// manifests load; when a manifest names another project, it plans again with a client for that one.
    static func withPlan<Value: Sendable>(
        _ workspace: Workspace, connection: ConnectionOptions, scope: PlanScope,
        _ body: (PlanContext, ProvisioningClient) async throws -> Value
    ) async throws -> Value {
        // The manifests load while the lock file is read and the client made.
        let loading = workspace.startLoading()
        let lock = try workspace.readLock()
        var inputs: PlanInputs?
        if let provisional = workspace.provisionalProject(lock: lock) {
            let value: Value? = try await withClient(workspace, project: provisional, connection: connection) {
                client in
                switch try await workspace.plan(client: client, lock: lock, loading: loading, scope: scope) {
                case let .planned(context):
                    printWarnings(context.warnings)
                    return try await body(context, client)
                case let .otherProject(loaded):
                    inputs = loaded
                    return nil
                }
            }
            if let value { return value }
        }
        let loaded: PlanInputs
        if let inputs {
            loaded = inputs
        } else {
            loaded = try await workspace.loadInputs(lock: lock, loading: loading)
        }
        return try await withClient(workspace, project: loaded.project, connection: connection) { client in
            let context = try await workspace.plan(loaded, client: client, scope: scope)
            printWarnings(context.warnings)
            return try await body(context, client)
        }
    }
}

/// The emulator behind `--emulator`: the ProvisioningEmulator on 127.0.0.1 (a free port), with state in a file so
/// that successive commands see one project.
struct EmbeddedEmulator {
    let server: EmulatorServer
    let configuration: EmulatorConfiguration

    /// The project the emulator's default configuration accepts.
    static var defaultProject: String? { EmulatorConfiguration().projects.sorted().first }

    init(statePath: String, project: String, logger: Logger) {
        var configuration = EmulatorConfiguration()
        configuration.statePath = statePath
        // The manifests' `project:` wins as usual: the emulator accepts it alongside its own.
        configuration.projects.insert(project)
        self.configuration = configuration
        server = EmulatorServer(configuration: configuration, logger: logger)
    }

    /// Starts serving and returns `environment` with the credentials and endpoints of this emulator filled in.
    func start(environment: [String: String]) async throws -> [String: String] {
        guard let (keyId, keySecret) = configuration.credentials.sorted(by: { $0.key < $1.key }).first else {
            throw EngineError.configuration("the emulator has no access key configured")
        }
        let baseURL: String
        do {
            baseURL = try await server.start(host: "127.0.0.1", port: 0)
        } catch {
            throw EngineError.other("the embedded emulator did not start: \(error)")
        }
        var environment = environment
        environment["SINCH_KEY_ID"] = keyId
        environment["SINCH_KEY_SECRET"] = keySecret
        environment["SINCH_PROVISIONING_URL"] = baseURL
        environment["SINCH_AUTH_URL"] = baseURL + "/oauth2/token"
        return environment
    }

    /// Stops serving and writes the state file.
    func stop() async throws {
        try await server.stop()
    }
}
