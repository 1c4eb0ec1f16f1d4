import Foundation

/// The one sanitiser every value passes through before it is rendered: text from manifests and from the API must
/// not drive a terminal (ANSI/OSC escapes), change the structure of a Markdown comment, or open an HTML tag.
///
/// Controls become visible escapes (`\u{1B}`, `\n`, `\t`), so a reviewer sees that they are there.
enum SafeText {
    /// `text` with every C0 control (newline too, unless `keepNewlines`), DEL, C1 control, line or paragraph
    /// separator and bidirectional override written as an escape.
    static func printable(_ text: String, keepNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepNewlines: keepNewlines) }) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar, keepNewlines: keepNewlines) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default: result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return result
    }

    static func needsEscape(_ scalar: Unicode.Scalar, keepNewlines: Bool) -> Bool {
        switch scalar.value {
        case 0x0A: return !keepNewlines
        case 0x00..<0x20, 0x7F...0x9F: return true
        // Line and paragraph separators, and the bidirectional embeddings, overrides and isolates that can make
        // text read differently from what it is.
        case 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return true
        default: return false
        }
    }

    // MARK: HTML

    /// Text safe between HTML tags and inside a quoted attribute.
    static func html(_ text: String, keepNewlines: Bool = false) -> String {
        var result = ""
        for character in printable(text, keepNewlines: keepNewlines) {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    // MARK: Markdown

    /// Prose safe in Markdown: it stays plain text on one line. Newlines and controls are escaped (no block can
    /// start), the characters that open inline constructs are backslash-escaped (emphasis, strikethrough, code,
    /// links, images, maths, table cells), `&<>` are entities (no HTML tag or entity), and bare URLs and e-mail
    /// addresses are broken up so that GitHub does not turn them into links.
    static func markdown(_ text: String) -> String {
        var result = ""
        var previous: Character = " "
        for character in printable(text) {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case ":": result += "&#58;"
            case "@": result += "&#64;"
            case "\\", "`", "*", "_", "[", "]", "!", "|", "~", "$": result += "\\" + String(character)
            case "." where previous == "w" || previous == "W": result += "\\."
            default: result.append(character)
            }
            previous = character
        }
        return result
    }

    /// An inline code span that shows `text` literally (GitHub links nothing inside code): the fence is longer
    /// than any run of backticks in the text, newlines and controls are escaped, and in a table cell `|` is
    /// escaped as GitHub requires.
    static func markdownCode(_ text: String, inTable: Bool = false) -> String {
        var body = printable(text)
        if inTable { body = body.replacingOccurrences(of: "|", with: "\\|") }
        let fence = String(repeating: "`", count: longestRun(of: "`", in: body) + 1)
        let pad = body.hasPrefix("`") || body.hasSuffix("`") || body.isEmpty ? " " : ""
        return fence + pad + body + pad + fence
    }

    static func longestRun(of character: Character, in text: String) -> Int {
        var longest = 0
        var current = 0
        for each in text {
            current = each == character ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }
}
