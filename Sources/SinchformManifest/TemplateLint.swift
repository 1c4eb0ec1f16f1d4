import JSONSyntax

/// Offline checks of template text: what the platforms refuse, caught before a plan submits it.
///
/// An error where the request itself is refused (a Sinch `400`/`409`, or Meta's synchronous refusal that Sinch passes
/// on as `424 template_submit_error`); a warning where it is a review rule the platform applies later. Each rule
/// names its source:
/// - "part A §3.3" / "part B §3": the Sinch facts in docs/api;
/// - "WhatsApp template guidelines": Meta's "Message templates" and "Template components" pages for the Cloud API
///   (variables `{{1}}`…, sequential; not at the start or end of the body; not adjacent; no more than the length of
///   the text allows; header text one variable and no emoji, formatting or new lines; footer without variables; at most
///   ten buttons, two URL buttons and one phone-number button);
/// - "Kakao AlimTalk review guide": Kakao's template review rules (`#{name}` variables, at most 40, 1,000 characters
///   once the variables are filled; the fields each message and emphasis type needs).
///
/// Sinch 1.2.117 has no named template parameters (`{{order_id}}` with a parameter-format field): neither the facts
/// (part A §3.3, T3 body) nor the OpenAPI description (`WhatsappTemplateDetailsInputDto`, component and button DTOs)
/// has such a field, so a `{{name}}` is an error.
enum TemplateLint {
    /// A `{{…}}` (WhatsApp) or `#{…}` (KakaoTalk) in a text, by UTF-8 offsets.
    struct Placeholder {
        var name: String
        var start: Int
        var end: Int
        var number: Int? {
            guard !name.isEmpty, name.utf8.count <= 3, name.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
                return nil
            }
            return Int(name)
        }
    }

    // MARK: WhatsApp (part A §3.3)

    static func whatsappTemplate(_ address: String, _ spec: ManifestValue) -> [Diagnostic] {
        guard let components = spec["details"]?["components"]?.array else { return [] }
        var lint = Lint(address: address + ".details.components")
        for (index, component) in components.enumerated() {
            lint.component(component, path: "[\(index)]", inCard: false)
        }
        return lint.diagnostics
    }

    // MARK: KakaoTalk (part B §3)

    static func kakaotalkTemplate(_ address: String, _ spec: ManifestValue) -> [Diagnostic] {
        guard let details = spec["details"] else { return [] }
        var lint = Lint(address: address + ".details")
        lint.kakaotalk(details)
        return lint.diagnostics
    }

    /// `{{…}}` in `text`.
    static func whatsappPlaceholders(_ text: String) -> [Placeholder] {
        placeholders(text, open: doubleOpen, close: doubleClose)
    }

    private static let doubleOpen = Array("{{".utf8)
    private static let doubleClose = Array("}}".utf8)
    private static let hashOpen = Array("#{".utf8)
    private static let singleClose = Array("}".utf8)

    /// `#{…}` in `text`; an opening without its `}` comes back with `end` -1.
    static func kakaotalkPlaceholders(_ text: String) -> [Placeholder] {
        placeholders(text, open: hashOpen, close: singleClose)
    }

    /// Every opening (`open`: two bytes) with its name up to `close` (one or two bytes, all the same byte). One pass
    /// over the bytes: this runs on every template text of a 10,000-resource validate.
    private static func placeholders(_ text: String, open: [UInt8], close: [UInt8]) -> [Placeholder] {
        let first = open[0]
        let second = open[1]
        let closing = close[0]
        let closeCount = close.count
        return text.withUTF8Bytes { bytes in
            var result: [Placeholder] = []
            var index = 0
            let count = bytes.count
            while index + 1 < count {
                guard bytes[index] == first, bytes[index + 1] == second else {
                    index += 1
                    continue
                }
                let nameStart = index + 2
                var end = nameStart
                while end < count,
                    !(bytes[end] == closing && (closeCount == 1 || (end + 1 < count && bytes[end + 1] == closing)))
                {
                    end += 1
                }
                let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<end]), as: UTF8.self)
                guard end < count else {
                    result.append(Placeholder(name: name, start: index, end: -1))
                    break
                }
                result.append(Placeholder(name: name, start: index, end: end + closeCount))
                index = end + closeCount
            }
            return result
        }
    }

    /// Characters of pictographic emoji (and their modifiers), which headers and footers refuse. No ASCII character is
    /// one: their properties are looked up only when the bytes say there is something else (the lookups were 1.5 % of
    /// loading 10,000 resources).
    static func containsEmoji(_ text: String) -> Bool {
        guard text.utf8.contains(where: { $0 >= 0x80 }) else { return false }
        return text.unicodeScalars.contains(where: isEmoji)
    }

    static func isEmoji(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isEmojiPresentation
            || (scalar.properties.isEmoji && scalar.value > 0x2000 && scalar.value != 0x20E3)
    }
}

