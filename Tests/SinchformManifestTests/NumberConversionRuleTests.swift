import Foundation
import Testing

/// The rule of docs/CONTRIBUTING.md, "Numbers from outside": a floating-point value converted to a fixed-width
/// integer traps when it is out of range, so each such conversion is either `exactly:` or marked
/// `// range-checked: WHY` (on its line or the line above).
///
/// The scan is textual and deliberately narrow: a conversion `Int(`, `Int64(`, `UInt(`… whose argument mentions a
/// floating-point value the usual ways (`seconds`, `.number`, `doubleValue`, `Double`, `.rounded(`).
@Suite struct NumberConversionRuleTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    static let conversions = ["Int", "Int8", "Int16", "Int32", "Int64", "UInt", "UInt8", "UInt16", "UInt32", "UInt64"]
    static let floatingMarkers = ["seconds", "Seconds", ".number", "doubleValue", "Double", ".rounded("]
    static let safeLabels = ["exactly:", "clamping:", "truncatingIfNeeded:", "bitPattern:"]
    static let marker = "// range-checked:"

    /// The unmarked conversions of a source text, as line numbers.
    static func offenders(in text: String) -> [Int] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var found: [Int] = []
        for (index, line) in lines.enumerated() {
            if line.contains(marker) || (index > 0 && lines[index - 1].contains(marker)) { continue }
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("//") { continue }
            if arguments(of: line).contains(where: isUnsafe) { found.append(index + 1) }
        }
        return found
    }

    /// The argument text of each fixed-width integer conversion on a line (up to its closing parenthesis).
    static func arguments(of line: String) -> [Substring] {
        var result: [Substring] = []
        var index = line.startIndex
        while let open = line[index...].firstIndex(of: "(") {
            defer { index = line.index(after: open) }
            let name = line[..<open].reversed().prefix { $0.isLetter || $0.isNumber }
            guard conversions.contains(String(name.reversed())) else { continue }
            // Not part of a longer name (`toInt(`, `.Int(`) and not a type in a declaration.
            let before = line[..<open].dropLast(name.count).last
            if let before, before.isLetter || before.isNumber || before == "." || before == "_" { continue }
            var depth = 0
            var end = line.endIndex
            for position in line[open...].indices {
                if line[position] == "(" { depth += 1 }
                if line[position] == ")" {
                    depth -= 1
                    if depth == 0 {
                        end = position
                        break
                    }
                }
            }
            result.append(line[line.index(after: open)..<end])
        }
        return result
    }

    static func isUnsafe(_ argument: Substring) -> Bool {
        let trimmed = argument.drop { $0 == " " }
        if safeLabels.contains(where: { trimmed.hasPrefix($0) }) { return false }
        return floatingMarkers.contains { argument.contains($0) }
    }

    @Test func everyConversionOfAFloatingValueIsChecked() throws {
        let files = try #require(FileManager.default.enumerator(atPath: Self.sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }.sorted()
        #expect(files.count > 50, "the scan found only \(files.count) files under \(Self.sources.path)")
        var unmarked: [String] = []
        for file in files {
            let text = try String(contentsOf: Self.sources.appendingPathComponent(file), encoding: .utf8)
            unmarked += Self.offenders(in: text).map { "Sources/\(file):\($0)" }
        }
        let message =
            "a floating-point value converted without `exactly:` or a `// range-checked: WHY` comment "
            + "(docs/CONTRIBUTING.md, \"Numbers from outside\"):\n\(unmarked.joined(separator: "\n"))"
        #expect(unmarked.isEmpty, Comment(rawValue: message))
    }

    /// The scan itself: what it finds and what it lets pass.
    @Test func scanFindsTheUncheckedForms() {
        #expect(Self.offenders(in: "let a = Int(seconds)") == [1])
        #expect(Self.offenders(in: "x = .milliseconds(Int64((value * 1000).rounded()))") == [1])
        #expect(Self.offenders(in: "let n = UInt16(json.number ?? 0)") == [1])
        #expect(Self.offenders(in: "let n = Int(exactly: seconds)") == [])
        #expect(Self.offenders(in: "let n = Int(text)") == [])
        #expect(Self.offenders(in: "let n = toInt(seconds)") == [])
        #expect(Self.offenders(in: "// range-checked: below 86,400\nlet n = Int(seconds)") == [])
        #expect(Self.offenders(in: "let n = Int(seconds)  // range-checked: a constant") == [])
    }
}
