import Foundation
import ProvisioningAPI
import SinchformManifest

/// Progress of an apply, for the CLI's progress lines.
public enum ApplyEvent: Sendable {
    case started(address: Address, action: Action)
    case finished(address: Address, action: Action)
    case failed(address: Address, action: Action, message: String)
    case skipped(address: Address, reason: String)
    case waiting(pending: [Address], elapsed: Duration)
}

public struct ApplyOptions: Sendable {
    public var parallelism: Int
    /// Poll submitted templates and senders until reviewed.
    public var wait: Bool
    public var waitTimeout: Duration
    public var observer: @Sendable (ApplyEvent) -> Void
    /// Tests stop the apply here as a crash would (see ``CrashPoint``).
    var crashPoint: CrashPoint?

    public init(
        parallelism: Int = 4, wait: Bool = false, waitTimeout: Duration = .seconds(1800),
        observer: @escaping @Sendable (ApplyEvent) -> Void = { _ in }
    ) {
        self.parallelism = max(1, parallelism)
        self.wait = wait
        self.waitTimeout = waitTimeout
        self.observer = observer
    }
}

/// What an apply did.
public struct ApplyResult: Sendable {
    public struct Step: Sendable {
        public var address: Address
        public var action: Action
        public var message: String?
        public var rollback: RollbackNote?
        /// The resource's identity after the step (a create's new id).
        public var remoteId: RemoteIdentity?
    }

    public var done: [Step] = []
    public var failed: [Step] = []
    public var skipped: [Step] = []
    /// Resources whose review ended in rejection (with `--wait`), with the reason.
    public var rejected: [Step] = []
    /// Resources still under review when `--wait` gave up.
    public var stillPending: [Address] = []
    public var journalPath: String
    public var lockSerial: Int?

    public var succeeded: Bool { failed.isEmpty && skipped.isEmpty && rejected.isEmpty }
}

/// Executes a plan: steps in dependency order, independent ones in parallel, each journaled before and after its
/// call and recorded in the lock file as soon as it succeeds. A failure skips only what depends on it.
public struct Applier: Sendable {
    public init() {}

