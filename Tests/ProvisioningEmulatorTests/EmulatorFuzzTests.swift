import Logging
import ProvisioningEmulator
import SinchformTestSupport
import Testing

/// The short version of `sinchform-bench fuzz-emulator`: a few thousand seeded requests (paths near the API's,
/// hostile numbers, bodies of every shape, control routes included, all with the emulator's key) against an
/// in-process emulator. None may crash it, and every non-2xx answer is a JSON error with an `errorCode`.
/// Huge, negative and NaN-like numbers included: the emulator range-checks every number (security audit 4).
@Suite struct EmulatorFuzzTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func seededRequestsGetWellFormedAnswers(_ seed: UInt64) async throws {
        let server = EmulatorServer(
            configuration: EmulatorConfiguration(),
            logger: Logger(label: "emulator", factory: { _ in SwiftLogNoOpLogHandler() }))
        let baseURL = try await server.start(host: "127.0.0.1", port: 0)
        let tally: FuzzTally
        do {
            tally = try await EmulatorFuzz.run(
                seed: seed, duration: .seconds(120), maxRequests: 400,
                baseURL: { baseURL }, crashed: { _ in nil })
        } catch {
            try? await server.stop()
            throw error
        }
        try await server.stop()
        print("emulator fuzz, seed \(seed): \(tally)")
        #expect(tally.requests == 400)
        #expect(tally.malformedCount == 0, "\(tally.malformed.joined(separator: "\n"))")
        #expect(tally.noAnswer == 0, "\(tally.malformed.joined(separator: "\n"))")
        // Some requests get past routing and validation: refused bodies and accepted ones.
        #expect((tally.byStatus[400] ?? 0) > 0)
        #expect(tally.byStatus.keys.contains { (200..<300).contains($0) })
    }
}
