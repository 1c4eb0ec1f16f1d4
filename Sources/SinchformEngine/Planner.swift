import Dispatch
import Foundation
import ProvisioningAPI
import SinchformManifest
import Synchronization

/// Which resources a plan covers: `--target` (with what they depend on) and `--exclude`, by address. An address
/// without a language (`whatsappTemplate.NAME`) covers every language.
public struct PlanScope: Sendable {
    public var targets: [String]
    public var excludes: [String]

    public init(targets: [String] = [], excludes: [String] = []) {
        self.targets = targets
        self.excludes = excludes
    }

    static func matches(_ address: String, _ pattern: String) -> Bool {
        address == pattern || address.hasPrefix(pattern + "[")
    }
}

/// Compares desired state (manifests), live state and the last applied state (lock file) and says what to do.
public struct Planner: Sendable {
    private let normalizer = Normalizer()

    public init() {}

    public func plan(
        manifests: ManifestSet, live: LiveState, lock: LockFile?, project: String, manifestDirectory: String,
        scope: PlanScope = PlanScope()
    ) throws(EngineError) -> Plan {
        var changes: [Change] = []
        var errors: [String] = []
        let entries = lock?.resources ?? [:]
        let ownedKeys = Set(entries.values.map { "\($0.kind.rawValue)|\($0.remoteId.description)" })
        // Natural keys only matter for adoption: a desired resource with neither a lock entry nor an identity.
        let adopting = Set(
            manifests.resources.filter {
                entries[$0.address] == nil && KindAdapters.adapter(for: $0.kind).identity(of: $0) == nil
            }.map(\.kind))
        let index = LiveIndex(live, naturalKeysFor: adopting)

        // Each resource's diff depends only on its own desired, live and lock values: they run in chunks on every
        // core, and are gathered in manifest order.
        let resources = manifests.resources
        let chunkCount = min(resources.count, ProcessInfo.processInfo.activeProcessorCount * 4)
        let outcomes = Mutex([[Result<Change, PlanningError>]](repeating: [], count: chunkCount))
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let range =
                (resources.count * chunk / chunkCount)..<(resources.count * (chunk + 1) / chunkCount)
            let results = resources[range].map { desired -> Result<Change, PlanningError> in
                let adapter = KindAdapters.adapter(for: desired.kind)
                let entry = entries[desired.address]
                let match = findLive(desired, entry: entry, adapter: adapter, index: index, owned: ownedKeys)
                do {
                    return .success(
                        try change(for: desired, live: match, entry: entry, lock: lock).masking(
                            desired.sensitivePaths))
                } catch let error as PlanningError {
                    return .failure(error)
                } catch {
                    return .failure(PlanningError(message: "\(desired.address): \(error)"))
                }
            }
            outcomes.withLock { $0[chunk] = results }
        }
        for result in outcomes.withLock({ $0 }).joined() {
            switch result {
            case let .success(change): changes.append(change)
            case let .failure(error): errors.append(error.message)
            }
        }

        let desiredAddresses = Set(manifests.resources.map(\.address))
        for entry in entries.values.sorted(by: { $0.address < $1.address })
        where !desiredAddresses.contains(entry.address) {
            let adapter = KindAdapters.adapter(for: entry.kind)
            changes.append(removal(entry, live: index.find(entry.kind, entry.remoteId), adapter: adapter))
        }

