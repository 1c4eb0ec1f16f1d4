import Foundation
import JSONSyntax
import Synchronization

/// Checks located YAML against a schema, producing typed values and every problem found (not only the first).
struct SchemaValidator {
    let environment: [String: String]
    /// The file's bytes, to find the column of a problem inside a scalar.
    let source: SourceText
    private(set) var diagnostics: [Diagnostic] = []
    /// The resource being checked, for the diagnostics' `address`.
    var address: String?
    /// Values made from secret-named variables so far: a resource whose checks leave it unchanged has none, and its
    /// tree need not be walked for them.
    private(set) var sensitiveValues = 0
    /// The variables whose values were put in, so that no later message can show those values.
    private(set) var usedVariables: Set<String> = []
    private let patterns = PatternCache()
    /// Where the value being checked is: the path `check` was given, then the keys and positions below it. Made into
    /// text only for a message (`path`), since nearly every value passes: building the text for every field and item
    /// was most of the validator's string work.
    private var root = ""
    private var steps: [Step] = []
    /// The nodes of the value being checked, whose keys the steps name.
    private var nodes: YAMLNodes?

    /// A step below `root`: a member, by its key's node (its text is read only for a message: holding the text
    /// retained and released it for every field checked), or an item.
    private enum Step {
        case key(Int32)
        case index(Int)
    }

    init(environment: [String: String], source: SourceText = SourceText([])) {
        self.environment = environment
        self.source = source
    }

    mutating func error(_ location: SourceLocation, _ path: String, _ message: String) {
        diagnostics.append(
            Diagnostic(.error, at: location, path.isEmpty ? message : "\(path): \(message)", address: address))
    }

    /// The typed value of `node`, or nil when it does not fit `type` (the reasons are in `diagnostics`, each naming
    /// the value below `path`). A number outside its range is reported and dropped, so no later check converts it.
    mutating func check(_ node: YAMLNode, _ type: SchemaType, path: String) -> ManifestValue? {
        root = path
        steps.removeAll(keepingCapacity: true)
        nodes = node.nodes
        return checked(node, type)
    }

    /// Checks a resource name (a mapping key, so text even when plain) against its kind's rules.
    mutating func checkName(_ name: String, _ rules: StringRules, at location: SourceLocation, path: String) {
        root = path
        steps.removeAll(keepingCapacity: true)
        guard let scalar = interpolate(name, plain: false, at: location) else { return }
        checkString(scalar.text, rules, at: location, variables: scalar.variables)
    }

    /// The path of the value being checked, as messages name it (`whatsappTemplate.a.details.components[1].text`).
    private var path: String {
        var text = root
        for step in steps {
            switch step {
            case let .key(key): text += "." + (nodes?.entries[Int(key)].text ?? "")
            case let .index(index): text += "[\(index)]"
            }
        }
        return text
    }

    /// A problem with the value being checked.
    private mutating func error(_ location: SourceLocation, _ message: String) {
        error(location, path, message)
    }

    /// `node` checked as the member or item `step` of the value being checked.
    private mutating func checked(_ node: YAMLNode, _ type: SchemaType, at step: Step) -> ManifestValue? {
        steps.append(step)
        defer { steps.removeLast() }
        return checked(node, type)
    }

