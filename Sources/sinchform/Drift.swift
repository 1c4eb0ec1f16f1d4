import ArgumentParser
import SinchformEngine

extension Sinchform {
    struct Drift: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare live state with what was last applied; read-only.",
            discussion: "Exit 0 no drift, 2 drift, 1 error.")

        @Argument(help: "Directory of manifests.") var directory = "."
        @OptionGroup var output: FormatOptions
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await CommandSupport.run {
                let workspace = Workspace(directory: directory)
                let context = try await CommandSupport.withPlan(workspace, connection: connection, scope: PlanScope()) {
                    context, _ in context
                }
                let drift = context.plan.driftOnly()
                Output.write(
                    try PlanRenderer(color: CommandSupport.color && output.format == .text).render(
                        drift, format: output.format, mode: .drift))
                if drift.hasChanges { throw ExitCode(2) }
            }
        }
    }
}
