import Foundation
import Logging
import ProvisioningAPI
import SinchformManifest

/// Where a command's API calls go: the environment's Sinch endpoints, or an endpoint a command serves for the
/// length of the call (the CLI's in-process emulator), which fills in the environment a client needs.
public protocol Endpoint: Sendable {
    /// The project to assume when neither a manifest nor the environment names one.
    var defaultProject: String? { get }
    /// Runs `body` with `environment` plus the credentials and URLs that reach this endpoint for `project`
    /// (`stateDirectory`: the workspace's `.sinchform/`, where an endpoint may keep its state).
    func serve<Value: Sendable>(
        project: String, stateDirectory: String, environment: [String: String],
        _ body: ([String: String]) async throws -> Value
    ) async throws -> Value
}

/// What the engine needs from the user during a command: confirmation, progress and warnings. The CLI renders
/// them; tests answer them.
public struct Interaction: Sendable {
    /// Shows the plan (or rollback steps, as text) and returns whether to go on; nil: go on without asking.
    public var confirm: (@Sendable (Confirmation) async throws -> Bool)?
    /// Warnings of the manifests (shown before the plan).
    public var warnings: @Sendable ([Diagnostic]) -> Void
    /// A previous apply's lock whose process is gone.
    public var staleLock: @Sendable (ApplyLock.Info) -> Void

    public init(
        confirm: (@Sendable (Confirmation) async throws -> Bool)? = nil,
        warnings: @escaping @Sendable ([Diagnostic]) -> Void = { _ in },
        staleLock: @escaping @Sendable (ApplyLock.Info) -> Void = { _ in }
    ) {
        self.confirm = confirm
        self.warnings = warnings
        self.staleLock = staleLock
    }

    /// What is about to be confirmed.
    public enum Confirmation: Sendable {
        case apply(Plan)
        case rollback(journal: String, steps: [RollbackStep])
    }
}

