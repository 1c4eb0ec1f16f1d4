import Foundation
import ProvisioningAPI
import Testing

@testable import SinchformEngine

/// No value reaches a terminal as a control sequence, changes the structure of a Markdown comment or opens an HTML
/// tag (audit finding 17).
@Suite struct SafeOutputTests {
    private let renderer = PlanRenderer()

    /// Controls no rendering may hold: ESC, BEL, CSI (C1), the bidirectional override.
    private static let forbidden: [Unicode.Scalar] = ["\u{1B}", "\u{07}", "\u{9B}", "\u{202E}", "\u{0}"]

    @Test func textHasNoControlSequenceFromAValue() throws {
        for colour in [false, true] {
            let output = try PlanRenderer(color: colour).render(RenderingSamples.hostile, format: .text)
            // Colour is the renderer's own SGR escapes; none other may appear.
            let withoutColour = output.replacing(#/\x{1B}\[[0-9;]*m/#, with: "")
            for scalar in Self.forbidden {
                #expect(!withoutColour.unicodeScalars.contains(scalar), "\(scalar.value) in text (colour \(colour))")
            }
            #expect(withoutColour.contains("\\u{1B}]0;PWNED\\u{7}\\u{1B}[31m"), "the escapes are shown, escaped")
            #expect(withoutColour.contains("\\u{9B}2J \\u{202E}txt"))
            #expect(!withoutColour.contains("\n## All checks"), "a newline in a value starts no line of its own")
        }
    }

    @Test func jsonEscapesWhatTheEncoderLeavesRawAndStillDecodesTheSame() throws {
        let json = try renderer.render(RenderingSamples.hostile, format: .json)
        for scalar in Self.forbidden + ["\u{7F}", "\u{85}", "\u{2028}"] {
            #expect(!json.unicodeScalars.contains(scalar), "\(scalar.value) in JSON")
        }
        #expect(json.contains("\\u009B2J \\u202Etxt"))
        #expect(try JSONDecoder().decode(Plan.self, from: Data(json.utf8)) == RenderingSamples.hostile)
        let plain = Data("{\"a\": \"é ✓\"}".utf8)
        #expect(PlanRenderer.escapingControls(plain) == plain)
    }

    @Test func sanitiserEscapesC0C1AndBidiButKeepsText() {
        #expect(SafeText.printable("a\u{1B}[31mb\tc\nd") == "a\\u{1B}[31mb\\tc\\nd")
        #expect(SafeText.printable("x\ny", keepNewlines: true) == "x\ny")
        #expect(SafeText.printable("\u{85}\u{9F}\u{7F}\u{2028}\u{2066}") == "\\u{85}\\u{9F}\\u{7F}\\u{2028}\\u{2066}")
        #expect(SafeText.printable("배송 조회 ✅ é") == "배송 조회 ✅ é")
        #expect(SafeText.html("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
    }

    @Test func markdownStructureCannotBeChangedByAValue() throws {
        let markdown = try renderer.render(RenderingSamples.hostile, format: .markdown)
        for scalar in Self.forbidden {
            #expect(!markdown.unicodeScalars.contains(scalar), "\(scalar.value) in Markdown")
        }
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        // Outside the diff fences, the only heading is the renderer's own, and no line is an image or a raw tag
        // from a value.
        var fence: Substring?
        var headings: [Substring] = []
        // What GitHub interprets: the lines outside fences, without their code spans (shown literally).
        var interpreted: [String] = []
        for line in lines {
            if let open = fence {
                if line == open { fence = nil }
                continue
            }
            if line.hasPrefix("```") {
                fence = line.prefix { $0 == "`" }
                continue
            }
            if line.hasPrefix("#") { headings.append(line) }
            let prose = String(line).replacing(#/(`+).*?\1/#, with: "")
            interpreted.append(prose)
            #expect(!prose.contains("<script"), "\(line)")
            #expect(!prose.contains("](https://attacker"), "a link or image from a value: \(line)")
            #expect(!prose.contains("https://attacker"), "a bare URL GitHub would link: \(line)")
        }
        #expect(fence == nil, "every fence is closed")
        #expect(headings == ["## sinchform plan"])
        let changes = RenderingSamples.hostile.changes.count
        let structure = interpreted.joined(separator: "\n")
        #expect(structure.components(separatedBy: "<details>").count - 1 == changes)
        #expect(structure.components(separatedBy: "</details>").count - 1 == changes)
        #expect(structure.components(separatedBy: "</summary>").count - 1 == changes)
        #expect(structure.components(separatedBy: "<").count - 1 == changes * 6, "only the renderer's own tags")
        #expect(markdown.contains("rejected: ``"), "the rejection reason is code in the table")
        // A table row stays one line with its four cells: five pipes that are not escaped.
        let rows = lines.filter { $0.contains(" | `~` update | ") }
        #expect(rows.count == changes)
        for row in rows {
            #expect(row.replacing("\\|", with: "").count { $0 == "|" } == 5, "\(row)")
        }
    }

    @Test func codeSpansOutgrowBackticksAndEscapePipesInTables() {
        #expect(SafeText.markdownCode("a ` b") == "``a ` b``")
        #expect(SafeText.markdownCode("`x`") == "`` `x` ``")
        #expect(SafeText.markdownCode("a|b", inTable: true) == "`a\\|b`")
        #expect(SafeText.markdownCode("a\nb") == "`a\\nb`")
    }

    @Test func proseEscapesEveryInlineConstruct() {
        let escaped = SafeText.markdown(
            "*a* _b_ [c](https://x.example) ![d](e) `f` ~g~ $h$ <i> www.j.example k@l.example")
        for raw in ["*a*", "_b_", "[c]", "![d]", "`f`", "~g~", "$h$", "<i>", "https://", "www.", "k@l"] {
            #expect(!escaped.contains(raw), "\(raw) in \(escaped)")
        }
    }

    @Test func aTruncatedCommentSaysWhatItLeftOut() throws {
        let markdown = try PlanRenderer(markdownLimit: 5_000).render(RenderingSamples.large(200), format: .markdown)
        let note = try #require(markdown.split(separator: "\n").last)
        #expect(note.hasPrefix("> **Note:** "))
        #expect(note.contains(" of 200 changes are omitted to keep this comment under 5000 characters ("))
        #expect(note.contains(" to update): `webhook.hook-"))
        #expect(note.contains(" more. Run `sinchform show PLANFILE` to see them all."))
        let shown = markdown.components(separatedBy: "<details>").count - 1
        #expect(note.contains("`webhook.hook-\(shown)`"), "the first omitted change is named")
        #expect(note.contains(" and \(200 - shown - PlanRenderer.omittedAddressesNamed) more."))
        #expect(markdown.utf16.count <= 5_000)
    }
}
