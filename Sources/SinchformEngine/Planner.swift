import Foundation
import ProvisioningAPI
import SinchformManifest

/// Which resources a plan covers: `--target` (with what they depend on) and `--exclude`, by address, as typed. An
/// address without a language (`whatsappTemplate.NAME`) covers every language.
public struct PlanScope: Sendable, Codable, Equatable {
    public var targets: [String]
    public var excludes: [String]

    public init(targets: [String] = [], excludes: [String] = []) {
        self.targets = targets
        self.excludes = excludes
    }

    public var isEmpty: Bool { targets.isEmpty && excludes.isEmpty }

    /// The patterns as addresses, each matching at least one of `known` (the manifests' and the lock's); a typo
    /// is an error with the closest addresses, never an empty plan.
    func resolve(known: [Address]) throws(EngineError) -> (targets: [Address], excludes: [Address]) {
        var problems: [String] = []
        func parse(_ patterns: [String], _ option: String) -> [Address] {
            patterns.compactMap { text in
                let address = try? Address(parsing: text)
                if let address, known.contains(where: { $0.isSelected(by: address) }) { return address }
                var message = "\(option) \(text) matches no address in the manifests or sinchform.lock"
                let closest = Address.closest(to: text, in: known)
                if !closest.isEmpty {
                    message += "; did you mean \(closest.map(\.description).joined(separator: ", "))?"
                }
                problems.append(message)
                return nil
            }
        }
        let resolved = (parse(targets, "--target"), parse(excludes, "--exclude"))
        if !problems.isEmpty { throw EngineError.unknownAddresses(problems) }
        return resolved
    }
}

/// Compares desired state (manifests), live state and the last applied state (lock file) and says what to do.
///
/// Each resource goes through four steps, each a function of its inputs: ``match`` finds its live resource,
/// ``diff`` compares the normalized values, ``classify`` picks the action, reason and origin, and ``annotate``
/// adds what the change means beyond the call. Kind-specific rules come from the kind's definition and adapter.
public struct Planner: Sendable {
    private let normalizer = Normalizer()
    /// For `drift`: a one-way field turned on outside sinchform while the manifests still say `false` shows as drift,
    /// not as the plan error it is for `plan` and `apply`.
    public var showsOneWayDrift = false

    public init(showsOneWayDrift: Bool = false) {
        self.showsOneWayDrift = showsOneWayDrift
    }

