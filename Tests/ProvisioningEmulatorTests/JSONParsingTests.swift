import JSONSyntax
import Testing

@testable import ProvisioningEmulator

/// The emulator's own `JSON` through the shared writer and parser (their rules: `JSONSyntaxTests`).
@Suite struct JSONParsingTests {
    @Test func roundTripsItsOwnOutput() {
        let value: JSON = ["text": "line\nbreak \u{1} \"quoted\" ünï", "list": [.number(1.5), -3, ["deep": nil]]]
        #expect(JSON.parse(value.serialized()) == value)
    }
}