private struct Lint {
    let address: String
    var diagnostics: [Diagnostic] = []

    init(address: String) {
        self.address = address
    }

    mutating func error(_ value: ManifestValue, _ path: String, _ message: String) {
        diagnostics.append(.error(at: value.location, "\(address)\(path): \(message)"))
    }

    mutating func warning(_ value: ManifestValue, _ path: String, _ message: String) {
        diagnostics.append(.warning(at: value.location, "\(address)\(path): \(message)"))
    }

    // MARK: WhatsApp

    mutating func component(_ component: ManifestValue, path: String, inCard: Bool) {
        let type = component.string("type") ?? ""
        let text = component["text"]
        switch type {
        case "BODY":
            guard let text, let body = text.string else { return }
            let placeholders = TemplateLint.whatsappPlaceholders(body)
            let count = variables(text, placeholders, path + ".text")
            examples(component["examples"], count: count, of: component, path: path, what: "the text")
            bodyShape(text, body, placeholders, path + ".text", count: count)
        case "HEADER" where component.string("format") == "TEXT":
            guard let text, let header = text.string else { return }
            let count = variables(text, TemplateLint.whatsappPlaceholders(header), path + ".text")
            // part A §3.3: a text header "may hold one variable".
            if count > 1 {
                error(
                    text, path + ".text",
                    "a header text may hold one variable (found \(count)); move the rest to the body")
            }
            examples(component["examples"], count: count, of: component, path: path, what: "the header text")
            plainLine(text, header, path + ".text", what: "a header text")
        case "HEADER":
            mediaExamples(component, path: path)
        case "FOOTER":
            guard let text, let footer = text.string else { return }
            // WhatsApp template guidelines: a footer has no variables.
            if !TemplateLint.whatsappPlaceholders(footer).isEmpty {
                error(text, path + ".text", "a footer cannot hold variables; move them to the body")
            }
            plainLine(text, footer, path + ".text", what: "a footer")
        case "BUTTONS":
            buttons(component["buttons"], path: path + ".buttons", inCard: inCard)
        case "CAROUSEL":
            cards(component["cards"], path: path + ".cards")
        default:
            break
        }
    }

    /// part A §3.3: a media header's examples are `{url, mimeType}` objects, and the server downloads the `url`, so it
    /// is an http(s) URL. (The schema types header examples loosely: a text header's are strings.)
    private mutating func mediaExamples(_ component: ManifestValue, path: String) {
        guard let examples = component["examples"]?.array else { return }
        for (index, example) in examples.enumerated() {
            let examplePath = path + ".examples[\(index)]"
            guard let url = example["url"] else {
                error(example, examplePath, "a media header example is {url: https://…, mimeType: …}")
                continue
            }
            let text = url.string ?? ""
            let lower = text.lowercased()
            if !(lower.hasPrefix("https://") || lower.hasPrefix("http://")) || text.contains(" ") {
                error(url, examplePath + ".url", "the server downloads this sample: expected an https://host/... URL")
            }
        }
    }