        changes = scoped(order(changes), scope)
        if !errors.isEmpty { throw EngineError.plan(errors) }
        return Plan(
            project: project, manifestDirectory: manifestDirectory, lockLineage: lock?.lineage,
            lockSerial: lock?.serial, changes: changes)
    }

    // MARK: Matching

    private func findLive(
        _ desired: DesiredResource, entry: LockFile.Entry?, adapter: any KindAdapter, index: LiveIndex,
        owned: Set<String>
    ) -> LiveResource? {
        if let entry { return index.find(desired.kind, entry.remoteId) }
        if let identity = adapter.identity(of: desired) { return index.find(desired.kind, identity) }
        // Adoption by natural key, only among live resources no other lock entry owns.
        let spec = desired.spec
        guard let key = adapter.naturalKey(spec, name: desired.name, language: desired.language) else { return nil }
        return index.byNaturalKey(desired.kind, key).first {
            !owned.contains("\(desired.kind.rawValue)|\($0.identity.description)")
        }
    }

    /// Live resources indexed by identity and natural key, so matching N desired resources costs O(N), not O(N²).
    struct LiveIndex {
        private var byId: [ResourceKind: [String: [LiveResource]]] = [:]
        private var byName: [ResourceKind: [String: LiveResource]] = [:]
        private var byPlusFriendId: [ResourceKind: [String: LiveResource]] = [:]
        private var byNatural: [ResourceKind: [String: [LiveResource]]] = [:]

        init(_ live: LiveState, naturalKeysFor adopting: Set<ResourceKind>) {
            for (kind, resources) in live.resources {
                let adapter = KindAdapters.adapter(for: kind)
                for resource in resources {
                    let identity = resource.identity
                    if let id = identity.id { byId[kind, default: [:]][id, default: []].append(resource) }
                    if let name = identity.name {
                        byName[kind, default: [:]][name + "\u{0}" + (identity.language ?? "")] = resource
                    }
                    if let plusFriendId = identity.plusFriendId, identity.id == nil {
                        byPlusFriendId[kind, default: [:]][plusFriendId] = resource
                    }
                    // Natural keys that do not depend on the manifest name (every kind but WhatsApp templates,
                    // which are found by name + language).
                    if kind != .whatsappTemplate, adopting.contains(kind),
                        let key = adapter.naturalKey(resource.effective, name: "", language: nil)
                    {
                        byNatural[kind, default: [:]][key, default: []].append(resource)
                    }
                }
            }
        }

        /// The live resource with this identity (same rules as ``Planner/same(_:_:)``).
        func find(_ kind: ResourceKind, _ identity: RemoteIdentity) -> LiveResource? {
            if let id = identity.id {
                return byId[kind]?[id]?.first {
                    identity.plusFriendId == nil || $0.identity.plusFriendId == identity.plusFriendId
                }
            }
            if let name = identity.name { return byName[kind]?[name + "\u{0}" + (identity.language ?? "")] }
            if let plusFriendId = identity.plusFriendId { return byPlusFriendId[kind]?[plusFriendId] }
            return nil
        }

        func byNaturalKey(_ kind: ResourceKind, _ key: String) -> [LiveResource] {
            byNatural[kind]?[key] ?? []
        }
    }

    static func same(_ a: RemoteIdentity, _ b: RemoteIdentity) -> Bool {
        if let id = b.id { return a.id == id && (b.plusFriendId == nil || a.plusFriendId == b.plusFriendId) }
        if let name = b.name { return a.name == name && a.language == b.language }
        if let plusFriendId = b.plusFriendId { return a.plusFriendId == plusFriendId }
        return false
    }

    // MARK: Diff

    struct PlanningError: Error, Sendable {
        var message: String
    }

    private func change(
        for desired: DesiredResource, live: LiveResource?, entry: LockFile.Entry?, lock: LockFile?
    )
        throws -> Change
    {
        let definition = desired.definition
        let schema = definition.resourceSpec
        let adapter = KindAdapters.adapter(for: desired.kind)
        let desiredJSON = desired.spec
        var desiredNormalized = normalizer.normalize(desiredJSON, as: .object(schema)) ?? .object([:])
        let writeOnly = schema.writeOnlyValues(in: desiredJSON)
        let after = schema.masked(desiredJSON)
        var desiredDigest = desiredNormalized.digest
        var change = Change(
            address: desired.address, kind: desired.kind, action: .noop, reason: "", origin: nil, before: nil,
            after: after, fields: [], forcesReplacement: [], consequences: [], review: live?.review,
            remoteId: live?.identity ?? entry?.remoteId ?? adapter.identity(of: desired),
            dependsOn: [],  // set by `order`, which sees every change
            liveDigest: nil, desiredDigest: desiredDigest)

        guard let live else {
            change.action = .create
            change.origin = entry == nil ? .manifest : .drift
            change.reason =
                entry == nil
                ? "not in the project yet"
                : "recorded in sinchform.lock but no longer in the project (deleted outside sinchform)"
            if desired.kind == .webhook, desiredJSON["secret"] == nil {
                throw PlanningError(
                    message:
                        "\(desired.address): creating a webhook needs a secret (the API requires one); add secret: ${env.NAME}"
                )
            }
            change.consequences += reviewConsequence(desired.kind)
            return change
        }

        var liveNormalized = normalizer.restrict(live.effective, to: desiredNormalized)
        for path in desired.lifecycle.ignoreChanges {
            let parts = path.split(separator: ".").map(String.init)
            desiredNormalized = removing(parts, from: desiredNormalized)
            liveNormalized = removing(parts, from: liveNormalized)
        }
        if !desired.lifecycle.ignoreChanges.isEmpty { desiredDigest = desiredNormalized.digest }
        // Most resources of a large plan are unchanged: equal values need neither a field walk nor a second digest.
        let same = liveNormalized == desiredNormalized
        let liveDigest = same ? desiredDigest : liveNormalized.digest
        change.before = liveNormalized
        change.liveDigest = liveDigest
        change.desiredDigest = desiredDigest
        change.fields = same ? [] : differences(liveNormalized, desiredNormalized, schema: schema)

        for (path, field, value) in writeOnly where !desired.lifecycle.ignoreChanges.contains(path) {
            let sensitive = field.traits.contains(.sensitive)
            let known = entry?.writeOnly[path]
            if known == nil {
                change.fields.append(
                    FieldChange(
                        path: path, before: nil, after: value, sensitive: sensitive,
                        note: "write-only: not set by sinchform (adopted or imported), so it will be sent"))
            } else if let lock, known != Fingerprint.of(value.jsonString, salt: lock.salt) {
                change.fields.append(
                    FieldChange(
                        path: path, before: sensitive ? Plan.sensitiveMarker : nil, after: value, sensitive: sensitive,
                        note: "write-only: changed since the last apply (compared by fingerprint)"))
            }
        }
        change.fields.sort { $0.path < $1.path }

        let immutable = change.fields.filter {
            schema.field(at: $0.path.split(separator: ".").map(String.init))?.traits.contains(.immutable) == true
        }
        .map(\.path)
        if entry == nil {
            change.action = .adopt
            change.reason =
                change.fields.isEmpty
                ? "exists in the project and matches; sinchform takes ownership"
                : "exists in the project; sinchform takes ownership and updates \(change.fields.count) field\(change.fields.count == 1 ? "" : "s")"
            change.origin = .manifest
        } else if !immutable.isEmpty {
            change.action = .replace
            change.forcesReplacement = immutable
            change.reason = "\(immutable.joined(separator: ", ")) cannot change in place"
            if !adapter.canDelete {
                throw PlanningError(
                    message:
                        "\(desired.address): \(immutable.joined(separator: ", ")) cannot change after create, and \(desired.kind.rawValue) has no DELETE in the API; give the new one another name"
                )
            }
            if desired.lifecycle.protect {
                throw PlanningError(
                    message:
                        "\(desired.address): lifecycle.protect forbids replacing it, but \(immutable.joined(separator: ", ")) changed; revert the change or remove protect"
                )
            }
            change.consequences += ["delete, then create"] + (adapter.deleteConsequence.map { [$0] } ?? [])
            if desired.kind == .whatsappTemplate {
                change.consequences.append(
                    "the create will be refused until the 30-day block ends; consider a new template name")
            }
            change.consequences += reviewConsequence(desired.kind)
        } else if !change.fields.isEmpty {
            change.action = .update
            change.reason = "\(change.fields.count) field\(change.fields.count == 1 ? "" : "s") differ"
            change.consequences += reviewConsequence(desired.kind)
        } else {
            change.action = .noop
            change.reason = "up to date"
            // Live matches the manifests: before and after are one value (as in Terraform's plan JSON for a no-op),
            // and a plan of 10,000 unchanged resources keeps one tree per resource, not two. (The digests are
            // already one: equal values.)
            change.before = change.after
        }
        if let entry, change.action != .noop {
            let manifestChanged =
                entry.specDigest != desiredDigest
                || change.fields.contains { $0.note?.contains("changed since") == true }
            let drifted = entry.specDigest != liveDigest
            change.origin =
                manifestChanged && drifted ? .manifestAndDrift : drifted ? .drift : .manifest
            if change.origin == .drift { change.reason += " (changed outside sinchform since the last apply)" }
        }
        if desired.kind == .kakaotalkSender, change.action == .update, let review = live.review,
            review.state != "ACTIVE", review.pending != "DRAFT", review.pending != "REJECTED"
        {
            // KS4: a sender can be edited once verified (state ACTIVE) or while its pending changes are a draft.
            change.consequences.append(
                "the API accepts sender edits only once the sender is ACTIVE (registered and verified with its "
                    + "one-time code) or while its changes are a DRAFT; it is \(review.description), so this update "
                    + "will be refused (409 sender_not_updatable / sender_changes_not_updatable)")
        } else if let review = live.review, review.pending == "IN_PROGRESS",
            change.action == .update
                || (change.action == .adopt && !change.fields.isEmpty)
        {
            change.consequences.append(
                "a change is already under review: the API refuses updates until that review ends; "
                    + "apply again once it is approved or rejected")
        }
        return change
    }

    private func reviewConsequence(_ kind: ResourceKind) -> [String] {
        switch kind {
        case .whatsappTemplate, .kakaotalkTemplate, .kakaotalkSender, .whatsappSender:
            return ["submitted for review; live content changes only once approved"]
        case .webhook, .rcsSender:
            return []
        }
    }

    private func removal(_ entry: LockFile.Entry, live: LiveResource?, adapter: any KindAdapter) -> Change {
        var change = Change(
            address: entry.address, kind: entry.kind, action: .delete, reason: "removed from the manifests",
            origin: .manifest, before: nil, after: nil, fields: [], forcesReplacement: [], consequences: [],
            review: live?.review, remoteId: entry.remoteId, dependsOn: [], liveDigest: nil, desiredDigest: nil)
        guard let live else {
            change.action = .forget
            change.reason = "removed from the manifests and already gone from the project"
            return change
        }
        change.before = live.effective
        change.liveDigest = live.effective.digest
        if !adapter.canDelete {
            change.action = .forget
            change.reason = "removed from the manifests; the API cannot delete it, so sinchform stops managing it"
        }
        change.consequences += adapter.deleteConsequence.map { [$0] } ?? []
        return change
    }

    /// Field-level differences between two normalized values, by dotted path; arrays compare whole.
    func differences(
        _ before: JSONValue, _ after: JSONValue, schema: ObjectSchema, prefix: String = ""
    ) -> [FieldChange] {
        guard case let .object(old) = before, case let .object(new) = after else {
            return before == after ? [] : [FieldChange(path: prefix, before: before, after: after)]
        }
        var result: [FieldChange] = []
        for key in Set(old.keys).union(new.keys).sorted() {
            let path = prefix.isEmpty ? key : prefix + "." + key
            switch (old[key], new[key]) {
            case let (a?, b?) where a == b: continue
            case let (a?, b?):
                if case .object = a, case .object = b {
                    result += differences(a, b, schema: schema, prefix: path)
                } else {
                    result.append(FieldChange(path: path, before: a, after: b))
                }
            case let (a, b): result.append(FieldChange(path: path, before: a, after: b))
            }
        }
        return result
    }

    private func removing(_ path: [String], from value: JSONValue) -> JSONValue {
        guard let head = path.first, case var .object(members) = value else { return value }
        if path.count == 1 {
            members[head] = nil
        } else if let inner = members[head] {
            members[head] = removing(Array(path.dropFirst()), from: inner)
        }
        return .object(members)
    }

    // MARK: Order and scope

    /// Creates and updates in dependency order (senders before their templates), deletes in reverse; within a
    /// kind, by address. The same inputs always give the same order.
    func order(_ changes: [Change]) -> [Change] {
        var changes = changes
        var senders: [String: String] = [:]  // plusFriendId → kakaotalkSender address
        for change in changes where change.kind == .kakaotalkSender {
            if let id = change.remoteId?.plusFriendId ?? change.after?["plusFriendId"]?.stringValue {
                senders[id] = change.address
            }
        }
        var templatesOf: [String: [String]] = [:]
        for index in changes.indices where changes[index].kind == .kakaotalkTemplate {
            let id = changes[index].after?["plusFriendId"]?.stringValue ?? changes[index].remoteId?.plusFriendId
            if let id, let sender = senders[id] {
                if changes[index].action != .delete { changes[index].dependsOn = [sender] }
                templatesOf[sender, default: []].append(changes[index].address)
            }
        }
        // A sender is deleted only after the templates that hang off it.
        for index in changes.indices where changes[index].kind == .kakaotalkSender && changes[index].action == .delete {
            changes[index].dependsOn = (templatesOf[changes[index].address] ?? []).sorted()
        }
        // Indices are sorted, not the changes: a plan of 10,000 moves 10,000 large values once, not at every swap.
        let removals: Set<Action> = [.delete, .forget]
        let isRemoval = changes.map { removals.contains($0.action) }
        let forward = changes.indices.filter { !isRemoval[$0] }.sorted {
            (changes[$0].kind, changes[$0].address) < (changes[$1].kind, changes[$1].address)
        }
        let backward = changes.indices.filter { isRemoval[$0] }.sorted {
            (changes[$1].kind, changes[$0].address) < (changes[$0].kind, changes[$1].address)
        }
        return (forward + backward).map { changes[$0] }
    }

    func scoped(_ changes: [Change], _ scope: PlanScope) -> [Change] {
        var selected = changes
        if !scope.targets.isEmpty {
            var wanted = Set(
                changes.map(\.address).filter { address in scope.targets.contains { PlanScope.matches(address, $0) } })
            // Pull in what the targets depend on.
            var grew = true
            while grew {
                grew = false
                for change in changes where wanted.contains(change.address) {
                    for dependency in change.dependsOn where wanted.insert(dependency).inserted { grew = true }
                }
            }
            selected = changes.filter { wanted.contains($0.address) }
        }
        if !scope.excludes.isEmpty {
            selected = selected.filter { change in !scope.excludes.contains { PlanScope.matches(change.address, $0) } }
        }
        return selected
    }
}