    public func plan(
        manifests: ManifestSet, live: LiveState, lock: LockFile?, project: String, manifestDirectory: String,
        scope: PlanScope = PlanScope(), deleted: [RemoteIdentity: Date] = [:], now: Date = Date()
    ) async throws(EngineError) -> Plan {
        let entries = lock?.resources ?? [:]
        var desiredAddresses = Set<Address>(minimumCapacity: manifests.resources.count)
        // Natural keys only matter for adoption: a desired resource with neither a lock entry nor an identity.
        var adopting = Set<ResourceKind>()
        var unrecorded = 0
        // Resources and entries are read in place, here and below (docs/CONTRIBUTING.md, "Large values in loops").
        let resources = manifests.resources
        for index in resources.indices {
            desiredAddresses.insert(resources[index].address)
            guard entries.index(forKey: resources[index].address) == nil else { continue }
            unrecorded += 1
            if !adopting.contains(resources[index].kind),
                KindAdapters.adapter(for: resources[index].kind).identity(of: resources[index]) == nil
            {
                adopting.insert(resources[index].kind)
            }
        }
        // Entries whose address left the manifests: their resource may have moved to a new address. Found once, by
        // address: filtering the entries themselves copied all 10,000 of them (an unchanged plan has none leaving).
        let leaving = entries.keys.filter { !desiredAddresses.contains($0) }
        // Only a resource the lock does not record asks who owns a live one (`match`): when every one is recorded,
        // the owners of 10,000 entries are not indexed.
        let owned = unrecorded == 0 ? [Address: LockFile.Entry]().values : entries.values
        let index = LiveIndex(live, owned: owned, movable: Set(leaving), naturalKeysFor: adopting)

        var (changes, errors) = await self.changes(for: resources, entries: entries, lock: lock, index: index)

        var moved: [Address: Address] = [:]
        for index in changes.indices {
            guard let from = changes[index].movedFrom else { continue }
            if let other = moved.updateValue(changes[index].address, forKey: from) {
                errors.append(
                    "\(changes[index].address) and \(other) both match the resource sinchform.lock records as \(from); "
                        + "keep one")
            }
        }
        // The entries that left the manifests and did not move, sorted (not all 10,000 of an unchanged plan).
        for address in leaving.filter({ moved[$0] == nil }).sorted() {
            guard let entry = entries[address] else { continue }
            let adapter = KindAdapters.adapter(for: entry.kind)
            changes.append(removal(entry, live: index.find(entry.kind, entry.remoteId), adapter: adapter))
        }

        errors += preflight(changes, manifests: manifests, live: live, deleted: deleted, now: now)
        if !errors.isEmpty { throw EngineError.plan(errors) }
        let resolved =
            scope.isEmpty ? ([], []) : try scope.resolve(known: Array(desiredAddresses.union(entries.keys)))
        explainRenames(&changes, entries: entries)
        order(&changes)
        changes = scoped(changes, resolved)
        return Plan(
            project: project, manifestDirectory: manifestDirectory, lockLineage: lock?.lineage,
            lockSerial: lock?.serial, changes: changes, scope: scope.isEmpty ? nil : scope)
    }

    /// Each resource's change depends only on its own desired, live and lock values: they are made in chunks on
    /// every core, and gathered in manifest order.
    private func changes(
        for resources: [DesiredResource], entries: [Address: LockFile.Entry], lock: LockFile?, index: LiveIndex
    ) async -> (changes: [Change], errors: [String]) {
        let chunkCount = min(resources.count, ProcessInfo.processInfo.activeProcessorCount * 4)
        return await withTaskGroup(of: (Int, [Result<Change, PlanningError>]).self) { group in
            for chunk in 0..<chunkCount {
                let range = (resources.count * chunk / chunkCount)..<(resources.count * (chunk + 1) / chunkCount)
                group.addTask {
                    (
                        chunk,
                        // Last first: the results are popped off the end when gathered.
                        resources[range].reversed().map { desired in
                            let recorded = entries[desired.address]
                            let (live, movedFrom) = match(desired, entry: recorded, index: index)
                            let entry = movedFrom.map { entries[$0] } ?? recorded
                            return Result { () throws(PlanningError) in
                                var change = try change(for: desired, live: live, entry: entry, lock: lock)
                                if let movedFrom { change.moved(from: movedFrom) }
                                return change.masking(desired.sensitivePaths)
                            }
                        }
                    )
                }
            }
            var parts = [[Result<Change, PlanningError>]](repeating: [], count: chunkCount)
            for await (chunk, results) in group { parts[chunk] = results }
            var changes: [Change] = []
            var errors: [String] = []
            changes.reserveCapacity(resources.count)
            // Each chunk's results are moved out (popped off the end, where the first is), not copied: a copy of a
            // change retains each of its values, and letting the chunk go releases them again. All changes are never
            // held twice.
            for chunk in parts.indices {
                while let result = parts[chunk].popLast() {
                    switch consume result {
                    case let .success(change): changes.append(change)
                    case let .failure(error): errors.append(error.message)
                    }
                }
            }
            return (changes, errors)
        }
    }

    /// The change for one desired resource: diff, classify, annotate.
    func change(
        for desired: DesiredResource, live: LiveResource?, entry: LockFile.Entry?, lock: LockFile?
    ) throws(PlanningError) -> Change {
        let adapter = KindAdapters.adapter(for: desired.kind)
        let diff = diff(desired, live: live, entry: entry, lock: lock)
        var change = try classify(desired, diff, live: live, entry: entry, adapter: adapter)
        annotate(&change, desired: desired, live: live, adapter: adapter)
        return change
    }

