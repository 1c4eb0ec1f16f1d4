import Foundation
import ProvisioningAPI
import SinchformManifest

/// The moments of a step after which a crash leaves a different state on disk and live: the journal's start line
/// written, the API call made, the lock entry recorded, the journal's closing line written.
enum StepBoundary: String, Sendable, CaseIterable {
    case journaled, called, recorded, closed
}

/// Where a test stops an apply as a crash would: nothing after that boundary of that step is written.
struct CrashPoint: Sendable {
    var address: Address
    var boundary: StepBoundary
}

/// Where a step stands after ``StepExecutor/begin(_:)`` or ``StepExecutor/call(_:_:)``: its rollback note, the
/// identity its call reached, or why it stopped (a failure, or a ``CrashPoint``).
struct StepProgress: Sendable {
    var note: RollbackNote
    var identity: RemoteIdentity?
    var failure: String?
    var crashed = false
}

/// Runs one planned step in three phases: ``begin(_:)`` (the journal's start line), ``call(_:_:)`` (the API call)
/// and ``settle(_:_:)`` (the lock update and the closing journal line). The applier limits how many calls run at
/// once; beginning and settling, which wait for the disk, do not hold a call slot.
struct StepExecutor: Sendable {
    let context: PlanContext
    let client: ProvisioningClient
    let journal: Journal
    let writer: LockWriter
    var crashPoint: CrashPoint?

    private func crashes(_ change: Change, at boundary: StepBoundary) -> Bool {
        crashPoint?.address == change.address && crashPoint?.boundary == boundary
    }

    func begin(_ change: Change) async -> StepProgress {
        let note = rollbackNote(change, adapter: KindAdapters.adapter(for: change.kind))
        var start = JournalEntry(event: .start)
        start.address = change.address
        start.kind = change.kind
        start.action = change.action
        start.before = change.before
        start.remoteId = change.remoteId
        start.rollback = note
        start.request = request(for: change)
        do {
            try await journal.append(start)
        } catch {
            return StepProgress(note: note, failure: "cannot write the journal: \(error)")
        }
        return StepProgress(note: note, crashed: crashes(change, at: .journaled))
    }

    func call(_ change: Change, _ begun: StepProgress) async -> StepProgress {
        if begun.crashed || begun.failure != nil { return begun }
        var called = begun
        do {
            called.identity = try await perform(change, adapter: KindAdapters.adapter(for: change.kind))
            called.crashed = crashes(change, at: .called)
        } catch let error as APIError {
            called.failure = error.with(resource: change.address.description).description
        } catch {
            called.failure = "\(change.address): \(error)"
        }
        return called
    }

    func settle(_ change: Change, _ called: StepProgress) async -> StepOutcome {
        if called.crashed { return .crashed }
        var failure = called.failure
        if failure == nil {
            do {
                try await record(change, identity: called.identity)
            } catch {
                failure = "\(change.address): \(error)"
            }
        }
        if crashes(change, at: .recorded) { return .crashed }
        var closing = JournalEntry(event: failure == nil ? .done : .failed)
        closing.address = change.address
        closing.kind = change.kind
        closing.action = change.action
        if let failure {
            closing.error = failure
            try? await journal.append(closing)
            return .failed(failure, called.note)
        }
        closing.remoteId = called.identity
        closing.afterDigest = change.desiredDigest
        do {
            try await journal.append(closing)
        } catch {
            return .failed("cannot write the journal: \(error)", called.note)
        }
        return crashes(change, at: .closed) ? .crashed : .done(called.note, called.identity)
    }

    /// The API calls of a step; returns the identity the resource has afterwards.
    private func perform(_ change: Change, adapter: any KindAdapter) async throws -> RemoteIdentity? {
        switch change.action {
        case .noop, .forget, .move:
            return change.remoteId
        case .create:
            return try await create(change, adapter: adapter)
        case .update, .adopt:
            guard let identity = change.remoteId else {
                throw EngineError.noRemoteIdentity(change.address)
            }
            if !change.fields.isEmpty {
                _ = try await adapter.update(
                    identity, try desiredResource(change).spec, client: client, label: change.address.description)
            }
            return identity
        case .replace:
            if let identity = change.remoteId {
                try await delete(identity, change: change, adapter: adapter)
                // The old resource is gone at sinchform's hand: if the create fails (a WhatsApp template's name
                // block), the next plan must see a create from the manifests, not a deletion made outside.
                try await writer.remove(change.address)
            }
            return try await create(change, adapter: adapter)
        case .delete:
            if let identity = change.remoteId { try await delete(identity, change: change, adapter: adapter) }
            return change.remoteId
        }
    }

