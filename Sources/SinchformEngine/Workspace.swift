import Foundation
import Logging
import ProvisioningAPI
import SinchformManifest

/// A manifest directory with its lock file and `.sinchform/` state folder: what every command starts from.
public struct Workspace: Sendable {
    public var directory: String
    public var environment: [String: String]

    public init(directory: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.directory = directory
        self.environment = environment
    }

    /// Where the lock file and `.sinchform/` live: the manifest directory, or the folder of a single manifest file.
    public var root: String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), !isDirectory.boolValue {
            let parent = (directory as NSString).deletingLastPathComponent
            return parent.isEmpty ? "." : parent
        }
        return directory
    }

    /// `.sinchform/` beside the manifests (journals, the apply lock, emulator state).
    public var stateDirectory: String { (root as NSString).appendingPathComponent(".sinchform") }

    /// The validated manifests and their warnings.
    public func loadManifests() async throws(EngineError) -> (ManifestSet, [Diagnostic]) {
        try await startLoading().manifests()
    }

    /// Starts reading and validating the manifests in the background, so that a caller can read the lock file and
    /// make a client meanwhile (reading a lock of 10,000 entries is a tenth of a second of CPU).
    func startLoading() -> ManifestLoading {
        let loader = ManifestLoader(environment: environment)
        let directory = directory
        return ManifestLoading(task: Task { await loader.load(directory) })
    }
}

/// Manifests being read in the background (``Workspace/startLoading()``).
struct ManifestLoading: Sendable {
    let task: Task<ManifestLoadResult, Never>

    /// The validated manifests and their warnings, once loaded.
    func manifests() async throws(EngineError) -> (ManifestSet, [Diagnostic]) {
        let result = await task.value
        do {
            return (try result.get(), result.warnings)
        } catch {
            throw EngineError.manifests(error)
        }
    }
}

extension Workspace {
    public func readLock() throws(EngineError) -> LockFile? {
        try LockFile.read(in: root)
    }

    /// The project: a manifest's `project:`, else `SINCH_PROJECT_ID`; it must agree with the lock file's.
    public func project(manifests: ManifestSet, lock: LockFile?) throws(EngineError) -> String {
        let fromEnvironment = environment["SINCH_PROJECT_ID"].flatMap { $0.isEmpty ? nil : $0 }
        guard let project = manifests.project ?? fromEnvironment ?? lock?.project else {
            throw EngineError.configuration(
                "no project: set SINCH_PROJECT_ID or add `project: <id>` to a manifest")
        }
        if let lock, lock.project != project {
            throw EngineError.configuration(
                "sinchform.lock belongs to project \(lock.project), but the manifests and environment say \(project); "
                    + "use the lock file of that project or remove it")
        }
        return project
    }

    public func clientConfiguration(project: String) throws(EngineError) -> ProvisioningConfiguration {
        do {
            return try ProvisioningConfiguration(environment: environment, projectOverride: project)
        } catch let error as APIError {
            throw EngineError.api(error)
        } catch {
            throw EngineError.configuration("\(error)")
        }
    }
}

/// Everything a plan was made from; apply continues from it.
public struct PlanContext: Sendable {
    public var plan: Plan
    public var manifests: ManifestSet
    public var lock: LockFile?
    public var warnings: [Diagnostic]
}

/// What a plan starts from: the validated manifests (and their warnings), the lock file and the project.
struct PlanInputs: Sendable {
    public var manifests: ManifestSet
    public var warnings: [Diagnostic]
    public var lock: LockFile?
    public var project: String
}

/// How ``Workspace/plan(client:lock:scope:)`` ended: planned, or the manifests name another project than the
/// client's (plan again with a client for it, from the inputs already loaded).
enum PlanAttempt: Sendable {
    case planned(PlanContext)
    case otherProject(PlanInputs)
}

extension Workspace {
    /// The manifests (those of `loading` when given), lock file and project.
    func loadInputs(lock: LockFile?, loading: ManifestLoading? = nil) async throws(EngineError) -> PlanInputs {
        let (manifests, warnings) = try await (loading ?? startLoading()).manifests()
        let project = try project(manifests: manifests, lock: lock)
        return PlanInputs(manifests: manifests, warnings: warnings, lock: lock, project: project)
    }

    /// The project a plan is most likely for before the manifests are read: `SINCH_PROJECT_ID`, else the lock
    /// file's. A manifest's `project:` wins; ``plan(client:lock:scope:)`` notices when one does.
    func provisionalProject(lock: LockFile?) -> String? {
        environment["SINCH_PROJECT_ID"].flatMap { $0.isEmpty ? nil : $0 } ?? lock?.project
    }