    // MARK: Preflight

    /// What the API would refuse half-way through the apply, found from the live state the plan already read: a
    /// resource whose parent is neither planned nor live, more resources of a kind than the API allows after the
    /// plan, and a create under an identity the API still blocks after a recent delete.
    func preflight(
        _ changes: [Change], manifests: ManifestSet, live: LiveState, deleted: [RemoteIdentity: Date], now: Date
    ) -> [String] {
        var errors: [String] = []
        // The keys of the parents planned or live, per parent kind, once (not per child: 2,500 KakaoTalk templates
        // would scan 10,000 resources each).
        var parentKeys: [ResourceKind: Set<String>] = [:]
        let resources = manifests.resources
        for parentKind in Set(ResourceDefinition.all.compactMap(\.parent?.kind)) {
            let definition = parentKind.definition
            var keys = Set(live.all(parentKind).compactMap(\.naturalKey))
            for index in resources.indices where resources[index].kind == parentKind {
                if let key = definition.naturalKey(
                    of: resources[index].spec, name: resources[index].name, language: resources[index].language)
                {
                    keys.insert(key)
                }
            }
            parentKeys[parentKind] = keys
        }
        let childKinds = Set(ResourceDefinition.all.filter { $0.parent != nil }.map(\.kind))
        for index in resources.indices where childKinds.contains(resources[index].kind) {
            let definition = resources[index].definition
            guard let parent = definition.parent, let key = definition.parentKey(of: resources[index].spec) else {
                continue
            }
            if parentKeys[parent.kind]?.contains(key) != true {
                errors.append(
                    "\(resources[index].address): \(parent.field) '\(key)' names no \(parent.kind.rawValue) in the "
                        + "manifests or in the project; add the \(parent.kind.rawValue) or correct \(parent.field)")
            }
        }
        var creates: [ResourceKind: Int] = [:]
        var deletes: [ResourceKind: Int] = [:]
        for index in changes.indices {
            switch changes[index].action {
            case .create: creates[changes[index].kind, default: 0] += 1
            case .delete: deletes[changes[index].kind, default: 0] += 1
            default: break
            }
        }
        for definition in ResourceDefinition.all {
            guard let limit = definition.limit else { continue }
            let creates = creates[definition.kind] ?? 0
            let deletes = deletes[definition.kind] ?? 0
            let liveCount = live.all(definition.kind).count
            if liveCount + creates - deletes > limit {
                errors.append(
                    "\(definition.kind.manifestKey): this plan would leave \(liveCount + creates - deletes) in the project "
                        + "(\(liveCount) live, \(creates) to create, \(deletes) to delete); the API allows at most \(limit) "
                        + "(\(definition.kind.rawValue)_limit_reached); delete some first or declare fewer")
            }
        }
        if !deleted.isEmpty {
            for index in changes.indices where changes[index].action == .create || changes[index].action == .replace {
                let change = changes[index]
                let adapter = KindAdapters.adapter(for: change.kind)
                guard let block = adapter.reuseBlock, let desired = manifests.resource(at: change.address),
                    let identity = adapter.identity(of: desired), let when = deleted[identity]
                else { continue }
                let free = when.addingTimeInterval(Double(block.components.seconds))
                guard free > now else { continue }
                errors.append(
                    "\(change.address): \(identity) was deleted on \(Timestamp.iso(when).prefix(10)) and the API refuses to "
                        + "reuse it until \(Timestamp.iso(free).prefix(10)); choose another name or wait")
            }
        }
        return errors
    }

    // MARK: Match

