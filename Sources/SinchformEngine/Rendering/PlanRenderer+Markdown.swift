import Foundation
import SinchformManifest

extension PlanRenderer {
    func renderMarkdown(_ plan: Plan, mode: PlanMode) -> String {
        let changes = plan.changes.filter(\.isChange)
        let head = Self.markdownHead(plan, mode: mode)
        let tableHead = changes.isEmpty ? "" : "| address | action | origin | review |\n| --- | --- | --- | --- |\n"
        // Every piece ends with its own newlines, so the length of the result is the sum of the pieces' lengths and
        // a cut can only fall between two changes. Pieces are made only until the cap is reached: a plan of
        // thousands renders the few hundred that fit.
        var used = head.utf16.count + tableHead.utf16.count + 1
        var rows: [String] = []
        var details: [String] = []
        var omitted = Dictionary(grouping: changes, by: \.action).mapValues(\.count)
        for (index, change) in changes.enumerated() {
            let row = Self.markdownRow(change)
            let detail = Self.markdownDetails(change)
            let next = used + row.utf16.count + detail.utf16.count
            omitted[change.action, default: 0] -= 1
            let note =
                index == changes.count - 1
                ? 0 : truncationNote(changes, shown: index + 1, omitted: omitted).utf16.count
            guard next + note <= markdownLimit else {
                omitted[change.action, default: 0] += 1
                break
            }
            used = next
            rows.append(row)
            details.append(detail)
        }
        var output = head
        if !changes.isEmpty {
            output += tableHead + rows.joined() + "\n" + details.joined()
        }
        if rows.count < changes.count {
            output += truncationNote(changes, shown: rows.count, omitted: omitted)
        }
        return output
    }

    /// How many addresses a truncation note names.
    static let omittedAddressesNamed = 10

    /// Says what a cut comment leaves out: how many changes of each action (`omitted`), and the first omitted
    /// addresses.
    private func truncationNote(_ changes: [Change], shown: Int, omitted: [Action: Int]) -> String {
        let counts = Self.countedActions.compactMap { action -> String? in
            let count = omitted[action, default: 0]
            return count == 0 ? nil : "\(count) to \(action.rawValue)"
        }
        let left = changes.count - shown
        let named = changes[shown...].prefix(Self.omittedAddressesNamed).map {
            SafeText.markdownCode($0.address.description)
        }
        let more = left - named.count
        var note = "> **Note:** \(left) of \(Self.plural(changes.count, "change")) are omitted to keep this "
        note += "comment under \(markdownLimit) characters (\(counts.joined(separator: ", "))): "
        note += named.joined(separator: ", ")
        if more > 0 { note += " and \(more) more" }
        return note + ". Run `sinchform show PLANFILE` to see them all.\n"
    }

    private static func markdownHead(_ plan: Plan, mode: PlanMode) -> String {
        var text = "## sinchform \(mode == .plan ? "plan" : "drift")\n\n**\(headline(plan, mode: mode))**\n\n"
        var context = ["Project " + SafeText.markdownCode(plan.project) + "."]
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
            SafeText.markdownCode(change.address.description, inTable: true),
            "`\(symbol(change.action))` \(change.action.rawValue)",
            change.origin.map(shortLabel) ?? "—",
            change.review.map(reviewCell) ?? "—",
        ]
        return "| " + cells.joined(separator: " | ") + " |\n"
    }

    /// The review's one word, and a rejection's reason as code (it comes from the API).
    private static func reviewCell(_ review: ReviewStatus) -> String {
        SafeText.markdown(review.summary.description)
            + (review.rejectionReason.map { ": " + SafeText.markdownCode($0, inTable: true) } ?? "")
    }

    private static func markdownDetails(_ change: Change) -> String {
        var bullets: [String] = []
        if !change.reason.isEmpty { bullets.append("**reason:** " + SafeText.markdown(sentence(change.reason))) }
        if let origin = change.origin { bullets.append("**origin:** " + SafeText.markdown(label(origin))) }
        if let review = change.review { bullets.append("**review:** " + SafeText.markdown(review.description)) }
        if let remote = change.remoteId, !remote.description.isEmpty {
            bullets.append("**remote:** " + SafeText.markdownCode(remote.description))
        }
        if !change.dependsOn.isEmpty {
            bullets.append(
                "**depends on:** "
                    + change.dependsOn.map { SafeText.markdownCode($0.description) }.joined(separator: ", "))
        }
        bullets += change.consequences.map { "**consequence:** " + SafeText.markdown(sentence($0)) }
        // Inside an HTML block Markdown is not parsed: the address only needs HTML escapes (and no newline, which
        // would end the block).
        var text =
            "<details><summary><code>\(SafeText.html(change.address.description))</code> — \(change.action.rawValue)</summary>\n\n"
        text += bullets.map { "- " + $0 + "\n" }.joined()
        // A field shown as a block (a text, a set) is followed by a blank line, so that the next field does not read
        // as part of it.
        var diff: [String] = []
        var afterBlock = false
        for field in FieldDisplay.fields(of: change) {
            if afterBlock { diff.append("") }
            let lines = diffLines(field)
            afterBlock = lines.first?.hasPrefix("@@ ") == true
            diff += lines.map { SafeText.printable($0) }
        }
        if !diff.isEmpty {
            let longest = diff.map { SafeText.longestRun(of: "`", in: $0) }.max() ?? 0
            let fence = String(repeating: "`", count: max(3, longest + 1))
            text += "\n" + fence + "diff\n" + diff.map { $0 + "\n" }.joined() + fence + "\n"
        }
        return text + "\n</details>\n\n"
    }

    /// The lines of a field in a `diff` block (made printable by the caller).
    private static func diffLines(_ field: FieldDisplay) -> [String] {
        let comments = field.comments.map { "  # " + $0 }.joined()
        switch field.body {
        case .values(nil, nil): return ["  " + field.path + comments]
        case .values(nil, let after?): return ["+ " + field.path + ": " + after + comments]
        case .values(let before?, nil): return ["- " + field.path + ": " + before + comments]
        case .values(let before?, let after?):
            return ["- " + field.path + ": " + before, "+ " + field.path + ": " + after + comments]
        case .members(let added, let removed):
            return ["@@ " + field.path + " (added and removed members) @@" + comments]
                + added.map { "+ " + $0 } + removed.map { "- " + $0 }
        case .words(let runs):
            let old = runs.compactMap { run -> String? in
                switch run {
                case .same(let text), .removed(let text): return text
                case .added, .skipped: return nil
                }
            }
            let new = runs.compactMap { run -> String? in
                switch run {
                case .same(let text), .added(let text): return text
                case .removed, .skipped: return nil
                }
            }
            return ["@@ " + field.path + " @@" + comments, "- " + old.joined(), "+ " + new.joined()]
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
}
