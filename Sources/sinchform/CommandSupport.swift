import ArgumentParser
import Foundation
import Logging
import ProvisioningAPI
import SinchformEngine
import SinchformManifest

/// Flags every command that talks to the API shares.
struct ConnectionOptions: ParsableArguments {
    @Flag(help: "Log each request and response to standard error (Authorization, tokens and secrets redacted).")
    var verbose = false
}

/// Flags of commands that print a plan.
struct FormatOptions: ParsableArguments {
    @Option(help: "Output format: text, json or markdown.")
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

    /// Runs `body` with a client for the workspace's project.
    static func withClient<Value: Sendable>(
        _ workspace: Workspace, project: String, connection: ConnectionOptions,
        _ body: (ProvisioningClient) async throws -> Value
    ) async throws -> Value {
        let configuration = try workspace.clientConfiguration(project: project)
        return try await withProvisioningClient(
            configuration: configuration, logger: logger(verbose: connection.verbose), body)
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

    /// Loads manifests, lock and project, then plans against the live project.
    static func plan(
        _ workspace: Workspace, connection: ConnectionOptions, scope: PlanScope
    ) async throws -> (
        PlanContext, String
    ) {
        let (manifests, _) = try await workspace.loadManifests()
        let lock = try workspace.readLock()
        let project = try workspace.project(manifests: manifests, lock: lock)
        let context = try await withClient(workspace, project: project, connection: connection) { client in
            try await workspace.plan(client: client, scope: scope)
        }
        printWarnings(context.warnings)
        return (context, project)
    }
}
