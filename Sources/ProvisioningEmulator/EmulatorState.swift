import Foundation

/// One stored resource: its API-visible body plus what the API never shows.
struct Resource: Sendable {
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
struct ResourceCollection: Sendable {
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

    init() {}

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
struct ProjectState: Sendable {
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
    /// The project's one WhatsApp account, under the key ``WhatsAppAccount/key``; empty when the project has none. A
    /// new project starts onboarded (DESIGN, "The WhatsApp account").
    var whatsappAccount = WhatsAppAccount.onboardedCollection()
    /// The WhatsApp Business Accounts and numbers `wabaDetails` reports, as `{id, numbers: [{id,
    /// displayPhoneNumber, provisioned}]}`.
    var whatsappWabas: [JSON] = WhatsAppAccount.defaultWabas
    /// Documented failures the control API makes an account operation answer: operation name → `errorCode`.
    var whatsappFailures: [String: String] = [:]

    init() {}
}

/// The whole emulated world: what `GET /_emulator/state` dumps and `PUT` replaces.
struct World: Sendable {
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
    init(json: JSON, path: String) throws {
        guard case .object(let doc)? = json["doc"] else {
            throw APIError.invalidInput(["\(path).doc must be an object"])
        }
        self.init(doc: doc, seq: try StateNumber.sequence(json["seq"], path + ".seq"))
        secret = json["secret"]?.stringValue
        reviewDue = try StateNumber.time(json["reviewDue"], path + ".reviewDue")
        activities = json["activities"]?.arrayValue ?? []
        deletedAt = try StateNumber.time(json["deletedAt"], path + ".deletedAt")
        submitted = json["submitted"]?.boolValue ?? false
        hidden = json["hidden"]?.objectValue
    }

    var json: JSON { json(includingSecrets: true) }

    /// The stored form; without secrets, the write-only `secret` and every secret-named member of the body (a sender's
    /// `bearerToken`, an RCS `authToken`) are left out.
    func json(includingSecrets: Bool) -> JSON {
        var object: [String: JSON] = [
            "doc": includingSecrets ? .object(doc) : withoutSecrets(.object(doc)), "activities": .array(activities),
            "submitted": .bool(submitted), "seq": .number(Double(seq)),
        ]
        if includingSecrets, let secret { object["secret"] = .string(secret) }
        if let reviewDue { object["reviewDue"] = .number(reviewDue) }
        if let deletedAt { object["deletedAt"] = .number(deletedAt) }
        if let hidden { object["hidden"] = .object(hidden) }
        return .object(object)
    }
}

extension ResourceCollection {
    init(json: JSON?, path: String) throws {
        self.init()
        for (key, value) in json?["items"]?.objectValue ?? [:] {
            self[key] = try Resource(json: value, path: "\(path).items.\(key)")
        }
    }