    /// The live resource a desired one is: by the identity the lock recorded, by the identity its spec names, or by
    /// natural key among live resources no lock entry owns (adoption). A live resource the lock records under an
    /// address that left the manifests is the same resource renamed: its old address comes back as `movedFrom`.
    func match(
        _ desired: DesiredResource, entry: LockFile.Entry?, index: LiveIndex
    ) -> (live: LiveResource?, movedFrom: Address?) {
        if let entry { return (index.find(desired.kind, entry.remoteId), nil) }
        let live: LiveResource?
        if let identity = KindAdapters.adapter(for: desired.kind).identity(of: desired) {
            live = index.find(desired.kind, identity)
        } else if let key = desired.definition.naturalKey(
            of: desired.spec, name: desired.name, language: desired.language)
        {
            live = index.available(desired.kind, naturalKey: key)
        } else {
            live = nil
        }
        guard let live else { return (nil, nil) }
        let owner = index.owner(of: live)
        guard let owner, owner != desired.address else { return (live, nil) }
        // Owned by an entry still in the manifests: not this one's to take (a duplicate, reported as an adopt).
        return index.isMovable(owner) ? (live, owner) : (live, nil)
    }

    /// Live resources indexed by identity and natural key, so matching N desired resources costs O(N), not O(N²).
    struct LiveIndex: Sendable {
        private var byIdentity: [ResourceKind: [RemoteIdentity: LiveResource]] = [:]
        private var byNatural: [ResourceKind: [String: [LiveResource]]] = [:]
        /// The lock entry's address that owns each recorded resource.
        private var owners: [Owned: Address] = [:]
        /// Owners whose address left the manifests (their resource may be taken by a renamed entry).
        private var movable: Set<Address> = []

        private struct Owned: Hashable {
            var kind: ResourceKind
            var identity: RemoteIdentity
        }

        init(
            _ live: LiveState, owned entries: some Collection<LockFile.Entry> = [], movable: Set<Address> = [],
            naturalKeysFor adopting: Set<ResourceKind> = []
        ) {
            owners.reserveCapacity(entries.underestimatedCount)
            for index in entries.indices {
                owners[Owned(kind: entries[index].kind, identity: entries[index].remoteId)] = entries[index].address
            }
            self.movable = movable
            for (kind, resources) in live.resources {
                // Natural keys that do not depend on the manifest name (not for kinds identified by name, which
                // are found by their identity).
                let indexNatural = adopting.contains(kind) && !kind.definition.naturalKey.byName
                // Each kind's index is made at its final size, and the first resource listed under an identity kept.
                var identities = [RemoteIdentity: LiveResource](minimumCapacity: resources.count)
                for resource in resources {
                    if identities[resource.identity] == nil { identities[resource.identity] = resource }
                    if indexNatural, let key = resource.naturalKey {
                        byNatural[kind, default: [:]][key, default: []].append(resource)
                    }
                }
                byIdentity[kind] = identities
            }
        }

        /// The live resource with this identity.
        func find(_ kind: ResourceKind, _ identity: RemoteIdentity) -> LiveResource? {
            byIdentity[kind]?[identity]
        }

        /// The first live resource with this natural key that no lock entry owns, or that an entry owns whose
        /// address left the manifests.
        func available(_ kind: ResourceKind, naturalKey key: String) -> LiveResource? {
            byNatural[kind]?[key]?.first { owner(of: $0).map(movable.contains) ?? true }
        }

        /// The address the lock records this live resource under.
        func owner(of resource: LiveResource) -> Address? {
            owners[Owned(kind: resource.kind, identity: resource.identity)]
        }

        func isMovable(_ address: Address) -> Bool { movable.contains(address) }
    }

    // MARK: Diff

    struct PlanningError: Error, Sendable {
        var message: String
    }