/// One command's run of the engine: its environment, where its API calls go, and how it talks to the user. One
/// entry point per command (plan, apply, drift, rollback, import); each owns the project resolution, the re-plan for
/// a manifest's own project, the apply lock and confirmation.
public struct Session: Sendable {
    public var environment: [String: String]
    public var endpoint: (any Endpoint)?
    public var logger: Logger
    public var interaction: Interaction

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment, endpoint: (any Endpoint)? = nil,
        logger: Logger = Logger(label: "sinchform"), interaction: Interaction = Interaction()
    ) {
        self.environment = environment
        self.endpoint = endpoint
        self.logger = logger
        self.interaction = interaction
        // With an endpoint of its own and no project anywhere, its default project stands in.
        if environment["SINCH_PROJECT_ID", default: ""].isEmpty, let project = endpoint?.defaultProject {
            self.environment["SINCH_PROJECT_ID"] = project
        }
    }

    public func workspace(_ directory: String) -> Workspace {
        Workspace(directory: directory, environment: environment)
    }

    /// `plan`: refresh and diff.
    public func plan(_ directory: String, scope: PlanScope = PlanScope()) async throws -> Plan {
        try await withPlan(workspace(directory), scope: scope) { context, _ in context.plan }
    }

    /// `drift`: live state against what was last applied.
    public func drift(_ directory: String) async throws -> Plan {
        try await withPlan(workspace(directory), scope: PlanScope(), planner: Planner(showsOneWayDrift: true)) {
            context, _ in context.plan
        }
        .driftOnly()
    }

    /// `apply`: a directory (planned first) or a saved plan (refused if anything moved since), under the apply lock,
    /// after confirmation. Nil when there was nothing to apply.
    public func apply(
        _ source: String, scope: PlanScope = PlanScope(), options: ApplyOptions, lockTimeout: Duration = .zero
    ) async throws -> ApplyResult? {
        let saved = try SavedPlan.readIfPlanFile(source)
        let workspace = workspace(saved?.manifestDirectory ?? source)
        let lock = try await ApplyLock.acquire(
            stateDirectory: workspace.stateDirectory, command: CommandLine.arguments.joined(separator: " "),
            timeout: lockTimeout, staleInfo: interaction.staleLock)
        defer { lock.release() }
        return try await withPlan(workspace, scope: saved?.scope ?? scope) { context, client in
            var context = context
            if let saved { context = try context.confirming(saved) }
            if let confirm = interaction.confirm {
                guard try await confirm(.apply(context.plan)) else { throw EngineError.cancelled("apply") }
            }
            guard context.plan.hasChanges else { return nil }
            return try await Applier().apply(context, workspace: workspace, client: client, options: options)
        }
    }

    /// `rollback`: the inverse steps of a journal (the latest apply's or state command's in `directory` when nil),
    /// newest first, after confirmation of the runnable ones.
    public func rollback(
        journal: String?, directory: String
    ) async throws -> (
        steps: [RollbackStep], done: [RollbackStep], failed: [(RollbackStep, String)]
    ) {
        let stateDirectory = workspace(directory).stateDirectory
        guard let path = journal ?? Rollback.latestJournal(in: stateDirectory) else {
            throw EngineError.missing("no journal in \(stateDirectory)/journal")
        }
        // The workspace is where the journal sits: only a journal in DIR/.sinchform/journal/ names one (security
        // audit 21: any other path would make some unrelated folder the workspace).
        let folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        guard folder.lastPathComponent == "journal",
            folder.deletingLastPathComponent().lastPathComponent == ".sinchform"
        else {
            throw EngineError.configuration(
                "\(path) is not in a .sinchform/journal folder; give the journal of an apply "
                    + "(DIR/.sinchform/journal/NAME.jsonl), or --directory DIR for its latest")
        }
        let rollback = Rollback(journalPath: path)
        let workspace = workspace(rollback.workspaceDirectory)
        let lock = try await ApplyLock.acquire(
            stateDirectory: workspace.stateDirectory, command: CommandLine.arguments.joined(separator: " "))
        defer { lock.release() }
        guard let project = try workspace.readLock()?.project ?? workspace.environment["SINCH_PROJECT_ID"] else {
            throw EngineError.configuration("no sinchform.lock in \(workspace.root) and no SINCH_PROJECT_ID")
        }
        return try await withClient(workspace, project: project) { client in
            let steps = try await rollback.plan(client: client)
            let runnable = steps.filter { $0.skipReason == nil }
            if let confirm = interaction.confirm {
                guard try await confirm(.rollback(journal: path, steps: steps)) else {
                    throw EngineError.cancelled("rollback")
                }
            }
            guard !runnable.isEmpty else { return (steps, [], []) }
            let result = try await rollback.execute(steps, workspace: workspace, client: client)
            return (steps, result.done, result.failed)
        }
    }

    /// `import`: manifests and a lock file from the live project.
    public func importProject(into directory: String, options: ImportOptions) async throws -> ImportResult {
        let workspace = workspace(directory)
        let project = try workspace.project(manifests: ManifestSet(), lock: options.force ? nil : workspace.readLock())
        return try await withClient(workspace, project: project) { client in
            try await Importer().importProject(client: client, into: workspace, project: project, options: options)
        }
    }

    /// Runs `body` with a client for `project`, through the endpoint when there is one.
    func withClient<Value: Sendable>(
        _ workspace: Workspace, project: String, _ body: (ProvisioningClient) async throws -> Value
    ) async throws -> Value {
        guard let endpoint else {
            let configuration = try workspace.clientConfiguration(project: project)
            return try await withProvisioningClient(configuration: configuration, logger: logger, body)
        }
        return try await endpoint.serve(
            project: project, stateDirectory: workspace.stateDirectory, environment: workspace.environment
        ) { environment in
            var connected = workspace
            connected.environment = environment
            let configuration = try connected.clientConfiguration(project: project)
            return try await withProvisioningClient(configuration: configuration, logger: logger, body)
        }
    }

    /// Plans the workspace and runs `body` with the plan and the client it was made with (warnings shown first).
    ///
    /// The client is for `SINCH_PROJECT_ID` or the lock file's project, so that live state is read while the
    /// manifests load; when a manifest names another project, it plans again with a client for that one.
    func withPlan<Value: Sendable>(
        _ workspace: Workspace, scope: PlanScope, planner: Planner = Planner(),
        _ body: (PlanContext, ProvisioningClient) async throws -> Value
    ) async throws -> Value {
        // The manifests load while the lock file is read and the client made.
        let loading = workspace.startLoading()
        let lock = try workspace.readLock()
        var inputs: PlanInputs?
        if let provisional = workspace.provisionalProject(lock: lock) {

            let planned: Value?? = try await withClient(workspace, project: provisional) { client in
                switch try await workspace.plan(
                    client: client, lock: lock, loading: loading, scope: scope, planner: planner)
                {
                case let .planned(context):
                    interaction.warnings(context.warnings)
                    return .some(try await body(context, client))
                case let .otherProject(loaded):
                    inputs = loaded
                    return .none
                }
            }
            if case let .some(.some(value)) = planned { return value }
        }
        let loaded: PlanInputs
        if let inputs {
            loaded = inputs
        } else {
            loaded = try await workspace.loadInputs(lock: lock, loading: loading)
        }
        return try await withClient(workspace, project: loaded.project) { client in
            let context = try await workspace.plan(loaded, client: client, scope: scope, planner: planner)
            interaction.warnings(context.warnings)
            return try await body(context, client)
        }
    }
}