    func json(includingSecrets: Bool) -> JSON {
        .object(["items": .object(items.mapValues { $0.json(includingSecrets: includingSecrets) })])
    }
}

extension ProjectState {
    /// Lenient: a seeded state may name only the collections it fills; a project whose state does not mention the
    /// WhatsApp account has the default (onboarded) one, and `"whatsappAccount": {"items": {}}` has none.
    init(json: JSON, path: String) throws {
        self.init()
        func collection(_ key: String) throws -> ResourceCollection {
            try ResourceCollection(json: json[key], path: "\(path).\(key)")
        }
        webhooks = try collection("webhooks")
        whatsappTemplates = try collection("whatsappTemplates")
        for (name, value) in json["whatsappTemplateNameBlocks"]?.objectValue ?? [:] {
            whatsappTemplateNameBlocks[name] = try StateNumber.time(
                value, "\(path).whatsappTemplateNameBlocks.\(name)")
        }
        whatsappSenders = try collection("whatsappSenders")
        kakaotalkSenders = try collection("kakaotalkSenders")
        kakaotalkTemplates = try collection("kakaotalkTemplates")
        rcsSenders = try collection("rcsSenders")
        if json["whatsappAccount"] != nil { whatsappAccount = try collection("whatsappAccount") }
        if let wabas = json["whatsappWabas"] {
            whatsappWabas = try WhatsAppAccount.wabas(from: wabas, path: "\(path).whatsappWabas")
        }
        whatsappFailures = (json["whatsappFailures"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    func json(includingSecrets: Bool) -> JSON {
        func collection(_ value: ResourceCollection) -> JSON { value.json(includingSecrets: includingSecrets) }
        return .object([
            "webhooks": collection(webhooks), "whatsappTemplates": collection(whatsappTemplates),
            "whatsappTemplateNameBlocks": .object(whatsappTemplateNameBlocks.mapValues { .number($0) }),
            "whatsappSenders": collection(whatsappSenders), "kakaotalkSenders": collection(kakaotalkSenders),
            "kakaotalkTemplates": collection(kakaotalkTemplates), "rcsSenders": collection(rcsSenders),
            "whatsappAccount": collection(whatsappAccount), "whatsappWabas": .array(whatsappWabas),
            "whatsappFailures": .object(whatsappFailures.mapValues { .string($0) }),
        ])
    }
}

extension World {
    /// Reads a state dump (a state file or `PUT /_emulator/state`); every number is range-checked before it is
    /// converted, so a hostile file is an `invalid_input` naming the member, never a trap.
    init(json: JSON) throws {
        guard case .object = json else { throw APIError.invalidPayload }
        self.init()
        for (id, project) in json["projects"]?.objectValue ?? [:] {
            projects[id] = try ProjectState(json: project, path: "projects.\(id)")
        }
        clockOffset = try StateNumber.time(json["clockOffset"], "clockOffset") ?? 0
        seq = try StateNumber.sequence(json["seq"], "seq")
    }

    var json: JSON { json(includingSecrets: true) }

    func json(includingSecrets: Bool) -> JSON {
        .object([
            "projects": .object(projects.mapValues { $0.json(includingSecrets: includingSecrets) }),
            "clockOffset": .number(clockOffset), "seq": .number(Double(seq)),
        ])
    }
}

/// Range checks for the numbers of a loaded state.
enum StateNumber {
    /// The latest emulator-clock time, 9999-12-31T23:59:59Z: beyond it timestamps no longer have four-digit years.
    static let maxTime = 253_402_300_799.0
    /// The largest creation sequence number (far beyond any real run; well inside `Int`).
    static let maxSequence = 1e15

    /// A time in seconds (or a clock offset), within ±``maxTime``; nil when absent.
    static func time(_ value: JSON?, _ path: String) throws -> Double? {
        guard let value, !value.isNull else { return nil }
        guard case .number(let number) = value, abs(number) <= maxTime else {
            throw APIError.invalidInput([
                "\(path) must be a number of seconds between -\(Int(maxTime)) and \(Int(maxTime))"
            ])
        }
        return number
    }

    /// A creation sequence number: a whole number from 0 to ``maxSequence``; 0 when absent.
    static func sequence(_ value: JSON?, _ path: String) throws -> Int {
        guard let value, !value.isNull else { return 0 }
        guard case .number(let number) = value, number >= 0, number <= maxSequence, let whole = Int(exactly: number)
        else {
            throw APIError.invalidInput(["\(path) must be a whole number from 0 to \(Int(maxSequence))"])
        }
        return whole
    }
}

/// `value` without the members whose name marks a secret (`secret`, `token`, `password`), at any depth.
func withoutSecrets(_ value: JSON) -> JSON {
    switch value {
    case .object(let members):
        var kept: [String: JSON] = [:]
        for (key, member) in members {
            let lowered = key.lowercased()
            if lowered.contains("secret") || lowered.contains("token") || lowered.contains("password") { continue }
            kept[key] = withoutSecrets(member)
        }
        return .object(kept)
    case .array(let items):
        return .array(items.map(withoutSecrets))
    default:
        return value
    }
}