    /// What differs between a desired resource and its live one, both normalized.
    struct Diff {
        /// The live comparable view, restricted to the desired fields (nil: no live resource).
        var before: JSONValue?
        /// The desired spec, sensitive leaves masked.
        var after: JSONValue
        var fields: [FieldChange] = []
        var liveDigest: String?
        var desiredDigest: String
        /// A write-only value differs from the fingerprint of what was last applied.
        var writeOnlyChanged = false
        /// Fields that changed and cannot change in place.
        var immutable: [String] = []
    }

    func diff(_ desired: DesiredResource, live: LiveResource?, entry: LockFile.Entry?, lock: LockFile?) -> Diff {
        let definition = desired.definition
        let schema = definition.resourceSpec
        let spec = desired.spec
        var desiredNormalized = normalizer.normalize(spec, as: .object(schema))
        var diff = Diff(after: definition.masked(spec), desiredDigest: desiredNormalized.digest)
        guard let live else { return diff }

        if desired.lifecycle.ignoreChanges.isEmpty, normalizer.matches(live.effective, desiredNormalized) {
            // Most resources of a large plan are unchanged: equal values need no restricted copy of the live one,
            // no field walk and no second digest.
            diff.before = desiredNormalized
            diff.liveDigest = diff.desiredDigest
        } else {
            var liveNormalized = normalizer.restrict(live.effective, to: desiredNormalized)
            for path in desired.lifecycle.ignoreChanges {
                let parts = path.split(separator: ".").map(String.init)
                desiredNormalized = removing(parts, from: desiredNormalized)
                liveNormalized = removing(parts, from: liveNormalized)
            }
            if !desired.lifecycle.ignoreChanges.isEmpty { diff.desiredDigest = desiredNormalized.digest }
            let same = liveNormalized == desiredNormalized
            diff.before = liveNormalized
            diff.liveDigest = same ? diff.desiredDigest : liveNormalized.digest
            diff.fields = same ? [] : differences(liveNormalized, desiredNormalized, schema: schema)
        }

        for (path, field, value) in definition.writeOnlyValues(in: spec)
        where !desired.lifecycle.ignoreChanges.contains(path) {
            let sensitive = field.traits.contains(.sensitive)
            let known = entry?.writeOnly[path]
            if known == nil {
                diff.fields.append(
                    FieldChange(
                        path: path, before: nil, after: value, sensitive: sensitive,
                        note: "write-only: not set by sinchform (adopted or imported), so it will be sent"))
            } else if let lock, let known, !Fingerprint.matches(known, value: value.jsonString, salt: lock.salt) {
                diff.writeOnlyChanged = true
                diff.fields.append(
                    FieldChange(
                        path: path, before: sensitive ? Plan.sensitiveMarker : nil, after: value, sensitive: sensitive,
                        note: "write-only: changed since the last apply (compared by fingerprint)"))
            }
        }
        diff.fields.sort { $0.path < $1.path }
        diff.immutable = diff.fields.filter {
            schema.field(at: $0.path.split(separator: ".").map(String.init))?.traits.contains(.immutable) == true
        }
        .map(\.path)
        return diff
    }

    // MARK: Classify

