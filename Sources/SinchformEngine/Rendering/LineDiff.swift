/// A line-by-line diff of two texts (longest common subsequence), for multi-line values such as template bodies.
enum LineDiff {
    /// One line of the diff.
    enum Line: Equatable, Sendable {
        /// In both texts.
        case same(String)
        /// Only in the old text.
        case removed(String)
        /// Only in the new text.
        case added(String)
        /// A run of this many unchanged lines left out (see `collapsed(context:)`).
        case skipped(Int)
    }

    /// Above this many cells the quadratic table is not built: the differing middle shows as removed then added.
    static let tableLimit = 4_000_000

    /// The lines of `old` and `new`, unchanged runs longer than `2 × context` shortened to their edges.
    /// A nil side has no lines (a value that appears or disappears).
    static func diff(_ old: String?, _ new: String?, context: Int = 3) -> [Line] {
        collapse(diff(lines(of: old), lines(of: new)), context: context)
    }

    /// The lines of a text; a final newline does not make an extra empty line.
    static func lines(of text: String?) -> [String] {
        guard let text else { return [] }
        // Character.isNewline covers "\n", "\r" and "\r\n" (one Character), so CRLF text splits the same way.
        var result = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        if result.count > 1, result.last == "" { result.removeLast() }
        return result
    }

    /// Every line of both inputs, in order, each marked same / removed / added.
    static func diff(_ old: [String], _ new: [String]) -> [Line] {
        // Common prefix and suffix first: most edits touch a few lines, so the table stays small.
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix,
            old[old.count - 1 - suffix] == new[new.count - 1 - suffix]
        {
            suffix += 1
        }
        let a = Array(old[prefix..<(old.count - suffix)])
        let b = Array(new[prefix..<(new.count - suffix)])
        var result = old[..<prefix].map(Line.same)
        result += middle(a, b)
        result += old[(old.count - suffix)...].map(Line.same)
        return result
    }

    private static func middle(_ a: [String], _ b: [String]) -> [Line] {
        guard !a.isEmpty, !b.isEmpty, a.count * b.count <= tableLimit else {
            return a.map(Line.removed) + b.map(Line.added)
        }
        // lengths[i][j]: length of the longest common subsequence of a[i...] and b[j...].
        let width = b.count + 1
        var lengths = [Int](repeating: 0, count: (a.count + 1) * width)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lengths[i * width + j] =
                    a[i] == b[j]
                    ? lengths[(i + 1) * width + j + 1] + 1
                    : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
            }
        }
        var result: [Line] = []
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                result.append(.same(a[i]))
                i += 1
                j += 1
            } else if lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
                result.append(.removed(a[i]))
                i += 1
            } else {
                result.append(.added(b[j]))
                j += 1
            }
        }
        result += a[i...].map(Line.removed)
        result += b[j...].map(Line.added)
        return result
    }

    /// Shortens unchanged runs to `context` lines on each side of a change.
    static func collapse(_ lines: [Line], context: Int) -> [Line] {
        var result: [Line] = []
        var index = 0
        while index < lines.count {
            guard case .same = lines[index] else {
                result.append(lines[index])
                index += 1
                continue
            }
            var end = index
            while end < lines.count, case .same = lines[end] { end += 1 }
            let run = lines[index..<end]
            let keepBefore = index == 0 ? 0 : context
            let keepAfter = end == lines.count ? 0 : context
            if run.count > keepBefore + keepAfter + 1 {
                result += run.prefix(keepBefore)
                result.append(.skipped(run.count - keepBefore - keepAfter))
                result += run.suffix(keepAfter)
            } else {
                result += run
            }
            index = end
        }
        return result
    }
}

extension LineDiff {
    /// A word-by-word diff of two one-line texts, as runs: `.same`, `.removed` and `.added` hold text (words with
    /// the spaces between them), never `.skipped`. A space between two changed words joins their runs, so that
    /// `[-a b-]{+c d+}` reads as one replacement.
    static func words(_ old: String, _ new: String) -> [Line] {
        var runs: [Line] = []
        var removed = ""
        var added = ""
        func flush() {
            if !removed.isEmpty { runs.append(.removed(removed)) }
            if !added.isEmpty { runs.append(.added(added)) }
            removed = ""
            added = ""
        }
        let pieces = diff(tokens(of: old), tokens(of: new))
        for (index, piece) in pieces.enumerated() {
            switch piece {
            case .removed(let text): removed += text
            case .added(let text): added += text
            case .same(let text):
                let changing = !removed.isEmpty || !added.isEmpty
                let changeFollows = pieces.dropFirst(index + 1).first.map { if case .same = $0 { false } else { true } }
                if changing, changeFollows == true, text.allSatisfy(\.isWhitespace) {
                    removed += text
                    added += text
                    continue
                }
                flush()
                if case .same(let last)? = runs.last {
                    runs[runs.count - 1] = .same(last + text)
                } else {
                    runs.append(.same(text))
                }
            case .skipped: break
            }
        }
        flush()
        return runs
    }

    /// Words and the runs of white space between them, in order: joined, they give the text back.
    static func tokens(of text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var inSpace = false
        for character in text {
            let space = character.isWhitespace
            if space != inSpace, !current.isEmpty {
                tokens.append(current)
                current = ""
            }
            inSpace = space
            current.append(character)
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }
}