    private mutating func checked(_ node: YAMLNode, _ type: SchemaType) -> ManifestValue? {
        switch type {
        case let .string(rules):
            guard let scalar = scalar(node, expected: "a string") else { return nil }
            checkString(scalar.text, rules, at: node.location, variables: scalar.variables)
            return scalar.value(.string(scalar.text), at: node.location)
        case let .number(rules):
            guard let scalar = scalar(node, expected: "a number") else { return nil }
            guard scalar.plain, let value = Double(scalar.text), value.isFinite else {
                error(node.location, "expected a number, found \(scalar.described)")
                return nil
            }
            var fits = true
            if rules.integer, value.rounded() != value {
                error(node.location, "expected a whole number, found \(scalar.shown)")
                fits = false
            }
            if let minimum = rules.minimum, value < minimum {
                error(node.location, "must be at least \(format(minimum)) (found \(scalar.shown))")
                fits = false
            }
            if let maximum = rules.maximum, value > maximum {
                error(node.location, "must be at most \(format(maximum)) (found \(scalar.shown))")
                fits = false
            }
            return fits ? scalar.value(.number(value), at: node.location) : nil
        case .boolean:
            guard let scalar = scalar(node, expected: "true or false") else { return nil }
            guard scalar.plain, let value = YAMLNode.boolValue(scalar.text) else {
                error(node.location, "expected true or false, found \(scalar.described)")
                return nil
            }
            return scalar.value(.bool(value), at: node.location)
        case let .enumeration(allowed):
            guard let scalar = scalar(node, expected: "one of the allowed values") else { return nil }
            guard allowed.contains(scalar.text) else {
                if scalar.variables.isEmpty {
                    error(node.location, Suggestion.notAllowed(scalar.text, allowed))
                } else {
                    error(
                        node.location,
                        "\(scalar.shown) is not an allowed value (allowed: \(allowed.joined(separator: ", ")))")
                }
                return nil
            }
            return scalar.value(.string(scalar.text), at: node.location)
        case let .array(items, rules):
            return checkArray(node, items, rules)
        case let .object(object):
            return checkObject(node, object)
        case let .map(keys, values):
            guard case let .mapping(pairs) = node.kind else {
                error(node.location, "expected a mapping, found \(node.kindDescription)")
                return nil
            }
            var result: SortedMembers<ManifestValue> = [:]
            for (key, value) in pairs {
                guard let name = key.scalarText else {
                    error(key.location, "a key must be a plain value, found \(key.kindDescription)")
                    continue
                }
                steps.append(.key(key.index))
                checkString(name, keys, at: key.location)
                steps.removeLast()
                if let checked = checked(value, values, at: .key(key.index)) { result[name] = checked }
            }
            return ManifestValue(.object(result), at: node.location)
        case let .oneOf(discriminator, variants):
            guard case let .mapping(pairs) = node.kind else {
                error(node.location, "expected a mapping, found \(node.kindDescription)")
                return nil
            }
            guard let tagIndex = pairs.firstIndex(where: { $0.key.scalarText == discriminator }),
                case let tagNode = pairs[tagIndex].value, let tag = tagNode.scalarText
            else {
                error(node.location, "missing required field '\(discriminator)'")
                return nil
            }
            guard let variant = variants.firstIndex(where: { $0.value == tag }).map({ variants[$0] }) else {
                steps.append(.key(pairs[tagIndex].key.index))
                error(tagNode.location, Suggestion.notAllowed(tag, variants.map(\.value)))
                steps.removeLast()
                return nil
            }
            // The tag is one of the variants' values (none has a `$` or reads as null): its value is the text.
            return checkObject(
                node, variant.schema, tag: (discriminator, ManifestValue(.string(tag), at: tagNode.location)))
        case .any:
            return untyped(node)
        }
    }

    // MARK: Pieces

