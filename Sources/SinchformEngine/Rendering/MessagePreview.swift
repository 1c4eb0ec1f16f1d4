import Foundation
import ProvisioningAPI
import SinchformManifest

/// What the recipient sees, before and after a change, for the HTML plan: a WhatsApp template as a chat bubble, a
/// KakaoTalk AlimTalk template as its message card, an RCS sender as its brand card.
///
/// Pictures are placeholders (the page loads nothing); variables are filled from the template's examples and
/// marked. Every value is escaped.
enum MessagePreview {
    /// The two previews of a change of a previewed kind; nil for other kinds.
    static func beforeAndAfter(_ change: Change) -> String? {
        guard let render = renderer(for: change.kind) else { return nil }
        let absentAfter =
            change.action == .forget
            ? "No longer managed by sinchform; the live resource is left as it is."
            : "Deleted from the project."
        let before = change.before.map(render) ?? absent("Not in the project yet.")
        let after = change.after.map(render) ?? absent(absentAfter)
        return "<div class=\"previews\">\n"
            + "<figure class=\"preview before\"><figcaption>Before: live</figcaption>\(before)</figure>\n"
            + "<figure class=\"preview after\"><figcaption>\(change.after == nil ? "After" : "After: as the manifests say")"
            + "</figcaption>\(after)</figure>\n</div>\n"
    }

    static func renderer(for kind: ResourceKind) -> (@Sendable (JSONValue) -> String)? {
        switch kind {
        case .whatsappTemplate: return whatsapp
        case .kakaotalkTemplate: return kakaotalk
        case .rcsSender: return rcs
        default: return nil  // kinds without a message to preview
        }
    }

    private static func absent(_ text: String) -> String {
        "<div class=\"screen\"><p class=\"absent\">\(SafeText.html(text))</p></div>"
    }

    private static func div(_ cssClass: String, _ content: String) -> String {
        "<div class=\"\(cssClass)\">\(content)</div>"
    }

    private static func placeholder(_ cssClass: String, _ label: String) -> String {
        "<div class=\"\(cssClass) placeholder\">\(SafeText.html(label))</div>"
    }

    // MARK: WhatsApp

    static func whatsapp(_ spec: JSONValue) -> String {
        let components = spec["details"]?["components"]?.arrayValue ?? []
        func component(_ type: String) -> JSONValue? { components.first { $0["type"]?.stringValue == type } }
        var bubble = ""
        if let header = component("HEADER") {
            let format = header["format"]?.stringValue ?? "TEXT"
            if format == "TEXT" {
                bubble += div("wa-header", filled(header["text"]?.stringValue ?? "", examples: header["examples"]))
            } else {
                bubble += placeholder("wa-media", format.lowercased())
            }
        }
        if let offer = component("LIMITED_TIME_OFFER") {
            var text = SafeText.html(offer["text"]?.stringValue ?? "")
            if offer["hasExpiration"]?.boolValue == true {
                text += "<br><small>with an expiry set when it is sent</small>"
            }
            bubble += div("wa-offer", text)
        }
        if let body = component("BODY") {
            let text = body["text"]?.stringValue ?? ""
            if text.isEmpty, spec["category"]?.stringValue == "AUTHENTICATION" {
                var authentication = "<mark class=\"var\">123456</mark> is your verification code."
                if body["addSecurityRecommendation"]?.boolValue == true {
                    authentication += " For your security, do not share this code."
                }
                bubble += div("wa-body", authentication)
            } else {
                bubble += div("wa-body", filled(text, examples: body["examples"]))
            }
        }
        if let footer = component("FOOTER") {
            if let minutes = footer["codeExpirationMinutes"]?.intValue {
                bubble += div("wa-footer", "This code expires in \(minutes) minutes.")
            } else if let text = footer["text"]?.stringValue, !text.isEmpty {
                bubble += div("wa-footer", SafeText.html(text))
            }
        }
        var html = "<div class=\"screen wa\">"
        if let category = spec["category"]?.stringValue {
            html += div("wa-category", SafeText.html(category.lowercased()) + " template")
        }
        html += div("wa-bubble", bubble)
        html += whatsappButtons(component("BUTTONS")?["buttons"]?.arrayValue ?? [])
        if let cards = component("CAROUSEL")?["cards"]?.arrayValue {
            html += "<div class=\"wa-carousel\">"
            for card in cards {
                let parts = card["components"]?.arrayValue ?? []
                func part(_ type: String) -> JSONValue? { parts.first { $0["type"]?.stringValue == type } }
                var content = ""
                if let header = part("HEADER") {
                    content += placeholder("wa-media", header["format"]?.stringValue?.lowercased() ?? "media")
                }
                if let body = part("BODY") {
                    content += div("wa-body", filled(body["text"]?.stringValue ?? "", examples: body["examples"]))
                }
                content += whatsappButtons(part("BUTTONS")?["buttons"]?.arrayValue ?? [])
                html += div("wa-card", content)
            }
            html += "</div>"
        }
        return html + "</div>"
    }

    private static func whatsappButtons(_ buttons: [JSONValue]) -> String {
        buttons.map { button in
            let type = button["type"]?.stringValue ?? ""
            let icon =
                switch type {
                case "URL": "↗ "
                case "PHONE_NUMBER": "☎ "
                case "QUICK_REPLY": "↩ "
                case "COPY_CODE", "OTP": "⧉ "
                default: ""
                }
            let label = button["text"]?.stringValue ?? (type == "COPY_CODE" ? "Copy offer code" : type.lowercased())
            return div("wa-button", SafeText.html(icon + label))
        }.joined()
    }