    /// The lock file as the step leaves it: the entry recorded, or removed for a delete or forget.
    private func record(_ change: Change, identity: RemoteIdentity?) async throws {
        switch change.action {
        case .noop: return
        case .move,
            .update where change.movedFrom != nil:
            // Re-keyed in one write: the lock never holds the resource under two addresses.
            guard let from = change.movedFrom else { return }
            try await writer.move(from: from, to: entry(for: change, remoteId: identity, salt: writer.salt))
        case .create, .update, .adopt, .replace:
            try await writer.record(entry(for: change, remoteId: identity, salt: writer.salt))
        case .delete, .forget:
            try await writer.remove(change.address)
        }
    }

    private func delete(_ identity: RemoteIdentity, change: Change, adapter: any KindAdapter) async throws {
        do {
            try await adapter.delete(identity, client: client, label: change.address.description)
        } catch let error as APIError where error.meansAlreadyDeleted {
            // Already gone, or marked for removal by an earlier call: the goal of the step is reached.
        }
    }

    /// Creates the resource. A POST whose answer was lost (a 5xx, a broken connection, a 2xx body naming nothing) may
    /// or may not have been applied, so the resource is looked up by identity before anything is sent again: nothing
    /// is ever created twice. The send after a lookup that found nothing meets the same faults as the first, so it is
    /// repeated, with backoff, up to the client's retry policy's attempts rather than given up after a second unknown
    /// outcome. The lookup's list is retried by the client like any read; only a list read to its end answers "not
    /// there", and only that answer sends the create again.
    private func create(_ change: Change, adapter: any KindAdapter) async throws -> RemoteIdentity {
        let desired = try desiredResource(change)
        let spec = desired.spec
        let policy = client.configuration.retry
        var unresolved: any Error = EngineError.createWithoutIdentity(change.address)
        for attempt in 1...policy.maxAttempts {
            if attempt > 1 { try await Task.sleep(for: policy.delay(afterAttempt: attempt - 1, retryAfter: nil)) }
            switch try await adapter.create(spec, desired: desired, client: client) {
            case let .completed(body):
                if let body, let created = try? adapter.live(body, parent: desired.definition.parentKey(of: spec)) {
                    return created.identity
                }
                // A 2xx whose body names nothing: found by identity it took effect; not found, a broken proxy or
                // server answered, and it is sent again as after an unknown outcome.
                unresolved = EngineError.createWithoutIdentity(change.address)
            case let .outcomeUnknown(error):
                unresolved = error
            }
            if let found = try await lookUp(desired, adapter: adapter) { return found }
            // Not there: the create never happened, so sending it again cannot duplicate it.
        }
        throw unresolved
    }

    /// Finds a desired resource among live ones by its identity or natural key.
    func lookUp(_ desired: DesiredResource, adapter: any KindAdapter) async throws -> RemoteIdentity? {
        let definition = desired.definition
        let live = try await adapter.list(client, parents: definition.parentKey(of: desired.spec).map { [$0] } ?? [])
        if let identity = adapter.identity(of: desired) {
            return live.first { $0.identity == identity }?.identity
        }
        guard let key = definition.naturalKey(of: desired.spec, name: desired.name, language: desired.language)
        else { return nil }
        return live.first { $0.naturalKey == key }?.identity
    }

    private func desiredResource(_ change: Change) throws -> DesiredResource {
        guard let desired = context.manifests.resource(at: change.address) else {
            throw EngineError.notInManifests(change.address)
        }
        return desired
    }

