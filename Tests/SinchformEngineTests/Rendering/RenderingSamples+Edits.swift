import Foundation
import ProvisioningAPI
import SinchformManifest

@testable import SinchformEngine

/// Typical edits of every kind, with the field differences the planner computes (arrays compared whole), and a
/// plan full of hostile text.
extension RenderingSamples {
    /// The field differences as the planner reports them: objects are opened, anything else (arrays too) is
    /// compared whole, by dotted path.
    static func plannerFields(_ before: JSONValue, _ after: JSONValue, prefix: String = "") -> [FieldChange] {
        guard case .object(let old) = before, case .object(let new) = after else {
            return before == after ? [] : [FieldChange(path: prefix, before: before, after: after)]
        }
        return Set(old.keys).union(new.keys).sorted().flatMap { key -> [FieldChange] in
            let path = prefix.isEmpty ? key : prefix + "." + key
            switch (old[key], new[key]) {
            case (let a?, let b?) where a == b: return []
            case (let a?, let b?): return plannerFields(a, b, prefix: path)
            case (let a, let b): return [FieldChange(path: path, before: a, after: b)]
            }
        }
    }

    /// An update of `kind` from `before` to `after`, with the fields the planner would report.
    static func edit(
        _ address: Address, _ kind: ResourceKind, before: JSONValue, after: JSONValue, action: Action = .update,
        review: ReviewStatus? = nil, remoteId: RemoteIdentity? = nil
    ) -> Change {
        let fields = plannerFields(before, after)
        return change(
            address, kind, action,
            reason: "\(fields.count) field\(fields.count == 1 ? " differs" : "s differ")", before: before,
            after: after, fields: fields,
            consequences: kind == .rcsSender || kind == .webhook
                ? [] : ["submitted for review; live content changes only once approved"],
            review: review, remoteId: remoteId, liveDigest: "sha256:live", desiredDigest: "sha256:desired")
    }

    static let orderBody =
        "Hi {{1}}, your order {{2}} has shipped and is on its way. Track it any time with the button below."
    static let orderBodyEdited =
        "Hi {{1}}, good news: your order {{2}} has shipped and will arrive tomorrow. Track it any time with the button below."

    static func whatsappOrder(body: String, footer: String?, buttons: [JSONValue], cardText: String) -> JSONValue {
        var components: [JSONValue] = [
            ["type": "HEADER", "format": "TEXT", "text": "Order {{1}}", "examples": ["#4711"]],
            ["type": "BODY", "text": .string(body), "examples": ["Jane", "#4711"]],
        ]
        if let footer { components.append(["type": "FOOTER", "text": .string(footer)]) }
        components.append(["type": "BUTTONS", "buttons": .array(buttons)])
        components.append([
            "type": "CAROUSEL",
            "cards": [
                [
                    "components": [
                        ["type": "HEADER", "format": "IMAGE"],
                        ["type": "BODY", "text": .string(cardText)],
                        ["type": "BUTTONS", "buttons": [["type": "QUICK_REPLY", "text": "More like this"]]],
                    ]
                ],
                [
                    "components": [
                        ["type": "HEADER", "format": "IMAGE"], ["type": "BODY", "text": "Our bestseller."],
                        [
                            "type": "BUTTONS",
                            "buttons": [["type": "URL", "text": "Shop", "url": "https://shop.example.com"]],
                        ],
                    ]
                ],
            ],
        ])
        return ["category": "UTILITY", "details": ["components": .array(components)]]
    }

    static let kakaoContent =
        "#{name}님, 주문하신 상품이 발송되었습니다.\nOrder #{order} has shipped.\nThank you for shopping with us."

    static func kakaoTemplate(content: String, title: String, buttons: [JSONValue]) -> JSONValue {
        [
            "plusFriendId": "@acme",
            "details": [
                "name": "shipping", "language": "KO", "content": .string(content), "messageType": "BASIC",
                "emphasizeType": "EMPHASIZE_TYPE_TEXT", "title": .string(title), "subtitle": "Delivery",
                "buttons": .array(buttons),
            ],
        ]
    }