    /// Checks the `{{…}}` of a text; returns how many variables it has.
    private mutating func variables(
        _ value: ManifestValue, _ placeholders: [TemplateLint.Placeholder], _ path: String
    ) -> Int {
        guard !placeholders.isEmpty else { return 0 }
        var numbers: [Int] = []
        for placeholder in placeholders {
            if let number = placeholder.number {
                numbers.append(number)
            } else if isIdentifier(placeholder.name) {
                // No parameter-format field in Sinch 1.2.117 (part A §3.3): named parameters cannot be sent.
                error(
                    value, path,
                    "{{\(placeholder.name)}} is a named parameter, which the Sinch API (1.2.117) does not support; "
                        + "number the variables {{1}}, {{2}}, …")
            } else {
                error(
                    value, path,
                    "{{\(placeholder.name)}} is not a variable; write {{1}}, {{2}}, … (no spaces inside the braces)")
            }
        }
        let distinct = Set(numbers)
        // part A §3.3 ("{{1}}, {{2}}…"); WhatsApp template guidelines: variables are sequential from 1.
        if !distinct.isEmpty, distinct != Set(1...distinct.count) {
            let found = distinct.sorted().map { "{{\($0)}}" }.joined(separator: ", ")
            error(
                value, path, "variables must be numbered {{1}} to {{\(distinct.count)}} without gaps (found \(found))")
        }
        return distinct.count
    }

    /// part A §3.3: one example per variable (body, header text, card body).
    private mutating func examples(
        _ examples: ManifestValue?, count: Int, of component: ManifestValue, path: String, what: String
    ) {
        let given = examples?.array?.count ?? 0
        if count > 0, given == 0 {
            error(
                component, path,
                "\(what) has \(count) variable\(count == 1 ? "" : "s") but no examples; add examples: with one sample each"
            )
        } else if let examples, given != count {
            error(
                examples, path + ".examples",
                "\(given) example\(given == 1 ? "" : "s") for \(count) variable\(count == 1 ? "" : "s") in \(what); give one per variable"
            )
        }
    }

    /// WhatsApp template guidelines: no variable at the start or end of the body, none directly after another, and
    /// not more variables than the length of the text carries.
    private mutating func bodyShape(
        _ value: ManifestValue, _ text: String, _ placeholders: [TemplateLint.Placeholder], _ path: String, count: Int
    ) {
        guard let first = placeholders.first, let last = placeholders.last else { return }
        let bytes = Array(text.utf8)
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if bytes[..<first.start].allSatisfy(isSpace) {
            error(value, path, "the body cannot start with a variable; put words before {{\(first.name)}}")
        }
        if last.end >= 0, bytes[last.end...].allSatisfy(isSpace) {
            error(value, path, "the body cannot end with a variable; put words after {{\(last.name)}}")
        }
        for (a, b) in zip(placeholders, placeholders.dropFirst()) where a.end == b.start {
            error(value, path, "{{\(a.name)}}{{\(b.name)}}: two variables need text between them")
        }
        // Meta gives no exact ratio for "too many variable parameters relative to the message length", so this is a
        // warning at a low bar: fewer than five characters of fixed text (not counting spaces) per variable.
        var fixed = 0
        var cursor = 0
        for placeholder in placeholders where placeholder.end >= 0 {
            fixed += bytes[cursor..<placeholder.start].filter { !isSpace($0) && $0 & 0xC0 != 0x80 }.count
            cursor = placeholder.end
        }
        fixed += bytes[cursor...].filter { !isSpace($0) && $0 & 0xC0 != 0x80 }.count
        if count > 0, fixed < 5 * count {
            warning(
                value, path,
                "\(count) variable\(count == 1 ? "" : "s") in \(fixed) characters of fixed text; WhatsApp refuses templates with too many variables for their length"
            )
        }
    }

