import ProvisioningAPI
import SinchformManifest

/// One changed leaf of a change as a person reads it, shared by the text, Markdown and HTML renderings.
///
/// The planner compares arrays whole; here they are opened up again so that a reviewer sees only what changed:
/// arrays of objects element by element under a stable key (`details.components[BODY].text`), set-like arrays
/// as the members added and removed, long texts word by word and multi-line texts line by line. Values are kept
/// raw: each rendering makes them safe with ``SafeText``.
struct FieldDisplay: Equatable, Sendable {
    enum Body: Equatable, Sendable {
        /// Compact JSON (or `(sensitive)`) on either side; nil where the field is absent.
        case values(before: String?, after: String?)
        /// A multi-line string, diffed line by line.
        case text([LineDiff.Line])
        /// A long one-line string, diffed word by word.
        case words([LineDiff.Line])
        /// A set-like array: the members (compact JSON) that appear and disappear.
        case members(added: [String], removed: [String])
    }

    /// The changed leaf, with its raw values (the plan JSON's `diff` entries).
    var leaf: Leaf
    var body: Body
    /// Comments shown after the field: `forces replacement`, write-only notes.
    var comments: [String]

    var path: String { leaf.path }

    /// One changed leaf of a resource: a value that appears, disappears or changes, or a set's members added and
    /// removed. Encoded as an entry of a change's `diff` in the plan JSON.
    struct Leaf: Equatable, Sendable, Encodable {
        /// Dotted, with element keys: `details.components[BODY].text`.
        var path: String
        var before: JSONValue?
        var after: JSONValue?
        /// For a set-like array: the members that appear and disappear (before and after are then absent).
        var added: [JSONValue]?
        var removed: [JSONValue]?
        var forcesReplacement: Bool?
        var note: String?
    }

    init(_ leaf: Leaf) {
        self.leaf = leaf
        if let added = leaf.added, let removed = leaf.removed {
            body = .members(added: added.map(Self.compact), removed: removed.map(Self.compact))
        } else {
            body = Self.body(leaf.before, leaf.after)
        }
        comments = (leaf.forcesReplacement == true ? ["forces replacement"] : []) + (leaf.note.map { [$0] } ?? [])
    }

    /// Strings longer than this many characters are diffed word by word; shorter ones show as `old → new`.
    static let wordDiffLength = 60

    /// `+` for a field that appears, `-` for one that disappears, `~` for one that changes, space for a bare mention.
    var marker: String {
        switch body {
        case .values(nil, nil): return " "
        case .values(nil, _?): return "+"
        case .values(_?, nil): return "-"
        case .values(_?, _?), .words: return "~"
        case .members(let added, let removed): return removed.isEmpty ? "+" : added.isEmpty ? "-" : "~"
        case .text(let lines):
            if lines.allSatisfy({ if case .added = $0 { true } else { false } }) { return "+" }
            if lines.allSatisfy({ if case .removed = $0 { true } else { false } }) { return "-" }
            return "~"
        }
    }

    /// The fields a change shows: its field-level differences opened down to the changed leaves, or for a create /
    /// delete without any, every leaf of the spec that appears or disappears.
    static func fields(of change: Change) -> [FieldDisplay] {
        leaves(of: change).map(FieldDisplay.init)
    }

    /// The changed leaves of a change (see ``fields(of:)``).
    static func leaves(of change: Change) -> [Leaf] {
        let schema = change.kind.definition.resourceType
        var result: [Leaf] = []
        if change.fields.isEmpty {
            switch change.action {
            case .create: result = leaves(of: change.after).map { Leaf(path: $0.path, after: $0.value) }
            case .delete: result = leaves(of: change.before).map { Leaf(path: $0.path, before: $0.value) }
            case .update, .replace, .noop, .adopt, .forget, .move: break
            }
        }
        for field in change.fields {
            let path = field.path.isEmpty ? "(value)" : field.path
            // Sensitive and write-only values are shown as they are: masked, or compared by fingerprint.
            var found =
                field.sensitive || field.note != nil
                ? [Leaf(path: path, before: field.before, after: field.after)]
                : differences(
                    field.before, field.after, path: path,
                    schemaPath: field.path.split(separator: ".").map(String.init),
                    schema: schema)
            for index in found.indices {
                if change.forcesReplacement.contains(field.path) { found[index].forcesReplacement = true }
                if let note = field.note { found[index].note = note }
            }
            result += found
        }
        // A replacement always names its cause, even when the field itself is not among the differences.
        let shown = Set(change.fields.map(\.path))
        for path in change.forcesReplacement where !shown.contains(path) {
            result.append(Leaf(path: path, forcesReplacement: true))
        }
        return result
    }

    // MARK: Nested differences

