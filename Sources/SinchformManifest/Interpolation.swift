/// `${env.NAME}` in manifest text, as DESIGN "Interpolation and variables" fixes it: the only interpolation; `$${`
/// writes a literal `${`; a `${` followed directly by `{` is literal (`Total: ${{1}}`, a price before a template
/// variable); anything else after `${` is an error.
public enum Interpolation {
    /// The variables sinchform reads for its own credentials: never interpolated, so a manifest (which anyone who
    /// opens a pull request can edit) cannot print them in a plan or send them to the API. The tokens sinchform
    /// obtains are held in memory only and are in no variable.
    public static let forbiddenVariables: Set<String> = ["SINCH_KEY_ID", "SINCH_KEY_SECRET"]

    /// A value from a variable whose name contains one of these is sensitive wherever it lands.
    public static let sensitiveWords = ["SECRET", "TOKEN", "PASSWORD", "PASSWD", "CREDENTIAL", "PRIVATE"]

    public static func isSensitive(variable name: String) -> Bool {
        let upper = name.uppercased()
        return sensitiveWords.contains { upper.contains($0) }
    }

    /// `text` written so that interpolation gives it back unchanged: every `${` as `$${` (what `import` writes).
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "$")) else { return text }
        // By byte, as `expand` reads: a String search compares characters, and a combining mark after `{` would
        // hide a `${` from it.
        var output: [UInt8] = []
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if previous == UInt8(ascii: "$"), byte == UInt8(ascii: "{") { output.append(UInt8(ascii: "$")) }
            output.append(byte)
            previous = byte
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The outcome of expanding one scalar.
    struct Expansion {
        var text: String
        /// The variables whose values were put in, in order.
        var variables: [String] = []
        /// Whether any of them is sensitive.
        var sensitive = false
        /// Problems, each with the ordinal of its `${` among the `${` of the raw text (to find its column).
        var problems: [(occurrence: Int, message: String)] = []
    }

    /// Expands `text`. Works on UTF-8 bytes: `$`, `{` and `}` are ASCII, so they never fall inside a character.
    static func expand(_ text: String, environment: [String: String]) -> Expansion {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "$")) else { return Expansion(text: text) }
        let dollar = UInt8(ascii: "$")
        let open = UInt8(ascii: "{")
        let close = UInt8(ascii: "}")
        var result = Expansion(text: "")
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var occurrence = 0
        var index = 0
        func at(_ offset: Int) -> UInt8? { offset < bytes.count ? bytes[offset] : nil }
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == dollar else {
                output.append(byte)
                index += 1
                continue
            }
            if at(index + 1) == dollar, at(index + 2) == open {
                // `$${`: a literal `${` (its `${` is one occurrence in the raw text).
                output += [dollar, open]
                occurrence += 1
                index += 3
                continue
            }
            guard at(index + 1) == open else {
                output.append(byte)
                index += 1
                continue
            }
            defer { occurrence += 1 }
            if at(index + 2) == open {
                // `${{`: literal; the `{{…}}` that follows is a template variable.
                output += [dollar, open]
                index += 2
                continue
            }
            guard let end = bytes[(index + 2)...].firstIndex(of: close) else {
                result.problems.append(
                    (occurrence, "unterminated ${: write ${env.NAME}, or $${ for a literal ${"))
                break
            }
            let expression = String(decoding: bytes[(index + 2)..<end], as: UTF8.self)
            index = end + 1
            guard expression.hasPrefix("env."), case let name = String(expression.dropFirst(4)), isVariableName(name)
            else {
                let shown = expression.count > 40 ? String(expression.prefix(37)) + "..." : expression
                result.problems.append(
                    (
                        occurrence,
                        "unknown interpolation ${\(shown)}; only ${env.NAME} is supported (write $${ for a literal ${)"
                    ))
                continue
            }
            if forbiddenVariables.contains(name) {
                result.problems.append(
                    (
                        occurrence,
                        "${env.\(name)} is sinchform's own credential and cannot be used in a manifest; "
                            + "use a variable of your own"
                    ))
                continue
            }
            guard let value = environment[name] else {
                result.problems.append(
                    (occurrence, "environment variable \(name) is not set; export it or remove ${env.\(name)}"))
                continue
            }
            output += value.utf8
            result.variables.append(name)
            if isSensitive(variable: name) { result.sensitive = true }
        }
        result.text = String(decoding: output, as: UTF8.self)
        return result
    }

    private static func isVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || (0x30...0x39).contains($0) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}
