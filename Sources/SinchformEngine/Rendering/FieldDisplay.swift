import ProvisioningAPI

/// One field of a change as a person reads it, shared by the text and Markdown renderings.
struct FieldDisplay: Equatable, Sendable {
    enum Body: Equatable, Sendable {
        /// Compact JSON (or `(sensitive)`) on either side; nil where the field is absent.
        case values(before: String?, after: String?)
        /// A multi-line string, diffed line by line.
        case text([LineDiff.Line])
    }

    var path: String
    var body: Body
    /// Comments shown after the field: `forces replacement`, write-only notes.
    var comments: [String]

    /// `+` for a field that appears, `-` for one that disappears, `~` for one that changes, space for a bare mention.
    var marker: String {
        switch body {
        case .values(nil, nil): return " "
        case .values(nil, _?): return "+"
        case .values(_?, nil): return "-"
        case .values(_?, _?): return "~"
        case .text(let lines):
            if lines.allSatisfy({ if case .added = $0 { true } else { false } }) { return "+" }
            if lines.allSatisfy({ if case .removed = $0 { true } else { false } }) { return "-" }
            return "~"
        }
    }

    /// The fields a change shows: its field-level differences, or for a create / delete without any, every leaf
    /// of the spec that appears or disappears.
    static func fields(of change: Change) -> [FieldDisplay] {
        var fields = change.fields
        if fields.isEmpty {
            switch change.action {
            case .create:
                fields = leaves(of: change.after).map { FieldChange(path: $0.path, before: nil, after: $0.value) }
            case .delete:
                fields = leaves(of: change.before).map { FieldChange(path: $0.path, before: $0.value, after: nil) }
            case .update, .replace, .noop, .adopt, .forget, .move:
                break
            }
        }
        var result = fields.map { field in
            var comments: [String] = []
            if change.forcesReplacement.contains(field.path) { comments.append("forces replacement") }
            if let note = field.note { comments.append(note) }
            return FieldDisplay(
                path: field.path.isEmpty ? "(value)" : field.path, body: body(field), comments: comments)
        }
        // A replacement always names its cause, even when the field itself is not among the differences.
        let shown = Set(fields.map(\.path))
        for path in change.forcesReplacement where !shown.contains(path) {
            result.append(
                FieldDisplay(path: path, body: .values(before: nil, after: nil), comments: ["forces replacement"]))
        }
        return result
    }

    private static func body(_ field: FieldChange) -> Body {
        let old = field.before
        let new = field.after
        let isText = { (value: JSONValue?) in value == nil || value?.stringValue != nil }
        let multiLine = [old, new].contains { $0?.stringValue?.contains(where: \.isNewline) == true }
        if !field.sensitive, multiLine, isText(old), isText(new) {
            return .text(LineDiff.diff(old?.stringValue, new?.stringValue).map(printable))
        }
        return .values(before: old.map(compact), after: new.map(compact))
    }

    /// A text line without control characters: a value from the server must not drive the terminal.
    static func printable(_ line: LineDiff.Line) -> LineDiff.Line {
        func clean(_ text: String) -> String {
            guard text.unicodeScalars.contains(where: isControl) else { return text }
            var result = ""
            for scalar in text.unicodeScalars {
                if isControl(scalar) {
                    result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
            return result
        }
        switch line {
        case .same(let text): return .same(clean(text))
        case .removed(let text): return .removed(clean(text))
        case .added(let text): return .added(clean(text))
        case .skipped: return line
        }
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
    }

    /// A value on one line: compact deterministic JSON, and `(sensitive)` for masked leaves.
    static func compact(_ value: JSONValue) -> String {
        value == Plan.sensitiveMarker ? "(sensitive)" : value.jsonString
    }

    /// The leaves of a value by dotted path; arrays are leaves (the planner compares them whole).
    static func leaves(of value: JSONValue?, prefix: String = "") -> [(path: String, value: JSONValue)] {
        guard let value else { return [] }
        guard case .object(let members) = value, !members.isEmpty else { return [(prefix, value)] }
        return members.keys.sorted().flatMap { key in
            leaves(of: members[key], prefix: prefix.isEmpty ? key : prefix + "." + key)
        }
    }
}