    /// The action, reason and origin of a change; errors for what the API or `lifecycle` cannot allow.
    func classify(
        _ desired: DesiredResource, _ diff: Diff, live: LiveResource?, entry: LockFile.Entry?, adapter: any KindAdapter
    ) throws(PlanningError) -> Change {
        var change = Change(
            address: desired.address, kind: desired.kind, action: .noop, reason: "", origin: nil, before: diff.before,
            after: diff.after, fields: diff.fields, forcesReplacement: [], consequences: [], review: live?.review,
            remoteId: live?.identity ?? entry?.remoteId ?? adapter.identity(of: desired),
            dependsOn: [],  // set by `order`, which sees every change
            liveDigest: diff.liveDigest, desiredDigest: diff.desiredDigest)

        guard live != nil else {
            if let refusal = adapter.createRefusal { throw PlanningError(message: "\(desired.address): \(refusal)") }
            change.action = .create
            change.origin = entry == nil ? .manifest : .drift
            change.reason =
                entry == nil
                ? "not in the project yet"
                : "recorded in sinchform.lock but no longer in the project (deleted outside sinchform)"
            try requireCreateFields(desired)
            return change
        }
        let count = "\(change.fields.count) field\(change.fields.count == 1 ? "" : "s")"
        if entry == nil {
            change.action = .adopt
            change.reason =
                change.fields.isEmpty
                ? "exists in the project and matches; sinchform takes ownership"
                : "exists in the project; sinchform takes ownership and updates \(count)"
            change.origin = .manifest
        } else if !diff.immutable.isEmpty {
            let immutable = diff.immutable.joined(separator: ", ")
            change.action = .replace
            change.forcesReplacement = diff.immutable
            change.reason = "\(immutable) cannot change in place"
            if !adapter.canDelete {
                throw PlanningError(
                    message:
                        "\(desired.address): \(immutable) cannot change after create, and \(desired.kind.rawValue) has no DELETE in the API; give the new one another name"
                )
            }
            if desired.lifecycle.protect {
                throw PlanningError(
                    message:
                        "\(desired.address): lifecycle.protect forbids replacing it, but \(immutable) changed; revert the change or remove protect"
                )
            }
        } else if !change.fields.isEmpty {
            change.action = .update
            change.reason = "\(change.fields.count) field\(change.fields.count == 1 ? " differs" : "s differ")"
        } else {
            change.action = .noop
            change.reason = "up to date"
            // Live matches the manifests: before and after are one value (as in Terraform's plan JSON for a no-op),
            // and a plan of 10,000 unchanged resources keeps one tree per resource, not two. (The digests are
            // already one: equal values.)
            change.before = change.after
        }
        if let entry, change.action != .noop {
            let manifestChanged = entry.specDigest != diff.desiredDigest || diff.writeOnlyChanged
            let drifted = entry.specDigest != diff.liveDigest
            change.origin = manifestChanged && drifted ? .manifestAndDrift : drifted ? .drift : .manifest
            if change.origin == .drift { change.reason += " (changed outside sinchform since the last apply)" }
        }
        try refuseOneWay(&change, desired)
        return change
    }

    /// A one-way field (template analytics) the manifests set to `false` while it is `true` in the project: the API
    /// cannot turn it off, so the plan cannot be made.
    private func refuseOneWay(_ change: inout Change, _ desired: DesiredResource) throws(PlanningError) {
        let schema = desired.definition.resourceSpec
        for field in change.fields where field.before == .bool(true) && field.after == .bool(false) {
            let parts = field.path.split(separator: ".").map(String.init)
            guard schema.field(at: parts)?.traits.contains(.oneWay) == true else { continue }
            if showsOneWayDrift && change.origin == .drift {
                change.consequences.append(
                    "\(field.path) was turned on outside sinchform and the API cannot turn it off; set \(field.path): true to accept it"
                )
                continue
            }
            let outside = change.origin == .drift ? " (it was turned on outside sinchform since the last apply)" : ""
            throw PlanningError(
                message:
                    "\(desired.address).\(field.path): it is on in the project\(outside) and the API cannot turn it off; set \(field.path): true or remove the line"
            )
        }
    }

    /// Fields the API requires to create a resource although a spec may omit them (a webhook's write-only secret:
    /// omitting it leaves the live one alone, but a new webhook needs one).
    private func requireCreateFields(_ desired: DesiredResource) throws(PlanningError) {
        for field in desired.definition.resourceSpec.fields
        where field.traits.contains(.requiredToCreate) && desired.spec[field.name] == nil {
            let value = field.traits.contains(.sensitive) ? "${env.NAME}" : "…"
            throw PlanningError(
                message:
                    "\(desired.address): creating a \(desired.kind.rawValue) needs a \(field.name) (the API requires one); add \(field.name): \(value)"
            )
        }
    }

    // MARK: Annotate

