import Foundation
import ProvisioningAPI
import SinchformManifest

/// One inverse step of a rollback, or why a step cannot be undone.
public struct RollbackStep: Sendable {
    public var address: Address
    public var kind: ResourceKind
    /// The action the journal recorded, and the inverse planned for it.
    public var recorded: Action
    public var inverse: Action?
    public var identity: RemoteIdentity?
    public var restore: JSONValue?
    /// Set when the step is skipped: what stops it.
    public var skipReason: String?
    public var note: String
}

/// Undoes a recorded apply where the API allows: replays the journal's inverse calls newest first, only for
/// resources that still look exactly as their step left them.
public struct Rollback: Sendable {
    public let journalPath: String

    public init(journalPath: String) {
        self.journalPath = journalPath
    }

    /// The manifest directory a journal belongs to (`DIR/.sinchform/journal/X.jsonl` → `DIR`).
    public var workspaceDirectory: String {
        URL(fileURLWithPath: journalPath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    /// The inverse steps, newest first, checked against live state.
    public func plan(client: ProvisioningClient) async throws(EngineError) -> [RollbackStep] {
        let entries: [JournalEntry]
        do {
            entries = try Journal.read(journalPath)
        } catch {
            throw EngineError.stateFile("cannot read the journal \(journalPath): \(error)")
        }
        var starts: [Address: JournalEntry] = [:]
        var completed: [(start: JournalEntry, done: JournalEntry)] = []
        for entry in entries {
            guard let address = entry.address else { continue }
            switch entry.event {
            case .start: starts[address] = entry
            case .done: if let start = starts[address] { completed.append((start, entry)) }
            default: break
            }
        }
        let kinds = Set(completed.compactMap(\.start.kind))
        let parents = Set(completed.compactMap { ($0.done.remoteId ?? $0.start.remoteId)?.parentKey })
        let live: LiveState
        do {
            live = try await Refresher().refresh(client, kinds: kinds, parents: parents)
        } catch let error as APIError {
            throw EngineError.api(error)
        } catch {
            throw EngineError.refresh("\(error)")
        }
        let recorded = try LockFile.read(in: workspaceDirectory)?.resources ?? [:]
        return completed.reversed().compactMap { start, done in
            start.kind.map { step(start, done, kind: $0, live: live, recorded: recorded) }
        }
    }

    /// The journal `rollback` undoes when none is named: the newest in the state directory that is not a rollback's
    /// own (whose steps record no inverse), so that a rollback stopped halfway, run again, goes on with the same apply.
    public static func latestJournal(in stateDirectory: String) -> String? {
        Journal.files(in: stateDirectory).last { !$0.hasSuffix(journalSuffix + ".jsonl") }
    }

    /// The end of a rollback journal's name, before `.jsonl`.
    static let journalSuffix = "-rollback"

    private func step(
        _ start: JournalEntry, _ done: JournalEntry, kind: ResourceKind, live: LiveState,
        recorded: [Address: LockFile.Entry]
    ) -> RollbackStep {
        let note = start.rollback ?? RollbackNote(inverse: nil, restore: nil, note: "no rollback note recorded")
        var step = RollbackStep(
            address: start.address ?? "", kind: kind, recorded: start.action ?? .noop, inverse: note.inverse,
            identity: done.remoteId ?? start.remoteId, restore: note.restore, skipReason: nil, note: note.note)
        guard let inverse = note.inverse else {
            step.skipReason = note.note
            return step
        }
        switch inverse {
        case .delete, .update:
            let stillRecorded = step.identity != nil && recorded[step.address]?.remoteId == step.identity
            if inverse == .delete, !stillRecorded {
                // Deleted by this rollback before (a sender marked for removal still reads as before for 60 days),
                // or no longer sinchform's to delete (forgotten, moved).
                step.skipReason = "sinchform.lock no longer records it: already rolled back, forgotten or moved"
                return step
            }
            guard let identity = step.identity,
                let resource = live.all(kind).first(where: { $0.identity == identity })
            else {
                if inverse == .delete {
                    // Deleted but still recorded: a rollback stopped between its DELETE and the lock write. The step
                    // runs again (the API's answer that it is gone counts as done) to remove the entry.
                    step.note = "already deleted; its entry leaves sinchform.lock"
                } else {
                    step.skipReason = "it no longer exists in the project"
                }
                return step
            }
            let schema = ResourceDefinition.definition(for: kind).resourceSpec
            let normalizer = Normalizer()
            let shape = start.request?["body"].map { normalizer.normalize($0, as: .object(schema)) } ?? .object([:])
            let now = normalizer.restrict(resource.effective, to: shape)
            if let expected = done.afterDigest, now.digest != expected {
                step.skipReason = "it changed after the apply (it no longer looks as the step left it)"
            } else if inverse == .update, resource.review?.isUnderReview == true {
                step.skipReason =
                    "its change is still under review, and the API refuses updates until the review ends; "
                    + "run rollback again afterwards"
            }
        case .forget, .move:
            break
        case .create, .adopt, .replace, .noop:
            step.skipReason = "not automatic: \(note.note); add it back to the manifests and run apply"
        }
        return step
    }

    /// Executes the runnable steps in order, journaling them, and updates the lock file.
    public func execute(
        _ steps: [RollbackStep], workspace: Workspace, client: ProvisioningClient
    ) async throws(EngineError)
        -> (done: [RollbackStep], failed: [(RollbackStep, String)])
    {
        guard var lock = try LockFile.read(in: workspace.root) else {
            throw EngineError.missing("no sinchform.lock in \(workspace.root)")
        }
        let journal: Journal
        do {
            journal = try Journal(
                directory: workspace.stateDirectory, name: Timestamp.fileSafe(Date()) + Self.journalSuffix)
            var header = JournalEntry(event: .apply)
            header.message = "rollback of \(journalPath)"
            try await journal.append(header)
        } catch {
            throw EngineError.stateFile("cannot write the journal: \(error)")
        }
        var done: [RollbackStep] = []
        var failed: [(RollbackStep, String)] = []
        var bumped = false
        for step in steps where step.skipReason == nil {
            guard let inverse = step.inverse else { continue }
            let adapter = KindAdapters.adapter(for: step.kind)
            var start = JournalEntry(event: .start)
            start.address = step.address
            start.kind = step.kind
            start.action = inverse
            start.remoteId = step.identity
            start.request = step.restore
            try? await journal.append(start)
            do {
                switch inverse {
                case .delete:
                    if let identity = step.identity {
                        do {
                            try await adapter.delete(identity, client: client, label: step.address.description)
                        } catch let error as APIError where error.meansAlreadyDeleted {
                            // Already gone: the goal of the step is reached.
                        }
                    }
                    lock.resources[step.address] = nil
                case .update:
                    if let identity = step.identity, let restore = step.restore {
                        _ = try await adapter.update(identity, restore, client: client, label: step.address.description)
                        lock.resources[step.address]?.specDigest = restore.digest
                    }
                case .forget:
                    lock.resources[step.address] = nil
                case .move:
                    // Back under the address the step moved it from (recorded in the step's request).
                    guard let from = step.restore?["movedFrom"]?.stringValue.flatMap({ try? Address(parsing: $0) }),
                        var entry = lock.resources.removeValue(forKey: step.address)
                    else { continue }
                    entry.address = from
                    lock.resources[from] = entry
                default:
                    continue
                }
                if !bumped {
                    lock.serial += 1
                    bumped = true
                }
                try lock.write(in: workspace.root)
                var entry = JournalEntry(event: .done)
                entry.address = step.address
                entry.action = inverse
                try? await journal.append(entry)
                done.append(step)
            } catch {
                let message =
                    (error as? APIError)?.with(resource: step.address.description).description
                    ?? "\(step.address): \(error)"
                var entry = JournalEntry(event: .failed)
                entry.address = step.address
                entry.error = message
                try? await journal.append(entry)
                failed.append((step, message))
            }
        }
        try? await journal.close()
        return (done, failed)
    }
}
