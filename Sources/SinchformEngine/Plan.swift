import ProvisioningAPI
import SinchformManifest

/// A reviewable plan: what would change, why, and in which order. Its JSON form is the saved plan and
/// `--format json`; no sensitive value appears in it in clear.
public struct Plan: Codable, Sendable, Equatable {
    public static let currentFormatVersion = 1
    public static let sensitiveMarker: JSONValue = "(sensitive)"

    public var formatVersion: Int
    public var project: String
    /// The manifest directory the plan was made from (apply reads write-only values from it again).
    public var manifestDirectory: String
    /// The lock file this plan was made against; `apply` refuses the plan if it moved.
    public var lockLineage: String?
    public var lockSerial: Int?
    public var summary: Summary
    public var changes: [Change]
    /// The `--target` / `--exclude` the plan was made with (absent when none): applying the saved plan uses them.
    public var scope: PlanScope?
    /// A saved plan's `sha256:` of its own content (without this field): a plan edited after it was written is
    /// refused.
    public var digest: String?

    public struct Summary: Codable, Sendable, Equatable {
        public var create = 0
        public var update = 0
        public var replace = 0
        public var delete = 0
        public var noop = 0
        public var adopt = 0
        public var forget = 0
        /// Resources renamed in the manifests: the lock entry follows, no API call.
        public var move = 0
        /// Changes that come, at least in part, from out-of-band edits.
        public var drift = 0

        public init() {}

        public var hasChanges: Bool { create + update + replace + delete + adopt + forget + move > 0 }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            func count(_ key: CodingKeys) throws -> Int { try container.decodeIfPresent(Int.self, forKey: key) ?? 0 }
            (create, update, replace, delete) = (
                try count(.create), try count(.update), try count(.replace), try count(.delete)
            )
            (noop, adopt, forget, move, drift) = (
                try count(.noop), try count(.adopt), try count(.forget), try count(.move), try count(.drift)
            )
        }

        /// Plans without a move leave `move` out, so that their JSON is what it was before moves existed.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            for (key, value) in [
                (CodingKeys.create, create), (.update, update), (.replace, replace), (.delete, delete), (.noop, noop),
                (.adopt, adopt), (.forget, forget), (.drift, drift),
            ] {
                try container.encode(value, forKey: key)
            }
            if move > 0 { try container.encode(move, forKey: .move) }
        }

        private enum CodingKeys: String, CodingKey {
            case create, update, replace, delete, noop, adopt, forget, move, drift
        }
    }

    public init(
        project: String, manifestDirectory: String, lockLineage: String?, lockSerial: Int?, changes: [Change],
        scope: PlanScope? = nil
    ) {
        self.scope = scope
        formatVersion = Self.currentFormatVersion
        self.project = project
        self.manifestDirectory = manifestDirectory
        self.lockLineage = lockLineage
        self.lockSerial = lockSerial
        self.changes = changes
        var summary = Summary()
        for change in changes {
            switch change.action {
            case .create: summary.create += 1
            case .update: summary.update += 1
            case .replace: summary.replace += 1
            case .delete: summary.delete += 1
            case .noop: summary.noop += 1
            case .adopt: summary.adopt += 1
            case .forget: summary.forget += 1
            case .move: summary.move += 1
            }
            if change.origin == .drift || change.origin == .manifestAndDrift { summary.drift += 1 }
        }
        self.summary = summary
    }

    public var hasChanges: Bool { summary.hasChanges }
}

public enum Action: String, Codable, Sendable, Hashable, CaseIterable {
    case create, update, replace, delete, noop, adopt, forget
    /// A manifest entry under a new address for a resource the lock records under an old one: the lock entry is
    /// re-keyed, no API call.
    case move
}

/// Where a difference comes from, comparing manifests, live state and what was last applied (the lock).
public enum Origin: String, Codable, Sendable, Hashable {
    /// The manifests changed since the last apply.
    case manifest
    /// Someone changed the live resource outside sinchform.
    case drift
    case manifestAndDrift = "manifest+drift"
}

public struct Change: Codable, Sendable, Equatable {
    public var address: Address
    public var kind: ResourceKind
    public var action: Action
    public var reason: String
    public var origin: Origin?
    /// The live resource's comparable view (nil when it does not exist), sensitive leaves masked.
    public var before: JSONValue?
    /// The desired spec (nil for delete / forget), sensitive leaves masked.
    public var after: JSONValue?
    /// Field-level differences, dotted paths.
    public var fields: [FieldChange]
    /// Fields whose change forces delete + create.
    public var forcesReplacement: [String]
    /// What the change means beyond the call (grace periods, name blocks, review).
    public var consequences: [String]
    public var review: ReviewStatus?
    public var remoteId: RemoteIdentity?
    /// Addresses this change must wait for.
    public var dependsOn: [Address]
    /// The address the lock recorded this resource under, when the manifests renamed it (a `move`, or an update
    /// that also renames).
    public var movedFrom: Address?
    /// Digest of the live comparable view at plan time (nil when absent): a saved plan is stale when it moved.
    public var liveDigest: String?
    /// Digest of the desired spec without write-only values.
    public var desiredDigest: String?

    public var isChange: Bool { action != .noop }
}

public struct FieldChange: Codable, Sendable, Equatable {
    public var path: String
    public var before: JSONValue?
    public var after: JSONValue?
    public var sensitive: Bool
    /// Why this field shows although its value cannot be compared (write-only values).
    public var note: String?

    public init(path: String, before: JSONValue?, after: JSONValue?, sensitive: Bool = false, note: String? = nil) {
        self.path = path
        self.before = sensitive && before != nil ? Plan.sensitiveMarker : before
        self.after = sensitive && after != nil ? Plan.sensitiveMarker : after
        self.sensitive = sensitive
        self.note = note
    }
}

extension Plan {
    /// The part of the plan that comes from out-of-band edits: live state that moved away from what was last
    /// applied (including resources deleted outside sinchform).
    public func driftOnly() -> Plan {
        var drift = Plan(
            project: project, manifestDirectory: manifestDirectory, lockLineage: lockLineage, lockSerial: lockSerial,
            changes: changes.filter { $0.origin == .drift || $0.origin == .manifestAndDrift }, scope: scope)
        drift.summary.noop = changes.count - drift.changes.count
        return drift
    }
}