    /// Plans with a client for ``provisionalProject(lock:)``. Loading the manifests is CPU work and reading live
    /// state mostly waits for the API, so they overlap: the kinds and KakaoTalk senders the lock file names are
    /// listed while the manifests load, and only what the manifests add is listed after.
    ///
    /// `loading`: the manifests already being read (``startLoading()``), when the caller started them before
    /// reading the lock file.
    func plan(
        client: ProvisioningClient, lock: LockFile?, loading: ManifestLoading? = nil, scope: PlanScope = PlanScope(),
        planner: Planner = Planner()
    ) async throws(EngineError) -> PlanAttempt {
        let known = Self.refreshTargets(lock?.resources.values ?? [:].values)
        let early = Task {
            try await refresh(client: client, kinds: known.kinds, parents: known.parents)
        }
        let inputs: PlanInputs
        do {
            inputs = try await loadInputs(lock: lock, loading: loading)
        } catch {
            early.cancel()
            throw error
        }
        guard inputs.project == client.configuration.projectId else {
            early.cancel()
            return .otherProject(inputs)
        }
        let deleted = startReadingDeletions(inputs)
        var live: LiveState
        do {
            live = try await early.value
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError.refresh("\(error)")
        }
        let wanted = Self.refreshTargets(inputs.manifests.resources)
        let addedParents = wanted.parents.subtracting(known.parents)
        var addedKinds = wanted.kinds.subtracting(known.kinds)
        let childKinds = wanted.kinds.filter { $0.definition.parent != nil }
        if !addedParents.isEmpty { addedKinds.formUnion(childKinds) }
        if !addedKinds.isEmpty {
            // Children of the added parents only: the lock's parents' children are already listed.
            let childrenListed = !childKinds.isEmpty && childKinds.isSubset(of: known.kinds)
            let parentKind = childKinds.first?.definition.parent?.kind
            let added = try await refresh(
                client: client, kinds: addedKinds, parents: childrenListed ? addedParents : wanted.parents,
                liveParents: parentKind.flatMap { live.resources[$0] })
            live.add(added)
        }
        return .planned(
            try await plan(inputs, live: live, deleted: await deleted.value, scope: scope, planner: planner))
    }

    /// Plans from loaded inputs with a client for their project: one refresh, then the diff.
    func plan(
        _ inputs: PlanInputs, client: ProvisioningClient, scope: PlanScope = PlanScope(), planner: Planner = Planner()
    ) async throws(EngineError) -> PlanContext {
        let wanted = Self.refreshTargets(inputs.manifests.resources, inputs.lock?.resources.values ?? [:].values)
        let deleted = startReadingDeletions(inputs)
        let live = try await refresh(client: client, kinds: wanted.kinds, parents: wanted.parents)
        return try await plan(inputs, live: live, deleted: await deleted.value, scope: scope, planner: planner)
    }

    /// Loads everything and plans with `client`, which must be for the manifests' project.
    public func plan(
        client: ProvisioningClient, scope: PlanScope = PlanScope()
    ) async throws(EngineError)
        -> PlanContext
    {
        let loading = startLoading()
        switch try await plan(client: client, lock: try readLock(), loading: loading, scope: scope) {
        case let .planned(context): return context
        case let .otherProject(inputs):
            throw EngineError.configuration(
                "the manifests are for project \(inputs.project), but the client is for \(client.configuration.projectId)"
            )
        }
    }

    /// When earlier applies deleted resources whose identities the API blocks for a while after a delete (from the
    /// journals), read while live state is listed: the journals of an apply of 10,000 are megabytes.
    private func startReadingDeletions(_ inputs: PlanInputs) -> Task<[RemoteIdentity: Date], Never> {
        let blocks = Set(inputs.manifests.resources.map(\.kind)).compactMap { kind in
            KindAdapters.adapter(for: kind).reuseBlock.map { (kind, $0) }
        }
        let longest = blocks.map { Double($0.1.components.seconds) }.max() ?? 0
        let stateDirectory = stateDirectory
        return Task {
            blocks.isEmpty
                ? [:]
                : Journal.deletions(
                    in: stateDirectory, of: Set(blocks.map(\.0)), since: Date().addingTimeInterval(-longest))
        }
    }

    private func plan(
        _ inputs: PlanInputs, live: LiveState, deleted: [RemoteIdentity: Date], scope: PlanScope, planner: Planner
    ) async throws(EngineError) -> PlanContext {
        let plan = try await planner.plan(
            manifests: inputs.manifests, live: live, lock: inputs.lock, project: inputs.project,
            manifestDirectory: directory, scope: scope, deleted: deleted)
        return PlanContext(plan: plan, manifests: inputs.manifests, lock: inputs.lock, warnings: inputs.warnings)
    }

    /// The kinds to list, and the parents (KakaoTalk senders) whose children (templates) to list: only what
    /// manifests or the lock file mention (nothing else can be planned, so nothing else is read).
    static func refreshTargets(
        _ desired: [DesiredResource], _ recorded: [Address: LockFile.Entry].Values = [:].values
    ) -> (kinds: Set<ResourceKind>, parents: Set<String>) {
        var targets = refreshTargets(recorded)
        // In place, not `map`/`compactMap` (docs/CONTRIBUTING.md, "Large values in loops").
        for index in desired.indices {
            targets.kinds.insert(desired[index].kind)
            if let key = desired[index].definition.parentKey(of: desired[index].spec) { targets.parents.insert(key) }
        }
        return targets
    }

    static func refreshTargets(
        _ recorded: [Address: LockFile.Entry].Values
    ) -> (kinds: Set<ResourceKind>, parents: Set<String>) {
        var targets = (kinds: Set<ResourceKind>(), parents: Set<String>())
        for index in recorded.indices {
            targets.kinds.insert(recorded[index].kind)
            if let key = recorded[index].remoteId.parentKey { targets.parents.insert(key) }
        }
        return targets
    }

    /// Lists `kinds`; children (KakaoTalk templates) only under `parents` (of `liveParents` when the parent list is
    /// already known).
    func refresh(
        client: ProvisioningClient, kinds: Set<ResourceKind>, parents: Set<String>,
        liveParents: [LiveResource]? = nil
    ) async throws(EngineError) -> LiveState {
        do {
            return try await Refresher().refresh(client, kinds: kinds, parents: parents, liveParents: liveParents)
        } catch let error as APIError {
            throw EngineError.api(error)
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError.refresh("\(error)")
        }
    }
}