    /// Whether `text` has a "\n" character. By bytes first: a text with no newline byte has none, and walking its
    /// characters (grapheme breaking, a `Character` made for each) was the check's cost for every header, footer and
    /// button text.
    private static func hasLineBreak(_ text: String) -> Bool {
        text.utf8.contains(UInt8(ascii: "\n")) && text.contains("\n")
    }

    /// WhatsApp template guidelines: header text and footers are one plain line, without emoji.
    private mutating func plainLine(_ value: ManifestValue, _ text: String, _ path: String, what: String) {
        if Self.hasLineBreak(text) {
            warning(value, path, "\(what) cannot hold line breaks; WhatsApp's review refuses them")
        }
        if TemplateLint.containsEmoji(text) {
            warning(value, path, "\(what) cannot hold emoji; WhatsApp's review refuses them")
        }
    }

    private mutating func buttons(_ value: ManifestValue?, path: String, inCard: Bool) {
        guard let value, let buttons = value.array else { return }
        // WhatsApp template guidelines: at most 10 buttons, of which at most 2 URL and 1 phone number.
        let limits: [(String?, Int, String)] = [
            (nil, 10, "ten buttons"), ("URL", 2, "two URL buttons"), ("PHONE_NUMBER", 1, "one phone-number button"),
        ]
        for (type, limit, name) in limits where !inCard {
            let count = type.map { t in buttons.count { $0.string("type") == t } } ?? buttons.count
            if count > limit { error(value, path, "a template may have at most \(name) (found \(count))") }
        }
        var seen: [String: Int] = [:]
        for (index, button) in buttons.enumerated() {
            // Made only for a message: nearly every button passes.
            var buttonPath: String { path + "[\(index)]" }
            let type = button.string("type") ?? ""
            if inCard, !["URL", "QUICK_REPLY", "PHONE_NUMBER"].contains(type) {
                // part A §3.3, carousel card buttons.
                error(button, buttonPath, "a carousel card takes URL, QUICK_REPLY or PHONE_NUMBER buttons, not \(type)")
            }
            if let text = button.string("text") {
                // part A §3.3: the (type, text) pairs of the buttons are unique.
                let key = type + "\u{0}" + text
                if let first = seen[key] {
                    error(button, buttonPath, "the same \(type) button text as buttons[\(first)]; button texts differ")
                } else {
                    seen[key] = index
                }
                if Self.hasLineBreak(text) {
                    warning(button, buttonPath + ".text", "a button text cannot hold line breaks")
                }
            }
            if type == "URL", let url = button["url"] { urlButton(button, url, buttonPath) }
        }
    }

    /// part A §3.3, URL buttons: one `{{1}}`, at the end; examples exactly when dynamic; not wa.me or whatsapp.com.
    private mutating func urlButton(_ button: ManifestValue, _ url: ManifestValue, _ path: String) {
        guard let text = url.string else { return }
        let placeholders = TemplateLint.whatsappPlaceholders(text)
        let dynamic = !placeholders.isEmpty
        if placeholders.count > 1 || placeholders.contains(where: { $0.name != "1" })
            || (placeholders.first.map { $0.end != text.utf8.count } ?? false)
        {
            error(url, path + ".url", "a dynamic URL ends with {{1}} and has no other variable")
        }
        let examples = button["examples"]?.array ?? []
        if dynamic, examples.count != 1 {
            error(
                button, path,
                "a dynamic URL needs one example (a full sample URL) in examples (found \(examples.count))")
        } else if !dynamic, !examples.isEmpty {
            error(
                button, path + ".examples",
                "only a dynamic URL (ending with {{1}}) takes examples (400 template_invalid_button_example)")
        }
        let host = text.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first?.lowercased() ?? ""
        for restricted in ["wa.me", "whatsapp.com"] where host == restricted || host.hasSuffix("." + restricted) {
            error(
                url, path + ".url",
                "URL buttons cannot link to \(restricted) (409 template_restricted_Domain_for_button_url)")
        }
    }

