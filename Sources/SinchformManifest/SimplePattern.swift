/// An anchored regular expression made only of single-character steps, matched by Unicode scalar without ICU.
///
/// Most of the schema's patterns are such: `^[a-z0-9][a-z0-9_]*[a-z0-9]$` (a template's name), `^\+[1-9][0-9]{1,14}$`
/// (a phone number), `^[0-9]{4}$`. `NSRegularExpression` bridges each text to UTF-16 and runs ICU's matcher, and the
/// texts these patterns check (names, numbers) rarely repeat: a fifth of the validator's pattern checks' cost was
/// ICU's. A step is a literal character or a bracket class (ranges, `^` negation, escaped punctuation), with `*`, `+`,
/// `?`, `{n}` or `{n,m}`; a pattern with anything else (groups, alternation, `.`, `\s`, `\d`, lazy quantifiers) is
/// not one (``init(_:)`` is nil) and is left to `NSRegularExpression`. `$` means what it means there: the end, or
/// before one line terminator that ends the text.
struct SimplePattern {
    private struct Step {
        var ranges: [ClosedRange<UInt32>]
        var negated: Bool
        var least: Int
        var most: Int

        func accepts(_ scalar: Unicode.Scalar) -> Bool {
            ranges.contains { $0.contains(scalar.value) } != negated
        }
    }

    private let steps: [Step]

    init?(_ pattern: String) {
        var scalars = Array(pattern.unicodeScalars)
        guard scalars.first == "^", scalars.last == "$", scalars.count >= 2 else { return nil }
        scalars = Array(scalars[1..<(scalars.count - 1)])
        guard scalars.last != "\\" else { return nil }  // `\$`: a literal dollar, not the end
        var steps: [Step] = []
        var index = 0
        while index < scalars.count {
            guard var step = Self.atom(scalars, &index) else { return nil }
            guard Self.quantifier(scalars, &index, &step) else { return nil }
            steps.append(step)
        }
        self.steps = steps
    }

    /// The step of one literal or bracket class at `index`, which moves past it.
    private static func atom(_ scalars: [Unicode.Scalar], _ index: inout Int) -> Step? {
        let scalar = scalars[index]
        index += 1
        switch scalar {
        case "[":
            var step = Step(ranges: [], negated: false, least: 1, most: 1)
            if index < scalars.count, scalars[index] == "^" {
                step.negated = true
                index += 1
            }
            while index < scalars.count, scalars[index] != "]" {
                guard let low = literal(scalars, &index, inClass: true) else { return nil }
                var high = low
                if index + 1 < scalars.count, scalars[index] == "-", scalars[index + 1] != "]" {
                    index += 1
                    guard let end = literal(scalars, &index, inClass: true), end.value >= low.value else { return nil }
                    high = end
                }
                step.ranges.append(low.value...high.value)
            }
            guard index < scalars.count, !step.ranges.isEmpty else { return nil }
            index += 1  // "]"
            return step
        case "(", ")", "|", ".", "*", "+", "?", "{", "}", "$", "^", "]":
            return nil
        default:
            index -= 1
            guard let literal = literal(scalars, &index, inClass: false) else { return nil }
            return Step(ranges: [literal.value...literal.value], negated: false, least: 1, most: 1)
        }
    }

    /// A plain ASCII character or an escaped punctuation character at `index`, which moves past it; nil for an escape
    /// that names a class or a position (`\s`, `\d`, `\b`…), and for anything not ASCII.
    private static func literal(_ scalars: [Unicode.Scalar], _ index: inout Int, inClass: Bool) -> Unicode.Scalar? {
        var scalar = scalars[index]
        index += 1
        if scalar == "\\" {
            guard index < scalars.count else { return nil }
            scalar = scalars[index]
            index += 1
            guard scalar.isASCII, !scalar.properties.isAlphabetic, !("0"..."9").contains(scalar), scalar != " "
            else { return nil }
            return scalar
        }
        // Inside a class, `[` could open a POSIX class or a set operation in ICU; `&&` an intersection.
        guard scalar.isASCII, scalar.value >= 0x20, !(inClass && (scalar == "[" || scalar == "&")) else { return nil }
        return scalar
    }

    /// Reads a quantifier at `index` into `step`, if there is one; false when it is one this type does not take.
    private static func quantifier(_ scalars: [Unicode.Scalar], _ index: inout Int, _ step: inout Step) -> Bool {
        guard index < scalars.count else { return true }
        switch scalars[index] {
        case "*": (step.least, step.most) = (0, .max)
        case "+": (step.least, step.most) = (1, .max)
        case "?": (step.least, step.most) = (0, 1)
        case "{":
            guard let close = scalars[index...].firstIndex(of: "}") else { return false }
            let bounds = String(String.UnicodeScalarView(scalars[(index + 1)..<close])).split(
                separator: ",", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let least = Int(bounds[0]),
                let most = bounds.count == 1 ? least : Int(bounds[1]), least <= most
            else { return false }
            (step.least, step.most) = (least, most)
            index = close
        default: return true
        }
        index += 1
        // A lazy (`*?`) or possessive (`*+`) quantifier, or a second one.
        return index == scalars.count || !["*", "+", "?", "{"].contains(scalars[index])
    }

    func matches(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        return match(from: 0, at: 0, scalars)
    }

    /// Whether the steps from `step` on match the scalars from `position` to the end: each step takes as many as it
    /// can, and gives them back one by one while the rest does not match.
    private func match(from step: Int, at position: Int, _ scalars: [Unicode.Scalar]) -> Bool {
        guard step < steps.count else { return Self.isEnd(scalars[position...]) }
        let current = steps[step]
        var taken = 0
        while taken < current.most, position + taken < scalars.count, current.accepts(scalars[position + taken]) {
            taken += 1
        }
        while taken >= current.least {
            if match(from: step + 1, at: position + taken, scalars) { return true }
            taken -= 1
        }
        return false
    }

    /// Where `$` matches: the end, or one line terminator (CR LF counting as one) that ends the text.
    private static func isEnd(_ rest: ArraySlice<Unicode.Scalar>) -> Bool {
        switch rest.count {
        case 0: return true
        case 1:
            let terminators: [Unicode.Scalar] = ["\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}"]
            return terminators.contains(rest[rest.startIndex])
        case 2: return rest.elementsEqual(["\r", "\n"])
        default: return false
        }
    }
}
