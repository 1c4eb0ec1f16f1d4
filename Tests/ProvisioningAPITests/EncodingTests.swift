import Testing

@testable import ProvisioningAPI

@Suite struct EncodingTests {
    @Test func pathSegmentsAreEncoded() {
        #expect(ProvisioningClient.encodePathSegment("+48777777777") == "%2B48777777777")
        #expect(ProvisioningClient.encodePathSegment("@acme") == "@acme")
        #expect(ProvisioningClient.encodePathSegment("a b/c?d") == "a%20b%2Fc%3Fd")
        #expect(ProvisioningClient.encodePathSegment("ü") == "%C3%BC")
        #expect(ProvisioningClient.encodePathSegment("Az09-._~") == "Az09-._~")
        #expect(ProvisioningClient.encodePathSegment("\u{7F}\u{0}%") == "%7F%00%25")
    }

    @Test func queryValuesAreEncoded() {
        #expect(ProvisioningClient.encodeQuery("a+b c&d=e") == "a%2Bb%20c%26d%3De")
        #expect(ProvisioningClient.encodeQuery("@x/y") == "%40x%2Fy")
        #expect(ProvisioningClient.encodeQuery("CiQ0NTY3-._~") == "CiQ0NTY3-._~")
    }

    @Test(arguments: [
        ("http://127.0.0.1:8080/v1/projects/p?pageSize=1", "http://127.0.0.1:8080"),
        ("https://auth.sinch.com/oauth2/token", "https://auth.sinch.com"),
        ("https://host?q=1", "https://host"),
        ("https://host#part", "https://host"),
        ("https://host", "https://host"),
        ("no-scheme/path", "no-scheme/path"),
        ("relative//path", "relative//path"),
        ("https://host/a//b", "https://host"),
        ("http://user:pass@127.0.0.1:9/v1", "http://user:pass@127.0.0.1:9"),
    ])
    func requestsShareALimiterByOrigin(url: String, origin: String) {
        #expect(ProvisioningClient.origin(of: url) == origin)
    }

    @Test func projectPathEncodesEverySegment() async throws {
        let configuration = try ProvisioningConfiguration(
            projectId: "proj 1", keyId: "k", keySecret: "s", provisioningURL: "http://127.0.0.1:1")
        let client = ProvisioningClient(configuration: configuration)
        #expect(
            client.projectPath("rcs", "senders", "id-1", "testNumbers", "+12223334444")
                == "/v1/projects/proj%201/rcs/senders/id-1/testNumbers/%2B12223334444")
        try await client.shutdown()
    }

    @Test func outcomeUnknownDescriptionKeepsTheCause() {
        let cause = APIError(
            kind: .network, operation: "create webhook", message: "connection closed by the server",
            resource: "webhook.ops", url: "https://provisioning.api.sinch.com/v1/projects/p/webhooks")
        let unknown = APIError.outcomeUnknown(cause)
        #expect(unknown.kind == .outcomeUnknown)
        #expect(unknown.underlying?.kind == .network)
        #expect(
            unknown.description
                == "webhook.ops: create webhook outcome unknown (the connection to "
                + "https://provisioning.api.sinch.com broke (connection closed by the server)): the request may have been applied; look the resource up "
                + "before sending it again")
    }
}
