import SinchformManifest

/// ANSI styles of the text rendering.
enum TextStyle: String {
    case bold = "1"
    case dim = "2"
    case red = "31"
    case green = "32"
    case yellow = "33"
    case blue = "34"
    case magenta = "35"
    case cyan = "36"
}

/// Applies ANSI styles, or nothing when colour is off.
struct Painter {
    var enabled: Bool

    func callAsFunction(_ text: String, _ styles: TextStyle...) -> String {
        guard enabled, !styles.isEmpty, !text.isEmpty else { return text }
        return "\u{1B}[" + styles.map(\.rawValue).joined(separator: ";") + "m" + text + "\u{1B}[0m"
    }
}

extension PlanRenderer {
    static func style(_ action: Action) -> TextStyle {
        switch action {
        case .create: return .green
        case .update: return .yellow
        case .replace: return .magenta
        case .delete: return .red
        case .adopt: return .cyan
        case .forget, .move: return .blue
        case .noop: return .dim
        }
    }

    func renderText(_ plan: Plan, mode: PlanMode) -> String {
        let paint = Painter(enabled: color)
        var lines = [paint(Self.headline(plan, mode: mode), .bold)]
        if mode == .plan, plan.summary.drift > 0 {
            lines.append(
                "\(Self.plural(plan.summary.drift, "change comes", "changes come")) from edits made outside sinchform (drift)."
            )
        }
        let changes = plan.changes.filter(\.isChange)
        if !changes.isEmpty {
            let used = Self.countedActions.filter { action in changes.contains { $0.action == action } }
            lines.append(
                paint(
                    "Symbols: " + used.map { "\(Self.symbol($0)) \($0.rawValue)" }.joined(separator: ", "), .dim))
        }
        for change in changes {
            lines.append("")
            lines += textBlock(change, paint: paint)
        }
        if let unchanged = Self.unchangedLine(plan, mode: mode) {
            lines.append("")
            lines.append(unchanged)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func textBlock(_ change: Change, paint: Painter) -> [String] {
        let style = Self.style(change.action)
        let safe = { (text: String) in SafeText.printable(text) }
        var lines = [
            paint(Self.symbol(change.action), style, .bold) + " " + paint(safe(change.address.description), .bold) + " "
                + paint("(\(change.action.rawValue))", style)
        ]
        let indent = "    "
        func labelled(_ label: String, _ value: String) {
            lines.append(indent + paint(label + ":", .dim) + " " + value)
        }
        if !change.reason.isEmpty { labelled("reason", safe(Self.sentence(change.reason))) }
        if let origin = change.origin { labelled("origin", Self.label(origin)) }
        if let review = change.review {
            let text = safe(review.description)
            labelled("review", review.summary == .rejected ? paint(text, .red) : text)
        }
        if let remote = change.remoteId, !remote.description.isEmpty { labelled("remote", safe(remote.description)) }
        if !change.dependsOn.isEmpty {
            labelled("depends on", safe(change.dependsOn.map(\.description).joined(separator: ", ")))
        }
        for field in FieldDisplay.fields(of: change) {
            lines += textLines(field, indent: indent, paint: paint)
        }
        if !change.consequences.isEmpty {
            lines.append(indent + paint("consequences:", .dim))
            lines += change.consequences.map { indent + "  * " + safe(Self.sentence($0)) }
        }
        return lines
    }

    private func textLines(_ field: FieldDisplay, indent: String, paint: Painter) -> [String] {
        let safe = { (text: String) in SafeText.printable(text) }
        let comments = field.comments.map { comment in
            "  " + paint("# " + safe(comment), comment == "forces replacement" ? .magenta : .dim)
        }.joined()
        let path = safe(field.path)
        let marker = field.marker
        let markerStyle: TextStyle = marker == "+" ? .green : marker == "-" ? .red : .yellow
        let head = indent + paint(marker, markerStyle) + " " + path + ":"
        switch field.body {
        case .values(nil, nil):
            return [indent + "  " + path + comments]
        case .values(nil, let after?):
            return [head + " " + safe(after) + comments]
        case .values(let before?, nil):
            return [head + " " + safe(before) + comments]
        case .values(let before?, let after?):
            return [head + " " + safe(before) + " → " + safe(after) + comments]
        case .members(let added, let removed):
            var parts: [String] = []
            if !added.isEmpty { parts.append(paint("added " + added.map(safe).joined(separator: ", "), .green)) }
            if !removed.isEmpty { parts.append(paint("removed " + removed.map(safe).joined(separator: ", "), .red)) }
            return [head + " " + parts.joined(separator: "; ") + comments]
        case .words(let runs):
            let marked = runs.map { run -> String in
                switch run {
                case .same(let text): return safe(text)
                case .removed(let text): return paint("[-" + safe(text) + "-]", .red)
                case .added(let text): return paint("{+" + safe(text) + "+}", .green)
                case .skipped: return ""
                }
            }.joined()
            return [head + comments, indent + "      " + marked]
        case .text(let diff):
            return [head + comments]
                + diff.map { line in
                    switch line {
                    case .same(let text): return indent + "      " + safe(text)
                    case .removed(let text): return indent + "    " + paint("- " + safe(text), .red)
                    case .added(let text): return indent + "    " + paint("+ " + safe(text), .green)
                    case .skipped(let count):
                        return indent + "      " + paint("... \(Self.plural(count, "unchanged line"))", .dim)
                    }
                }
        }
    }
}
