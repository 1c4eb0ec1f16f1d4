import Foundation

/// Checks located YAML against a schema, producing typed values and every problem found (not only the first).
struct SchemaValidator {
    let environment: [String: String]
    private(set) var diagnostics: [Diagnostic] = []
    private let patterns = PatternCache()

    init(environment: [String: String]) {
        self.environment = environment
    }

    mutating func error(_ location: SourceLocation, _ path: String, _ message: String) {
        diagnostics.append(.error(at: location, path.isEmpty ? message : "\(path): \(message)"))
    }

    /// The typed value of `node`, or nil when it does not fit `type` (the reasons are in `diagnostics`).
    mutating func check(_ node: YAMLNode, _ type: SchemaType, path: String) -> ManifestValue? {
        switch type {
        case let .string(rules):
            guard let (text, _) = scalar(node, expected: "a string", path: path) else { return nil }
            checkString(text, rules, at: node.location, path: path)
            return ManifestValue(.string(text), at: node.location)
        case let .number(rules):
            guard let (text, fromEnvironment) = scalar(node, expected: "a number", path: path) else { return nil }
            guard isPlainOrInterpolated(node, fromEnvironment), let value = Double(text), value.isFinite else {
                error(node.location, path, "expected a number, found \(describe(node, text))")
                return nil
            }
            if rules.integer, value.rounded() != value {
                error(node.location, path, "expected a whole number, found \(text)")
            }
            if let minimum = rules.minimum, value < minimum {
                error(node.location, path, "must be at least \(format(minimum)) (found \(text))")
            }
            if let maximum = rules.maximum, value > maximum {
                error(node.location, path, "must be at most \(format(maximum)) (found \(text))")
            }
            return ManifestValue(.number(value), at: node.location)
        case .boolean:
            guard let (text, fromEnvironment) = scalar(node, expected: "true or false", path: path) else { return nil }
            guard isPlainOrInterpolated(node, fromEnvironment), let value = YAMLNode.boolValue(text) else {
                error(node.location, path, "expected true or false, found \(describe(node, text))")
                return nil
            }
            return ManifestValue(.bool(value), at: node.location)
        case let .enumeration(allowed):
            guard let (text, _) = scalar(node, expected: "one of the allowed values", path: path) else {
                return nil
            }
            guard allowed.contains(text) else {
                error(node.location, path, Suggestion.notAllowed(text, allowed))
                return nil
            }
            return ManifestValue(.string(text), at: node.location)
        case let .array(items, rules):
            return checkArray(node, items, rules, path: path)
        case let .object(object):
            return checkObject(node, object, path: path)
        case let .map(keys, values):
            guard case let .mapping(pairs) = node.kind else {
                error(node.location, path, "expected a mapping, found \(node.kindDescription)")
                return nil
            }
            var result: [String: ManifestValue] = [:]
            for (key, value) in pairs {
                guard let name = key.scalarText else {
                    error(key.location, path, "a key must be a plain value, found \(key.kindDescription)")
                    continue
                }
                let keyPath = path + "." + name
                checkString(name, keys, at: key.location, path: keyPath)
                if let checked = check(value, values, path: keyPath) { result[name] = checked }
            }
            return ManifestValue(.object(result), at: node.location)
        case let .oneOf(discriminator, variants):
            guard case let .mapping(pairs) = node.kind else {
                error(node.location, path, "expected a mapping, found \(node.kindDescription)")
                return nil
            }
            guard let tagNode = pairs.first(where: { $0.key.scalarText == discriminator })?.value,
                let tag = tagNode.scalarText
            else {
                error(node.location, path, "missing required field '\(discriminator)'")
                return nil
            }
            guard let variant = variants.first(where: { $0.value == tag }) else {
                error(tagNode.location, path + "." + discriminator, Suggestion.notAllowed(tag, variants.map(\.value)))
                return nil
            }
            let tagField = Field(discriminator, .enumeration([tag]), required: true, "")
            return checkObject(
                node, ObjectSchema(variant.schema.description, [tagField] + variant.schema.fields), path: path)
        case .any:
            return untyped(node)
        }
    }