    private mutating func checkArray(_ node: YAMLNode, _ items: SchemaType, _ rules: ArrayRules) -> ManifestValue? {
        guard case let .sequence(elements) = node.kind else {
            error(node.location, "expected a list, found \(node.kindDescription)")
            return nil
        }
        if let minItems = rules.minItems, elements.count < minItems {
            error(
                node.location,
                "needs at least \(minItems) item\(minItems == 1 ? "" : "s") (found \(elements.count))")
        }
        if let maxItems = rules.maxItems, elements.count > maxItems {
            error(node.location, "may have at most \(maxItems) items (found \(elements.count))")
        }
        var values: [ManifestValue] = []
        values.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            if let value = checked(element, items, at: .index(index)) { values.append(value) }
        }
        if rules.uniqueItems {
            var seen: [ManifestValue.Kind: SourceLocation] = [:]
            for value in values {
                if let first = seen[value.kind] {
                    error(value.location, "duplicate item (first at line \(first.line), column \(first.column))")
                } else {
                    seen[value.kind] = value.location
                }
            }
        }
        if let field = rules.uniqueBy {
            var seen: [String: SourceLocation] = [:]
            for value in values {
                guard let key = value.string(field) else { continue }
                if let first = seen[key] {
                    error(
                        value.location,
                        "more than one item with \(field) \(key) (first at line \(first.line), column \(first.column))")
                } else {
                    seen[key] = value.location
                }
            }
        }
        return ManifestValue(.array(values), at: node.location)
    }

    /// The mapping at `node` checked as `object`, with `tag` (a ``SchemaType/oneOf(discriminator:variants:)``'s
    /// discriminator and its value, already checked) as a member besides the fields.
    private mutating func checkObject(
        _ node: YAMLNode, _ object: ObjectSchema, tag: consuming (key: String, value: ManifestValue)? = nil
    ) -> ManifestValue? {
        guard case let .mapping(pairs) = node.kind else {
            error(node.location, "expected a mapping, found \(node.kindDescription)")
            return nil
        }
        let fields = object.fields
        // Each checked value waits at its field's position, and the object is made by reading them in the order of the
        // fields' names: no key is compared with another, and no member inserted.
        return withUnsafeTemporaryAllocation(of: ManifestValue?.self, capacity: fields.count) { checkedFields in
            checkedFields.initialize(repeating: nil)
            defer { checkedFields.deinitialize() }
            var requiredFound = 0
            for (key, value) in pairs {
                guard let name = key.scalarText else {
                    error(key.location, "a key must be a plain value, found \(key.kindDescription)")
                    continue
                }
                if tag?.key == name { continue }
                // Fields are read in place, not copied (a `Field` copied is four retains and four releases).
                guard let position = object.position(of: name) else {
                    var message = "unknown field '\(name)'"
                    let names = (tag.map { [$0.key] } ?? []) + fields.map(\.name)
                    if let suggestion = Suggestion.closest(to: name, in: names) {
                        message += "; did you mean '\(suggestion)'?"
                    } else if !names.isEmpty {
                        message += "; known fields: \(names.joined(separator: ", "))"
                    }
                    error(key.location, message)
                    continue
                }
                let required = fields[position].required
                if required { requiredFound += 1 }
                // An explicit null for an optional field is the same as leaving it out.
                if value.isNull, !required { continue }
                checkedFields[position] = checked(value, fields[position].type, at: .key(key.index))
            }
            // Keys are unique (the YAML loader refuses a repeated one), so when as many required fields were found as
            // there are, none is missing; only otherwise are the keys scanned for each (required fields are few).
            if requiredFound < object.requiredCount {
                for field in fields
                where field.required && !pairs.contains(where: { $0.key.scalarText == field.name }) {
                    error(node.location, "missing required field '\(field.name)'")
                }
            }
            var members: [(key: String, value: ManifestValue)] = []
            members.reserveCapacity(pairs.count)
            for position in object.positionsByName {
                // Moved out, not copied: a copy retained and released each member's value and location.
                guard let value = checkedFields[position].take() else { continue }
                let name = fields[position].name
                if tag.map({ $0.key < name }) == true, let pending = tag.take() { members.append(pending) }
                members.append((name, value))
            }
            if let pending = tag.take() { members.append(pending) }
            return ManifestValue(.object(SortedMembers(sortedMembers: members)), at: node.location)
        }
    }

    /// Messages name the value as `Scalar.shown` does: the text quoted, or the variables it came from (never their
    /// values); made only for a message, since nearly every string passes.
    private mutating func checkString(
        _ text: String, _ rules: StringRules, at location: SourceLocation, variables: [String] = []
    ) {
        var shown: String { Scalar(text: text, plain: false, variables: variables, sensitive: false).shown }
        // A character is one to four UTF-8 bytes: characters are counted only when the byte count cannot settle a
        // limit.
        let bytes = text.utf8.count
        if let minLength = rules.minLength, bytes < 4 * minLength, case let length = text.count, length < minLength {
            error(
                location,
                "must be at least \(minLength) character\(minLength == 1 ? "" : "s") long (found \(length))")
        }
        if let maxLength = rules.maxLength, bytes > maxLength, case let length = text.count, length > maxLength {
            error(location, "must be at most \(maxLength) characters long (found \(length))")
        }
        if let pattern = rules.pattern, !patterns.matches(pattern, text) {
            error(location, "\(shown) must be \(rules.patternHint ?? "a match for \(pattern)")")
        }
        switch rules.format {
        case .url?:
            // Template variables ({{1}}) are allowed in URLs; check the rest.
            guard let components = URLComponents(string: Self.withoutDoubleBraces(text)),
                let scheme = components.scheme?.lowercased(),
                scheme == "https" || scheme == "http", Self.hasHost(components)
            else {
                error(location, "\(shown) is not a URL (expected https://host/...)")
                return
            }
        case .uri?:
            // RFC 3986 §3.1: a scheme is a letter followed by letters, digits, +, - or .; an app link such as
            // daumapps://open has no host a web URL would need.
            if !patterns.matches(#"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$"#, text) {
                error(location, "\(shown) is not an absolute URI (expected scheme:..., e.g. myapp://open)")
            }
        case .email?:
            if !patterns.matches(#"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, text) {
                error(location, "\(shown) is not an e-mail address")
            }
        case nil:
            break
        }
    }

    /// Whether a URL names a host. `host` decodes the host first (percent escapes, then IDNA: 2.4 % of validating
    /// 10,000 resources) and is nil when that fails; a host written with neither a `%` nor a `--` (which every
    /// punycode label, `xn--`, has) decodes to itself, so it is read as written and only the others are decoded.
    static func hasHost(_ components: URLComponents) -> Bool {
        guard let written = components.encodedHost, !written.isEmpty else { return false }
        var previous: UInt8 = 0
        for byte in written.utf8 {
            if byte == UInt8(ascii: "%") || (byte == UInt8(ascii: "-") && previous == UInt8(ascii: "-")) {
                return components.host.map { !$0.isEmpty } ?? false
            }
            previous = byte
        }
        return true
    }

    /// `text` without its `{{`, then without its `}}`, each removed left to right as `replacingOccurrences` would.
    /// By bytes: Foundation's replacing goes through NSString, 9 % of loading 10,000 resources when every URL went
    /// that way. Removing ASCII bytes leaves UTF-8 valid.
    static func withoutDoubleBraces(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}") }) else { return text }
        var bytes = Array(text.utf8)
        for brace in [UInt8(ascii: "{"), UInt8(ascii: "}")] {
            var kept = 0
            var index = 0
            while index < bytes.count {
                if bytes[index] == brace, index + 1 < bytes.count, bytes[index + 1] == brace {
                    index += 2
                    continue
                }
                bytes[kept] = bytes[index]
                kept += 1
                index += 1
            }
            bytes.removeSubrange(kept...)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A scalar's text after interpolation, and how messages may name it.
    struct Scalar {
        var text: String
        /// Plain (not quoted) in the file, or made by interpolation: may be read as a number or boolean.
        var plain: Bool
        var variables: [String]
        var sensitive: Bool

        /// The value as a message may show it: quoted, or (when it came from the environment) the variables it was
        /// made from, never their values.
        var shown: String {
            guard !variables.isEmpty else { return Self.quoted(text) }
            return "the value of " + variables.map { "${env.\($0)}" }.joined(separator: " and ")
        }

        /// Like `shown`, saying "the string" for a quoted scalar where a number or boolean was expected.
        var described: String {
            variables.isEmpty && !plain ? "the string \(shown)" : shown
        }

        static func quoted(_ text: String) -> String {
            "'" + (text.count > 60 ? String(text.prefix(57)) + "..." : text) + "'"
        }

        func value(_ kind: ManifestValue.Kind, at location: SourceLocation) -> ManifestValue {
            var value = ManifestValue(kind, at: location)
            value.sensitive = sensitive
            return value
        }
    }

    /// The text of a scalar after `${env.NAME}` interpolation, or nil (with a diagnostic) for other nodes.
    private mutating func scalar(_ node: YAMLNode, expected: String) -> Scalar? {
        guard case let .scalar(text, plain) = node.kind, !node.isNull else {
            error(node.location, "expected \(expected), found \(node.kindDescription)")
            return nil
        }
        return interpolate(text, plain: plain, at: node.location)
    }

    /// `named`: whether its messages name the value's path (an untyped value's never have).
    private mutating func interpolate(
        _ text: String, plain: Bool, at location: SourceLocation, named: Bool = true
    )
        -> Scalar?
    {
        // A byte scan first: most scalars have no `$`.
        guard text.utf8.contains(UInt8(ascii: "$")) else {
            return Scalar(text: text, plain: plain, variables: [], sensitive: false)
        }
        let expansion = Interpolation.expand(text, environment: environment)
        for problem in expansion.problems {
            error(
                source.location(ofOccurrence: problem.occurrence, of: "${", from: location), named ? path : "",
                problem.message)
        }
        guard expansion.problems.isEmpty else { return nil }
        if expansion.sensitive { sensitiveValues += 1 }
        usedVariables.formUnion(expansion.variables)
        return Scalar(
            text: expansion.text, plain: plain || !expansion.variables.isEmpty, variables: expansion.variables,
            sensitive: expansion.sensitive)
    }

    private mutating func untyped(_ node: YAMLNode) -> ManifestValue? {
        switch node.kind {
        case let .scalar(text, plain):
            guard let scalar = interpolate(text, plain: plain, at: node.location, named: false) else { return nil }
            if plain && scalar.variables.isEmpty {
                if node.isNull { return ManifestValue(.null, at: node.location) }
                if let bool = YAMLNode.boolValue(scalar.text) { return ManifestValue(.bool(bool), at: node.location) }
                if let number = Double(scalar.text), number.isFinite {
                    return ManifestValue(.number(number), at: node.location)
                }
            }
            return scalar.value(.string(scalar.text), at: node.location)
        case let .sequence(items):
            return ManifestValue(.array(items.compactMap { untyped($0) }), at: node.location)
        case let .mapping(pairs):
            var result: SortedMembers<ManifestValue> = [:]
            for (key, value) in pairs {
                guard let name = key.scalarText else { continue }
                if let checked = untyped(value) { result[name] = checked }
            }
            return ManifestValue(.object(result), at: node.location)
        }
    }

    private func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// The regular expressions of one validator (one file), with their answers: no lock, so files validated in
/// parallel never wait on each other for every string they check. Each pattern is compiled once per process (compiled
/// per file, the language codes' alternation among them, they were 2.6 % of loading 10,000 resources in 100 files).
final class PatternCache {
    private final class Pattern {
        /// The pattern matched without ICU, when it can be (``SimplePattern``); its answers are not kept.
        let simple: SimplePattern?
        let expression: NSRegularExpression?
        /// Answers by text. Most texts checked against a pattern repeat (a language code under each of 3,000
        /// templates), and an answer looked up costs a fraction of a match.
        var answers: [String: Bool] = [:]

        init(_ pattern: String) {
            simple = SimplePattern(pattern)
            expression =
                simple != nil
                ? nil
                : PatternCache.compiled.withLock { compiled in
                    if let known = compiled[pattern] { return known }
                    let expression = try? NSRegularExpression(pattern: pattern)
                    compiled[pattern] = expression
                    return expression
                }
        }
    }

    /// Compiled expressions by pattern (nil: not a valid pattern). An `NSRegularExpression` is immutable, and matching
    /// with one from several threads is safe.
    private static let compiled = Mutex<[String: NSRegularExpression?]>([:])

    /// Answers kept per pattern: texts that never repeat (names) stop being kept after this many.
    private static let answersKept = 1024
    private var patterns: [String: Pattern] = [:]

    func matches(_ pattern: String, _ text: String) -> Bool {
        let entry: Pattern
        if let known = patterns[pattern] {
            entry = known
        } else {
            entry = Pattern(pattern)
            patterns[pattern] = entry
        }
        if let simple = entry.simple { return simple.matches(text) }
        if let answer = entry.answers[text] { return answer }
        guard let expression = entry.expression else { return false }
        let range = NSRange(text.startIndex..., in: text)
        let answer = expression.firstMatch(in: text, options: [.anchored], range: range) != nil
        if entry.answers.count < Self.answersKept { entry.answers[text] = answer }
        return answer
    }
}

/// "Did you mean" suggestions by edit distance.
enum Suggestion {
    /// "'utility' is not an allowed value; did you mean 'UTILITY'? (allowed: AUTHENTICATION, MARKETING, UTILITY)"
    static func notAllowed(_ value: String, _ allowed: [String]) -> String {
        var message = "'\(value)' is not an allowed value"
        if let suggestion = closest(to: value, in: allowed) { message += "; did you mean '\(suggestion)'?" }
        return message + " (allowed: \(allowed.joined(separator: ", ")))"
    }

    static func closest(to word: String, in candidates: [String]) -> String? {
        let lowered = word.lowercased()
        if let exact = candidates.first(where: { $0.lowercased() == lowered }) { return exact }
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            if distance <= max(1, min(3, candidate.count / 3)), distance < (best?.1 ?? .max) {
                best = (candidate, distance)
            }
        }
        return best?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