    /// The lock entry for a resource as this plan leaves it.
    func entry(for change: Change, remoteId: RemoteIdentity?, salt: String) throws -> LockFile.Entry {
        let desired = try desiredResource(change)
        guard let remoteId else { throw EngineError.noRemoteIdentity(change.address) }
        let definition = desired.definition
        let spec = desired.spec
        var writeOnly: [String: String] = [:]
        for (path, _, value) in definition.writeOnlyValues(in: spec) {
            writeOnly[path] = try Fingerprint.of(value.jsonString, salt: salt)
        }
        let normalized = Normalizer().normalize(spec, as: definition.resourceType)
        return LockFile.Entry(
            address: change.address, kind: change.kind, remoteId: remoteId,
            specDigest: change.desiredDigest ?? normalized.digest, managedFields: normalized.leafPaths(),
            writeOnly: writeOnly, appliedAt: Timestamp.iso(Date()))
    }

    private func request(for change: Change) -> JSONValue {
        var request: JSONObject = ["operation": .string("\(change.action.rawValue) \(change.kind.rawValue)")]
        if let remoteId = change.remoteId { request["target"] = remoteId.json }
        if [.create, .update, .adopt, .replace].contains(change.action) { request["body"] = change.after }
        return .object(request)
    }

    private func rollbackNote(_ change: Change, adapter: any KindAdapter) -> RollbackNote {
        let definition = adapter.definition
        // A secret sent and never returned cannot be put back.
        let writeOnlyNote = definition.resourceSpec.paths(with: [.writeOnly, .sensitive]).map {
            " The \(change.kind.rawValue) \($0.joined(separator: ".")) is write-only: its previous value cannot be restored."
        }.joined()
        let reviewed = definition.isReviewed
        switch change.action {
        case .create:
            guard adapter.canDelete else {
                return RollbackNote(
                    inverse: nil, restore: nil, note: "irreversible: \(adapter.deleteConsequence ?? "no DELETE")")
            }
            return RollbackNote(
                inverse: .delete, restore: nil,
                note: "delete what this step created" + (adapter.deleteConsequence.map { "; \($0)" } ?? ""))
        case .update, .adopt:
            if change.fields.isEmpty {
                return RollbackNote(
                    inverse: .forget, restore: nil, note: "stop managing it (remove it from sinchform.lock)")
            }
            if change.before?.contains(Plan.sensitiveMarker) == true {
                // A value from a secret-named variable is masked in the state before: restoring would write the mask.
                return RollbackNote(
                    inverse: nil, restore: change.before,
                    note: "irreversible: the state before holds a sensitive value, which is never recorded")
            }
            let oneWay = change.fields.filter {
                $0.after == .bool(true)
                    && definition.resourceSpec.field(at: $0.path.split(separator: ".").map(String.init))?.traits
                        .contains(.oneWay) == true
            }
            if !oneWay.isEmpty {
                return RollbackNote(
                    inverse: nil, restore: change.before,
                    note: "irreversible: \(oneWay.map(\.path).joined(separator: ", ")) cannot be turned off again")
            }
            return RollbackNote(
                inverse: .update, restore: change.before,
                note: "update the fields back to their previous values"
                    + (reviewed ? "; review already submitted: the restored content is submitted for review again" : "")
                    + writeOnlyNote)
        case .replace:
            return RollbackNote(
                inverse: nil, restore: change.before,
                note: "irreversible: the original was deleted" + (adapter.deleteConsequence.map { " (\($0))" } ?? "")
                    + "; recreate it from the state before if needed")
        case .delete:
            return RollbackNote(
                inverse: .create, restore: change.before,
                note: "re-create it from the state before (it gets a new id)"
                    + (adapter.deleteConsequence.map { "; \($0)" } ?? "") + writeOnlyNote)
        case .forget:
            return RollbackNote(inverse: .adopt, restore: nil, note: "add it back to the manifests to manage it again")
        case .move:
            let from = change.movedFrom?.description ?? ""
            return RollbackNote(
                inverse: .move, restore: ["movedFrom": .string(from)],
                note: "record it under \(from) again in sinchform.lock (no API call)")
        case .noop:
            return RollbackNote(inverse: nil, restore: nil, note: "nothing was changed")
        }
    }
}
