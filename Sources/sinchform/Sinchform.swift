import ArgumentParser

@main
struct Sinchform: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sinchform",
        abstract: "Infrastructure-as-code for the Sinch Provisioning API.",
        discussion: """
            Keep webhooks, WhatsApp / KakaoTalk / RCS senders and message templates as YAML in git;
            validate them offline, plan against the live project, apply, and detect drift.
            """,
        version: "0.1.0",
        subcommands: [
            Validate.self, PlanCommand.self, Apply.self, Drift.self, ForceUnlock.self, RollbackCommand.self, Show.self,
            Import.self, State.self,
            SchemaCommand.self, EmulatorCommand.self, WhatsAppCommand.self,
        ]
    )
}
