import Foundation

/// One stored resource: its API-visible body plus what the API never shows.
struct Resource: Codable, Sendable {
    /// The body GET returns (the live view).
    var doc: [String: JSON]
    /// Write-only value (webhook `secret`), never echoed.
    var secret: String?
    /// Emulator-clock time (seconds since 1970) at which the pending review completes on its own.
    var reviewDue: Double?
    /// Activities, oldest first.
    var activities: [JSON] = []
    /// When the resource was deleted (removal grace), emulator clock.
    var deletedAt: Double?
    /// Whether anything was ever submitted for review.
    var submitted = false
    /// Creation order, for stable sorting.
    var seq = 0
    /// Emulator-internal facts the API never shows (a WhatsApp sender's registration), persisted with the resource.
    var hidden: [String: JSON]?

    init(doc: [String: JSON], seq: Int) {
        self.doc = doc
        self.seq = seq
    }
}

/// Resources of one kind in one project, keyed by their natural key, with a cached sort order.
struct ResourceCollection: Codable, Sendable {
    private(set) var items: [String: Resource] = [:]
    private(set) var pending: Set<String> = []
    /// No pending review is due before this time (a lower bound: reviews ended early leave it behind), so that
    /// settling reviews on every request does not scan thousands of reviews that are not due.
    private var earliestDue = Double.infinity
    /// Keys by the part before their first `/` (a KakaoTalk template's sender, a WhatsApp template's name), so that
    /// the resources of one sender are found without scanning the others.
    private var groups: [Substring: Set<String>] = [:]
    /// How many resources have `deletedAt` set, so unfiltered lists know without a scan that none is gone.
    private(set) var removedCount = 0
    private var orderCache: [String: [String]] = [:]

    enum CodingKeys: String, CodingKey {
        case items
        case pending
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        items = try container.decode([String: Resource].self, forKey: .items)
        pending = Set(items.filter { $0.value.reviewDue != nil }.keys)
        earliestDue = items.values.compactMap(\.reviewDue).min() ?? .infinity
        for key in items.keys {
            if let group = Self.group(of: key) { groups[group, default: []].insert(key) }
        }
        removedCount = items.values.count { $0.deletedAt != nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
    }

    var count: Int { items.count }
    var values: Dictionary<String, Resource>.Values { items.values }

    subscript(key: String) -> Resource? {
        get { items[key] }
        set {
            let old = items[key]
            let isInsertOrRemove = (old == nil) != (newValue == nil)
            removedCount += (newValue?.deletedAt == nil ? 0 : 1) - (old?.deletedAt == nil ? 0 : 1)
            items[key] = newValue
            if let due = newValue?.reviewDue {
                pending.insert(key)
                earliestDue = min(earliestDue, due)
            } else {
                pending.remove(key)
            }
            if isInsertOrRemove {
                orderCache.removeAll()
                if let group = Self.group(of: key) {
                    if newValue == nil { groups[group]?.remove(key) } else { groups[group, default: []].insert(key) }
                }
            }
        }
    }

    private static func group(of key: String) -> Substring? {
        key.firstIndex(of: "/").map { key[..<$0] }
    }

    /// The resources whose key starts with `group` and a `/`.
    func members(of group: String) -> [(key: String, resource: Resource)] {
        (groups[Substring(group)] ?? []).compactMap { key in items[key].map { (key, $0) } }
    }

    /// Drops cached orderings; call when a sort-relevant field changes.
    mutating func invalidateOrder() { orderCache.removeAll() }

    /// Keys in the order given by `areInOrder`, cached under `cacheKey` until the set of keys changes.
    mutating func orderedKeys(cacheKey: String, by areInOrder: (Resource, Resource) -> Bool) -> [String] {
        if let cached = orderCache[cacheKey] { return cached }
        let keys = items.sorted { areInOrder($0.value, $1.value) }.map(\.key)
        orderCache[cacheKey] = keys
        return keys
    }

    /// Keys whose review is due at or before `now`.
    mutating func dueKeys(now: Double) -> [String] {
        guard now >= earliestDue else { return [] }
        var due: [String] = []
        var later = Double.infinity
        for key in pending {
            let time = items[key]?.reviewDue ?? .infinity
            if time <= now { due.append(key) } else { later = min(later, time) }
        }
        earliestDue = later
        return due.sorted()
    }
}

/// Everything one project holds.
struct ProjectState: Codable, Sendable {
    var webhooks = ResourceCollection()
    /// Keyed by `name/LANGUAGE`.
    var whatsappTemplates = ResourceCollection()
    /// Template name → deletion time (30-day name block).
    var whatsappTemplateNameBlocks: [String: Double] = [:]
    var whatsappSenders = ResourceCollection()
    /// Keyed by `plusFriendId`.
    var kakaotalkSenders = ResourceCollection()
    /// Keyed by `plusFriendId/code`.
    var kakaotalkTemplates = ResourceCollection()
    var rcsSenders = ResourceCollection()

    init() {}

