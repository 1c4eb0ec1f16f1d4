import Foundation
import SinchformManifest

extension PlanRenderer {
    func renderMarkdown(_ plan: Plan, mode: PlanMode) -> String {
        let changes = plan.changes.filter(\.isChange)
        let head = Self.markdownHead(plan, mode: mode)
        let tableHead = changes.isEmpty ? "" : "| address | action | origin | review |\n| --- | --- | --- | --- |\n"
        let rows = changes.map(Self.markdownRow)
        let details = changes.map(Self.markdownDetails)
        // Every piece ends with its own newlines, so the length of the result is the sum of the pieces' lengths and
        // a cut can only fall between two changes.
        let fixed = head.utf16.count + tableHead.utf16.count + 1
        var used = fixed
        var shown = 0
        for index in changes.indices {
            let next = used + rows[index].utf16.count + details[index].utf16.count
            let remaining = changes.count - index - 1
            let note = remaining == 0 ? 0 : truncationNote(omitted: remaining, of: changes.count).utf16.count
            guard next + note <= markdownLimit else { break }
            used = next
            shown += 1
        }
        var output = head
        if !changes.isEmpty {
            output += tableHead + rows.prefix(shown).joined() + "\n" + details.prefix(shown).joined()
        }
        if shown < changes.count {
            output += truncationNote(omitted: changes.count - shown, of: changes.count)
        }
        return output
    }

    private func truncationNote(omitted: Int, of total: Int) -> String {
        "> **Note:** \(omitted) of \(Self.plural(total, "change")) are omitted to keep this comment under "
            + "\(markdownLimit) characters. Run `sinchform show PLANFILE` to see them all.\n"
    }

    private static func markdownHead(_ plan: Plan, mode: PlanMode) -> String {
        var text = "## sinchform \(mode == .plan ? "plan" : "drift")\n\n**\(escape(headline(plan, mode: mode)))**\n\n"
        var context = ["Project `\(escapeCode(plan.project))`."]
        if mode == .plan, plan.summary.drift > 0 {
            context.append(
                "\(plural(plan.summary.drift, "change comes", "changes come")) from edits made outside sinchform (drift)."
            )
        }
        text += context.joined(separator: " ") + "\n\n| action | count |\n| --- | ---: |\n"
        for action in countedActions {
            let count = count(action, in: plan.summary)
            if count > 0 || [Action.create, .update, .replace, .delete].contains(action) {
                text += "| `\(symbol(action))` \(action.rawValue) | \(count) |\n"
            }
        }
        text += "| unchanged | \(plan.summary.noop) |\n\n"
        return text
    }

    private static func markdownRow(_ change: Change) -> String {
        let cells = [
            "`\(escapeCode(change.address.description))`",
            "`\(symbol(change.action))` \(change.action.rawValue)",
            change.origin.map(shortLabel) ?? "—",
            change.review.map(reviewCell) ?? "—",
        ]
        return "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
    }

    private static func reviewCell(_ review: ReviewStatus) -> String {
        escape(review.summary.description + (review.rejectionReason.map { ": \($0)" } ?? ""))
    }

    private static func markdownDetails(_ change: Change) -> String {
        var bullets: [String] = []
        if !change.reason.isEmpty { bullets.append("**reason:** " + escape(change.reason)) }
        if let origin = change.origin { bullets.append("**origin:** " + escape(label(origin))) }
        if let review = change.review { bullets.append("**review:** " + escape(review.description)) }
        if let remote = change.remoteId, !remote.description.isEmpty {
            bullets.append("**remote:** `\(escapeCode(remote.description))`")
        }
        if !change.dependsOn.isEmpty {
            bullets.append(
                "**depends on:** " + change.dependsOn.map { "`\(escapeCode($0.description))`" }.joined(separator: ", "))
        }
        bullets += change.consequences.map { "**consequence:** " + escape($0) }
        var text =
            "<details><summary><code>\(escape(change.address.description))</code> — \(change.action.rawValue)</summary>\n\n"
        text += bullets.map { "- " + $0 + "\n" }.joined()
        let diff = FieldDisplay.fields(of: change).flatMap(diffLines)
        if !diff.isEmpty {
            let fence = String(repeating: "`", count: max(3, diff.map(longestBacktickRun).max().map { $0 + 1 } ?? 3))
            text += "\n" + fence + "diff\n" + diff.map { $0 + "\n" }.joined() + fence + "\n"
        }
        return text + "\n</details>\n\n"
    }

    private static func diffLines(_ field: FieldDisplay) -> [String] {
        let comments = field.comments.map { "  # " + $0 }.joined()
        switch field.body {
        case .values(nil, nil): return ["  " + field.path + comments]
        case .values(nil, let after?): return ["+ " + field.path + ": " + after + comments]
        case .values(let before?, nil): return ["- " + field.path + ": " + before + comments]
        case .values(let before?, let after?):
            return ["- " + field.path + ": " + before, "+ " + field.path + ": " + after + comments]
        case .text(let lines):
            return ["@@ " + field.path + " @@" + comments]
                + lines.map { line in
                    switch line {
                    case .same(let text): return "  " + text
                    case .removed(let text): return "- " + text
                    case .added(let text): return "+ " + text
                    case .skipped(let count): return "  ... " + plural(count, "unchanged line")
                    }
                }
        }
    }

    private static func longestBacktickRun(_ line: String) -> Int {
        var longest = 0
        var current = 0
        for character in line {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }

    /// Text safe in Markdown and in HTML tags: no raw `<`, `>` or `&` (a reason cannot open or close a tag).
    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Text safe inside a single-backtick code span.
    private static func escapeCode(_ text: String) -> String {
        text.replacingOccurrences(of: "`", with: "'")
    }
}