    // MARK: Pieces

    private mutating func checkArray(
        _ node: YAMLNode, _ items: SchemaType, _ rules: ArrayRules, path: String
    )
        -> ManifestValue?
    {
        guard case let .sequence(elements) = node.kind else {
            error(node.location, path, "expected a list, found \(node.kindDescription)")
            return nil
        }
        if let minItems = rules.minItems, elements.count < minItems {
            error(
                node.location, path,
                "needs at least \(minItems) item\(minItems == 1 ? "" : "s") (found \(elements.count))")
        }
        if let maxItems = rules.maxItems, elements.count > maxItems {
            error(node.location, path, "may have at most \(maxItems) items (found \(elements.count))")
        }
        var values: [ManifestValue] = []
        values.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            if let value = check(element, items, path: "\(path)[\(index)]") { values.append(value) }
        }
        if rules.uniqueItems {
            var seen: [ManifestValue.Kind: SourceLocation] = [:]
            for value in values {
                if let first = seen[value.kind] {
                    error(value.location, path, "duplicate item (first at line \(first.line), column \(first.column))")
                } else {
                    seen[value.kind] = value.location
                }
            }
        }
        if let field = rules.uniqueBy {
            var seen: [String: SourceLocation] = [:]
            for value in values {
                guard let key = value[field]?.string else { continue }
                if let first = seen[key] {
                    error(
                        value.location, path,
                        "more than one item with \(field) \(key) (first at line \(first.line), column \(first.column))")
                } else {
                    seen[key] = value.location
                }
            }
        }
        return ManifestValue(.array(values), at: node.location)
    }

    private mutating func checkObject(_ node: YAMLNode, _ object: ObjectSchema, path: String) -> ManifestValue? {
        guard case let .mapping(pairs) = node.kind else {
            error(node.location, path, "expected a mapping, found \(node.kindDescription)")
            return nil
        }
        var result: [String: ManifestValue] = [:]
        var present = Set<String>()
        for (key, value) in pairs {
            guard let name = key.scalarText else {
                error(key.location, path, "a key must be a plain value, found \(key.kindDescription)")
                continue
            }
            guard let field = object.field(name) else {
                var message = "unknown field '\(name)'"
                let names = object.fields.map(\.name)
                if let suggestion = Suggestion.closest(to: name, in: names) {
                    message += "; did you mean '\(suggestion)'?"
                } else if !names.isEmpty {
                    message += "; known fields: \(names.joined(separator: ", "))"
                }
                error(key.location, path, message)
                continue
            }
            present.insert(name)
            // An explicit null for an optional field is the same as leaving it out.
            if value.isNull, !field.required { continue }
            if let checked = check(value, field.type, path: path + "." + name) { result[name] = checked }
        }
        for field in object.fields where field.required && !present.contains(field.name) {
            error(node.location, path, "missing required field '\(field.name)'")
        }
        return ManifestValue(.object(result), at: node.location)
    }

    private mutating func checkString(_ text: String, _ rules: StringRules, at location: SourceLocation, path: String) {
        // A character is one to four UTF-8 bytes: characters are counted only when the byte count cannot settle a
        // limit.
        let bytes = text.utf8.count
        if let minLength = rules.minLength, bytes < 4 * minLength, case let length = text.count, length < minLength {
            error(
                location, path,
                "must be at least \(minLength) character\(minLength == 1 ? "" : "s") long (found \(length))")
        }
        if let maxLength = rules.maxLength, bytes > maxLength, case let length = text.count, length > maxLength {
            error(location, path, "must be at most \(maxLength) characters long (found \(length))")
        }
        if let pattern = rules.pattern, !patterns.matches(pattern, text) {
            let shown = text.count > 60 ? String(text.prefix(57)) + "..." : text
            error(location, path, "'\(shown)' must be \(rules.patternHint ?? "a match for \(pattern)")")
        }
        switch rules.format {
        case .url?:
            // Template variables ({{1}}) are allowed in URLs; check the rest.
            let probe = text.replacingOccurrences(of: "{{", with: "").replacingOccurrences(of: "}}", with: "")
            guard let components = URLComponents(string: probe), let scheme = components.scheme?.lowercased(),
                scheme == "https" || scheme == "http", let host = components.host, !host.isEmpty
            else {
                error(location, path, "'\(text)' is not a URL (expected https://host/...)")
                return
            }
        case .email?:
            if !patterns.matches(#"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, text) {
                error(location, path, "'\(text)' is not an e-mail address")
            }
        case nil:
            break
        }
    }

    /// The text of a scalar after `${env.NAME}` interpolation, or nil (with a diagnostic) for other nodes.
    private mutating func scalar(_ node: YAMLNode, expected: String, path: String) -> (String, Bool)? {
        guard case let .scalar(text, _) = node.kind, !node.isNull else {
            error(node.location, path, "expected \(expected), found \(node.kindDescription)")
            return nil
        }
        return interpolate(text, at: node.location, path: path)
    }

    private mutating func interpolate(_ text: String, at location: SourceLocation, path: String) -> (String, Bool)? {
        // A byte scan first: most scalars have no `$`, and `String.contains(_:)` of a string goes through Foundation.
        guard text.utf8.contains(UInt8(ascii: "$")), text.contains("${") else { return (text, false) }
        var output = ""
        var rest = Substring(text)
        var failed = false
        while let start = rest.range(of: "${") {
            output += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                error(location, path, "unterminated ${ in '\(text)'")
                return nil
            }
            let expression = rest[start.upperBound..<end]
            if expression.hasPrefix("env."), case let name = String(expression.dropFirst(4)),
                patterns.matches("^[A-Za-z_][A-Za-z0-9_]*$", name)
            {
                if let value = environment[name] {
                    output += value
                } else {
                    error(location, path, "environment variable \(name) is not set; export it or remove ${env.\(name)}")
                    failed = true
                }
            } else {
                error(location, path, "unknown interpolation ${\(expression)}; only ${env.NAME} is supported")
                failed = true
            }
            rest = rest[rest.index(after: end)...]
        }
        output += rest
        return failed ? nil : (output, true)
    }

    private func isPlainOrInterpolated(_ node: YAMLNode, _ fromEnvironment: Bool) -> Bool {
        if case let .scalar(_, plain) = node.kind { return plain || fromEnvironment }
        return false
    }

    private func describe(_ node: YAMLNode, _ text: String) -> String {
        if case let .scalar(_, plain) = node.kind, !plain { return "the string '\(text)'" }
        return "'\(text)'"
    }

    private mutating func untyped(_ node: YAMLNode) -> ManifestValue? {
        switch node.kind {
        case let .scalar(text, plain):
            guard let (value, fromEnvironment) = interpolate(text, at: node.location, path: "") else { return nil }
            if plain && !fromEnvironment {
                if node.isNull { return ManifestValue(.null, at: node.location) }
                if let bool = YAMLNode.boolValue(value) { return ManifestValue(.bool(bool), at: node.location) }
                if let number = Double(value), number.isFinite {
                    return ManifestValue(.number(number), at: node.location)
                }
            }
            return ManifestValue(.string(value), at: node.location)
        case let .sequence(items):
            return ManifestValue(.array(items.compactMap { untyped($0) }), at: node.location)
        case let .mapping(pairs):
            var result: [String: ManifestValue] = [:]
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

/// Compiled regular expressions of one validator (one file): no lock, so files validated in parallel never wait
/// on each other for every string they check.
final class PatternCache {
    private var compiled: [String: NSRegularExpression?] = [:]

    func matches(_ pattern: String, _ text: String) -> Bool {
        let expression: NSRegularExpression?
        if let cached = compiled[pattern] {
            expression = cached
        } else {
            expression = try? NSRegularExpression(pattern: pattern)
            compiled[pattern] = expression
        }
        guard let expression else { return false }
        let range = NSRange(text.startIndex..., in: text)
        return expression.firstMatch(in: text, options: [.anchored], range: range) != nil
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
