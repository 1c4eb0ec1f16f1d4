import ProvisioningAPI
import SinchformManifest

extension PlanRenderer {
    /// One self-contained page: inline CSS, no script, no external asset (a Content-Security-Policy forbids any),
    /// readable in any browser. Every value is escaped with ``SafeText/html(_:keepNewlines:)``.
    func renderHTML(_ plan: Plan, mode: PlanMode) -> String {
        let changes = plan.changes.filter(\.isChange)
        let title = mode == .plan ? "sinchform plan" : "sinchform drift"
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>\(title): \(SafeText.html(plan.project))</title>
            <style>\(Self.stylesheet)</style>
            </head>
            <body>
            <header>
            <h1>\(title)</h1>
            <p class="headline">\(SafeText.html(Self.headline(plan, mode: mode)))</p>

            """
        var context = "Project <code>\(SafeText.html(plan.project))</code>."
        if mode == .plan, plan.summary.drift > 0 {
            context +=
                " \(Self.plural(plan.summary.drift, "change comes", "changes come")) from edits made outside sinchform (drift)."
        }
        html += "<p class=\"context\">\(context)</p>\n"
        html += "<table class=\"summary\"><thead><tr><th>action</th><th>count</th></tr></thead><tbody>\n"
        for action in Self.countedActions {
            let count = Self.count(action, in: plan.summary)
            if count > 0 || [Action.create, .update, .replace, .delete].contains(action) {
                html +=
                    "<tr class=\"\(action.rawValue)\"><td><span class=\"symbol\">\(SafeText.html(Self.symbol(action)))</span> "
                    + "\(action.rawValue)</td><td>\(count)</td></tr>\n"
            }
        }
        html += "<tr><td>unchanged</td><td>\(plan.summary.noop)</td></tr>\n</tbody></table>\n</header>\n<main>\n"
        if !changes.isEmpty {
            html += "<table class=\"changes\"><thead><tr><th>address</th><th>action</th><th>origin</th><th>review</th>"
            html += "</tr></thead><tbody>\n"
            for (index, change) in changes.enumerated() {
                html += "<tr class=\"\(change.action.rawValue)\"><td><a href=\"#change-\(index + 1)\"><code>"
                html += SafeText.html(change.address.description) + "</code></a></td>"
                html += "<td><span class=\"symbol\">\(SafeText.html(Self.symbol(change.action)))</span> "
                html += "\(change.action.rawValue)</td><td>\(change.origin.map(Self.shortLabel) ?? "—")</td>"
                html += "<td>\(change.review.map { SafeText.html($0.description) } ?? "—")</td></tr>\n"
            }
            html += "</tbody></table>\n"
        }
        for (index, change) in changes.enumerated() {
            html += Self.htmlSection(change, number: index + 1)
        }
        html += "</main>\n"
        if let unchanged = Self.unchangedLine(plan, mode: mode) {
            html += "<footer><p>\(SafeText.html(unchanged))</p></footer>\n"
        }
        return html + "</body>\n</html>\n"
    }

    /// The review summaries the style sheet knows; any other (a state the API added) is `other`.
    static let reviewClasses: Set<String> = ["pending", "approved", "rejected", "error", "paused", "draft", "disabled"]

    private static func htmlSection(_ change: Change, number: Int) -> String {
        let action = change.action.rawValue
        var html = "<section class=\"change \(action)\" id=\"change-\(number)\">\n"
        html += "<h2><span class=\"symbol\">\(SafeText.html(symbol(change.action)))</span> "
        html +=
            "<code class=\"address\">\(SafeText.html(change.address.description))</code> <span class=\"badge\">\(action)</span></h2>\n"
        var facts: [(String, String)] = []
        if !change.reason.isEmpty { facts.append(("reason", SafeText.html(sentence(change.reason)))) }
        if let origin = change.origin { facts.append(("origin", SafeText.html(label(origin)))) }
        if let review = change.review {
            facts.append(
                (
                    "review",
                    "<span class=\"review \(Self.reviewClasses.contains(review.summary.description) ? review.summary.description : "other")\">\(SafeText.html(review.description))</span>"
                ))
        }
        if let remote = change.remoteId, !remote.description.isEmpty {
            facts.append(("remote", "<code>\(SafeText.html(remote.description))</code>"))
        }
        if !change.dependsOn.isEmpty {
            facts.append(
                (
                    "depends on",
                    change.dependsOn.map { "<code>\(SafeText.html($0.description))</code>" }.joined(separator: ", ")
                ))
        }
        if !facts.isEmpty {
            html += "<dl class=\"facts\">" + facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined() + "</dl>\n"
        }
        let fields = FieldDisplay.fields(of: change)
        if !fields.isEmpty {
            html += "<div class=\"diff\">\n" + fields.map(htmlField).joined() + "</div>\n"
        }
        if !change.consequences.isEmpty {
            html += "<ul class=\"consequences\">"
            html += change.consequences.map { "<li>\(SafeText.html(sentence($0)))</li>" }.joined()
            html += "</ul>\n"
        }
        if let previews = MessagePreview.beforeAndAfter(change) { html += previews }
        return html + "</section>\n"
    }

    private static func htmlField(_ field: FieldDisplay) -> String {
        let marker = field.marker == " " ? "&nbsp;" : SafeText.html(field.marker)
        let comments = field.comments.map {
            " <span class=\"comment\">\(SafeText.html("# " + $0))</span>"
        }.joined()
        let cssClass = ["+": "added", "-": "removed", "~": "changed"][field.marker] ?? "mentioned"
        var html = "<div class=\"field \(cssClass)\"><span class=\"marker\">\(marker)</span> "
        html += "<code class=\"path\">\(SafeText.html(field.path))</code>"
        switch field.body {
        case .values(nil, nil):
            html += comments
        case .values(let before, let after):
            html += ": "
            if let before { html += "<del>\(SafeText.html(before))</del>" }
            if before != nil, after != nil { html += " → " }
            if let after { html += "<ins>\(SafeText.html(after))</ins>" }
            html += comments
        case .members(let added, let removed):
            html += ":" + comments
            html += added.map { " <ins>+ \(SafeText.html($0))</ins>" }.joined()
            html += removed.map { " <del>− \(SafeText.html($0))</del>" }.joined()
        case .words(let runs):
            html += ":" + comments + "<p class=\"words\">"
            html += runs.map { run -> String in
                switch run {
                case .same(let text): return SafeText.html(text)
                case .removed(let text): return "<del>\(SafeText.html(text))</del>"
                case .added(let text): return "<ins>\(SafeText.html(text))</ins>"
                case .skipped: return ""
                }
            }.joined()
            html += "</p>"
        case .text(let lines):
            html += ":" + comments + "<pre class=\"lines\">"
            // Each line is a block that ends with its newline, so the text reads the same with or without CSS.
            html += lines.map { line -> String in
                switch line {
                case .same(let text): return "<span class=\"same\">  \(SafeText.html(text))\n</span>"
                case .removed(let text): return "<del>- \(SafeText.html(text))\n</del>"
                case .added(let text): return "<ins>+ \(SafeText.html(text))\n</ins>"
                case .skipped(let count):
                    return "<span class=\"skipped\">  … \(plural(count, "unchanged line"))\n</span>"
                }
            }.joined()
            html += "</pre>"
        }
        return html + "</div>\n"
    }

    static let stylesheet = """

        :root { color-scheme: light; --add: #e6ffec; --add-strong: #abf2bc; --del: #ffebe9; --del-strong: #ffc1c0;
          --muted: #59636e; --line: #d1d9e0; }
        * { box-sizing: border-box; }
        body { font: 15px/1.5 -apple-system, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif; color: #1f2328;
          margin: 0 auto; max-width: 1100px; padding: 24px; }
        code, pre { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
          font-size: 13px; }
        h1 { font-size: 24px; margin: 0 0 4px; }
        h2 { font-size: 17px; margin: 0 0 8px; overflow-wrap: anywhere; }
        .headline { font-weight: 600; font-size: 17px; margin: 4px 0; }
        table { border-collapse: collapse; margin: 12px 0; }
        th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top;
          overflow-wrap: anywhere; }
        th { background: #f6f8fa; }
        table.summary td:last-child { text-align: right; }
        table.summary td, table.changes td:nth-child(2), table.changes td:nth-child(3) { white-space: nowrap;
          overflow-wrap: normal; }
        .symbol { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-weight: 700; }
        tr.create .symbol, section.create .symbol { color: #1a7f37; }
        tr.update .symbol, section.update .symbol { color: #9a6700; }
        tr.replace .symbol, section.replace .symbol { color: #8250df; }
        tr.delete .symbol, section.delete .symbol { color: #cf222e; }
        tr.adopt .symbol, section.adopt .symbol { color: #0969da; }
        tr.forget .symbol, section.forget .symbol { color: #1b7c83; }
        section.change { border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin: 16px 0; }
        .badge { font-size: 12px; font-weight: 500; border: 1px solid var(--line); border-radius: 10px;
          padding: 1px 8px; color: var(--muted); }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 12px; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        .review.rejected, .review.error { color: #cf222e; }
        .diff { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; background: #fbfcfd; }
        .field { margin: 4px 0; overflow-wrap: anywhere; }
        .field .marker { display: inline-block; width: 1.2em; font-weight: 700; font-family: ui-monospace, monospace; }
        .field.added .marker { color: #1a7f37; } .field.removed .marker { color: #cf222e; }
        .field.changed .marker { color: #9a6700; }
        .comment { color: var(--muted); font-size: 13px; }
        del { background: var(--del); text-decoration: line-through; text-decoration-color: #cf222e88; }
        ins { background: var(--add); text-decoration: none; }
        p.words { margin: 4px 0 4px 1.2em; white-space: pre-wrap; }
        p.words del { background: var(--del-strong); } p.words ins { background: var(--add-strong); }
        p.words del + ins { margin-left: .3em; }
        pre.lines { margin: 4px 0 4px 1.2em; padding: 6px 8px; background: #fff; border: 1px solid var(--line);
          white-space: pre-wrap; overflow-wrap: anywhere; }
        pre.lines > * { display: block; }
        pre.lines .skipped { color: var(--muted); }
        ul.consequences { margin: 12px 0 0; padding-left: 20px; color: #3d444d; }
        .previews { display: flex; flex-wrap: wrap; gap: 16px; margin-top: 16px; }
        figure.preview { flex: 1 1 320px; margin: 0; border: 1px solid var(--line); border-radius: 8px;
          overflow: hidden; min-width: 0; display: flex; flex-direction: column; }
        figure.preview figcaption { font-size: 13px; font-weight: 600; padding: 6px 12px; background: #f6f8fa;
          border-bottom: 1px solid var(--line); }
        .screen { padding: 16px; min-height: 120px; flex: 1; }
        .absent { color: var(--muted); font-style: italic; }
        mark.var { background: #fff3b0; border-radius: 3px; padding: 0 2px; }
        mark.var.missing { background: #ffd8b5; }
        .placeholder { display: flex; align-items: center; justify-content: center; background: #d9dee3;
          color: #4a5560; font-size: 12px; font-weight: 600; letter-spacing: .05em; text-transform: uppercase;
          text-align: center; }
        .wa.screen { background: #efe7dd; }
        .wa-category { font-size: 12px; color: #54656f; margin-bottom: 6px; }
        .wa-bubble, .wa-card { background: #fff; border-radius: 8px; padding: 6px 8px 8px;
          box-shadow: 0 1px 1px #0000001f; max-width: 340px; overflow-wrap: anywhere; }
        .wa-media { height: 140px; border-radius: 6px; margin-bottom: 6px; }
        .wa-header { font-weight: 700; margin-bottom: 4px; }
        .wa-body { white-space: pre-wrap; }
        .wa-footer { color: #667781; font-size: 13px; margin-top: 4px; }
        .wa-offer { background: #f0f2f5; border-radius: 6px; padding: 6px 8px; margin-bottom: 6px; }
        .wa-button { background: #fff; color: #027eb5; text-align: center; border-radius: 8px; padding: 7px;
          margin-top: 2px; max-width: 340px; box-shadow: 0 1px 1px #0000001f; }
        .wa-carousel { display: flex; gap: 8px; overflow-x: auto; margin-top: 6px; }
        .wa-card { flex: 0 0 200px; }
        .wa-card .wa-media { height: 100px; }
        .wa-card .wa-button { box-shadow: none; border-top: 1px solid #e9edef; border-radius: 0; }
        .kakao.screen { background: #abc1d1; }
        .kakao-message { max-width: 300px; background: #fff; border-radius: 10px; overflow: hidden; }
        .kakao-top { background: #fee500; font-weight: 700; font-size: 13px; padding: 6px 12px; }
        .kakao-inner { padding: 10px 12px; overflow-wrap: anywhere; }
        .kakao-image { height: 120px; }
        .kakao-subtitle { color: #7d7d7d; font-size: 13px; }
        .kakao-title { font-size: 20px; font-weight: 700; border-bottom: 1px solid #e5e5e5; padding-bottom: 6px;
          margin-bottom: 8px; }
        .kakao-content { white-space: pre-wrap; }
        .kakao-extra { white-space: pre-wrap; color: #7d7d7d; font-size: 13px; margin-top: 8px; }
        .kakao-button { background: #f2f2f2; text-align: center; border-radius: 4px; padding: 6px; margin-top: 6px; }
        .rcs.screen { background: #f1f3f4; }
        .rcs-card { max-width: 360px; background: #fff; border-radius: 12px; overflow: hidden;
          box-shadow: 0 1px 3px #0000002e; }
        .rcs-banner { height: 110px; }
        .rcs-banner.tinted { color: #ffffffd0; text-shadow: 0 0 3px #0009; }
        .rcs-logo { width: 72px; height: 72px; border-radius: 50%; margin: -36px auto 0; border: 3px solid #fff;
          position: relative; font-size: 10px; }
        .rcs-text { text-align: center; padding: 6px 16px 12px; overflow-wrap: anywhere; }
        .rcs-name { font-size: 19px; font-weight: 600; }
        .rcs-description { color: #5f6368; }
        .rcs-colour { font-size: 13px; color: #5f6368; margin-top: 6px; }
        .swatch { display: inline-block; width: 14px; height: 14px; border-radius: 3px; vertical-align: -2px;
          border: 1px solid #0003; }
        ul.rcs-contacts { list-style: none; margin: 0; padding: 8px 16px 12px; border-top: 1px solid #e8eaed;
          font-size: 14px; overflow-wrap: anywhere; }
        footer { color: var(--muted); margin-top: 24px; }

        """
}