    /// WhatsApp text with each `{{n}}` replaced by the n-th example and marked; a variable without an example
    /// stays as written, marked as missing.
    static func filled(_ text: String, examples: JSONValue?) -> String {
        let samples = (examples?.arrayValue ?? []).map { $0.stringValue }
        return marked(text, open: "{{", close: "}}") { name in
            guard let number = Int(name), number >= 1, number <= samples.count, let sample = samples[number - 1] else {
                return nil
            }
            return sample
        }
    }

    /// `text` escaped, with each `open…close` variable marked; `value` gives the text shown for a variable name
    /// (nil keeps the variable as written, marked as missing).
    static func marked(_ text: String, open: String, close: String, value: (String) -> String?) -> String {
        var html = ""
        var rest = Substring(text)
        while let start = rest.range(of: open), let end = rest[start.upperBound...].range(of: close) {
            let name = String(rest[start.upperBound..<end.lowerBound])
            html += SafeText.html(String(rest[..<start.lowerBound]), keepNewlines: true)
            let variable = open + name + close
            if let shown = value(name) {
                html += "<mark class=\"var\" title=\"\(SafeText.html(variable))\">\(SafeText.html(shown))</mark>"
            } else {
                html += "<mark class=\"var missing\">\(SafeText.html(variable))</mark>"
            }
            rest = rest[end.upperBound...]
        }
        return html + SafeText.html(String(rest), keepNewlines: true)
    }

    // MARK: KakaoTalk

    static func kakaotalk(_ spec: JSONValue) -> String {
        let details = spec["details"] ?? .object([:])
        let emphasis = details["emphasizeType"]?.stringValue ?? "EMPHASIZE_TYPE_NONE"
        var inner = ""
        if emphasis == "EMPHASIZE_TYPE_TEXT" {
            if let subtitle = details["subtitle"]?.stringValue {
                inner += div("kakao-subtitle", SafeText.html(subtitle))
            }
            if let title = details["title"]?.stringValue { inner += div("kakao-title", SafeText.html(title)) }
        }
        // AlimTalk variables have no examples: they are marked as written.
        inner += div(
            "kakao-content", marked(details["content"]?.stringValue ?? "", open: "#{", close: "}") { "#{" + $0 + "}" })
        if let extra = details["extra"]?.stringValue {
            inner += div("kakao-extra", SafeText.html(extra, keepNewlines: true))
        }
        let buttons = (details["buttons"]?.arrayValue ?? []).sorted {
            ($0["ordering"]?.intValue ?? 0) < ($1["ordering"]?.intValue ?? 0)
        }
        inner += buttons.map { div("kakao-button", SafeText.html($0["name"]?.stringValue ?? "")) }.joined()
        var message = div("kakao-top", "AlimTalk")
        if emphasis == "EMPHASIZE_TYPE_IMAGE" || details["imageUrl"] != nil {
            message += placeholder("kakao-image", "image")
        }
        message += div("kakao-inner", inner)
        return "<div class=\"screen kakao\">" + div("kakao-message", message) + "</div>"
    }

    // MARK: RCS

    static func rcs(_ spec: JSONValue) -> String {
        let brand = spec["details"]?["brand"] ?? .object([:])
        let colour = brand["color"]?.stringValue.flatMap(hexColour)
        let banner = brand["bannerUrl"] == nil ? "no banner" : "banner"
        var card =
            colour.map {
                "<div class=\"rcs-banner placeholder tinted\" style=\"background-color: \($0)\">\(banner)</div>"
            }
            ?? "<div class=\"rcs-banner placeholder\">\(banner)</div>"
        card += "<div class=\"rcs-logo placeholder\">\(brand["logoUrl"] == nil ? "no logo" : "logo")</div>"
        var text = div("rcs-name", SafeText.html(brand["name"]?.stringValue ?? ""))
        if let description = brand["description"]?.stringValue {
            text += div("rcs-description", SafeText.html(description))
        }
        if let raw = brand["color"]?.stringValue {
            let swatch = colour.map { "<span class=\"swatch\" style=\"background-color: \($0)\"></span> " } ?? ""
            text += div("rcs-colour", swatch + "brand colour " + SafeText.html(raw))
        }
        card += div("rcs-text", text)
        var contacts: [String] = []
        for (key, valueKey, icon) in [("phones", "number", "☎"), ("websites", "url", "↗"), ("emails", "address", "✉")] {
            for entry in brand[key]?.arrayValue ?? [] {
                let label = entry["label"]?.stringValue ?? ""
                let value = entry[valueKey]?.stringValue ?? ""
                contacts.append(
                    "<li>\(icon) \(label.isEmpty ? "" : "<strong>" + SafeText.html(label) + "</strong> ")"
                        + SafeText.html(value) + "</li>")
            }
        }
        if !contacts.isEmpty { card += "<ul class=\"rcs-contacts\">" + contacts.joined() + "</ul>" }
        return "<div class=\"screen rcs\">" + div("rcs-card", card) + "</div>"
    }

    /// `#rrggbb` when `text` is exactly that (so that it can go into a style attribute), else nil.
    static func hexColour(_ text: String) -> String? {
        guard text.utf8.count == 7, text.first == "#", text.dropFirst().allSatisfy(\.isHexDigit) else { return nil }
        return text
    }
}
