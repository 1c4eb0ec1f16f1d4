import Foundation
import ProvisioningAPI
import SinchformManifest

/// What the API says of `longLivedAccessToken` and `wabaDetails` (part C §2.2, §2.3), for the commands to show.
public let whatsappOnboardingDeprecation =
    "note: the Provisioning API marks this operation deprecated; a later API version may remove it"

/// What an embedded signup gave, for `whatsapp token`: a single-use code or an access token (both secrets).
public enum FacebookCredential: Sendable {
    case code(String)
    case token(String)
}

extension Session {
    /// `whatsapp token`: exchanges an embedded-signup code, or a token, for a long-lived access token. The result
    /// is the token itself, a secret: its one consumer is the command's standard output.
    public func whatsappToken(
        _ credential: FacebookCredential, businessManager: String?, directory: String = "."
    ) async throws -> String {
        let given: ProvisioningClient.WhatsAppAccount.FacebookCredential =
            switch credential {
            case let .code(code): .code(code)
            case let .token(token): .token(token)
            }
        return try await withProjectClient(directory) { client in
            try await client.whatsappAccount.longLivedAccessToken(
                given, businessManager: businessManager, label: "whatsapp token"
            ).value
        }
    }

    /// `whatsapp wabas`: the WhatsApp Business Accounts a Facebook token reaches, with their numbers.
    public func whatsappWABAs(
        facebookToken: String, businessManager: String?, directory: String = "."
    ) async throws -> [ProvisioningClient.WhatsAppAccount.WABA] {
        try await withProjectClient(directory) { client in
            try await client.whatsappAccount.wabaDetails(
                facebookToken: facebookToken, businessManager: businessManager, label: "whatsapp wabas")
        }
    }

    /// A client for the project of `directory`'s lock file or the environment (no manifests are read).
    private func withProjectClient<Value: Sendable>(
        _ directory: String, _ body: (ProvisioningClient) async throws -> Value
    ) async throws -> Value {
        let workspace = workspace(directory)
        let project = try workspace.project(manifests: ManifestSet(), lock: workspace.readLock())
        return try await withClient(workspace, project: project, body)
    }
}

/// How `whatsapp wabas` prints WABAs: a table, JSON, or a `whatsappSenders:` manifest snippet.
public enum WABAListing {
    public enum Format: String, Sendable, CaseIterable {
        case text, json, yaml
    }

    public static func render(_ wabas: [ProvisioningClient.WhatsAppAccount.WABA], format: Format) -> String {
        switch format {
        case .text: return text(wabas)
        case .json: return json(wabas)
        case .yaml: return yaml(wabas)
        }
    }

    private static func text(_ wabas: [ProvisioningClient.WhatsAppAccount.WABA]) -> String {
        guard !wabas.isEmpty else { return "No WhatsApp Business Accounts are shared with this token.\n" }
        var text = ""
        for waba in wabas {
            text += "WABA \(waba.id)\n"
            if waba.numbers.isEmpty { text += "  (no numbers)\n" }
            for number in waba.numbers {
                let state = number.provisioned ? "provisioned" : "not provisioned"
                text += "  \(number.displayPhoneNumber)  phoneNumberId \(number.id)  \(state)\n"
            }
        }
        return text
    }

    private static func json(_ wabas: [ProvisioningClient.WhatsAppAccount.WABA]) -> String {
        let value: JSONValue = [
            "wabas": .array(
                wabas.map { waba in
                    [
                        "id": .string(waba.id),
                        "numbers": .array(
                            waba.numbers.map { number in
                                [
                                    "id": .string(number.id), "displayPhoneNumber": .string(number.displayPhoneNumber),
                                    "provisioned": .bool(number.provisioned),
                                ]
                            }),
                    ]
                })
        ]
        return value.jsonString + "\n"
    }

    /// One embedded-signup sender (part A §4, S2: `wabaId` and `phoneNumberId`) per number not provisioned yet,
    /// named after its digits; the display name is the one field the manifest requires that the API cannot tell.
    private static func yaml(_ wabas: [ProvisioningClient.WhatsAppAccount.WABA]) -> String {
        let numbers = wabas.flatMap { waba in waba.numbers.filter { !$0.provisioned }.map { (waba.id, $0) } }
        guard !numbers.isEmpty else { return "# Every number shared with this token is provisioned already.\n" }
        var text = "# Senders for the numbers not provisioned yet; set each displayName before applying.\n"
        text += "whatsappSenders:\n"
        var used: Set<String> = []
        for (wabaId, number) in numbers {
            var name = "phone-" + number.displayPhoneNumber.filter(\.isNumber)
            if name == "phone-" { name = "phone-" + number.id }
            while !used.insert(name).inserted { name += "-" + number.id }
            text += "  \(quoted(name)):\n"
            text += "    wabaId: \(quoted(wabaId))\n"
            text += "    phoneNumberId: \(quoted(number.id))\n"
            text += "    details:\n"
            text += "      displayName: \(quoted(number.displayPhoneNumber))  # the name customers see\n"
        }
        return text
    }

    /// A YAML double-quoted scalar (ids are digits that YAML would otherwise read as numbers).
    private static func quoted(_ text: String) -> String {
        JSONValue.string(text).jsonString
    }
}