    /// The changed leaves between two values at `path`; `schemaPath` is the path's field names (no element keys),
    /// which tells set-like arrays apart.
    static func differences(
        _ before: JSONValue?, _ after: JSONValue?, path: String, schemaPath: [String], schema: SchemaType
    ) -> [Leaf] {
        switch (before, after) {
        case (.object(let old)?, .object(let new)?):
            return Set(old.keys).union(new.keys).sorted().flatMap { key -> [Leaf] in
                guard old[key] != new[key] else { return [] }
                return differences(
                    old[key], new[key], path: join(path, key), schemaPath: schemaPath + [key], schema: schema)
            }
        case (.array(let old)?, .array(let new)?):
            if isSet(schemaPath, schema) {
                let added = new.filter { !old.contains($0) }
                let removed = old.filter { !new.contains($0) }
                return added.isEmpty && removed.isEmpty ? [] : [Leaf(path: path, added: added, removed: removed)]
            }
            let field = schemaPath.last ?? ""
            let keysBefore: [String]
            let keysAfter: [String]
            if let oldKeys = elementKeys(old, field: field), let newKeys = elementKeys(new, field: field) {
                (keysBefore, keysAfter) = (oldKeys, newKeys)
            } else {
                (keysBefore, keysAfter) = (old.indices.map { "\($0)" }, new.indices.map { "\($0)" })
            }
            var result: [Leaf] = []
            for (index, key) in keysAfter.enumerated() {
                let elementPath = path + "[" + key + "]"
                if let match = keysBefore.firstIndex(of: key) {
                    guard old[match] != new[index] else { continue }
                    result += differences(
                        old[match], new[index], path: elementPath, schemaPath: schemaPath, schema: schema)
                } else {
                    result.append(Leaf(path: elementPath, after: new[index]))
                }
            }
            for (index, key) in keysBefore.enumerated() where !keysAfter.contains(key) {
                result.append(Leaf(path: path + "[" + key + "]", before: old[index]))
            }
            if result.isEmpty, old != new {
                // The same elements in another order: the keys, in their order before and after.
                result.append(
                    Leaf(
                        path: path, before: .array(keysBefore.map(JSONValue.string)),
                        after: .array(keysAfter.map(JSONValue.string)), note: "the same elements in another order"))
            }
            return result
        default:
            return before == after ? [] : [Leaf(path: path, before: before, after: after)]
        }
    }

    /// Each element's key within its array: `BODY` for components (by `type`), `ordering=1` for KakaoTalk buttons,
    /// `label="Support"` for RCS e-mails, phones and websites; nil when the elements have no such key or it is
    /// not unique, and they are then matched by position. Carousel cards and WhatsApp buttons go by position.
    static func elementKeys(_ elements: [JSONValue], field: String) -> [String]? {
        guard let member = keyField(field) else { return nil }
        let keys: [String?] =
            switch member {
            case "ordering": elements.map { $0["ordering"]?.intValue.map { "ordering=\($0)" } }
            case "label": elements.map { $0["label"]?.stringValue.map { "label=" + JSONValue.string($0).jsonString } }
            default: elements.map { $0[member]?.stringValue }
            }
        let present = keys.compactMap { $0 }
        guard present.count == elements.count, Set(present).count == present.count else { return nil }
        return present
    }

    /// The member that keys the elements of the array `field`; nil for arrays matched by position.
    static func keyField(_ field: String) -> String? {
        switch field {
        case "cards": return nil
        case "buttons": return "ordering"
        case "emails", "phones", "websites": return "label"
        default: return "type"
        }
    }

    /// Whether the schema marks the array at `schemaPath` as a set (webhook triggers, RCS countries).
    static func isSet(_ schemaPath: [String], _ schema: SchemaType) -> Bool {
        if case .array(_, let rules)? = schema.descendant(schemaPath) { return rules.isSet }
        return false
    }

    /// The leaves of a value by path: objects are opened, and so are arrays of objects (element by element, keyed
    /// as in ``differences(_:_:path:schemaPath:schema:)``); other arrays, and empty values, are leaves.
    static func leaves(
        of value: JSONValue?, prefix: String = "", schemaPath: [String] = []
    ) -> [(path: String, value: JSONValue)] {
        guard let value else { return [] }
        switch value {
        case .object(let members) where !members.isEmpty:
            return members.flatMap { key, member in
                leaves(of: member, prefix: join(prefix, key), schemaPath: schemaPath + [key])
            }
        case .array(let elements) where !elements.isEmpty && elements.allSatisfy({ $0.objectValue != nil }):
            let field = schemaPath.last ?? ""
            guard let keys = elementKeys(elements, field: field) else {
                return elements.enumerated().flatMap { index, element in
                    leaves(of: element, prefix: prefix + "[\(index)]", schemaPath: schemaPath)
                }
            }
            // The member an element is keyed by is in its path already.
            let keyMember = keyField(field)
            return zip(keys, elements).flatMap { key, element in
                var element = element
                if let keyMember { element[keyMember] = nil }
                return leaves(of: element, prefix: prefix + "[" + key + "]", schemaPath: schemaPath)
            }
        default:
            return [(prefix.isEmpty ? "(value)" : prefix, value)]
        }
    }

    private static func join(_ prefix: String, _ key: String) -> String {
        prefix.isEmpty || prefix == "(value)" ? key : prefix + "." + key
    }

    // MARK: Bodies

    /// How one leaf shows: texts as line or word diffs, set members, or compact values.
    static func body(_ old: JSONValue?, _ new: JSONValue?) -> Body {
        let isText = { (value: JSONValue?) in value == nil || value?.stringValue != nil }
        guard isText(old), isText(new), old != Plan.sensitiveMarker, new != Plan.sensitiveMarker else {
            return .values(before: old.map(compact), after: new.map(compact))
        }
        let oldText = old?.stringValue
        let newText = new?.stringValue
        if [oldText, newText].contains(where: { $0?.contains(where: \.isNewline) == true }) {
            return .text(LineDiff.diff(oldText, newText))
        }
        if let oldText, let newText, max(oldText.count, newText.count) > wordDiffLength {
            return .words(LineDiff.words(oldText, newText))
        }
        return .values(before: old.map(compact), after: new.map(compact))
    }

    /// A value on one line: compact deterministic JSON, and `(sensitive)` for masked leaves.
    static func compact(_ value: JSONValue) -> String {
        value == Plan.sensitiveMarker ? "(sensitive)" : value.jsonString
    }
}