    /// Lenient: a seeded state may name only the collections it fills.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func decode(_ key: CodingKeys) throws -> ResourceCollection {
            try container.decodeIfPresent(ResourceCollection.self, forKey: key) ?? ResourceCollection()
        }
        webhooks = try decode(.webhooks)
        whatsappTemplates = try decode(.whatsappTemplates)
        whatsappTemplateNameBlocks =
            try container.decodeIfPresent([String: Double].self, forKey: .whatsappTemplateNameBlocks) ?? [:]
        whatsappSenders = try decode(.whatsappSenders)
        kakaotalkSenders = try decode(.kakaotalkSenders)
        kakaotalkTemplates = try decode(.kakaotalkTemplates)
        rcsSenders = try decode(.rcsSenders)
    }
}

/// The whole emulated world: what `GET /_emulator/state` dumps and `PUT` replaces.
struct World: Codable, Sendable {
    var projects: [String: ProjectState] = [:]
    /// Seconds added to real time to get the emulator clock.
    var clockOffset: Double = 0
    /// Monotonic counter for creation order.
    var seq = 0

    mutating func nextSeq() -> Int {
        seq += 1
        return seq
    }
}

/// Formats emulator-clock times as UTC ISO-8601 with milliseconds (`2023-01-19T13:11:08.204Z`).
func isoTimestamp(_ seconds: Double) -> String {
    Date(timeIntervalSince1970: seconds).formatted(
        Date.ISO8601FormatStyle(includingFractionalSeconds: true))
}

/// A random UUIDv4 string in lower case.
func newUUID() -> String {
    UUID().uuidString.lowercased()
}

/// Whether `value` is a UUID in its canonical textual form.
func isUUID(_ value: String) -> Bool {
    value.count == 36 && UUID(uuidString: value) != nil
}

/// A random string from `alphabet`.
func randomString(length: Int, alphabet: String) -> String {
    let characters = Array(alphabet)
    return String((0..<length).map { _ in characters.randomElement() ?? "A" })
}

let alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

extension World {
    /// Runs `body` on a project's state in place (no copy of its collections).
    mutating func withProject<T>(_ id: String, _ body: (inout ProjectState) throws -> T) rethrows -> T {
        try body(&projects[id, default: ProjectState()])
    }
}

// MARK: State as JSON (fast dump/load without Codable's per-value overhead)

extension Resource {
    init(json: JSON) throws {
        guard case .object(let doc)? = json["doc"] else { throw APIError.invalidInput(["doc must be an object"]) }
        self.init(doc: doc, seq: Int(json["seq"]?.numberValue ?? 0))
        secret = json["secret"]?.stringValue
        reviewDue = json["reviewDue"]?.numberValue
        activities = json["activities"]?.arrayValue ?? []
        deletedAt = json["deletedAt"]?.numberValue
        submitted = json["submitted"]?.boolValue ?? false
        hidden = json["hidden"]?.objectValue
    }

    var json: JSON {
        var object: [String: JSON] = [
            "doc": .object(doc), "activities": .array(activities), "submitted": .bool(submitted),
            "seq": .number(Double(seq)),
        ]
        if let secret { object["secret"] = .string(secret) }
        if let reviewDue { object["reviewDue"] = .number(reviewDue) }
        if let deletedAt { object["deletedAt"] = .number(deletedAt) }
        if let hidden { object["hidden"] = .object(hidden) }
        return .object(object)
    }
}

extension ResourceCollection {
    init(json: JSON?) throws {
        self.init()
        for (key, value) in json?["items"]?.objectValue ?? [:] { self[key] = try Resource(json: value) }
    }

    var json: JSON { .object(["items": .object(items.mapValues(\.json))]) }
}

extension ProjectState {
    init(json: JSON) throws {
        self.init()
        webhooks = try ResourceCollection(json: json["webhooks"])
        whatsappTemplates = try ResourceCollection(json: json["whatsappTemplates"])
        whatsappTemplateNameBlocks = (json["whatsappTemplateNameBlocks"]?.objectValue ?? [:]).compactMapValues {
            $0.numberValue
        }
        whatsappSenders = try ResourceCollection(json: json["whatsappSenders"])
        kakaotalkSenders = try ResourceCollection(json: json["kakaotalkSenders"])
        kakaotalkTemplates = try ResourceCollection(json: json["kakaotalkTemplates"])
        rcsSenders = try ResourceCollection(json: json["rcsSenders"])
    }

    var json: JSON {
        .object([
            "webhooks": webhooks.json, "whatsappTemplates": whatsappTemplates.json,
            "whatsappTemplateNameBlocks": .object(whatsappTemplateNameBlocks.mapValues { .number($0) }),
            "whatsappSenders": whatsappSenders.json, "kakaotalkSenders": kakaotalkSenders.json,
            "kakaotalkTemplates": kakaotalkTemplates.json, "rcsSenders": rcsSenders.json,
        ])
    }
}

extension World {
    init(json: JSON) throws {
        guard case .object = json else { throw APIError.invalidPayload }
        self.init()
        for (id, project) in json["projects"]?.objectValue ?? [:] { projects[id] = try ProjectState(json: project) }
        clockOffset = json["clockOffset"]?.numberValue ?? 0
        seq = Int(json["seq"]?.numberValue ?? 0)
    }

    var json: JSON {
        .object([
            "projects": .object(projects.mapValues(\.json)), "clockOffset": .number(clockOffset),
            "seq": .number(Double(seq)),
        ])
    }
}