    static func rcsBrand(description: String, color: String, emails: [JSONValue], countries: [JSONValue]) -> JSONValue {
        [
            "region": "EU", "billingCategory": "CONVERSATIONAL", "useCase": "PROMOTIONAL",
            "details": [
                "brand": [
                    "name": "Acme", "description": .string(description), "color": .string(color),
                    "logoUrl": "https://cdn.example.com/logo.png", "bannerUrl": "https://cdn.example.com/banner.png",
                    "emails": .array(emails), "phones": [["label": "Hotline", "number": "+4930123456"]],
                ],
                "countries": .array(countries),
            ],
        ]
    }

    /// One typical edit of each of the six kinds, plus a created template and a deleted one.
    static var edits: Plan {
        let quickReply: JSONValue = ["type": "QUICK_REPLY", "text": "Stop updates"]
        let track: JSONValue = ["type": "URL", "text": "Track", "url": "https://track.example.com/{{1}}"]
        let kakaoButton: JSONValue = ["ordering": 1, "type": "DELIVERY_SEARCH", "name": "배송 조회"]
        let changes = [
            edit(
                "webhook.ops-events", .webhook,
                before: [
                    "target": "https://ops.example.com/sinch",
                    "triggers": ["WHATSAPP_TEMPLATE_APPROVED", "WHATSAPP_TEMPLATE_DELETED"],
                ],
                after: [
                    "target": "https://ops.example.com/sinch",
                    "triggers": ["WHATSAPP_TEMPLATE_APPROVED", "WHATSAPP_TEMPLATE_REJECTED"],
                ], remoteId: RemoteIdentity.id("01HWEBHOOK")),
            edit(
                "whatsappTemplate.order_shipped[EN_US]", .whatsappTemplate,
                before: whatsappOrder(
                    body: orderBody, footer: "Reply STOP to opt out", buttons: [track],
                    cardText: "Matching socks, 20% off."),
                after: whatsappOrder(
                    body: orderBodyEdited, footer: nil, buttons: [track, quickReply],
                    cardText: "Matching socks, 30% off."),
                review: ReviewStatus(state: "APPROVED"),
                remoteId: RemoteIdentity.name("order_shipped", language: "EN_US")),
            edit(
                "whatsappSender.support-line", .whatsappSender,
                before: ["details": ["displayName": "Acme Support", "about": "Here to help"]],
                after: ["details": ["displayName": "Acme Support", "about": "Here to help, 9 to 5"]],
                review: ReviewStatus(state: "ACTIVE"), remoteId: RemoteIdentity.id("ws-77")),
            edit(
                "kakaotalkSender.main", .kakaotalkSender,
                before: ["plusFriendId": "@acme", "details": ["name": "Acme"]],
                after: ["plusFriendId": "@acme", "details": ["name": "Acme Korea"]],
                review: ReviewStatus(state: "ACTIVE"), remoteId: RemoteIdentity.plusFriendId("@acme")),
            edit(
                "kakaotalkTemplate.shipping", .kakaotalkTemplate,
                before: kakaoTemplate(content: kakaoContent, title: "Shipped", buttons: [kakaoButton]),
                after: kakaoTemplate(
                    content: kakaoContent.replacingOccurrences(of: "Thank you", with: "Thanks again"),
                    title: "On its way",
                    buttons: [
                        ["ordering": 1, "type": "DELIVERY_SEARCH", "name": "배송 조회하기"],
                        ["ordering": 2, "type": "WEB_LINK", "name": "Help", "linkMo": "https://m.example.com/help"],
                    ]), review: ReviewStatus(state: "APPROVED"), remoteId: RemoteIdentity.id("TPL-0042")),
            edit(
                "rcsSender.acme-eu", .rcsSender,
                before: rcsBrand(
                    description: "Deals and delivery news", color: "#1a2b3c",
                    emails: [["label": "Support", "address": "help@example.com"]], countries: ["DE", "FR"]),
                after: rcsBrand(
                    description: "Deals, delivery news and support", color: "#d81b60",
                    emails: [
                        ["label": "Support", "address": "support@example.com"],
                        ["label": "Press", "address": "press@example.com"],
                    ], countries: ["DE", "FR", "ES"]),
                review: ReviewStatus(state: "LAUNCHED"), remoteId: RemoteIdentity.id("rcs-eu-1")),
            change(
                "whatsappTemplate.welcome[DE]", .whatsappTemplate, .create, reason: "not in the project yet",
                after: [
                    "category": "MARKETING",
                    "details": [
                        "components": [
                            ["type": "HEADER", "format": "IMAGE"],
                            ["type": "BODY", "text": "Willkommen, {{1}}!", "examples": ["Jana"]],
                            [
                                "type": "BUTTONS",
                                "buttons": [["type": "PHONE_NUMBER", "text": "Anrufen", "phoneNumber": "+49301234"]],
                            ],
                        ]
                    ],
                ], consequences: ["submitted for review; live content changes only once approved"],
                desiredDigest: "sha256:new"),
            change(
                "kakaotalkTemplate.old-promo", .kakaotalkTemplate, .delete, reason: "removed from the manifests",
                before: kakaoTemplate(content: "Sale ends #{date}.", title: "Sale", buttons: []),
                remoteId: RemoteIdentity.id("TPL-0001"), liveDigest: "sha256:old"),
        ]
        return Plan(
            project: "3f0c1d2e-project", manifestDirectory: "infra", lockLineage: "7d3a-lineage", lockSerial: 5,
            changes: changes)
    }

