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
        var lines = [
            paint(Self.symbol(change.action), style, .bold) + " " + paint(change.address.description, .bold) + " "
                + paint("(\(change.action.rawValue))", style)
        ]
        let indent = "    "
        func labelled(_ label: String, _ value: String) {
            lines.append(indent + paint(label + ":", .dim) + " " + value)
        }
        if !change.reason.isEmpty { labelled("reason", change.reason) }
        if let origin = change.origin { labelled("origin", Self.label(origin)) }
        if let review = change.review {
            labelled("review", review.summary == .rejected ? paint(review.description, .red) : review.description)
        }
        if let remote = change.remoteId, !remote.description.isEmpty { labelled("remote", remote.description) }
        if !change.dependsOn.isEmpty {
            labelled("depends on", change.dependsOn.map(\.description).joined(separator: ", "))
        }
        for field in FieldDisplay.fields(of: change) {
            lines += textLines(field, indent: indent, paint: paint)
        }
        if !change.consequences.isEmpty {
            lines.append(indent + paint("consequences:", .dim))
            lines += change.consequences.map { indent + "  * " + $0 }
        }
        return lines
    }

    private func textLines(_ field: FieldDisplay, indent: String, paint: Painter) -> [String] {
        let comments = field.comments.map { comment in
            "  " + paint("# " + comment, comment == "forces replacement" ? .magenta : .dim)
        }.joined()
        switch field.body {
        case .values(nil, nil):
            return [indent + "  " + field.path + comments]
        case .values(nil, let after?):
            return [indent + paint("+", .green) + " " + field.path + ": " + after + comments]
        case .values(let before?, nil):
            return [indent + paint("-", .red) + " " + field.path + ": " + before + comments]
        case .values(let before?, let after?):
            return [indent + paint("~", .yellow) + " " + field.path + ": " + before + " → " + after + comments]
        case .text(let diff):
            let marker = field.marker
            let markerStyle: TextStyle = marker == "+" ? .green : marker == "-" ? .red : .yellow
            return [indent + paint(marker, markerStyle) + " " + field.path + ":" + comments]
                + diff.map { line in
                    switch line {
                    case .same(let text): return indent + "      " + text
                    case .removed(let text): return indent + "    " + paint("- " + text, .red)
                    case .added(let text): return indent + "    " + paint("+ " + text, .green)
                    case .skipped(let count):
                        return indent + "      " + paint("... \(Self.plural(count, "unchanged line"))", .dim)
                    }
                }
        }
    }
}
