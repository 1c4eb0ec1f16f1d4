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
        let result = await ManifestLoader(environment: environment).load(directory)
        do {
            return (try result.get(), result.warnings)
        } catch {
            throw EngineError.manifests(error)
        }
    }

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
    public var live: LiveState
    public var lock: LockFile?
    public var warnings: [Diagnostic]
}

extension Workspace {
    /// Loads the manifests and the lock file, refreshes live state through `client`, and plans.
    public func plan(
        client: ProvisioningClient, scope: PlanScope = PlanScope()
    ) async throws(EngineError) -> PlanContext {
        let (manifests, warnings) = try await loadManifests()
        let lock = try readLock()
        let project = try project(manifests: manifests, lock: lock)
        let live = try await refresh(client: client, manifests: manifests, lock: lock)
        let plan = try Planner().plan(
            manifests: manifests, live: live, lock: lock, project: project, manifestDirectory: directory, scope: scope)
        return PlanContext(plan: plan, manifests: manifests, live: live, lock: lock, warnings: warnings)
    }

    public func refresh(
        client: ProvisioningClient, manifests: ManifestSet, lock: LockFile?
    ) async throws(EngineError)
        -> LiveState
    {
        // The senders whose templates sinchform manages: named by a template in the files or in the lock.
        var senders = Set(
            manifests.resources.filter { $0.kind == .kakaotalkTemplate }.compactMap { $0.spec["plusFriendId"]?.string })
        senders.formUnion(
            lock?.resources.values.filter { $0.kind == .kakaotalkTemplate }.compactMap(\.remoteId.plusFriendId) ?? [])
        // Only kinds the manifests or the lock file mention: nothing else can be planned, so nothing else is read.
        var kinds = Set(manifests.resources.map(\.kind))
        kinds.formUnion(lock?.resources.values.map(\.kind) ?? [])
        do {
            return try await Refresher().refresh(client, kinds: kinds, templateSenders: senders)
        } catch let error as APIError {
            throw EngineError.api(error)
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError.other("refresh failed: \(error)")
        }
    }
}