    /// Text that tries to drive a terminal or break out of Markdown and HTML, in every place a value can reach.
    static let hostileText =
        "\n\n## All checks passed ✅\n\n![t](https://attacker.example/pixel.png) \u{1B}]0;PWNED\u{07}\u{1B}[31m"
        + "</details><script>alert(1)</script> [link](https://attacker.example) ``` `x` \u{9B}2J \u{202E}txt"

    static var hostile: Plan {
        let body = "Hello {{1}}" + hostileText
        return Plan(
            project: "p\u{1B}[2J</code>", manifestDirectory: ".", lockLineage: nil, lockSerial: nil,
            changes: [
                change(
                    "webhook.x</summary>\u{1B}[31m", .webhook, .update, reason: "1 field differs" + hostileText,
                    before: ["target": "https://a.example"],
                    after: ["target": .string("https://b.example" + hostileText)],
                    fields: [
                        FieldChange(
                            path: "target", before: "https://a.example",
                            after: .string("https://b.example" + hostileText))
                    ], consequences: ["careful" + hostileText],
                    review: ReviewStatus(state: "REJECTED", rejectionReason: hostileText),
                    remoteId: RemoteIdentity.id("id" + hostileText), dependsOn: ["webhook.y\u{1B}[2J`x`</summary>"]),
                edit(
                    "whatsappTemplate.evil[EN]", .whatsappTemplate,
                    before: [
                        "category": "UTILITY",
                        "details": ["components": [["type": "BODY", "text": "Hello {{1}}", "examples": ["<b>x</b>"]]]],
                    ],
                    after: [
                        "category": "UTILITY",
                        "details": [
                            "components": [
                                [
                                    "type": "BODY", "text": .string(body),
                                    "examples": [.string("<img src=x onerror=alert(1)>" + hostileText)],
                                ],
                                ["type": "FOOTER", "text": .string("</div>" + hostileText)],
                            ]
                        ],
                    ]),
                edit(
                    "rcsSender.evil", .rcsSender,
                    before: rcsBrand(description: "ok", color: "#000000", emails: [], countries: ["DE"]),
                    after: rcsBrand(
                        description: hostileText, color: "red;background:url(https://attacker.example/x)",
                        emails: [["label": .string("\"><script>"), "address": "a@example.com"]], countries: ["DE"]),
                    review: ReviewStatus(state: "X\" onmouseover=\"alert(1)\" | ![i](https://attacker.example/i.png)")),
            ])
    }
}