    public func apply(
        _ context: PlanContext, workspace: Workspace, client: ProvisioningClient, options: ApplyOptions = ApplyOptions()
    ) async throws(EngineError) -> ApplyResult {
        let plan = context.plan
        let lock = context.lock ?? LockFile(project: plan.project)
        let writer = LockWriter(lock: lock, directory: workspace.root)
        let journal: Journal
        do {
            journal = try Journal(directory: workspace.stateDirectory)
            var header = JournalEntry(event: .apply)
            header.message =
                "apply to project \(plan.project): \(plan.summary.create) create, \(plan.summary.update) update, "
                + "\(plan.summary.replace) replace, \(plan.summary.delete) delete, \(plan.summary.adopt) adopt, "
                + "\(plan.summary.forget) forget"
            try await journal.append(header, waitForDisk: false)
        } catch {
            throw EngineError.stateFile("cannot write the journal in \(workspace.stateDirectory): \(error)")
        }
        // Each address once, whatever the plan lists: a step is never sent twice.
        var listed = Set<Address>()
        let steps = plan.changes.filter { $0.isChange && listed.insert($0.address).inserted }
        let executor = StepExecutor(
            context: context, client: client, journal: journal, writer: writer, crashPoint: options.crashPoint)
        var result = ApplyResult(journalPath: journal.path)

        // Dependency-ordered, bounded-parallel execution: a ready queue fed by dependency counts, so each
        // completion costs only its dependents (not a rescan of every waiting step).
        let planned = Set(steps.map(\.address))
        let byAddress = Dictionary(steps.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        var unmet: [Address: Int] = [:]
        var dependents: [Address: [Address]] = [:]
        for change in steps {
            let dependencies = change.dependsOn.filter { planned.contains($0) && $0 != change.address }
            unmet[change.address] = dependencies.count
            for dependency in dependencies { dependents[dependency, default: []].append(change.address) }
        }
        var ready = steps.filter { unmet[$0.address] == 0 }
        var next = 0
        var skipped: [(Change, String)] = []
        /// Marks everything that waits on `address` (transitively) as skipped.
        func skipDependents(of address: Address) {
            var pending = dependents[address] ?? []
            var seen = Set<Address>()
            while let waiting = pending.popLast() {
                guard seen.insert(waiting).inserted, let change = byAddress[waiting] else { continue }
                skipped.append((change, "\(address) did not complete"))
                pending += dependents[waiting] ?? []
            }
        }
        // Up to `parallelism` steps are in their API call at once. Up to as many more write their journal start line
        // meanwhile, so that a freed slot starts the next call without waiting for the disk; a step whose call
        // returned waits for its lock entry and journal line to reach the disk without holding a slot either.
        enum Progress: Sendable {
            case begun(Change, StepProgress)
            case called(Change, StepProgress)
            case settled(Change, StepOutcome)
        }
        var crashed: Address?
        await withTaskGroup(of: Progress.self) { group in
            var beginning = 0
            var begun: [(Change, StepProgress)] = []
            var calling = 0
            func startReady() {
                while calling < options.parallelism, !begun.isEmpty, crashed == nil {
                    let (change, start) = begun.removeFirst()
                    calling += 1
                    group.addTask { .called(change, await executor.call(change, start)) }
                }
                while beginning + begun.count < options.parallelism, next < ready.count, crashed == nil {
                    let change = ready[next]
                    next += 1
                    beginning += 1
                    options.observer(.started(address: change.address, action: change.action))
                    group.addTask { .begun(change, await executor.begin(change)) }
                }
            }
            startReady()
            while let progress = await group.next() {
                switch progress {
                case let .begun(change, start):
                    beginning -= 1
                    begun.append((change, start))
                case let .called(change, call):
                    calling -= 1
                    group.addTask { .settled(change, await executor.settle(change, call)) }
                case let .settled(change, .done(note, identity)):
                    result.done.append(
                        .init(address: change.address, action: change.action, rollback: note, remoteId: identity))
                    options.observer(.finished(address: change.address, action: change.action))
                    for dependent in dependents[change.address] ?? [] {
                        unmet[dependent, default: 0] -= 1
                        if unmet[dependent] == 0, let waiting = byAddress[dependent] { ready.append(waiting) }
                    }
                case let .settled(change, .failed(message, note)):
                    result.failed.append(
                        .init(address: change.address, action: change.action, message: message, rollback: note))
                    options.observer(.failed(address: change.address, action: change.action, message: message))
                    skipDependents(of: change.address)
                case let .settled(change, .crashed):
                    crashed = change.address
                }
                startReady()
            }
        }
        if let crashed {
            // A simulated crash: like a killed process, write nothing more (no skipped lines, no footer).
            throw EngineError.crashPoint(crashed)
        }
        for (change, reason) in skipped {
            result.skipped.append(.init(address: change.address, action: change.action, message: reason))
            options.observer(.skipped(address: change.address, reason: reason))
            try? await journal.append(Self.skippedEntry(change, reason: reason))
        }

        // Lock entries of unchanged resources follow the manifests too (a manifest edited to match live state).
        let recorded = await writer.lock.resources
        for change in plan.changes where change.action == .noop {
            if let entry = recorded[change.address], entry.specDigest != change.desiredDigest {
                try? await writer.record(executor.entry(for: change, remoteId: entry.remoteId, salt: writer.salt))
            }
        }

        if options.wait, !result.done.isEmpty {
            await ReviewWaiter(client: client, options: options).wait(for: result.done, plan: plan, into: &result)
        }
        var footer = JournalEntry(event: .finish)
        footer.message = "\(result.done.count) done, \(result.failed.count) failed, \(result.skipped.count) skipped"
        try? await journal.append(footer, waitForDisk: false)
        try? await journal.close()
        result.lockSerial = await writer.lock.serial
        return result
    }

    static func skippedEntry(_ change: Change, reason: String) -> JournalEntry {
        var entry = JournalEntry(event: .skipped)
        entry.address = change.address
        entry.kind = change.kind
        entry.action = change.action
        entry.error = reason
        return entry
    }
}

enum StepOutcome: Sendable {
    case done(RollbackNote, RemoteIdentity?)
    case failed(String, RollbackNote)
    /// Stopped at a ``CrashPoint`` (tests only).
    case crashed
}