    /// What the change means beyond the call: replacement costs, review, and updates the API will refuse now.
    func annotate(_ change: inout Change, desired: DesiredResource, live: LiveResource?, adapter: any KindAdapter) {
        let review = ["submitted for review; live content changes only once approved"]
        let reviewed = adapter.definition.isReviewed
        switch change.action {
        case .create, .update:
            if reviewed { change.consequences += review }
            change.consequences += oneWayConsequences(change, desired)
        case .replace:
            change.consequences += ["delete, then create"] + (adapter.deleteConsequence.map { [$0] } ?? [])
            change.consequences += adapter.replaceConsequences
            if reviewed { change.consequences += review }
        case .adopt:
            change.consequences += oneWayConsequences(change, desired)
        case .noop, .delete, .forget, .move:
            break
        }
        guard let review = live?.review else { return }
        // An adoption that changes fields is an update call too.
        let updates = change.action == .update || (change.action == .adopt && !change.fields.isEmpty)
        if updates, let refusal = adapter.updateRefusal(review) {
            change.consequences.append(refusal)
        } else if review.isUnderReview, updates {
            change.consequences.append(
                "a change is already under review: the API refuses updates until that review ends; "
                    + "apply again once it is approved or rejected")
        }
    }

    /// One-way fields this change turns on: they cannot be turned off again.
    private func oneWayConsequences(_ change: Change, _ desired: DesiredResource) -> [String] {
        change.fields.filter { field in
            field.after == .bool(true)
                && desired.definition.resourceSpec.field(at: field.path.split(separator: ".").map(String.init))?
                    .traits.contains(.oneWay) == true
        }
        .map { "\($0.path) cannot be turned off again: the API has no way to disable it" }
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

    /// Creates and updates in dependency order (parents before their children: KakaoTalk senders before their
    /// templates), deletes in reverse; within a kind, by address. The same inputs always give the same order. In place:
    /// a copy of the array that the caller still holds would copy every change at the first `dependsOn` set.
    func order(_ changes: inout [Change]) {
        // The address of each parent's change, by kind and natural key (a sender's plusFriendId).
        var parents: [ResourceKind: [String: Address]] = [:]
        let parentKinds = Set(ResourceDefinition.all.compactMap(\.parent?.kind))
        // Changes are read in place, here and below (docs/CONTRIBUTING.md, "Large values in loops").
        for index in changes.indices where parentKinds.contains(changes[index].kind) {
            let definition = changes[index].kind.definition
            let key = changes[index].remoteId.map { parentKey(of: $0) } ?? nil
            if let key = key ?? changes[index].after.flatMap({ definition.naturalKey(of: $0, name: "", language: nil) })
            {
                parents[changes[index].kind, default: [:]][key] = changes[index].address
            }
        }
        var childrenOf: [Address: [Address]] = [:]
        for index in changes.indices {
            guard let parent = changes[index].kind.definition.parent else { continue }
            let key =
                changes[index].after.flatMap(changes[index].kind.definition.parentKey(of:))
                ?? changes[index].remoteId?.parentKey
            if let key, let address = parents[parent.kind]?[key] {
                if changes[index].action != .delete { changes[index].dependsOn = [address] }
                childrenOf[address, default: []].append(changes[index].address)
            }
        }
        // A delete that frees a natural key (a webhook's target) completes before a create that needs it.
        var freed: [String: [Address]] = [:]
        for index in changes.indices where changes[index].action == .delete {
            if let key = naturalKey(of: changes[index], changes[index].before) {
                freed[changes[index].kind.rawValue + "\u{0}" + key, default: []].append(changes[index].address)
            }
        }
        if !freed.isEmpty {
            for index in changes.indices where changes[index].action == .create || changes[index].action == .replace {
                guard let key = naturalKey(of: changes[index], changes[index].after),
                    let deletes = freed[changes[index].kind.rawValue + "\u{0}" + key]
                else { continue }
                changes[index].dependsOn += deletes
            }
        }
        // A parent is deleted only after the children that hang off it.
        for index in changes.indices where changes[index].action == .delete {
            if let children = childrenOf[changes[index].address] { changes[index].dependsOn = children.sorted() }
        }
        // Indices are sorted, not the changes: a plan of 10,000 moves 10,000 large values once, not at every swap.
        // Each kind's rank is read once, not at each of the ~140,000 comparisons (a dictionary lookup each).
        let rank = changes.indices.map { changes[$0].kind.rank }
        let isRemoval = changes.indices.map { changes[$0].action == .delete || changes[$0].action == .forget }
        let forward = changes.indices.filter { !isRemoval[$0] }.sorted {
            rank[$0] != rank[$1] ? rank[$0] < rank[$1] : changes[$0].address < changes[$1].address
        }
        let backward = changes.indices.filter { isRemoval[$0] }.sorted {
            rank[$0] != rank[$1] ? rank[$1] < rank[$0] : changes[$0].address < changes[$1].address
        }
        changes.permute(to: forward + backward)
    }

    /// A kind identified by its name (WhatsApp templates) cannot be renamed in place: a create whose content is what a
    /// deleted entry of the same language last applied is that entry renamed, and both changes say so.
    private func explainRenames(_ changes: inout [Change], entries: [Address: LockFile.Entry]) {
        var deleted: [String: Int] = [:]
        for index in changes.indices where changes[index].action == .delete {
            let change = changes[index]
            guard change.kind.definition.naturalKey.byName, let entry = entries[change.address] else { continue }
            deleted[change.kind.rawValue + "\u{0}" + (change.address.language ?? "") + "\u{0}" + entry.specDigest] =
                index
        }
        guard !deleted.isEmpty else { return }
        for index in changes.indices where changes[index].action == .create {
            let change = changes[index]
            let key =
                change.kind.rawValue + "\u{0}" + (change.address.language ?? "") + "\u{0}"
                + (change.desiredDigest ?? "")
            guard let old = deleted[key] else { continue }
            let note =
                "\(changes[old].address) renamed to \(change.address): a \(change.kind.rawValue)'s name is its identity "
                + "in the API, so a rename creates a new one and deletes the old one"
            changes[index].consequences.append(note)
            changes[old].consequences.append(note)
        }
    }

    /// A change's natural key, from `value` (its before or after) and its identity or address.
    private func naturalKey(of change: Change, _ value: JSONValue?) -> String? {
        guard let value else { return nil }
        return change.kind.definition.naturalKey(
            of: value, name: change.remoteId?.name ?? change.address.name,
            language: change.remoteId?.language ?? change.address.language)
    }

    /// The natural key of a parent's identity (a KakaoTalk sender's plusFriendId).
    private func parentKey(of identity: RemoteIdentity) -> String? {
        if case let .plusFriendId(key) = identity { return key }
        return nil
    }

    func scoped(_ changes: [Change], _ scope: (targets: [Address], excludes: [Address])) -> [Change] {
        var selected = changes
        if !scope.targets.isEmpty {
            var wanted = Set(
                changes.map(\.address).filter { address in scope.targets.contains { address.isSelected(by: $0) } })
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
            selected = selected.filter { change in !scope.excludes.contains { change.address.isSelected(by: $0) } }
        }
        return selected
    }
}

extension Change {
    /// This change as the manifests' rename of the resource the lock records under `from`: unchanged, a `move`
    /// (no API call); otherwise its update or replace, carrying where it moved from.
    mutating func moved(from: Address) {
        movedFrom = from
        switch action {
        case .noop:
            action = .move
            origin = .manifest
            reason = "renamed from \(from) in the manifests; sinchform.lock follows, no API call"
        case .update, .replace, .adopt:
            reason += "; renamed from \(from) in the manifests"
        case .create, .delete, .forget, .move:
            break
        }
    }
}
