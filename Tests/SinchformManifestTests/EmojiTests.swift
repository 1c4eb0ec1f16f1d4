import Testing

@testable import SinchformManifest

/// Headers and footers refuse emoji; ASCII text is passed by its bytes alone.
@Suite struct EmojiTests {
    @Test func noASCIICharacterIsAnEmoji() {
        // What lets containsEmoji skip the property lookups for ASCII text.
        for value in UInt32(0)..<0x80 {
            #expect(!TemplateLint.isEmoji(Unicode.Scalar(value)!), "U+\(String(value, radix: 16))")
        }
        #expect(!TemplateLint.containsEmoji("Order #12 * 3 (c) ready"))
        #expect(TemplateLint.containsEmoji("Ready 😀"))
        #expect(TemplateLint.containsEmoji("\u{2764}\u{FE0F}"))
        #expect(!TemplateLint.containsEmoji("Grüße © 2026"))
    }
}