    /// part A §3.3: every card has the same components.
    private mutating func cards(_ value: ManifestValue?, path: String) {
        guard let cards = value?.array else { return }
        var firstTypes: [String]?
        for (index, card) in cards.enumerated() {
            let components = card["components"]?.array ?? []
            let types = components.compactMap { $0.string("type") }.sorted()
            if let firstTypes, types != firstTypes {
                error(
                    card, path + "[\(index)]",
                    "every card has the same components (cards[0]: \(firstTypes.joined(separator: ", ")); this one: \(types.joined(separator: ", ")))"
                )
            }
            if firstTypes == nil { firstTypes = types }
            for (position, component) in components.enumerated() {
                self.component(component, path: path + "[\(index)].components[\(position)]", inCard: true)
            }
        }
    }

    // MARK: KakaoTalk

    mutating func kakaotalk(_ details: ManifestValue) {
        guard let content = details["content"], let text = content.string else { return }
        let placeholders = TemplateLint.kakaotalkPlaceholders(text)
        for placeholder in placeholders {
            // Kakao AlimTalk review guide: a variable is #{name}; the name has no spaces or braces. Kakao's review
            // refuses the template; the Sinch API takes it, so these are warnings.
            if placeholder.end < 0 {
                warning(content, ".content", "#{ without its closing }: write #{name}")
            } else if placeholder.name.isEmpty || placeholder.name.contains(where: { $0.isWhitespace || $0 == "{" }) {
                warning(
                    content, ".content", "#{\(placeholder.name)} is not a variable name: write #{name} without spaces")
            }
        }
        let closed = placeholders.filter { $0.end >= 0 }
        // Kakao AlimTalk review guide: at most 40 variables.
        if closed.count > 40 {
            warning(content, ".content", "\(closed.count) variables; Kakao's review accepts at most 40")
        }
        // Kakao AlimTalk review guide: 1,000 characters once the variables are filled. Counted with the variables as
        // empty, plus 10 characters each, what a short value (a name, a date) takes.
        let fixed = text.count - closed.reduce(0) { $0 + $1.name.count + 3 }
        let filled = fixed + 10 * closed.count
        if filled > 1000 {
            warning(
                content, ".content",
                "about \(filled) characters once \(closed.count) variables are filled (10 characters each); Kakao sends at most 1,000"
            )
        }
        kakaotalkTypes(details)
    }

    /// Kakao AlimTalk review guide (part B §3.2 lists these as Kakao's rules, unconfirmed on Sinch's pages): the
    /// fields each message and emphasis type needs.
    private mutating func kakaotalkTypes(_ details: ManifestValue) {
        let messageType = details.string("messageType") ?? "BASIC"
        let emphasis = details.string("emphasizeType") ?? "EMPHASIZE_TYPE_NONE"
        let buttons = details["buttons"]?.array ?? []
        if ["EXTRA_INFORMATION", "MIXED"].contains(messageType), details["extra"] == nil {
            warning(details, "", "messageType \(messageType) needs extra (the additional information block)")
        }
        if ["AD_INCLUDED", "MIXED"].contains(messageType),
            !buttons.contains(where: { $0.string("type") == "CHANNEL_ID_ADDED" })
        {
            warning(details, "", "messageType \(messageType) needs a CHANNEL_ID_ADDED button")
        }
        if emphasis == "EMPHASIZE_TYPE_TEXT", details["title"] == nil {
            warning(details, "", "emphasizeType EMPHASIZE_TYPE_TEXT needs a title")
        }
        if emphasis == "EMPHASIZE_TYPE_IMAGE", details["imageUrl"] == nil {
            warning(details, "", "emphasizeType EMPHASIZE_TYPE_IMAGE needs imageUrl (and imageName)")
        }
    }

    private func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || (0x61...0x7A).contains(first | 0x20) else {
            return false
        }
        return name.utf8.allSatisfy {
            $0 == UInt8(ascii: "_") || (0x61...0x7A).contains($0 | 0x20) || (0x30...0x39).contains($0)
        }
    }
}
