import ArgumentParser
import SinchformEngine
import SinchformManifest

extension Sinchform {
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the API calls of a plan; asks for `yes` on a terminal unless --auto-approve.",
            discussion: """
                Applies a directory (plans first) or a saved plan file (refused if anything moved since).
                Exit 0 when every step succeeded, 1 on any error, failure or rejection.
                """)

        @Argument(help: "Directory of manifests, or a plan file saved with `plan --out`.") var source = "."
        @OptionGroup var confirmation: ConfirmationOptions
        @Option(help: "Independent steps run at once.") var parallelism = 4
        @Flag(help: "After submitting templates and senders, wait until each is approved or rejected.") var wait = false
        @Option(help: "With --wait: give up after this many seconds.") var waitTimeout = 1800
        @Option(help: "Wait this many seconds for another apply in the same directory to finish.") var lockTimeout = 0
        @OptionGroup var scope: ScopeOptions
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await CommandSupport.run {
                try confirmation.requireAnswerable("apply")
                let progress = ApplyProgress()
                let options = ApplyOptions(
                    parallelism: parallelism, wait: wait, waitTimeout: .seconds(waitTimeout),
                    observer: { progress.report($0) })
                let session = connection.session(
                    Interaction(confirm: { [confirmation] in
                        guard case let .apply(plan) = $0 else { return false }
                        let text = try PlanRenderer(color: CommandSupport.color).render(plan, format: .text)
                        return confirmation.confirm(
                            text, asking: plan.hasChanges ? "Do you want to apply these changes?" : nil)
                    }))
                guard
                    let result = try await session.apply(
                        source, scope: scope.scope, options: options, lockTimeout: .seconds(lockTimeout))
                else { return }
                progress.finish(result)
                if !result.succeeded { throw ExitCode(1) }
            }
        }
    }
}
