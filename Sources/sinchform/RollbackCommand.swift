import ArgumentParser
import SinchformEngine

extension Sinchform {
    struct RollbackCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rollback",
            abstract: "Undo a recorded apply where the API allows, newest step first.",
            discussion: "Steps whose resource changed since the apply are skipped and explained. Exit 0 / 1.")

        @Argument(
            help: "A journal (.sinchform/journal/*.jsonl); default: the latest in --directory that is not a rollback's."
        ) var journal: String?
        @Option(help: "Directory of manifests (to find the latest journal).") var directory = "."
        @OptionGroup var confirmation: ConfirmationOptions
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await CommandSupport.run {
                try confirmation.requireAnswerable("rollback")
                let session = connection.session(
                    Interaction(confirm: { [confirmation] in
                        guard case let .rollback(journal, steps) = $0 else { return false }
                        let runnable = steps.filter { $0.skipReason == nil }.count
                        return confirmation.confirm(
                            Self.describe(journal, steps), asking: runnable > 0 ? "Roll back \(runnable) step(s)?" : nil
                        )
                    }))
                let outcome = try await session.rollback(journal: journal, directory: directory)
                for (_, message) in outcome.failed { Output.line("  failed: \(message)") }
                Output.line("Rollback: \(outcome.done.count) done, \(outcome.failed.count) failed.")
                if !outcome.failed.isEmpty { throw ExitCode(1) }
            }
        }

        static func describe(_ journal: String, _ steps: [RollbackStep]) -> String {
            var text = "Rollback of \(journal):\n"
            for step in steps {
                let verb = step.inverse.map { "\($0.rawValue) (undoes \(step.recorded.rawValue))" } ?? "none"
                text += "  \(step.address): \(step.skipReason.map { "skip — \($0)" } ?? verb)\n"
            }
            if !steps.contains(where: { $0.skipReason == nil }) { text += "Nothing to roll back.\n" }
            return text
        }
    }
}
