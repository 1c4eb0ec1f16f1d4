import ArgumentParser
import Foundation
import SinchformEngine

extension Sinchform {
    struct WhatsAppCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "whatsapp",
            abstract: "Embedded-signup helpers: a long-lived access token, and the WABAs and numbers a token reaches.",
            discussion: """
                The Facebook code or token is read only from the environment variable named, never from a flag. \
                The API marks both operations deprecated.
                """,
            subcommands: [Token.self, WABAs.self])
    }
}

extension Sinchform.WhatsAppCommand {
    /// `--business-manager`: the Sinch business managers of part C §2.2.
    enum BusinessManager: String, ExpressibleByArgument, CaseIterable {
        case SINCH_AMERICA, SINCH_BR, SINCH_MX, SINCH_SEP, SINCH_UK
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Exchange an embedded-signup code or token for a long-lived access token (valid 60 days).",
            discussion: "Prints only the token, on standard output. Exit 0 done, 1 error.")

        @Option(help: "The environment variable holding the single-use embedded-signup code.")
        var facebookCodeEnv: String?
        @Option(help: "The environment variable holding a Facebook (or long-lived) access token.")
        var facebookTokenEnv: String?
        @Option(help: "The Sinch business manager.") var businessManager: BusinessManager?
        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            guard (facebookCodeEnv == nil) != (facebookTokenEnv == nil) else {
                throw ValidationError("give exactly one of --facebook-code-env and --facebook-token-env")
            }
        }

        func run() async throws {
            try await CommandSupport.run {
                Output.error(whatsappOnboardingDeprecation)
                let credential: FacebookCredential
                if let facebookCodeEnv {
                    credential = .code(
                        try Sinchform.WhatsAppCommand.secret(from: facebookCodeEnv, "--facebook-code-env"))
                } else {
                    credential = .token(
                        try Sinchform.WhatsAppCommand.secret(from: facebookTokenEnv ?? "", "--facebook-token-env"))
                }
                let token = try await connection.session().whatsappToken(
                    credential, businessManager: businessManager?.rawValue)
                Output.line(token)
            }
        }
    }

    struct WABAs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "wabas",
            abstract: "List the WhatsApp Business Accounts and numbers shared with a Facebook token.",
            discussion: """
                --format yaml prints a whatsappSenders: snippet for the numbers not provisioned yet. \
                Exit 0 done, 1 error.
                """)

        @Option(help: "The environment variable holding the Facebook access token.") var facebookTokenEnv: String
        @Option(help: "The Sinch business manager.") var businessManager: BusinessManager?
        @Option(help: "Output format: text, json or yaml.") var format: WABAListing.Format = .text
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await CommandSupport.run {
                Output.error(whatsappOnboardingDeprecation)
                let token = try Sinchform.WhatsAppCommand.secret(from: facebookTokenEnv, "--facebook-token-env")
                let wabas = try await connection.session().whatsappWABAs(
                    facebookToken: token, businessManager: businessManager?.rawValue)
                Output.write(WABAListing.render(wabas, format: format))
            }
        }
    }

    /// The value of the environment variable `name`; an error naming it (never a value) when unset or empty.
    static func secret(from name: String, _ option: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw EngineError.configuration(
                "\(option) \(name): the environment variable \(name) is not set or empty; export it and run again")
        }
        return value
    }
}

extension WABAListing.Format: ExpressibleByArgument {}
