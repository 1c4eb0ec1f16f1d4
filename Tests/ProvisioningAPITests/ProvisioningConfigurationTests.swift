import Testing

@testable import ProvisioningAPI

@Suite struct ProvisioningConfigurationTests {
    let base = ["SINCH_PROJECT_ID": "p1", "SINCH_KEY_ID": "k1", "SINCH_KEY_SECRET": "s3cr3t-value"]

    @Test func defaults() throws {
        let configuration = try ProvisioningConfiguration(environment: base)
        #expect(configuration.projectId == "p1")
        #expect(configuration.authMode == .oauth)
        #expect(configuration.provisioningURL == "https://provisioning.api.sinch.com")
        #expect(configuration.authURL == "https://auth.sinch.com/oauth2/token")
        #expect(configuration.maxConcurrentRequestsPerHost == 8)
        #expect(configuration.requestTimeout == .seconds(30))
        #expect(configuration.maxResponseBodyBytes == 32 * 1024 * 1024)
    }

    @Test func manifestProjectWins() throws {
        let configuration = try ProvisioningConfiguration(environment: base, projectOverride: "from-manifest")
        #expect(configuration.projectId == "from-manifest")
        var withoutProject = base
        withoutProject["SINCH_PROJECT_ID"] = nil
        #expect(try ProvisioningConfiguration(environment: withoutProject, projectOverride: "m").projectId == "m")
    }

    @Test(arguments: ["SINCH_PROJECT_ID", "SINCH_KEY_ID", "SINCH_KEY_SECRET"])
    func missingVariableIsNamed(_ variable: String) throws {
        var environment = base
        environment[variable] = nil
        let error = try #require(throws: APIError.self) { try ProvisioningConfiguration(environment: environment) }
        #expect(error.kind == .configuration)
        #expect(error.description.contains(variable))
    }

    @Test func basicModeAndBadMode() throws {
        var environment = base
        environment["SINCH_AUTH"] = "basic"
        #expect(try ProvisioningConfiguration(environment: environment).authMode == .basic)
        environment["SINCH_AUTH"] = "kerberos"
        let error = try #require(throws: APIError.self) { try ProvisioningConfiguration(environment: environment) }
        #expect(error.description.contains("SINCH_AUTH"))
    }

    @Test(arguments: [
        "http://127.0.0.1:8080", "http://localhost:1234/", "http://[::1]:9000", "http://127.10.0.3",
        "https://provisioning.example.com",
    ])
    func acceptedURLs(_ url: String) throws {
        var environment = base
        environment["SINCH_PROVISIONING_URL"] = url
        let configuration = try ProvisioningConfiguration(environment: environment)
        #expect(!configuration.provisioningURL.hasSuffix("/"))
    }

    @Test(arguments: [
        ("SINCH_PROVISIONING_URL", "http://provisioning.api.sinch.com"),
        ("SINCH_AUTH_URL", "http://auth.example.com/oauth2/token"),
        ("SINCH_PROVISIONING_URL", "http://128.0.0.1"),
        ("SINCH_PROVISIONING_URL", "http://127.0.0.1.evil.com"),
        ("SINCH_PROVISIONING_URL", "ftp://127.0.0.1"),
        ("SINCH_PROVISIONING_URL", "not a url"),
    ])
    func refusedURLs(_ variable: String, _ url: String) throws {
        var environment = base
        environment[variable] = url
        let error = try #require(throws: APIError.self) { try ProvisioningConfiguration(environment: environment) }
        #expect(error.kind == .configuration)
        #expect(error.description.contains(variable))
    }

    @Test func secretNeverDescribed() throws {
        let configuration = try ProvisioningConfiguration(environment: base)
        for text in [
            configuration.description, configuration.debugDescription, String(describing: configuration),
            String(reflecting: configuration), "\(configuration)",
        ] {
            #expect(!text.contains("s3cr3t-value"))
        }
        #expect(configuration.description.contains("(sensitive)"))
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains("s3cr3t-value"))
        #expect(dumped.contains("k1"))
    }

    /// Security audit finding 18: a user and password in a base URL are refused, and no message repeats them,
    /// whatever else is wrong with the URL.
    @Test(arguments: [
        ("SINCH_PROVISIONING_URL", "http://user:URLPASS-CANARY@127.0.0.1:9"),
        ("SINCH_PROVISIONING_URL", "https://user:URLPASS-CANARY@provisioning.example.com"),
        ("SINCH_PROVISIONING_URL", "https://URLPASS-CANARY@provisioning.example.com/"),
        ("SINCH_AUTH_URL", "https://user:URLPASS-CANARY@auth.example.com/oauth2/token"),
        ("SINCH_PROVISIONING_URL", "https://user:URLPASS CANARY@provisioning.example.com"),
        ("SINCH_PROVISIONING_URL", "https://user:p/URLPASS-CANARY@provisioning.example.com"),
        ("SINCH_PROVISIONING_URL", "user:URLPASS-CANARY@provisioning.example.com"),
        ("SINCH_PROVISIONING_URL", "http://user:URLPASS-CANARY@example.com"),
        ("SINCH_PROVISIONING_URL", "https://user:URLPASS-CANARY@provisioning.example.com/?q=1"),
        ("SINCH_PROVISIONING_URL", "ftp://user:URLPASS-CANARY@127.0.0.1"),
    ])
    func credentialsInURLsAreRefusedUnprinted(_ variable: String, _ url: String) throws {
        var environment = base
        environment[variable] = url
        let error = try #require(throws: APIError.self) { try ProvisioningConfiguration(environment: environment) }
        #expect(error.kind == .configuration)
        #expect(error.description.contains(variable))
        #expect(!error.description.contains("URLPASS"), "\(error)")
        #expect(!error.description.contains("user"), "\(error)")
    }

    @Test func credentialsAreHiddenUpToTheLastAt() {
        #expect(
            ProvisioningConfiguration.withoutCredentials("https://u:p@q@host.example/x") == "https://…@host.example/x")
        #expect(ProvisioningConfiguration.withoutCredentials("u:p@host") == "…@host")
        #expect(ProvisioningConfiguration.withoutCredentials("u:p@x://host") == "…@x://host")
        #expect(ProvisioningConfiguration.withoutCredentials("https://host.example/x") == "https://host.example/x")
    }
}
