import Foundation
import Logging
import ProvisioningAPI
import ProvisioningEmulator
import SinchformTestSupport

/// The shared emulator harness with a client under test (its log lines captured) and an uncapped admin client
/// that seeds resources.
struct APIHarness {
    let emulator: EmulatorHarness
    let client: ProvisioningClient
    let admin: ProvisioningClient
    let logs: LogCapture

    static let keyId = "sinchform-key"
    static let keySecret = "sinchform-secret"
    static let project = "sinchform-project"

    var baseURL: String { emulator.baseURL }
    var control: EmulatorControl { emulator.control }

    /// Small retry waits so fault tests stay fast.
    static let fastRetry = RetryPolicy(
        maxAttempts: 5, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50), maxRetryAfter: .seconds(2))

    static func run(
        auth: ProvisioningConfiguration.AuthMode = .oauth,
        emulator configureEmulator: (inout EmulatorConfiguration) -> Void = { _ in },
        client configureClient: (inout ProvisioningConfiguration) -> Void = { _ in },
        _ body: (APIHarness) async throws -> Void
    ) async throws {
        // Reviews end when a test says so, not because a loaded machine let 3 s of real time pass.
        try await EmulatorHarness.run(reviewDelay: .seconds(300), configure: configureEmulator) { emulator in
            let logs = LogCapture()
            var configuration = try emulator.configuration(auth: auth, retry: fastRetry)
            configureClient(&configuration)
            try await withProvisioningClient(configuration: configuration, logger: logs.logger()) { client in
                try await emulator.withClient(auth: .basic, retry: RetryPolicy(maxAttempts: 1)) { admin in
                    try await body(APIHarness(emulator: emulator, client: client, admin: admin, logs: logs))
                }
            }
        }
    }

    static func configuration(
        baseURL: String, auth: ProvisioningConfiguration.AuthMode
    ) throws
        -> ProvisioningConfiguration
    {
        try ProvisioningConfiguration(
            environment: [
                "SINCH_PROJECT_ID": project, "SINCH_KEY_ID": keyId, "SINCH_KEY_SECRET": keySecret,
                "SINCH_AUTH": auth.rawValue, "SINCH_PROVISIONING_URL": baseURL,
                "SINCH_AUTH_URL": baseURL + "/oauth2/token",
            ])
    }

    func requests(_ method: String, pathSuffix: String) async throws -> [EmulatorControl.RecordedRequest] {
        try await control.requests().filter { $0.method == method && $0.path.hasSuffix(pathSuffix) }
    }

    var tokenRequests: [EmulatorControl.RecordedRequest] {
        get async throws { try await control.requests().filter { $0.path == "/oauth2/token" } }
    }

    /// A valid webhook body with a distinct target.
    static func webhook(_ index: Int, secret: String = "whsec-0123456789") -> JSONValue {
        [
            "target": .string("https://hooks.example.com/sinch/\(String(format: "%03d", index))"),
            "secret": .string(secret),
            "triggers": ["WHATSAPP_TEMPLATE_APPROVED", "WHATSAPP_TEMPLATE_REJECTED"],
        ]
    }
}

extension PostResult {
    var completedBody: JSONValue? {
        if case .completed(let body) = self { return body }
        return nil
    }

    var unknownError: APIError? {
        if case .outcomeUnknown(let error) = self { return error }
        return nil
    }
}
