import Foundation

/// Turns a ``Plan`` into text for terminals, JSON for machines and saved plans, Markdown for pull requests, or one
/// HTML page for reviewers.
///
/// Every rendering is deterministic (the same plan gives the same bytes) and ends with a newline, so callers write
/// it as is. Nothing here unmasks a value: sensitive leaves are `"(sensitive)"` in the plan already.
///
/// Symbols, in text and Markdown alike:
///
/// | symbol | action | meaning |
/// |---|---|---|
/// | `+` | create | the resource is created |
/// | `~` | update | changed in place |
/// | `-/+` | replace | deleted, then created again (an immutable field changed) |
/// | `-` | delete | deleted from the project |
/// | `<=` | adopt | an existing live resource becomes managed by sinchform |
/// | `=>` | forget | sinchform stops managing it; the live resource is left as it is |
///
/// Field lines use `+` (appears), `-` (disappears) and `~` (changes, `before → after`), one per changed leaf
/// (`details.components[BODY].text`); set-like arrays show the members added and removed, long strings are diffed
/// word by word (`[-old-]{+new+}`) and multi-line strings line by line. Every value passes through ``SafeText``.
public struct PlanRenderer: Sendable {
    /// Whether the text rendering uses ANSI colours; the CLI decides (a terminal, and `NO_COLOR` unset).
    public var color: Bool
    /// The most characters (UTF-16 code units, as GitHub counts) a Markdown rendering may have.
    public var markdownLimit: Int

    /// - Parameters:
    ///   - color: colour the text rendering with ANSI escapes; ignored by JSON and Markdown.
    ///   - markdownLimit: cap of the Markdown rendering; GitHub refuses comments above 65,536 characters.
    public init(color: Bool = false, markdownLimit: Int = 60_000) {
        self.color = color
        self.markdownLimit = markdownLimit
    }

    /// Renders `plan` in `format`; `mode` words it as a plan or as a drift report (JSON is the same for both).
    ///
    /// - Throws: `EncodingError` when the plan holds a number JSON cannot represent (JSON format only).
    public func render(_ plan: Plan, format: PlanFormat, mode: PlanMode = .plan) throws -> String {
        switch format {
        case .text: return renderText(plan, mode: mode)
        case .json: return String(decoding: try Self.json(plan), as: UTF8.self)
        case .markdown: return renderMarkdown(plan, mode: mode)
        case .html: return renderHTML(plan, mode: mode)
        }
    }

    /// The plan's JSON bytes: sorted keys, pretty-printed, unescaped slashes, a final newline.
    ///
    /// The Codable encoding of ``Plan``, with one field more per change: `diff`, the changed leaves as the other
    /// formats show them (``FieldDisplay/Leaf``). Decoding ignores it.
    static func json(_ plan: Plan) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = escapingControls(try encoder.encode(EncodedPlan(plan: plan)))
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// The JSON with the controls `JSONEncoder` leaves raw (DEL, C1, line separators, bidirectional overrides)
    /// written as `\uXXXX`, so that printing a plan's JSON cannot drive a terminal either. They can only occur
    /// inside strings, where the escape means the same character.
    static func escapingControls(_ data: Data) -> Data {
        // Their UTF-8 starts with one of these bytes; most plans have none, and are returned as they are.
        guard data.contains(where: { $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 }) else { return data }
        let text = String(decoding: data, as: UTF8.self)
        guard text.unicodeScalars.contains(where: { SafeText.needsEscape($0, keepNewlines: true) }) else { return data }
        var result = ""
        for scalar in text.unicodeScalars {
            if SafeText.needsEscape(scalar, keepNewlines: true) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return Data(result.utf8)
    }

    /// A plan encoded as ``Plan`` encodes itself, its changes with their `diff`.
    private struct EncodedPlan: Encodable {
        var plan: Plan

        enum Key: String, CodingKey { case changes }

        func encode(to encoder: any Encoder) throws {
            // The plan's own encoding without its changes, then the changes in their place.
            var shell = plan
            shell.changes = []
            try shell.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(plan.changes.map(EncodedChange.init), forKey: .changes)
        }
    }

    private struct EncodedChange: Encodable {
        var change: Change

        enum Key: String, CodingKey { case diff }

        func encode(to encoder: any Encoder) throws {
            try change.encode(to: encoder)
            guard change.isChange else { return }
            let leaves = FieldDisplay.leaves(of: change)
            guard !leaves.isEmpty else { return }
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(leaves, forKey: .diff)
        }
    }
}

// MARK: - Wording shared by text and Markdown

extension PlanRenderer {
    /// The order changes are counted in, in summaries and tables.
    static let countedActions: [Action] = [.create, .update, .replace, .delete, .adopt, .forget, .move]

    static func symbol(_ action: Action) -> String {
        switch action {
        case .create: return "+"
        case .update: return "~"
        case .replace: return "-/+"
        case .delete: return "-"
        case .adopt: return "<="
        case .forget: return "=>"
        case .move: return "->"
        case .noop: return "="
        }
    }

    static func count(_ action: Action, in summary: Plan.Summary) -> Int {
        switch action {
        case .create: return summary.create
        case .update: return summary.update
        case .replace: return summary.replace
        case .delete: return summary.delete
        case .adopt: return summary.adopt
        case .forget: return summary.forget
        case .move: return summary.move
        case .noop: return summary.noop
        }
    }

    static func label(_ origin: Origin) -> String {
        switch origin {
        case .manifest: return "manifests"
        case .drift: return "drift (changed outside sinchform)"
        case .manifestAndDrift: return "manifests and drift"
        }
    }

    /// Short origin for tables.
    static func shortLabel(_ origin: Origin) -> String {
        switch origin {
        case .manifest: return "manifests"
        case .drift: return "drift"
        case .manifestAndDrift: return "manifests + drift"
        }
    }

    /// A reason or consequence as a sentence: a capital first letter and a full stop.
    static func sentence(_ text: String) -> String {
        guard let first = text.first else { return text }
        let body = first.uppercased() + text.dropFirst()
        return [".", "!", "?"].contains(body.last) ? body : body + "."
    }

    static func plural(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }

    /// The first line: what the plan does, in one sentence.
    static func headline(_ plan: Plan, mode: PlanMode) -> String {
        let changed = plan.changes.count { $0.isChange }
        switch mode {
        case .drift:
            guard changed > 0 else { return "No drift: live state matches what was last applied." }
            return "Drift: \(plural(changed, "resource")) changed outside sinchform."
        case .plan:
            guard plan.hasChanges else { return "No changes: live state matches the manifests." }
            var parts = [Action.create, .update, .replace, .delete].map {
                "\(count($0, in: plan.summary)) to \($0.rawValue)"
            }
            for action in [Action.adopt, .forget, .move] where count(action, in: plan.summary) > 0 {
                parts.append("\(count(action, in: plan.summary)) to \(action.rawValue)")
            }
            parts.append("\(plan.summary.noop) unchanged")
            return "Plan: " + parts.joined(separator: ", ") + "."
        }
    }

    /// The last line, counting what needs nothing; nil when every resource changes.
    ///
    /// Counted from the summary: a drift report leaves unchanged resources out of `changes` but counts them.
    static func unchangedLine(_ plan: Plan, mode: PlanMode) -> String? {
        let noop = plan.summary.noop
        guard noop > 0 else { return nil }
        switch mode {
        case .plan: return "\(plural(noop, "resource")) unchanged."
        case .drift: return "\(plural(noop, "resource")) match\(noop == 1 ? "es" : "") what was last applied."
        }
    }
}
